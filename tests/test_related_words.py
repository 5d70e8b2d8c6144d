"""Query words the report never uses are searched for by its nearest words (real model and index)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workshop_qa.index.word_vectors import FUNCTION_WORDS
from workshop_qa.retriever.related_words import nearest_words, unknown_phrases, unknown_words
from workshop_qa.retriever.search import RetrievalConfig, Retriever


def _related(retriever: Retriever, query: str) -> list[str]:
    unknown = unknown_words(query, retriever._uses_word)
    return nearest_words(unknown, retriever.embed(unknown), retriever.index.words, 2)


def test_the_index_holds_the_report_words_embedded_as_queries_are(retriever: Retriever) -> None:
    words = retriever.index.words
    assert words is not None and len(words.words) == len(words.vectors) > 500
    assert "cybercrime" in words.words and not set(words.words) & FUNCTION_WORDS
    assert np.allclose(np.linalg.norm(words.vectors, axis=1), 1.0, atol=1e-4)
    row = words.words.index("antiquities")
    assert float(words.vectors[row] @ retriever.embed(["antiquities"])[0]) > 0.999


def test_a_word_the_report_never_uses_gains_report_words_near_it(retriever: Retriever) -> None:
    assert not retriever._uses_word("hacking")
    related = _related(retriever, "What was said about hacking?")
    assert related and set(related) <= set(retriever.index.words.words)
    assert "cybersecurity" in related
    assert all(retriever._uses_word(word) for word in related)


def test_words_the_report_uses_names_and_question_words_gain_nothing(retriever: Retriever) -> None:
    assert _related(retriever, "What did speakers say about cultural property?") == []
    assert _related(retriever, "Did anyone mention the Budapest convention?") == []  # a name
    assert _related(retriever, "Whom did you ask?") == []


def test_lexical_search_finds_the_report_words_for_an_unused_word(retriever: Retriever) -> None:
    config = replace(RetrievalConfig(), mode="lexical", sentence_weight=0.0, reranker="none",
                     references=False)
    with_related = Retriever(retriever.index, config)
    without = Retriever(retriever.index, replace(config, related_words=0))
    found = with_related.search("hacking").hits[0]
    assert found.score > 0 and "security" in found.passage.text.lower()
    unmatched = without.search("hacking").hits[0]  # BM25 alone matches nothing: ties broken by order
    assert unmatched.score < 0.01 < found.score


def test_two_unknown_words_side_by_side_are_looked_up_as_one_phrase(retriever: Retriever) -> None:
    query = "is art smuggling tied up with washing dirty cash?"
    phrases = unknown_phrases(query, unknown_words(query, retriever._uses_word))
    assert "dirty cash" in phrases and "art smuggling" not in phrases  # the report uses "art"
    assert "money-laundering" not in _related(retriever, query)  # no word of the idiom is near it
    assert "money-laundering" in nearest_words(phrases, retriever.embed(phrases), retriever.index.words, 2)
