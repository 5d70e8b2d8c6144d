"""Direct references to the report's structure: "para 12", "23(c)", "conclusion (b)", "5th meeting"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workshop_qa.index.parse import ORDINALS
from workshop_qa.index.passage import Passage

_PARAGRAPH = re.compile(
    r"(?:\bparagraphs?|\bparas?\.?|¶|§)\s*(\d{1,3})(?:\s*\(?\s*([a-z])\s*\))?", re.IGNORECASE
)
_BARE = re.compile(r"^\s*(?:show\s+(?:me\s+)?)?(\d{1,3})\s*(?:\(\s*([a-z])\s*\)|([a-z]))?\s*[.?!]?\s*$",
                   re.IGNORECASE)
_CONCLUSION_ITEM = re.compile(r"\bconclusions?\s*\(?\s*([a-d])\s*\)(?!\w)|\bconclusion\s+([a-d])\b",
                              re.IGNORECASE)
_ALL_CONCLUSIONS = re.compile(r"\b(?:the|all|agreed|list)\s+(?:of\s+the\s+)?conclusions\b", re.IGNORECASE)
_MEETING = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s+meeting\b", re.IGNORECASE)
_PANEL = re.compile(r"\b(" + "|".join(ORDINALS) + r")\s+panel\b", re.IGNORECASE)
_FILLER = re.compile(
    r"\b(?:show|me|give|read|display|open|the|text|of|what|does|did|say|says|said|is|in|at|"
    r"happened|please|all|agreed|list|go|to|and|whole|full|report|quote|cite|was|were|during|"
    r"discussed|about|tell|summarize|summary|on|by|s|whats)\b|[^\w]",
    re.IGNORECASE,
)


_LEADING_WORDS = re.compile(r"^\s*(?:(?:and|now|then|also|ok|okay|next|so)\b[\s,]*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """What a query points at in the report's structure.

    ``passages`` are named outright ("para 12", "conclusion (b)") and come first; ``scope`` holds
    the passages of a part the query names ("the conclusions", "the 4th meeting", "the third
    panel"), ranked by search ahead of the rest. ``only`` says the query is nothing but a pointer,
    in which case the scope is shown in report order, as a lookup.
    """

    passages: tuple[Passage, ...]
    scope: tuple[Passage, ...]
    only: bool


def find_reference(query: str, passages: list[Passage]) -> Reference | None:
    """The passages and parts of the report that ``query`` names directly, or None."""
    named: list[Passage] = []
    query = _LEADING_WORDS.sub("", query)
    for para, item in _paragraph_refs(query):
        matching = [p for p in passages if p.para == para]
        # An item the parser kept inside its paragraph ("1 (b)") is found in that paragraph.
        named += [p for p in matching if item is None or p.item == item] or matching[:1]
    conclusions = [p for p in passages if p.section.lower() == "conclusions"]
    for match in _CONCLUSION_ITEM.finditer(query):
        letter = (match.group(1) or match.group(2)).lower()
        named += [p for p in conclusions if p.item == letter]
    scope: list[Passage] = []
    if _ALL_CONCLUSIONS.search(query) and not named:
        scope += conclusions
    for match in _MEETING.finditer(query):
        number = int(match.group(1))
        scope += sorted((p for p in passages if number in p.meetings), key=lambda p: len(p.meetings))
    for match in _PANEL.finditer(query):
        number = ORDINALS.index(match.group(1).lower()) + 1
        scope += [p for p in passages if p.panel == number]
    if not named and not scope:
        return None
    only = not _FILLER.sub(" ", _strip_refs(query)).split()
    if only:
        return Reference(tuple(dict.fromkeys(named + scope)), (), True)
    # Inside a question, a list's lead-in ("The conclusions ... are as follows:") answers nothing.
    listed = {p.para for p in scope if p.item}
    scope = [p for p in scope if p.item or p.para not in listed]
    return Reference(tuple(dict.fromkeys(named)), tuple(dict.fromkeys(scope)), False)


def _paragraph_refs(query: str) -> list[tuple[int, str | None]]:
    refs = [(int(m.group(1)), m.group(2).lower() if m.group(2) else None)
            for m in _PARAGRAPH.finditer(query)]
    bare = _BARE.match(query)
    if not refs and bare:
        letter = bare.group(2) or bare.group(3)
        refs.append((int(bare.group(1)), letter.lower() if letter else None))
    return refs


def _strip_refs(query: str) -> str:
    for pattern in (_PARAGRAPH, _CONCLUSION_ITEM, _ALL_CONCLUSIONS, _MEETING, _PANEL, _BARE):
        query = pattern.sub(" ", query)
    return re.sub(r"\bconclusions?\b|\bmeetings?\b|\bpanels?\b", " ", query, flags=re.IGNORECASE)
