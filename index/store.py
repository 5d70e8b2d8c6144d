"""The index folder: FAISS vectors, BM25, passages and a manifest, written whole or not at all.

An index folder is recognised by a marker file and its manifest; the project never writes into,
replaces or deletes a path that it cannot prove it created. Passages live in SQLite and vectors,
metadata and sentence spans in numpy arrays, all read on demand, so that opening an index of a
million passages parses none of them. A rebuild embeds only the documents that changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np
from filelock import FileLock
from numpy.lib.format import open_memmap

from workshop_qa.index.corpus import DEFAULT_CORPUS, Document, load_corpus, sha256_of
from workshop_qa.index.disk_array import DiskArray, open_disk_array
from workshop_qa.index.e5 import E5_SMALL
from workshop_qa.index.embed import (
    DEFAULT_MODEL,
    embed_passages,
    embed_texts,
    load_encoder,
)
from workshop_qa.index.encoder import ENCODER_FILES, EncoderUnavailable, OnnxEncoder, export_encoder
from workshop_qa.index.lexical import LexicalIndex, build_bm25, save_bm25
from workshop_qa.index.metadata import (
    PassageMetadata,
    SentenceTable,
    read_metadata,
    write_metadata,
)
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences
from workshop_qa.index.texts import PassageTable, write_passages
from workshop_qa.index.vectors import build_vector_index, read_vector_index, write_vector_index
from workshop_qa.index.word_vectors import WordVectors, read_word_vectors, write_word_vectors

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

FORMAT_VERSION = 12  # 3: a header passage per document; 4: SQLite, numpy arrays, FAISS type by size;
# 5: the words of the passages counted in the SQLite file; 6: and each document's people and delegations;
# 7: each delegation with the passages that list it; 8: the corpus's words embedded; 9: the groups
# delegations spoke for ("on behalf of the African Group") among the delegations; 10: the query
# encoder's weights in a file of their own; 11: where each panellist's talk begins, and what ties it to them;
# 12: the multilingual model's mean vector of each language
MARKER = ".workshop-qa-index"
_MARKER_TEXT = "This folder is a workshop-qa index; the tool may replace it whole.\n"
_MANIFEST = "manifest.json"
_PASSAGES = "passages.sqlite"
_ARRAYS = "arrays"
_PASSAGE_MATRIX = "arrays/passage_vectors.npy"
_SENTENCE_MATRIX = "arrays/sentence_vectors.npy"
_PASSAGE_VECTORS = "passages.faiss"
_SENTENCE_VECTORS = "sentences.faiss"
_LEXICAL = "bm25"
_COPY_ROWS = 1 << 16
_REPAIR_SENTENCES = 2048


class IndexUnusable(RuntimeError):
    """An index folder cannot be used as it is (missing, corrupt, or built from other inputs)."""


class IndexLocationError(ValueError):
    """A path that cannot hold an index: a file, a folder of other files, or unwritable."""


@dataclass(frozen=True)
class IndexSpec:
    """What an index is built from: the corpus files, the embedding model, structural context, and
    a second embedding model, multilingual by default, or none (see
    :mod:`workshop_qa.index.second_vectors`)."""

    corpus: tuple[Path, ...] = DEFAULT_CORPUS
    model: str = DEFAULT_MODEL
    embed_context: bool = True
    second_model: str | None = E5_SMALL

    def expected_manifest(self) -> dict:
        """The manifest fields an index built from this spec must carry."""
        second = {"second_model": self.second_model} if self.second_model else {}
        return {
            "format_version": FORMAT_VERSION,
            "model": self.model,
            "embed_context": self.embed_context,
            "documents": {Path(p).name: sha256_of(Path(p)) for p in self.corpus},
            **second,
        }


@dataclass
class LoadedIndex:
    """Everything retrieval needs, read from an index folder; large parts stay on disk until used.

    ``passage_vectors`` and ``sentence_vectors`` are the FAISS indexes (exact or IVF, see
    ``manifest["faiss_index"]``); ``passage_matrix`` and ``sentence_matrix`` the exact float32
    vectors, row ``i`` for passage or sentence ``i``, read from disk by rows when large.
    """

    directory: Path
    manifest: dict
    passages: PassageTable
    passage_vectors: faiss.Index
    sentences: SentenceTable
    sentence_vectors: faiss.Index
    lexical: LexicalIndex
    metadata: PassageMetadata
    passage_matrix: np.ndarray | DiskArray
    sentence_matrix: np.ndarray | DiskArray
    words: WordVectors | None


def default_index_dir() -> Path:
    """The per-user cache folder for the index."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "workshop-qa" / "index"


