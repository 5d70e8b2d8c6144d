"""The corpus's words, each embedded on its own when the index is built.

A query word the corpus never uses ("antiquities", "treaties") can then be searched for by the
corpus's words nearest to it in meaning ("cultural", "conventions"): see
:mod:`workshop_qa.retriever.related_words`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workshop_qa.index.lexical import STOPWORDS

WORDS_FILE = "words.json"
VECTORS_FILE = "word_vectors.npy"
MAX_WORDS = 30_000
"""The most frequent words are embedded; a corpus of a million passages stays a 46 MB matrix."""
MIN_LENGTH = 3
# Words that say how a question is asked, not what about: never a stand-in for a topic.
FUNCTION_WORDS = STOPWORDS | frozenset((
    "what", "who", "whom", "whose", "which", "when", "where", "why", "how", "anyone", "anybody",
    "someone", "somebody", "anything", "something", "everyone", "you", "your", "she", "her", "hers",
    "his", "him", "its", "them", "those", "did", "didn", "does", "doesn", "had", "has", "have", "were",
    "been", "being", "can", "could", "should", "would", "may", "might", "must", "say", "says", "said",
    "tell", "else", "also", "really", "actually", "more", "most", "any", "each", "all", "other",
    "get", "getting", "got", "came", "come", "comes", "about", "from", "than", "very"))


@dataclass(frozen=True)
class WordVectors:
    """Words of the corpus and their unit-length vectors, row ``i`` for ``words[i]``."""

    words: tuple[str, ...]
    vectors: np.ndarray


def embeddable(word: str) -> bool:
    """Whether ``word`` (lower-cased) can stand for a topic: long enough, not a function word nor a
    contraction ("didn't")."""
    return len(word) >= MIN_LENGTH and word not in FUNCTION_WORDS and "'" not in word


def write_word_vectors(directory: Path, counts: dict[str, int],
                       encode: Callable[[list[str]], np.ndarray]) -> int:
    """Embed the :data:`MAX_WORDS` most frequent embeddable words of ``counts`` into ``directory``;
    returns how many."""
    words = sorted((w for w in counts if embeddable(w)), key=lambda w: (-counts[w], w))[:MAX_WORDS]
    vectors = encode(words) if words else np.zeros((0, 0), np.float32)
    np.save(directory / VECTORS_FILE, np.asarray(vectors, dtype=np.float32))
    (directory / WORDS_FILE).write_text(json.dumps(words), encoding="utf-8")
    return len(words)


def read_word_vectors(directory: Path) -> WordVectors | None:
    """The words written by :func:`write_word_vectors`, or None when the index has none (its model
    has no query encoder to embed them with)."""
    if not (directory / WORDS_FILE).exists():
        return None
    words = tuple(json.loads((directory / WORDS_FILE).read_text(encoding="utf-8")))
    vectors = np.load(directory / VECTORS_FILE, mmap_mode="r")  # read when a question needs it
    if len(words) != len(vectors):
        raise ValueError(f"{len(words)} words but {len(vectors)} word vectors")
    return WordVectors(words, vectors)
