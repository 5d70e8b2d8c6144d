"""Query words the corpus never uses, searched for by the corpus's words nearest in meaning.

A delegate asks about "antiquities" or "treaties"; the report says "cultural property" and
"conventions". BM25 finds nothing for the first words, so each is followed, for the lexical search
only, by the corpus's words whose embedding is nearest to its own (see
:mod:`workshop_qa.index.word_vectors`). The dense query is left as typed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from workshop_qa.index.texts import WORD
from workshop_qa.index.word_vectors import WordVectors, embeddable

MIN_SIMILARITY = 0.5
"""Cosine similarity a corpus word needs to stand in for a query word (tuned on the dev split)."""


def related_words(query: str, words: WordVectors, known: Callable[[str], bool],
                  embed: Callable[[list[str]], np.ndarray], per_word: int) -> list[str]:
    """Up to ``per_word`` corpus words for each word of ``query`` that is not ``known`` to the corpus
    and not a name, nearest first, without repeats."""
    # A name ("Budapest") has no stand-in: the corpus's nearest words are other names ("Vienna").
    typed = (m.group(0).lower().removesuffix("'s") for m in WORD.finditer(query)
             if m.start() == 0 or not m.group(0)[0].isupper())
    unknown = list(dict.fromkeys(w for w in typed if embeddable(w) and not known(w)))
    if not unknown or not len(words.words) or per_word <= 0:
        return []
    similarities = embed(unknown) @ words.vectors.T
    related: list[str] = []
    for row in similarities:
        nearest = np.argsort(-row)[:per_word]
        related += [words.words[i] for i in nearest if row[i] >= MIN_SIMILARITY]
    return list(dict.fromkeys(w for w in related if w not in unknown))
