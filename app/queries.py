"""A BEIR queries file (``queries.jsonl``): one JSON object a line, with ``_id`` and ``text``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from workshop_qa.app import validate

_EXAMPLE = '{"_id": "q1", "text": "Who spoke for customs?"}'


@dataclass(frozen=True)
class Query:
    """One question of a queries file, with the earlier user turns it follows, if any."""

    id: str
    text: str
    history: tuple[str, ...] = ()
    metadata: Mapping[str, object] = field(default_factory=dict, hash=False)


def read_queries(path: Path) -> list[Query]:
    """Every query of ``path``, in file order; anything unusable raises :class:`validate.InputError`."""
    lines = _read_text(Path(path)).splitlines()
    queries: list[Query] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"Line {number} of {path}"
        row = _object(line, where)
        query = _query(row, where)
        if query.id in first_line:
            raise validate.InputError(f"{where} repeats the _id {query.id!r} of line "
                                      f"{first_line[query.id]}: give each query its own.")
        first_line[query.id] = number
        queries.append(query)
    if not queries:
        raise validate.InputError(f"{path} holds no queries: write one JSON object a line, such as "
                                  f"{_EXAMPLE}.")
    return queries


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise validate.InputError(f"There is no queries file {path}.") from None
    except IsADirectoryError:
        raise validate.InputError(f"{path} is a folder, not a queries file: give the path of a "
                                  ".jsonl file.") from None
    except OSError as error:
        raise validate.InputError(f"Cannot read the queries file {path}: {error.strerror}.") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise validate.InputError(f"Line {line} of {path} is not UTF-8 text: save the file as "
                                  "UTF-8.") from None


def _object(line: str, where: str) -> dict:
    try:
        row = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        row = None
    if not isinstance(row, dict):
        raise validate.InputError(f"{where} is not a JSON object: write one a line, such as "
                                  f"{_EXAMPLE}.")
    return row


def _query(row: dict, where: str) -> Query:
    for key in ("_id", "text"):
        if key not in row:
            raise validate.InputError(f"{where} has no \"{key}\": write one JSON object a line, "
                                      f"such as {_EXAMPLE}.")
    identifier = row["_id"]
    if isinstance(identifier, bool) or not isinstance(identifier, str | int) or not str(identifier).strip():
        raise validate.InputError(f"{where}: the _id must be a name such as \"q1\", not "
                                  f"{json.dumps(identifier)}.")
    metadata = row.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise validate.InputError(f"{where}: \"metadata\" must be an object, such as "
                                  "{\"split\": \"dev\"}.")
    try:
        text = validate.question(row["text"])
        history = validate.history(row.get("history"))
    except validate.InputError as error:
        message = str(error)
        raise validate.InputError(f"{where}: {message[0].lower()}{message[1:]}") from None
    if not text.strip():
        raise validate.InputError(f"{where} has an empty \"text\": write the question there.")
    return Query(str(identifier), text, tuple(history), metadata)
