"""References written with numbers in words find what the same reference in digits finds."""

from __future__ import annotations

import pytest

from tests.conftest import REPORT, SYMBOL
from workshop_qa.index.corpus import load_document
from workshop_qa.retriever.references import find_reference, numbers_as_digits, ordinal_value

PASSAGES = load_document(REPORT).passages


@pytest.mark.parametrize(("words", "digits"), [
    ("What was done at the sixth meeting?", "What was done at the 6th meeting?"),
    ("show me paragraph fourteen", "show me paragraph 14"),
    ("who chaired the fifth meeting", "who chaired the 5th meeting"),
    ("what did the fourth panel cover?", "what did the 4th panel cover?"),
])
def test_a_reference_in_words_finds_what_it_finds_in_digits(words, digits):
    in_words, in_digits = find_reference(words, PASSAGES), find_reference(digits, PASSAGES)
    assert in_words is not None and in_words == in_digits


def test_ordinary_words_that_are_also_numbers_stay_words():
    assert numbers_as_digits("one speaker said a second time") == "one speaker said a second time"
    assert [ordinal_value(w) for w in ("second", "Fourth", "4th", "12th")] == [2, 4, 4, 12]


def test_a_panel_in_digits_is_that_panel():
    reference = find_reference("the 3rd panel", PASSAGES)
    assert reference.only and {p.panel for p in reference.passages} == {3}
    assert f"{SYMBOL}#13" in {p.id for p in reference.passages}


@pytest.mark.parametrize(("query", "rest"), [
    ("What was agreed about port security?", "about port security?"),
    ("what did they conclude on training?", "what did they on training?"),
    ("What did the third panel discuss?", ""),  # the panel named is itself the subject
])
def test_what_a_query_asks_of_the_conclusions_is_what_is_left_of_it(query, rest):
    assert find_reference(query, PASSAGES).rest == rest
