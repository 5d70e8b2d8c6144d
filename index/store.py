"""The index folder: FAISS vectors, BM25, passages and a manifest, written whole or not at all.

An index folder is recognised by a marker file and its manifest; the project never writes into,
replaces or deletes a path that it cannot prove it created.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import bm25s
import faiss
import numpy as np
from filelock import FileLock

from workshop_qa.index.corpus import DEFAULT_CORPUS, load_corpus, sha256_of
from workshop_qa.index.embed import (
    DEFAULT_MODEL,
    embed_passages,
    embed_texts,
    load_encoder,
    passage_windows,
)
from workshop_qa.index.encoder import ENCODER_FILES, EncoderUnavailable, OnnxEncoder, export_encoder
from workshop_qa.index.lexical import build_bm25, load_bm25, save_bm25
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

FORMAT_VERSION = 3  # 3: a header passage per document
FAISS_INDEX_TYPE = "IndexFlatIP"
MARKER = ".workshop-qa-index"
_MARKER_TEXT = "This folder is a workshop-qa index; the tool may replace it whole.\n"
_MANIFEST = "manifest.json"
_PASSAGES = "passages.jsonl"
_SENTENCES = "sentences.json"
_PASSAGE_VECTORS = "passages.faiss"
_SENTENCE_VECTORS = "sentences.faiss"
_LEXICAL = "bm25"


class IndexUnusable(RuntimeError):
    """An index folder cannot be used as it is (missing, corrupt, or built from other inputs)."""


class IndexLocationError(ValueError):
    """A path that cannot hold an index: a file, a folder of other files, or unwritable."""


@dataclass(frozen=True)
class IndexSpec:
    """What an index is built from: the corpus files, the embedding model, structural context."""

    corpus: tuple[Path, ...] = DEFAULT_CORPUS
    model: str = DEFAULT_MODEL
    embed_context: bool = True

    def expected_manifest(self) -> dict:
        """The manifest fields an index built from this spec must carry."""
        return {
            "format_version": FORMAT_VERSION,
            "model": self.model,
            "embed_context": self.embed_context,
            "faiss_index_type": FAISS_INDEX_TYPE,
            "documents": {Path(p).name: sha256_of(Path(p)) for p in self.corpus},
        }


@dataclass(frozen=True)
class SentenceRef:
    """A sentence of a passage: the passage's position in the index and the character span."""

    passage: int
    start: int
    end: int


@dataclass
class LoadedIndex:
    """Everything retrieval needs, read from an index folder."""

    directory: Path
    manifest: dict
    passages: list[Passage]
    passage_vectors: faiss.Index
    sentences: list[SentenceRef]
    sentence_vectors: faiss.Index
    lexical: bm25s.BM25


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
    """Build the index for ``spec`` into ``directory``, atomically; returns seconds taken."""
    directory = Path(directory)
    check_location(directory)
    with _build_lock(directory):
        check_location(directory)
        return _build(spec, directory, progress, notify)


def load_index(directory: Path) -> LoadedIndex:
    """Read an index folder; anything missing, altered or unreadable raises :class:`IndexUnusable`."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {manifest.get('format_version')}")
        # The query encoder is checked when it is opened: without it the index still serves.
        altered = [name for name, digest in manifest["files"].items()
                   if name not in ENCODER_FILES and _file_digest(directory / name) != digest]
        if altered:
            raise IndexUnusable(f"damaged ({', '.join(sorted(altered))} changed since it was built)")
        lines = (directory / _PASSAGES).read_text(encoding="utf-8").splitlines()
        passages = [Passage.from_json(json.loads(line)) for line in lines]
        sentences = [SentenceRef(*row) for row in json.loads((directory / _SENTENCES).read_text())]
        passage_vectors = faiss.read_index(str(directory / _PASSAGE_VECTORS))
        sentence_vectors = faiss.read_index(str(directory / _SENTENCE_VECTORS))
        lexical = load_bm25(directory / _LEXICAL)
    except FileNotFoundError as error:
        raise IndexUnusable(f"missing {Path(error.filename or '').name or 'a file'}") from None
    except (ValueError, TypeError, KeyError, AttributeError, RuntimeError, OSError, EOFError) as error:
        if isinstance(error, IndexUnusable):
            raise
        raise IndexUnusable(f"unreadable ({type(error).__name__}: {str(error)[:120]})") from None
    counts = (len(passages), passage_vectors.ntotal, manifest.get("passages"))
    if len(set(counts)) != 1 or sentence_vectors.ntotal != len(sentences):
        raise IndexUnusable(f"inconsistent counts (passages, vectors, manifest: {counts})")
    if lexical.scores["num_docs"] != len(passages):
        raise IndexUnusable("lexical index does not match the passages")
    return LoadedIndex(directory, manifest, passages, passage_vectors, sentences,
                       sentence_vectors, lexical)


def open_index(
    spec: IndexSpec, directory: Path | None = None, notify: Callable[[str], None] = print,
    progress: bool = True,
) -> LoadedIndex:
    """Load the index for ``spec``, building or rebuilding it first when missing, stale or corrupt."""
    directory = Path(directory) if directory else default_index_dir()
    check_location(directory)
    reason = _unusable_reason(spec, directory)
    if reason is None:
        return load_index(directory)
    notify(reason)
    with _build_lock(directory):
        check_location(directory)
        if _unusable_reason(spec, directory) is not None:  # another process may have built it
            seconds = _build(spec, directory, progress, notify)
            notify(f"Index built in {seconds:.1f} s.")
    return load_index(directory)


def _unusable_reason(spec: IndexSpec, directory: Path) -> str | None:
    """Why the index in ``directory`` cannot serve ``spec``, as a notice; None when it can."""
    if not (directory / _MANIFEST).exists() and not (directory / MARKER).exists():
        return f"Building the index in {directory} (first use)."
    try:
        index = load_index(directory)
    except IndexUnusable as error:
        return f"The index in {directory} is {error}; rebuilding it."
    changed = [key for key, value in spec.expected_manifest().items() if index.manifest.get(key) != value]
    if changed:
        return f"The index in {directory} was built from another {', '.join(changed)}; rebuilding it."
    return None


def open_query_encoder(index: LoadedIndex, threads: int = 1) -> OnnxEncoder:
    """The index's ONNX query encoder; :class:`EncoderUnavailable` says why it cannot be used."""
    entry = index.manifest.get("query_encoder")
    if not entry:
        raise EncoderUnavailable(f"The index in {index.directory} has no ONNX query encoder")
    if "skipped" in entry:
        raise EncoderUnavailable(f"The model '{index.manifest['model']}' has no ONNX query encoder "
                                 f"({entry['skipped']})")
    paths = [index.directory / name for name in ENCODER_FILES]
    for path in paths:
        if not path.is_file():
            raise EncoderUnavailable(f"The query encoder file {path} is missing")
    # The 90 MB checksum runs while onnxruntime reads the same file: a cold start waits for one, not both.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digests = pool.map(_file_digest, paths)
        try:
            encoder: OnnxEncoder | EncoderUnavailable = OnnxEncoder(
                index.directory, entry["max_seq_length"], threads)
        except EncoderUnavailable as error:
            encoder = error
        for path, digest in zip(paths, digests, strict=True):
            if digest != index.manifest["files"].get(path.name):
                raise EncoderUnavailable(f"The query encoder file {path} is damaged")
    if isinstance(encoder, EncoderUnavailable):
        raise encoder
    return encoder


