"""The names the reports' instruments and bodies go by, as delegates say them (``names.json``):
"UNTOC" and "the Palermo Convention" are the Organized Crime Convention."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).parent / "names.json"


@cache
def name_groups(path: Path = _TABLE) -> tuple[tuple[tuple[str, re.Pattern], ...], ...]:
    """Each group of names of one thing, every name with its whole-word, any-case pattern."""
    groups = json.loads(path.read_text(encoding="utf-8"))["groups"]
    return tuple(
        tuple((name, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)) for name in group)
        for group in groups
    )


_ISSUED = re.compile(r"\s+(?:resolutions?|conventions?|decisions?)\b", re.IGNORECASE)
"""What follows a body's name when the text names something of the body's ("Security Council
resolutions 1483 (2003) and 2199 (2015)"), not the body."""


@cache
def _bodies(path: Path = _TABLE) -> frozenset[str]:
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["bodies"])


def bodies_named(text: str) -> frozenset[str]:
    """The bodies of the table that ``text`` names as proper names ("INTERPOL", "the World Customs
    Organization"; not "customs"), each by its group's first name; a name inside a longer one
    ("Council of Europe" in "Council of Europe Convention on Cybercrime") is that longer one's."""
    found = sorted(((match.start(), match.end(), group[0][0]) for group in name_groups()
                    for _, pattern in group for match in pattern.finditer(text)
                    if match.group(0)[0].isupper() and not _ISSUED.match(text, match.end())),
                   key=lambda m: (m[0] - m[1], m[0]))
    taken: list[tuple[int, int]] = []
    named = set()
    for start, end, first in found:  # longest first
        if all(end <= s or start >= e for s, e in taken):
            taken.append((start, end))
            named.add(first)
    return frozenset(named & _bodies())


def names_known_thing(text: str) -> bool:
    """Whether ``text`` names an instrument or body of the table, in any case ("interpol")."""
    return any(pattern.search(text) for group in name_groups() for _, pattern in group)


def names_starting(text: str) -> list[str]:
    """Every name of the things whose name ``text`` starts with: "International Scientific and
    Professional Advisory Council of the United Nations ..." gives "ISPAC" as well (and not
    "cybercrime" for "International Cybercrime Research Centre")."""
    return [other for group in name_groups() if any(pattern.match(text) for _, pattern in group)
            for other, _ in group]


def other_names(name: str, text: str = "") -> list[str]:
    """Every name of the thing ``name`` names, itself included; with ``text`` (where the name was
    read), also when ``name`` is a word of a name that ``text`` holds ("Budapest" in "was the
    Budapest convention brought up?")."""
    for group in name_groups():
        if any(pattern.fullmatch(name) or (text and name in other and pattern.search(text))
               for other, pattern in group):
            return [other for other, _ in group]
    return [name]
