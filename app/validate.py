"""Every input from the CLI, the API and the page, checked once, with messages for people."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from workshop_qa.index.passage import Passage
from workshop_qa.retriever.references import resolve_document
from workshop_qa.retriever.search import MAX_QUERY_CHARS, Filters

MAX_HISTORY_TURNS = 50
MAX_K = 50
MAX_THREADS = 64
MAX_SECONDS = 3600.0
FILTER_KEYS = ("section", "panel", "meeting", "document")
_WHOLE = re.compile(r"[+-]?\d{1,18}")  # int() refuses digit runs of thousands


class InputError(ValueError):
    """An input a person gave that cannot be used; the message says what to give instead."""


def question(value: object) -> str:
    """The question as clean text; refuses non-text, unreadable characters and enormous input."""
    return _text(value, "The question")


def history(value: object) -> list[str]:
    """Earlier user questions (or the ids of the answers given to them), oldest first: a list of
    texts, of which the last few are kept."""
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InputError(f"The history must be a list of earlier questions, not {_kind(value)}.")
    return [_text(turn, f"Turn {position} of the history")
            for position, turn in enumerate(value, start=1)][-MAX_HISTORY_TURNS:]


def k(value: object, default: int = 5) -> int:
    """How many passages to return: a whole number from 1 to :data:`MAX_K`."""
    return default if value is None else whole_number(value, "k", 1, MAX_K)


def whole_number(value: object, name: str, low: int, high: int) -> int:
    """``value`` (a number, or its digits as text) as an int from ``low`` to ``high``."""
    number = _whole_number(value)
    if number is None and isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None:
        raise InputError(f"{name} must be a whole number from {low} to {high}, not {_shown(value)}.")
    if not low <= number <= high:
        raise InputError(f"{name} must be from {low} to {high}; {number} was given.")
    return number


def port(value: object) -> int:
    """A TCP port to listen on."""
    return whole_number(value, "The port", 1, 65535)


def threads(value: object) -> int:
    """How many threads the query encoder may use."""
    return whole_number(value, "The number of threads", 1, MAX_THREADS)


def seconds(value: object, name: str) -> float:
    """A duration in seconds, above 0 and at most an hour."""
    try:
        number = float(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not 0 < number <= MAX_SECONDS:
        raise InputError(f"{name} must be a number of seconds above 0 and at most "
                         f"{MAX_SECONDS:g}, such as 30, not {_shown(value)}.")
    return number


def llm_url(value: object, name: str = "--llm-url") -> str:
    """The address of an OpenAI-compatible endpoint: http or https, with a host."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        parts = urlsplit(text)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and (
            parts.port is None or parts.port > 0)
    except ValueError:
        valid = False
    if not valid:
        raise InputError(f"{name} must be an http:// or https:// address such as "
                         f"http://127.0.0.1:11434/v1, not {_shown(value)}.")
    return text


def proxies(value: object, name: str = "--trusted-proxies") -> tuple[str, ...]:
    """Comma-separated proxy addresses or networks ("10.0.0.5,192.168.1.0/24")."""
    entries = [e.strip() for e in value.split(",")] if isinstance(value, str) else []
    try:
        return tuple(str(ipaddress.ip_network(e, strict=False)) for e in entries if e)
    except ValueError:
        raise InputError(f"{name} must list proxy addresses or networks separated by commas, such "
                         f"as 127.0.0.1 or 10.0.0.0/8, not {_shown(value)}.") from None


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
        if match is None and key == "document" and given is not None:
            match = resolve_document(given, allowed[key])  # a unique short form, such as "Add.9"
        if match is None:
            choices = ", ".join(str(a) for a in allowed[key])
            where = "in the index" if key == "document" else "in the report"
            raise InputError(f"There is no {key} {raw!r} {where}: choose one of {choices}.")
        chosen[key] = match
    result = Filters(**chosen)
    if chosen and not any(result.admits(p) for p in passages):
        together = " and ".join(f"{key} {value}" for key, value in chosen.items())
        raise InputError(f"No paragraph is in {together} at once: those filters exclude each "
                         "other, so choose one of them.")
    return result


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{what} must be text, not {_kind(value)}.")
    # Lone surrogates: "\ud800" sent as JSON, or bytes that are not UTF-8 in a command line.
    if any("\ud800" <= character <= "\udfff" for character in value):
        raise InputError(f"{what} contains characters that are not valid text; type it again.")
    if len(value) > 2 * MAX_QUERY_CHARS:
        raise InputError(f"{what} is {len(value):,} characters long; ask in at most "
                         f"{MAX_QUERY_CHARS:,}.")
    return value


def _whole_number(raw: object) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and _WHOLE.fullmatch(raw.strip()):
        return int(raw.strip())
    return None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(value: object) -> str:
    names = {type(None): "nothing", bool: "true/false", int: "a number", float: "a number",
             str: "a single text", dict: "an object", list: "a list"}
    return names.get(type(value), f"a {type(value).__name__}")
