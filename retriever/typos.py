"""Typo tolerance: words a delegate mistypes ("worshop", "terorism") corrected to the report's words.

A word the report does not use, but whose British or American spelling it does ("organised" for
the report's "organized", "program" for its "programme"), becomes that spelling (breame's tables).
Otherwise a word is left alone when the report or an English dictionary knows it, and becomes the
closest word of the report's vocabulary within a small edit distance (symspellpy), if any.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path

from breame.spelling import get_american_spelling, get_british_spelling
from symspellpy import SymSpell, Verbosity

from workshop_qa.index.texts import WORD

_MIN_LENGTH = 4
# The words questions are built on: a typo as close to one as to a word of the report is most
# likely that one ("wich" is "which" in a question, not "with").
_QUESTION_WORDS = ("which", "what", "where", "when", "whose", "whom", "does", "were")


class TypoCorrector:
    """Corrects the words of a query against a corpus vocabulary."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        """``counts``: how often each lower-cased word occurs in the corpus."""
        self._counts = counts
        self._known = set(counts)

    @cached_property
    def _speller(self) -> SymSpell:
        """The corpus's words for lookups, made on the first unknown word (a question without
        one, the common case, does not pay for it)."""
        speller = SymSpell(max_dictionary_edit_distance=2)
        for word, count in self._counts.items():
            if len(word) >= _MIN_LENGTH:
                speller.create_dictionary_entry(word, count)
        most = max(self._counts.values(), default=1)
        for word in _QUESTION_WORDS:
            speller.create_dictionary_entry(word, most)
        return speller

    def correct(self, query: str) -> str:
        """``query`` with each unknown word replaced by its closest corpus word, if close enough."""
        return WORD.sub(lambda match: self._word(match.group(0)), query)

    def _word(self, word: str) -> str:
        stem, possessive = (word[:-2], word[-2:]) if word.lower().endswith("'s") else (word, "")
        lowered = stem.lower()
        if len(stem) < _MIN_LENGTH or lowered in self._known:
            return word
        spelling = next((s for s in (get_american_spelling(lowered), get_british_spelling(lowered))
                         if s in self._known), None)
        if spelling is not None:
            best = spelling
        elif lowered in _english():
            return word
        else:
            distance = 1 if len(stem) <= 5 else 2
            suggestions = self._speller.lookup(lowered, Verbosity.CLOSEST, max_edit_distance=distance)
            if not suggestions:
                return word
            best = suggestions[0].term
        best = best.upper() if stem.isupper() else best.capitalize() if stem[0].isupper() else best
        return best + possessive


@cache
def _english() -> frozenset[str]:
    """The English words of symspellpy's frequency dictionary."""
    import symspellpy

    path = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    with path.open(encoding="utf-8") as handle:
        return frozenset(line.split(" ", 1)[0] for line in handle)
