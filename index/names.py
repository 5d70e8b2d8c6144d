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
