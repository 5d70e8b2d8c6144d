"""BM25 over passages: built and saved with bm25s, read back and scored without it.

A query needs only the saved arrays (memory-mapped) and the tokenizer, so the query path does not
import bm25s and, through it, scipy: a cold ``ask`` is a fifth of a second faster.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import Stemmer

from workshop_qa.index.disk_array import open_disk_array

if TYPE_CHECKING:
    import bm25s

_STEMMER = Stemmer.Stemmer("english")
# Keeps single digits and letters ("23 (c)") that bm25s's default pattern drops.
_TOKEN_PATTERN = re.compile(r"(?u)\b\w+\b")
# bm25s's English stop words (Lucene's), which the index was built without; a test checks they agree.
STOPWORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
    "this", "to", "was", "will", "with"))


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stemmed word tokens without English stop words, as bm25s makes them."""
    return [_STEMMER.stemWords([t for t in _TOKEN_PATTERN.findall(text.lower()) if t not in STOPWORDS])
            for text in texts]


def build_bm25(texts: list[str]) -> bm25s.BM25:
    """A BM25 (Lucene variant) model over ``texts``."""
    import bm25s

    model = bm25s.BM25(method="lucene")
    model.index(tokenize(texts), show_progress=False)
    return model


def save_bm25(model: bm25s.BM25, directory: Path) -> None:
    """Write the model's arrays and vocabulary into ``directory``."""
    model.save(str(directory), show_progress=False)


class LexicalIndex:
    """A saved BM25 model, read back: its per-token postings of precomputed BM25 weights."""

    def __init__(self, directory: Path) -> None:
        directory = Path(directory)
        params = json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
        if params.get("method") != "lucene":
            raise ValueError(f"BM25 method {params.get('method')}, expected lucene")
        self.num_docs: int = params["num_docs"]
        self.weights = open_disk_array(directory / "data.csc.index.npy")
        self.indices = open_disk_array(directory / "indices.csc.index.npy")
        self.indptr = np.load(directory / "indptr.csc.index.npy")  # one entry per word
        sizes = {int(self.indptr[-1]) if len(self.indptr) else -1, len(self.weights), len(self.indices)}
        if len(sizes) != 1:
            raise ValueError("BM25 arrays do not match")
        vocabulary = json.loads((directory / "vocab.index.json").read_text(encoding="utf-8"))
        # Tokens without postings (bm25s keeps "" for an empty text) are not searchable.
        self.vocab_dict: dict[str, int] = {t: i for t, i in vocabulary.items() if i < len(self.indptr) - 1}

    def postings(self, token_id: int) -> np.ndarray:
        """Positions of the passages that contain the token, ascending."""
        return np.asarray(self.indices[self.indptr[token_id] : self.indptr[token_id + 1]])

    def get_scores(self, tokens: list[str]) -> np.ndarray:
        """The BM25 score of every passage for the query ``tokens`` (a token counts each time)."""
        scores = np.zeros(self.num_docs, dtype=np.float32)
        for token in tokens:
            token_id = self.vocab_dict.get(token)
            if token_id is not None:
                start, end = self.indptr[token_id], self.indptr[token_id + 1]
                np.add.at(scores, np.asarray(self.indices[start:end]), self.weights[start:end])
        return scores
