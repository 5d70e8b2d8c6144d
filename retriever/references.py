"""Direct references to the report's structure: "para 12", "23(c)", "conclusion (b)", "5th meeting"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.passage import Passage

_PARAGRAPH = re.compile(
    r"(?:\bparagraphs?|\bparas?\.?|¶|§)\s*(\d{1,3})(?:\s*\(?\s*([a-z])\s*\))?", re.IGNORECASE
)
_BARE = re.compile(r"^\s*(?:show\s+(?:me\s+)?)?(\d{1,3})\s*(?:\(\s*([a-z])\s*\)|([a-z]))?\s*[.?!]?\s*$",
                   re.IGNORECASE)
_CONCLUSION_ITEM = re.compile(r"\bconclusions?\s*\(?\s*([a-d])\s*\)(?!\w)|\bconclusion\s+([a-d])\b",
                              re.IGNORECASE)
_ALL_CONCLUSIONS = re.compile(r"\b(?:the|all|agreed|list)\s+(?:of\s+the\s+)?conclusions\b", re.IGNORECASE)
_MEETING = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s+meeting\b", re.IGNORECASE)
_FILLER = re.compile(
    r"\b(?:show|me|give|read|display|open|the|text|of|what|does|did|say|says|said|is|in|at|"
    r"happened|please|all|agreed|list|go|to|and|whole|full|report|quote|cite)\b|[^\w]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reference:
    """Passages a query points at directly, and whether the query is nothing but that pointer."""

    passages: tuple[Passage, ...]
    only: bool


def find_reference(query: str, passages: list[Passage]) -> Reference | None:
    """The passages named by a direct reference in ``query``, in report order, or None."""
    wanted: list[Passage] = []
    for para, item in _paragraph_refs(query):
        wanted += [p for p in passages if p.para == para and (item is None or p.item == item)]
    conclusions = [p for p in passages if p.section.lower() == "conclusions" and p.item]
    for match in _CONCLUSION_ITEM.finditer(query):
        letter = (match.group(1) or match.group(2)).lower()
        wanted += [p for p in conclusions if p.item == letter]
    if _ALL_CONCLUSIONS.search(query) and not wanted:
        wanted += [p for p in passages if p.section.lower() == "conclusions"]
    only = not _FILLER.sub(" ", _strip_refs(query)).split()
    if only:
        # A meeting named inside a question ("who chaired the 4th meeting?") is left to search.
        for match in _MEETING.finditer(query):
            number = int(match.group(1))
            named = [p for p in passages if number in p.meetings]
            wanted += sorted(named, key=lambda p: len(p.meetings))
    unique = tuple(dict.fromkeys(wanted))
    return Reference(unique, only=only) if unique else None


def _paragraph_refs(query: str) -> list[tuple[int, str | None]]:
    refs = [(int(m.group(1)), m.group(2).lower() if m.group(2) else None)
            for m in _PARAGRAPH.finditer(query)]
    bare = _BARE.match(query)
    if not refs and bare:
        letter = bare.group(2) or bare.group(3)
        refs.append((int(bare.group(1)), letter.lower() if letter else None))
    return refs


def _strip_refs(query: str) -> str:
    for pattern in (_PARAGRAPH, _CONCLUSION_ITEM, _ALL_CONCLUSIONS, _MEETING, _BARE):
        query = pattern.sub(" ", query)
    return re.sub(r"\bconclusions?\b|\bmeetings?\b", " ", query, flags=re.IGNORECASE)
