"""The passages of an index on disk (SQLite), read one by one or a few at a time, never all at once."""

from __future__ import annotations

import json
import operator
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import groupby
from pathlib import Path
from typing import overload

from workshop_qa.index.passage import Passage
from workshop_qa.index.people import Link, Participant, find_delegations, find_participants

_COLUMNS = "doc, para, item, section, panel, meetings, text, span_start, span_end, context"
_BATCH = 900  # stays under SQLite's limit on bound parameters
_CACHED = 4096


WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]")
"""A word as spelling correction knows it: letters, inner apostrophes and hyphens."""


def write_passages(path: Path, passages: Iterable[Passage]) -> int:
    """Write ``passages`` in order into a new SQLite file at ``path``, with how often each word
    (lower-cased) occurs in them, and each document's people and speaking delegations (read by
    :mod:`workshop_qa.index.people`); returns how many passages."""
    words: Counter[str] = Counter()
    people: list[tuple] = []
    delegations: list[tuple[str, str, str]] = []

    def read(passages: Iterable[Passage]) -> Iterator[Passage]:
        """The passages, unchanged, reading each document's words and people on the way."""
        for doc, document in groupby(passages, key=lambda p: p.doc):
            document = list(document)
            for passage in document:
                words.update(word.lower() for word in WORD.findall(passage.text))
            people.extend((doc, p.name, p.role, p.affiliation, p.named_in, json.dumps(list(p.presented_in)),
                           json.dumps(list(p.talk_starts)), p.linked_by.value if p.linked_by else None)
                          for p in find_participants(document))
            delegations.extend((doc, name, passage) for name, listed in find_delegations(document).items()
                               for passage in listed)
            yield from document

    passages = read(passages)
    connection = sqlite3.connect(path)
    try:
        connection.execute(
            "CREATE TABLE passages (position INTEGER PRIMARY KEY, id TEXT NOT NULL, "
            "doc TEXT NOT NULL, para INTEGER NOT NULL, item TEXT, section TEXT NOT NULL, panel INTEGER, "
            "meetings TEXT NOT NULL, text TEXT NOT NULL, span_start INTEGER NOT NULL, "
            "span_end INTEGER NOT NULL, context TEXT NOT NULL)")
        rows = ((i, p.id, p.doc, p.para, p.item, p.section, p.panel, json.dumps(list(p.meetings)), p.text,
                 p.span[0], p.span[1], p.context) for i, p in enumerate(passages))
        connection.executemany(f"INSERT INTO passages VALUES (?, ?, {', '.join('?' * 10)})", rows)
        count = connection.execute("SELECT count(*) FROM passages").fetchone()[0]
        connection.execute("CREATE INDEX passage_id ON passages (id)")
        connection.execute("CREATE INDEX passage_doc ON passages (doc, position)")
        connection.execute("CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER NOT NULL)")
        connection.executemany("INSERT INTO words VALUES (?, ?)", words.items())
        connection.execute("CREATE TABLE people (doc TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL, "
                           "affiliation TEXT NOT NULL, named_in TEXT NOT NULL, presented_in TEXT NOT NULL, "
                           "talk_starts TEXT NOT NULL, linked_by TEXT)")
        connection.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)", people)
        connection.execute("CREATE TABLE delegations (doc TEXT NOT NULL, name TEXT NOT NULL, "
                           "passage TEXT NOT NULL)")
        connection.executemany("INSERT INTO delegations VALUES (?, ?, ?)", delegations)
        connection.execute("CREATE INDEX delegation_name ON delegations (name)")
        connection.commit()
    finally:
        connection.close()
    return count