def is_index_folder(directory: Path) -> bool:
    """Whether ``directory`` is a folder this project wrote (its marker, or a manifest of ours)."""
    directory = Path(directory)
    if not directory.is_dir():
        return False
    try:
        if (directory / MARKER).read_text(encoding="utf-8") == _MARKER_TEXT:
            return True
    except (OSError, UnicodeError):
        pass
    try:
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and {"format_version", "model", "documents"} <= set(manifest)


def check_location(directory: Path) -> None:
    """Refuse a path the index may not be written to: a file, or a folder of other files."""
    directory = Path(directory)
    advice = "Give the path of a new or empty folder, or of an existing index; nothing was changed."
    if directory.exists() and not directory.is_dir():
        raise IndexLocationError(f"{directory} is a file, not an index folder. {advice}")
    if directory.is_dir() and any(directory.iterdir()) and not is_index_folder(directory):
        raise IndexLocationError(f"{directory} holds files that are not a workshop-qa index. {advice}")


def build_index(spec: IndexSpec, directory: Path, progress: bool = True,
                notify: Callable[[str], None] = print) -> float:
    """Build the index for ``spec`` into ``directory``, atomically; returns seconds taken.

    Documents whose passages are the same as in the index already in ``directory`` keep their
    vectors: only new or changed documents are embedded.
    """
    directory = Path(directory)
    check_location(directory)
    with _build_lock(directory):
        check_location(directory)
        return _build(spec, directory, progress, notify)


def write_index(directory: Path, passages: Sequence[Passage], sentences: np.ndarray,
                passage_vectors: np.ndarray, sentence_vectors: np.ndarray, manifest: dict,
                encoder_from: Path | None = None) -> float:
    """Write an index of passages already embedded into ``directory``, atomically; returns seconds.

    ``sentences`` has one row (passage position, start, end) per sentence, ordered by passage;
    ``manifest`` gives the fields of :meth:`IndexSpec.expected_manifest` and ``document_titles``;
    the query encoder is copied from the index folder ``encoder_from``. The scaling benchmark
    writes its synthetic corpora with this.
    """
    started = time.perf_counter()
    directory = Path(directory)
    check_location(directory)
    with _build_lock(directory):
        check_location(directory)
        with _staging_folder(directory) as staging:
            (staging / _ARRAYS).mkdir()
            entry = _copy_query_encoder(Path(encoder_from), staging) if encoder_from else None
            matrices = (_save_matrix(staging / _PASSAGE_MATRIX, passage_vectors),
                        _save_matrix(staging / _SENTENCE_MATRIX, sentence_vectors))
            full = {**manifest, "format_version": FORMAT_VERSION, "dimension": int(passage_vectors.shape[1]),
                    "passages": len(passages), "sentences": len(sentences),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "query_encoder": entry or {"skipped": "no query encoder was given"}}
            _write(staging, full, passages, sentences, *matrices)
            _swap_in(staging, directory)
    return time.perf_counter() - started


