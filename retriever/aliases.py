"""Query expansion with the names delegates use for the report's instruments and bodies."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

_TABLE = Path(__file__).parent / "aliases.json"


@cache
def _groups(path: Path = _TABLE) -> tuple[tuple[tuple[str, re.Pattern], ...], ...]:
    groups = json.loads(path.read_text(encoding="utf-8"))["groups"]
    return tuple(
        tuple((name, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)) for name in group)
        for group in groups
    )


def expand(query: str) -> str:
    """The query followed by the other names of every instrument or body it names."""
    additions: list[str] = []
    for group in _groups():
        if any(pattern.search(query) for _, pattern in group):
            additions.extend(
                name for name, pattern in group
                if not pattern.search(query) and name not in additions
            )
    return f"{query} ({'; '.join(additions)})" if additions else query
