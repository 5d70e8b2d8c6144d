"""Every input from the CLI, the API and the page, checked once, with messages for people."""

from __future__ import annotations

from collections.abc import Sequence

from workshop_qa.index.passage import Passage
from workshop_qa.retriever.search import MAX_QUERY_CHARS, Filters

MAX_HISTORY_TURNS = 50
MAX_K = 50
FILTER_KEYS = ("section", "panel", "meeting", "document")


class InputError(ValueError):
    """An input a person gave that cannot be used; the message says what to give instead."""


def question(value: object) -> str:
    """The question as clean text; refuses non-text, unreadable characters and enormous input."""
    if not isinstance(value, str):
        raise InputError(f"The question must be text, not {_kind(value)}.")
    if any("\ud800" <= character <= "\udfff" for character in value):
        raise InputError("The question contains characters that are not valid text; type it again.")
    if len(value) > 2 * MAX_QUERY_CHARS:
        raise InputError(f"The question is {len(value):,} characters long; ask in at most "
                         f"{MAX_QUERY_CHARS:,}.")
    return value


def history(value: object) -> list[str]:
    """Earlier user questions, oldest first: a list of texts, of which the last few are kept."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InputError(f"The history must be a list of earlier questions, not {_kind(value)}.")
    turns = []
    for position, turn in enumerate(value, start=1):
        if not isinstance(turn, str):
            raise InputError(f"Turn {position} of the history must be text, not {_kind(turn)}.")
        turns.append(question(turn))
    return turns[-MAX_HISTORY_TURNS:]


def k(value: object, default: int = 5) -> int:
    """How many passages to return: a whole number from 1 to :data:`MAX_K`."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise InputError(f"k must be a whole number from 1 to {MAX_K}, not {value!r}.")
    if not 1 <= value <= MAX_K:
        raise InputError(f"k must be from 1 to {MAX_K}; {int(value)} was given.")
    return int(value)


def filters(value: object, passages: Sequence[Passage]) -> Filters:
    """Filters from a mapping of known keys to values the indexed documents really hold."""
    if value is None:
        return Filters()
    if not isinstance(value, dict):
        raise InputError(f"Filters must be an object such as {{\"panel\": 4}}, not {_kind(value)}.")
    unknown = sorted(str(key) for key in value if key not in FILTER_KEYS)
    if unknown:
        raise InputError(f"Unknown filter {', '.join(repr(u) for u in unknown)}: use "
                         f"{', '.join(FILTER_KEYS)}.")
    allowed = {
        "section": sorted({p.section for p in passages if p.section}),
        "panel": sorted({p.panel for p in passages if p.panel}),
        "meeting": sorted({m for p in passages for m in p.meetings}),
        "document": sorted({p.doc for p in passages}),
    }
    chosen: dict[str, object] = {}
    for key, raw in value.items():
        if raw is None or raw == "":
            continue
        number_key = key in ("panel", "meeting")
        given = _whole_number(raw) if number_key else raw if isinstance(raw, str) else None
        match = next((a for a in allowed[key] if given is not None and
                      (a == given if number_key else a.lower() == given.lower())), None)
        if match is None:
            choices = ", ".join(str(a) for a in allowed[key])
            raise InputError(f"There is no {key} {raw!r} in the report: choose one of {choices}.")
        chosen[key] = match
    result = Filters(**chosen)
    if chosen and not any(result.admits(p) for p in passages):
        together = " and ".join(f"{key} {value}" for key, value in chosen.items())
        raise InputError(f"No paragraph is in {together} at once: those filters exclude each "
                         "other, so choose one of them.")
    return result


def _whole_number(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    return None


def _kind(value: object) -> str:
    names = {type(None): "nothing", bool: "true/false", int: "a number", float: "a number",
             str: "a single text", dict: "an object", list: "a list"}
    return names.get(type(value), f"a {type(value).__name__}")
