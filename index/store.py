"""The index folder: FAISS vectors, BM25, passages and a manifest, written whole or not at all."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np
from workshop_qa.index.corpus import DEFAULT_CORPUS, load_corpus, sha256_of
from workshop_qa.index.embed import DEFAULT_MODEL, embed_passages, embed_texts, load_encoder
from workshop_qa.index.lexical import build_bm25, load_bm25, save_bm25
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

FORMAT_VERSION = 1
FAISS_INDEX_TYPE = "IndexFlatIP"
_MANIFEST = "manifest.json"
_PASSAGES = "passages.jsonl"
_SENTENCES = "sentences.json"
_PASSAGE_VECTORS = "passages.faiss"
_SENTENCE_VECTORS = "sentences.faiss"
_LEXICAL = "bm25"


class IndexUnusable(RuntimeError):
    """An index folder cannot be used as it is (missing, corrupt, or built from other inputs)."""


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


def build_index(spec: IndexSpec, directory: Path, progress: bool = True) -> float:
    """Build the index for ``spec`` into ``directory``, atomically; returns seconds taken."""
    started = time.perf_counter()
    documents = load_corpus(tuple(Path(p) for p in spec.corpus))
    passages = [p for document in documents for p in document.passages]
    encoder = load_encoder(spec.model)
    passage_vectors = embed_passages(encoder, passages, spec.embed_context, progress)
    sentences = [
        SentenceRef(i, s, e) for i, p in enumerate(passages) for s, e in split_sentences(p.text)
    ]
    sentence_texts = [passages[r.passage].text[r.start : r.end] for r in sentences]
    sentence_vectors = embed_texts(encoder, sentence_texts, progress)
    manifest = {
        **spec.expected_manifest(),
        "dimension": int(passage_vectors.shape[1]),
        "passages": len(passages),
        "sentences": len(sentences),
        "document_titles": {d.symbol: d.title for d in documents},
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    _write_atomically(Path(directory), lambda tmp: _write(
        tmp, manifest, passages, passage_vectors, sentences, sentence_vectors))
    return time.perf_counter() - started


def load_index(directory: Path) -> LoadedIndex:
    """Read an index folder; anything missing or unreadable raises :class:`IndexUnusable`."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"format version {manifest.get('format_version')}")
        lines = (directory / _PASSAGES).read_text(encoding="utf-8").splitlines()
        passages = [Passage.from_json(json.loads(line)) for line in lines]
        sentences = [SentenceRef(*row) for row in json.loads((directory / _SENTENCES).read_text())]
        passage_vectors = faiss.read_index(str(directory / _PASSAGE_VECTORS))
        sentence_vectors = faiss.read_index(str(directory / _SENTENCE_VECTORS))
        lexical = load_bm25(directory / _LEXICAL)
    except FileNotFoundError as error:
        raise IndexUnusable(f"missing {Path(error.filename or '').name or 'file'}") from None
    except (ValueError, TypeError, KeyError, RuntimeError, OSError) as error:
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
    expected = spec.expected_manifest()
    if not (directory / _MANIFEST).exists():
        notify(f"Building the index in {directory} (first use).")
    else:
        try:
            index = load_index(directory)
            changed = [key for key, value in expected.items() if index.manifest.get(key) != value]
            if not changed:
                return index
            notify(f"The index in {directory} was built from another {', '.join(changed)}; "
                   "rebuilding it.")
        except IndexUnusable as error:
            notify(f"The index in {directory} is {error}; rebuilding it.")
    seconds = build_index(spec, directory, progress)
    notify(f"Index built in {seconds:.1f} s.")
    return load_index(directory)


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
    (directory / _MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _write_atomically(directory: Path, write: Callable[[Path], None]) -> None:
    """Write into a sibling temporary folder, then swap it in with renames."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    temporary = directory.with_name(f".{directory.name}.building-{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        write(temporary)
        old = directory.with_name(f".{directory.name}.old-{os.getpid()}")
        if directory.exists():
            directory.rename(old)
        temporary.rename(directory)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