def repair_query_encoder(index: LoadedIndex, model: SentenceTransformer,
                         notify: Callable[[str], None] = print) -> None:
    """Export the query encoder of ``index`` again, leaving every other file of the folder as it is.

    Does nothing when another process rebuilt or repaired the folder meanwhile.
    """
    directory = index.directory
    try:
        with _build_lock(directory), _staging_folder(directory) as staging:
            if json.loads((directory / _MANIFEST).read_text(encoding="utf-8")) != index.manifest:
                return
            windows = [w for p in index.passages
                       for w in passage_windows(model, p, index.manifest["embed_context"])]
            sentences = [index.passages[r.passage].text[r.start : r.end] for r in index.sentences]
            entry = _export_query_encoder(index.manifest["model"], model, staging, windows + sentences,
                                          embed_texts(model, windows + sentences), notify)
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
    """Embed the corpus and swap a complete index into ``directory``; the caller holds the lock."""
    started = time.perf_counter()
    documents = load_corpus(tuple(Path(p) for p in spec.corpus))
    with _staging_folder(directory) as staging:
        passages = [p for document in documents for p in document.passages]
        encoder = load_encoder(spec.model)
        embedding = embed_passages(encoder, passages, spec.embed_context, progress)
        sentences = [
            SentenceRef(i, s, e) for i, p in enumerate(passages) for s, e in split_sentences(p.text)
        ]
        sentence_texts = [passages[r.passage].text[r.start : r.end] for r in sentences]
        sentence_vectors = embed_texts(encoder, sentence_texts, progress)
        if progress:
            notify("Exporting the query encoder to ONNX and checking it against sentence-transformers.")
        query_encoder = _export_query_encoder(
            spec.model, encoder, staging, embedding.windows + sentence_texts,
            np.vstack([embedding.window_vectors, sentence_vectors]), notify)
        manifest = {
            **spec.expected_manifest(),
            "dimension": int(embedding.vectors.shape[1]),
            "passages": len(passages),
            "sentences": len(sentences),
            "document_titles": {d.symbol: d.title for d in documents},
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "query_encoder": query_encoder,
        }
        _write(staging, manifest, passages, embedding.vectors, sentences, sentence_vectors)
        _swap_in(staging, directory)
    return time.perf_counter() - started


def _write(
    directory: Path, manifest: dict, passages: list[Passage], passage_vectors: np.ndarray,
    sentences: list[SentenceRef], sentence_vectors: np.ndarray,
) -> None:
    (directory / _PASSAGES).write_text(
        "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in passages),
        encoding="utf-8",
    )
    (directory / _SENTENCES).write_text(json.dumps([[r.passage, r.start, r.end] for r in sentences]))
    for name, vectors in ((_PASSAGE_VECTORS, passage_vectors), (_SENTENCE_VECTORS, sentence_vectors)):
        flat = faiss.IndexFlatIP(vectors.shape[1])
        flat.add(vectors)
        faiss.write_index(flat, str(directory / name))
    save_bm25(build_bm25([p.text for p in passages]), directory / _LEXICAL)
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name != MARKER)
    manifest["files"] = {p.relative_to(directory).as_posix(): _file_digest(p) for p in files}
    (directory / _MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


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