def load_index(directory: Path) -> LoadedIndex:
    """Open an index folder; anything missing, altered or unreadable raises :class:`IndexUnusable`."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {manifest.get('format_version')}")
        _check_files(directory, manifest["files"])
        passages = PassageTable(directory / _PASSAGES)
        metadata, sentences = read_metadata(directory / _ARRAYS, manifest)
        passage_matrix = open_disk_array(directory / _PASSAGE_MATRIX)
        sentence_matrix = open_disk_array(directory / _SENTENCE_MATRIX)
        kinds = manifest["faiss_index"]
        passage_vectors = read_vector_index(directory / _PASSAGE_VECTORS, kinds["passages"])
        sentence_vectors = read_vector_index(directory / _SENTENCE_VECTORS, kinds["sentences"])
        lexical = LexicalIndex(directory / _LEXICAL)
        words = read_word_vectors(directory / _ARRAYS)
    except FileNotFoundError as error:
        raise IndexUnusable(f"missing {Path(error.filename or '').name or 'a file'}") from None
    except (ValueError, TypeError, KeyError, AttributeError, RuntimeError, OSError, EOFError,
            sqlite3.Error) as error:
        if isinstance(error, IndexUnusable):
            raise
        raise IndexUnusable(f"unreadable ({type(error).__name__}: {str(error)[:120]})") from None
    counts = (len(passages), passage_vectors.ntotal, len(passage_matrix), len(metadata.para),
              manifest.get("passages"))
    sentence_counts = (len(sentences), sentence_vectors.ntotal, len(sentence_matrix),
                       manifest.get("sentences"))
    if len(set(counts)) != 1 or len(set(sentence_counts)) != 1:
        raise IndexUnusable(f"inconsistent counts (passages, vectors, manifest: {counts})")
    if lexical.num_docs != len(passages):
        raise IndexUnusable("lexical index does not match the passages")
    return LoadedIndex(directory, manifest, passages, passage_vectors, sentences, sentence_vectors,
                       lexical, metadata, passage_matrix, sentence_matrix, words)


def open_index(
    spec: IndexSpec, directory: Path | None = None, notify: Callable[[str], None] = print,
    progress: bool = True,
) -> LoadedIndex:
    """Load the index for ``spec``, building or rebuilding it first when missing, stale or corrupt."""
    directory = Path(directory) if directory else default_index_dir()
    check_location(directory)
    index, reason = _current_index(spec, directory)
    if index is not None:
        return index
    notify(reason)
    with _build_lock(directory):
        check_location(directory)
        index, _ = _current_index(spec, directory)  # another process may have built it
        if index is None:
            seconds = _build(spec, directory, progress, notify)
            notify(f"Index built in {seconds:.1f} s.")
    return index or load_index(directory)


def _current_index(spec: IndexSpec, directory: Path) -> tuple[LoadedIndex | None, str]:
    """The index in ``directory`` if it serves ``spec``; else None and why, as a notice."""
    if not (directory / _MANIFEST).exists() and not (directory / MARKER).exists():
        return None, f"Building the index in {directory} (first use)."
    try:
        index = load_index(directory)
    except IndexUnusable as error:
        return None, f"The index in {directory} is {error}; rebuilding it."
    expected = {"second_model": None, **spec.expected_manifest()}
    changed = [key for key, value in expected.items() if index.manifest.get(key) != value]
    if changed:
        asked = ", ".join(changed)
        return None, f"The index in {directory} does not match the {asked} asked for; rebuilding it."
    return index, ""


def open_query_encoder(index: LoadedIndex, threads: int = 1) -> OnnxEncoder:
    """The index's ONNX query encoder; :class:`EncoderUnavailable` says why it cannot be used."""
    entry = index.manifest.get("query_encoder")
    if not entry:
        raise EncoderUnavailable(f"The index in {index.directory} has no ONNX query encoder")
    if "skipped" in entry:
        raise EncoderUnavailable(f"The model '{index.manifest['model']}' has no ONNX query encoder "
                                 f"({entry['skipped']})")
    return open_checked_encoder(index, "", entry["max_seq_length"], threads)


def open_checked_encoder(index: LoadedIndex, folder: str, max_seq_length: int,
                         threads: int = 1) -> OnnxEncoder:
    """The ONNX encoder in the index's ``folder`` ("" for the index folder itself), its files checked
    against the manifest; :class:`EncoderUnavailable` says which one is missing or damaged."""
    names = [f"{folder}/{name}" if folder else name for name in ENCODER_FILES]
    paths = [index.directory / name for name in names]
    for path in paths:
        if not path.is_file():
            raise EncoderUnavailable(f"The query encoder file {path} is missing")
    # The 90 MB checksum runs while onnxruntime reads the same file: a cold start waits for one, not both.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digests = pool.map(_file_digest, paths)
        try:
            encoder: OnnxEncoder | EncoderUnavailable = OnnxEncoder(index.directory / folder, max_seq_length,
                                                                    threads)
        except EncoderUnavailable as error:
            encoder = error
        for name, path, digest in zip(names, paths, digests, strict=True):
            if digest != index.manifest["files"].get(name):
                raise EncoderUnavailable(f"The query encoder file {path} is damaged")
    if isinstance(encoder, EncoderUnavailable):
        raise encoder
    return encoder


