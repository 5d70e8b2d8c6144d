"""Query words the corpus never uses, searched for by the corpus's words nearest in meaning.

A delegate asks about "antiquities" or "treaties"; the report says "cultural property" and
"conventions". BM25 finds nothing for the first words, so each is followed, for the lexical search
only, by the corpus's words whose embedding is nearest to its own (see
:mod:`workshop_qa.index.word_vectors`). The dense query is left as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np

from workshop_qa.index.texts import WORD
from workshop_qa.index.word_vectors import WordVectors, embeddable

MIN_SIMILARITY = 0.5
"""Cosine similarity a corpus word needs to stand in for a query word (tuned on the dev split)."""


def unknown_words(query: str, known: Callable[[str], bool]) -> list[str]:
    """The words of ``query`` that are not ``known`` to the corpus, lower-cased, without names
    ("Budapest" has no stand-in: the corpus's nearest words are other names, "Vienna") and
    question words."""
    typed = (m.group(0).lower().removesuffix("'s") for m in WORD.finditer(query)
             if m.start() == 0 or not m.group(0)[0].isupper())
    return list(dict.fromkeys(w for w in typed if embeddable(w) and not known(w)))


def unknown_phrases(query: str, unknown: Collection[str]) -> list[str]:
    """Each two adjacent words of ``query`` that are both ``unknown`` to the corpus (as
    :func:`unknown_words` gives them) ("dirty cash"): an idiom may stand for a corpus word
    ("money-laundering") that neither of its words is near."""
    words = list(WORD.finditer(query))
    pairs = [(a.group(0).lower(), b.group(0).lower()) for a, b in zip(words, words[1:], strict=False)
             if not query[a.end() : b.start()].strip()]  # nothing but a space between them
    return list(dict.fromkeys(f"{a} {b}" for a, b in pairs if a in unknown and b in unknown))


def nearest_words(unknown: list[str], vectors: np.ndarray, words: WordVectors, per_word: int) -> list[str]:
    """Up to ``per_word`` corpus words for each of the ``unknown`` words (embedded as ``vectors``),
    nearest first, without repeats."""
    if not unknown or not len(words.words) or per_word <= 0:
        return []
    related: list[str] = []
    for row in vectors @ words.vectors.T:
        nearest = np.argsort(-row)[:per_word]
        related += [words.words[i] for i in nearest if row[i] >= MIN_SIMILARITY]
    return list(dict.fromkeys(w for w in related if w not in unknown))
