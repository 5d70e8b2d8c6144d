"""Choosing the sentences of a passage that answer: what sets a sentence apart from its neighbours
counts more than the words they all repeat (no model needed)."""

from __future__ import annotations

import numpy as np

from workshop_qa.retriever.evidence import select_evidence, word_share

_SENTENCES = ["Ferries carry most of the island's freight in winter.",
              "Ferries were delayed by storms, and freight piled up at the pier.",
              "Ferries now carry refrigerated freight on the night crossing."]


def _spans(sentences: list[str]) -> tuple[str, list[tuple[int, int]]]:
    text, spans = "", []
    for sentence in sentences:
        start = len(text) + (1 if text else 0)
        text = f"{text} {sentence}" if text else sentence
        spans.append((start, len(text)))
    return text, spans


def test_a_word_only_one_sentence_holds_weighs_more_than_words_every_sentence_holds():
    words = [{"ferri", "freight", "winter"}, {"ferri", "freight", "storm"}, {"ferri", "freight", "night"}]
    share = word_share({"ferri", "freight", "storm"}, words)
    assert share[1] > share[0] == share[2]
    assert word_share(set(), words).tolist() == [0.0, 0.0, 0.0]


def test_the_sentence_holding_the_distinct_word_is_chosen_over_one_nearer_in_meaning():
    text, spans = _spans(_SENTENCES)
    dense = np.array([0.55, 0.50, 0.52], dtype=np.float32)  # the first is nearest in meaning
    words = [{"ferri", "freight", "winter"}, {"ferri", "freight", "storm"}, {"ferri", "freight", "night"}]
    plain = np.array([2 / 3, 2 / 3, 2 / 3], dtype=np.float32)  # each holds two of the three words
    query = {"ferri", "freight", "storm"}
    assert select_evidence(text, spans, dense, plain, limit=1)[0].text == _SENTENCES[0]
    chosen = select_evidence(text, spans, dense, plain, limit=1, distinct=word_share(query, words))
    assert chosen[0].text == _SENTENCES[1]
    # the score, compared across passages, still counts the plain share of words
    assert np.isclose(chosen[0].score, 0.50 + 0.5 * 2 / 3)