def repair_query_encoder(index: LoadedIndex, model: SentenceTransformer,
                         notify: Callable[[str], None] = print) -> None:
    """Export the query encoder of ``index`` again, leaving every other file of the folder as it is.

    The export is checked against the stored vectors of a sample of the index's sentences. Does
    nothing when another process rebuilt or repaired the folder meanwhile.
    """
    directory = index.directory
    try:
        with _build_lock(directory), _staging_folder(directory) as staging:
            if json.loads((directory / _MANIFEST).read_text(encoding="utf-8")) != index.manifest:
                return
            sample = np.unique(np.linspace(0, len(index.sentences) - 1,
                                           min(len(index.sentences), _REPAIR_SENTENCES)).astype(np.int64))
            refs = [index.sentences[int(i)] for i in sample]
            texts = [index.passages[r.passage].text[r.start : r.end] for r in refs]
            entry = _export_query_encoder(index.manifest["model"], model, staging, texts,
                                          np.asarray(index.sentence_matrix[sample]), notify)
            files = {k: v for k, v in index.manifest["files"].items() if k not in ENCODER_FILES}
            for name in ENCODER_FILES:
                if (staging / name).exists():
                    files[name] = _file_digest(staging / name)
                    os.replace(staging / name, directory / name)
                else:
                    (directory / name).unlink(missing_ok=True)
            manifest = {**index.manifest, "query_encoder": entry, "files": files}
            (staging / _MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
            os.replace(staging / _MANIFEST, directory / _MANIFEST)
            index.manifest = manifest
    except (OSError, IndexLocationError) as error:
        notify(f"Could not re-export the query encoder in {directory} ({error}).")


def _export_query_encoder(name: str, model: SentenceTransformer, directory: Path, texts: list[str],
                          reference: np.ndarray, notify: Callable[[str], None]) -> dict:
    """The manifest entry of the ONNX query encoder written in ``directory``, or why there is none."""
    try:
        return export_encoder(model, directory, texts, reference)
    except EncoderUnavailable as error:
        notify(f"No ONNX query encoder for the model '{name}': {error}; queries will be encoded "
               "with sentence-transformers.")
        return {"skipped": str(error)}


def _build(spec: IndexSpec, directory: Path, progress: bool, notify: Callable[[str], None]) -> float:
    """Embed the corpus (only what changed) and swap a complete index into ``directory``; the caller
    holds the lock."""
    started = time.perf_counter()
    documents = load_corpus(tuple(Path(p) for p in spec.corpus))
    previous = _previous_index(spec, directory)
    with _staging_folder(directory) as staging:
        (staging / _ARRAYS).mkdir()
        passages = [p for document in documents for p in document.passages]
        sentences = np.array([(i, s, e) for i, p in enumerate(passages) for s, e in split_sentences(p.text)],
                             dtype=np.int32).reshape(-1, 3)
        parts = _document_parts(documents, sentences)
        reused = _reusable_parts(parts, previous)
        if reused:
            notify(f"Reusing the vectors of {len(reused)} unchanged document(s); embedding "
                   f"{len(parts) - len(reused)}.")
        fresh_passages = range_rows(p["passages"] for name, p in parts.items() if name not in reused)
        fresh_sentences = range_rows(p["sentences"] for name, p in parts.items() if name not in reused)
        encoder = load_encoder(spec.model) if len(fresh_passages) or previous is None else None
        checked: tuple[list[str], np.ndarray] = ([], np.zeros((0, 0), np.float32))
        if encoder is not None:
            embedding = embed_passages(encoder, [passages[i] for i in fresh_passages], spec.embed_context,
                                       progress)
            sentence_texts = [passages[p].text[s:e] for p, s, e in sentences[fresh_sentences]]
            sentence_vectors = embed_texts(encoder, sentence_texts, progress) if sentence_texts else (
                np.zeros((0, embedding.vectors.shape[1]), np.float32))
            checked = (embedding.windows + sentence_texts,
                       np.vstack([embedding.window_vectors, sentence_vectors]))
        dimension = int(embedding.vectors.shape[1]) if encoder is not None else previous.manifest["dimension"]
        passage_matrix = open_memmap(staging / _PASSAGE_MATRIX, "w+", np.float32, (len(passages), dimension))
        sentence_matrix = open_memmap(staging / _SENTENCE_MATRIX, "w+", np.float32,
                                      (len(sentences), dimension))
        for name, old in reused.items():
            copy_rows(previous.passage_matrix, old["passages"], passage_matrix, parts[name]["passages"])
            copy_rows(previous.sentence_matrix, old["sentences"], sentence_matrix, parts[name]["sentences"])
        if encoder is not None:
            passage_matrix[fresh_passages] = embedding.vectors
            sentence_matrix[fresh_sentences] = sentence_vectors
        query_encoder = _copy_query_encoder(previous.directory, staging) if previous else None
        if query_encoder is None:
            if progress:
                notify("Exporting the query encoder to ONNX and checking it against sentence-transformers.")
            query_encoder = _export_query_encoder(spec.model, encoder or load_encoder(spec.model), staging,
                                                  *checked, notify)
        manifest = {
            **spec.expected_manifest(),
            "dimension": dimension,
            "passages": len(passages),
            "sentences": len(sentences),
            "document_titles": {d.symbol: d.title for d in documents},
            "document_parts": parts,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "query_encoder": query_encoder,
        }
        if spec.second_model:
            from workshop_qa.index.second_vectors import build_second_vectors

            same = previous is not None and previous.manifest.get("second_model") == spec.second_model
            manifest["second_vectors"] = build_second_vectors(
                spec.second_model, staging, passages, sentences, spec.embed_context, parts,
                reused if same else {}, previous if same else None, progress, notify)
        _write(staging, manifest, passages, sentences, passage_matrix, sentence_matrix)
        _swap_in(staging, directory)
    return time.perf_counter() - started


def _previous_index(spec: IndexSpec, directory: Path) -> LoadedIndex | None:
    """The usable index in ``directory`` built with the same model and context, whose vectors a
    rebuild may reuse; None when there is none."""
    if not (directory / _MANIFEST).exists():
        return None
    try:
        index = load_index(directory)
    except IndexUnusable:
        return None
    built_with = (index.manifest.get("model"), index.manifest.get("embed_context"))
    return index if built_with == (spec.model, spec.embed_context) else None


def _document_parts(documents: list[Document], sentences: np.ndarray) -> dict[str, dict]:
    """Per corpus file: its rows of passages and sentences, and a digest of what was embedded."""
    parts, first = {}, 0
    for document in documents:
        count = len(document.passages)
        low, high = np.searchsorted(sentences[:, 0], [first, first + count])
        spans = (sentences[low:high] - [first, 0, 0]).tolist()
        content = json.dumps([[p.to_json() for p in document.passages], spans], ensure_ascii=False)
        parts[document.path.name] = {"passages": [first, count], "sentences": [int(low), int(high - low)],
                                     "digest": hashlib.sha256(content.encode()).hexdigest()}
        first += count
    return parts


def _reusable_parts(parts: dict[str, dict], previous: LoadedIndex | None) -> dict[str, dict]:
    """The parts of the previous index whose documents are unchanged, by corpus file name."""
    old = previous.manifest.get("document_parts", {}) if previous else {}
    return {name: old[name] for name, part in parts.items()
            if name in old and old[name]["digest"] == part["digest"]}


def range_rows(ranges: Iterator[list[int]]) -> np.ndarray:
    """Row numbers of ``(first, count)`` ranges, concatenated."""
    rows = [np.arange(first, first + count) for first, count in ranges]
    return np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64)