class PassageTable(Sequence[Passage]):
    """Read-only passages of an index by position; a sequence, so small corpora read like a list.

    Rows are fetched on demand (a few thousand stay cached); each thread has its own connection.
    """

    def __init__(self, path: Path) -> None:
        self._uri = f"file:{Path(path).resolve().as_posix()}?mode=ro&immutable=1"
        self._local = threading.local()
        self._length = self._connection().execute("SELECT count(*) FROM passages").fetchone()[0]
        self._cached = lru_cache(maxsize=_CACHED)(self._fetch)

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, position: int) -> Passage: ...

    @overload
    def __getitem__(self, position: slice) -> list[Passage]: ...

    def __getitem__(self, position: int | slice) -> Passage | list[Passage]:
        if isinstance(position, slice):
            return self.many(range(*position.indices(self._length)))
        position = operator.index(position)  # numpy integers would be bound as blobs
        if position < 0:
            position += self._length
        if not 0 <= position < self._length:
            raise IndexError(position)
        return self._cached(position)

    def __iter__(self) -> Iterator[Passage]:
        cursor = self._connection().execute(f"SELECT {_COLUMNS} FROM passages ORDER BY position")
        return (_passage(row) for row in cursor)

    def many(self, positions: Iterable[int]) -> list[Passage]:
        """The passages at ``positions``, in that order."""
        positions = [int(p) for p in positions]
        found: dict[int, Passage] = {}
        for start in range(0, len(positions), _BATCH):
            batch = positions[start : start + _BATCH]
            marks = ", ".join("?" * len(batch))
            for row in self._connection().execute(
                    f"SELECT position, {_COLUMNS} FROM passages WHERE position IN ({marks})", batch):
                found[row[0]] = _passage(row[1:])
        return [found[p] for p in positions]

    def participants(self) -> list[Participant]:
        """The people the documents name, each (name, role) once, as first named, in report order."""
        rows = self._connection().execute(
            "SELECT name, role, affiliation, named_in, presented_in, talk_starts, linked_by, min(rowid) "
            "FROM people GROUP BY name, role ORDER BY min(rowid)")
        return [Participant(name, role, affiliation, named_in, tuple(json.loads(presented)),
                            tuple(json.loads(starts)), Link(link) if link else None)
                for name, role, affiliation, named_in, presented, starts, link, _ in rows]

    def delegations(self) -> list[str]:
        """The delegations and observers the documents list as having made statements."""
        return [name for (name,) in self._connection().execute(
            "SELECT DISTINCT name FROM delegations ORDER BY name")]

    def lists(self, delegation: str | None = None, limit: int = 8) -> tuple[str, ...]:
        """Ids of the first ``limit`` passages, in report order, that list ``delegation`` among
        those that made statements (any delegation when None)."""
        where, values = ("WHERE name = ?", (delegation,)) if delegation is not None else ("", ())
        rows = self._connection().execute(
            f"SELECT passage FROM delegations {where} GROUP BY passage ORDER BY min(rowid) LIMIT ?",
            (*values, limit))
        return tuple(passage for (passage,) in rows)

    def word_counts(self) -> dict[str, int]:
        """How often each word (lower-cased, see :data:`WORD`) occurs in the passages."""
        return dict(self._connection().execute("SELECT word, count FROM words"))

    def position(self, passage_id: str) -> int | None:
        """The position of the passage with this id, if any."""
        row = self._connection().execute(
            "SELECT position FROM passages WHERE id = ? ORDER BY position LIMIT 1", (passage_id,)).fetchone()
        return None if row is None else row[0]

    def of_document(self, symbol: str) -> list[Passage]:
        """Every passage of one document, in report order."""
        rows = self._connection().execute(
            f"SELECT {_COLUMNS} FROM passages WHERE doc = ? ORDER BY position", (symbol,))
        return [_passage(row) for row in rows]

    def cached(self) -> int:
        """How many passages are held in memory."""
        return self._cached.cache_info().currsize

    def _fetch(self, position: int) -> Passage:
        row = self._connection().execute(
            f"SELECT {_COLUMNS} FROM passages WHERE position = ?", (position,)).fetchone()
        return _passage(row)

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            self._local.connection = connection
        return connection


def _passage(row: tuple) -> Passage:
    doc, para, item, section, panel, meetings, text, start, end, context = row
    return Passage(doc, para, item, section, panel, tuple(json.loads(meetings)), text, (start, end), context)
