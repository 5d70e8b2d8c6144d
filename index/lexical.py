"""BM25 over passages (bm25s), with the one tokenizer shared by indexing and querying."""

from __future__ import annotations

from pathlib import Path

import bm25s
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
# Keeps single digits and letters ("23 (c)") that bm25s's default pattern drops.
_TOKEN_PATTERN = r"(?u)\b\w+\b"


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stemmed word tokens without English stop words."""
    return bm25s.tokenize(
        texts, token_pattern=_TOKEN_PATTERN, stopwords="en", stemmer=_STEMMER.stemWords,
        return_ids=False, show_progress=False,
    )


def build_bm25(texts: list[str]) -> bm25s.BM25:
    """A BM25 (Lucene variant) model over ``texts``."""
    model = bm25s.BM25(method="lucene")
    model.index(tokenize(texts), show_progress=False)
    return model


def save_bm25(model: bm25s.BM25, directory: Path) -> None:
    """Write the model's arrays and vocabulary into ``directory``."""
    model.save(str(directory), show_progress=False)


def load_bm25(directory: Path) -> bm25s.BM25:
    """Read a model written by :func:`save_bm25`, its arrays memory-mapped."""
    return bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