def copy_rows(source: np.ndarray, source_range: list[int], target: np.ndarray,
              target_range: list[int]) -> None:
    """Copy the ``(first, count)`` rows of ``source`` to ``target`` from row ``target_range[0]``, a
    block at a time (memory-mapped matrices stay out of memory)."""
    (first, count), (to, _) = source_range, target_range
    for start in range(0, count, _COPY_ROWS):
        stop = min(count, start + _COPY_ROWS)
        target[to + start : to + stop] = source[first + start : first + stop]


def _save_matrix(path: Path, vectors: np.ndarray) -> np.ndarray:
    """``vectors`` copied, a block of rows at a time, into a new float32 ``.npy`` file at ``path``."""
    matrix = open_memmap(path, "w+", np.float32, vectors.shape)
    copy_rows(vectors, [0, len(vectors)], matrix, [0, len(vectors)])
    return matrix


def _copy_query_encoder(source: Path, target: Path) -> dict | None:
    """Copy the intact query encoder of the index folder ``source`` into ``target``; its manifest
    entry, or None when it has none that is intact."""
    try:
        manifest = json.loads((source / _MANIFEST).read_text(encoding="utf-8"))
        entry = manifest.get("query_encoder")
        files = manifest["files"]
    except (OSError, ValueError, KeyError):
        return None
    if not entry or "skipped" in entry:
        return entry or None
    return entry if copy_intact_files(source, target, ENCODER_FILES, files) else None


def copy_intact_files(source: Path, target: Path, names: Sequence[str], digests: dict[str, str]) -> bool:
    """Copy the files ``names`` of folder ``source`` into ``target`` if every one still has the
    digest the manifest recorded (``digests``); whether they were copied."""
    try:
        if any(_file_digest(source / name) != digests.get(name) for name in names):
            return False
        for name in names:
            shutil.copyfile(source / name, target / name)
    except OSError:
        return False
    return True


def _write(directory: Path, manifest: dict, passages: Sequence[Passage], sentences: np.ndarray,
           passage_matrix: np.ndarray, sentence_matrix: np.ndarray) -> None:
    """Write texts, arrays, FAISS and BM25 indexes and the manifest beside the vector matrices."""
    write_passages(directory / _PASSAGES, passages)
    manifest.update(write_metadata(directory / _ARRAYS, passages, sentences))
    for matrix in (passage_matrix, sentence_matrix):
        if isinstance(matrix, np.memmap):
            matrix.flush()
    kinds = {}
    for name, key, vectors, queries in ((_PASSAGE_VECTORS, "passages", passage_matrix, sentence_matrix),
                                        (_SENTENCE_VECTORS, "sentences", sentence_matrix, passage_matrix)):
        index, kinds[key] = build_vector_index(vectors, queries)
        write_vector_index(index, directory / name)
    manifest["faiss_index"] = kinds
    save_bm25(build_bm25([p.text for p in passages]), directory / _LEXICAL)
    encoder = manifest.get("query_encoder") or {}
    if "max_seq_length" in encoder:  # the query encoder embeds the words the way it embeds queries
        write_word_vectors(directory / _ARRAYS, PassageTable(directory / _PASSAGES).word_counts(),
                           OnnxEncoder(directory, encoder["max_seq_length"]).encode)
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name != MARKER)
    with ThreadPoolExecutor(max_workers=2) as pool:
        digests = list(pool.map(_file_digest, files))
    manifest["files"] = {p.relative_to(directory).as_posix(): d for p, d in zip(files, digests, strict=True)}
    (directory / _MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _check_files(directory: Path, files: dict[str, str]) -> None:
    """Raise :class:`IndexUnusable` naming the files whose checksum differs from the manifest's.

    Query encoders (the main model's, and a second model's in its folder) are checked when they
    are opened: without them the index still serves.
    """
    names = [name for name in files if name.rsplit("/", 1)[-1] not in ENCODER_FILES]
    with ThreadPoolExecutor(max_workers=2) as pool:
        digests = list(pool.map(lambda name: _known_digest(directory / name), names))
    altered = [name for name, digest in zip(names, digests, strict=True) if digest != files[name]]
    if altered:
        raise IndexUnusable(f"damaged ({', '.join(sorted(altered))} changed since it was built)")


_DIGESTS: dict[tuple, str] = {}


def _known_digest(path: Path) -> str:
    """The file's sha256, computed once per process for an unchanged file (same inode, size, time)."""
    status = path.stat()
    key = (str(path.resolve()), status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)
    if key not in _DIGESTS:
        _DIGESTS[key] = _file_digest(path)
    return _DIGESTS[key]


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """Hold the lock that serialises builds of ``directory`` across processes."""
    lock_path = directory.with_name(f".{directory.name}.lock")
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(lock_path)
        lock.acquire()
    except OSError as error:
        raise IndexLocationError(
            f"Cannot write the index beside {directory} ({error.strerror or error}): choose a "
            "folder you can write to with --index or WORKSHOP_QA_INDEX.") from None
    try:
        _remove_leftovers(directory)
        yield
    finally:
        lock.release()


def _remove_leftovers(directory: Path) -> None:
    """Delete staging and replaced folders of interrupted builds, only those that carry our marker."""
    for pattern in (f".{directory.name}.building-*", f".{directory.name}.old-*"):
        for leftover in directory.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink() and is_index_folder(leftover):
                shutil.rmtree(leftover, ignore_errors=True)


@contextmanager
def _staging_folder(directory: Path) -> Iterator[Path]:
    """A marked sibling folder to build in, created before any embedding work; removed on failure."""
    staging = directory.with_name(f".{directory.name}.building-{os.getpid()}")
    try:
        staging.mkdir()
        (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    except OSError as error:
        raise IndexLocationError(
            f"Cannot write the index beside {directory} ({error.strerror or error}): choose a "
            "folder you can write to with --index or WORKSHOP_QA_INDEX.") from None
    try:
        yield staging
    finally:
        if staging.exists() and is_index_folder(staging):
            shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, directory: Path) -> None:
    """Replace ``directory`` (absent, empty, or an index) by the complete ``staging`` folder."""
    if directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
    old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
    if directory.exists():
        directory.rename(old)
    staging.rename(directory)
    if old.exists() and is_index_folder(old):
        shutil.rmtree(old, ignore_errors=True)
