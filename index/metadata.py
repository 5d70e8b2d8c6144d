"""Per-passage metadata and sentence spans as numpy arrays on disk, memory-mapped when read.

What a search needs about every passage (document, section, panel, meetings, paragraph number) and
every sentence (its passage and character span) is computed at build time, so that opening an index
of a million passages parses nothing and a filter is a vectorised mask, not a loop over passages.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

import numpy as np

from workshop_qa.index.passage import Passage

NO_PANEL = -1
_MAPPED_BYTES = 1 << 20
_ARRAYS = ("document", "section", "panel", "para", "meeting_passage", "meeting_number",
           "sentences", "sentence_offsets")


@dataclass(frozen=True)
class SentenceRef:
    """A sentence of a passage: the passage's position in the index and the character span."""

    passage: int
    start: int
    end: int


class SentenceTable(Sequence[SentenceRef]):
    """The sentences of an index, ordered by passage: an ``(m, 3)`` array of passage, start, end."""

    def __init__(self, spans: np.ndarray, offsets: np.ndarray) -> None:
        self.spans = spans
        self.offsets = offsets

    def __len__(self) -> int:
        return len(self.spans)

    @overload
    def __getitem__(self, position: int) -> SentenceRef: ...

    @overload
    def __getitem__(self, position: slice) -> list[SentenceRef]: ...

    def __getitem__(self, position: int | slice) -> SentenceRef | list[SentenceRef]:
        if isinstance(position, slice):
            return [SentenceRef(*map(int, row)) for row in self.spans[position]]
        return SentenceRef(*map(int, self.spans[position]))

    def __iter__(self) -> Iterator[SentenceRef]:
        return (SentenceRef(*map(int, row)) for row in self.spans)

    @property
    def owners(self) -> np.ndarray:
        """The passage position of every sentence."""
        return self.spans[:, 0]

    def of_passage(self, passage: int) -> range:
        """Positions of the sentences of one passage."""
        return range(int(self.offsets[passage]), int(self.offsets[passage + 1]))


@dataclass(frozen=True)
class PassageMetadata:
    """Columns over all passages; text columns are codes into ``sections`` and ``documents``."""

    sections: tuple[str, ...]
    documents: tuple[str, ...]
    document: np.ndarray
    section: np.ndarray
    panel: np.ndarray
    para: np.ndarray
    meeting_passage: np.ndarray
    meeting_number: np.ndarray

    def mask(self, section: str | None = None, panel: int | None = None, meeting: int | None = None,
             document: str | None = None) -> np.ndarray:
        """Which passages pass every filter that is set (section case-insensitively)."""
        allowed = np.ones(len(self.para), dtype=bool)
        if section is not None:
            allowed &= any_equal(self.section, {i for i, name in enumerate(self.sections)
                                                 if name.lower() == section.lower()})
        if panel is not None:
            allowed &= self.panel == panel
        if meeting is not None:
            allowed &= self.in_meetings({meeting})
        if document is not None:
            allowed &= any_equal(self.document, {i for i, s in enumerate(self.documents) if s == document})
        return allowed

    def in_meetings(self, numbers: set[int]) -> np.ndarray:
        """Which passages belong to any of the meetings ``numbers``."""
        found = np.zeros(len(self.para), dtype=bool)
        found[self.meeting_passage[any_equal(self.meeting_number, numbers)]] = True
        return found


def any_equal(values: np.ndarray, wanted: set[int]) -> np.ndarray:
    """Which of ``values`` equal one of ``wanted`` (a few values), one vectorised pass each."""
    found = np.zeros(len(values), dtype=bool)
    for value in wanted:
        found |= values == value
    return found


def write_metadata(directory: Path, passages: Sequence[Passage], sentences: np.ndarray) -> dict:
    """Write the arrays of ``passages`` and their sentence spans; returns the code tables for the
    manifest (``sections`` and ``symbols``, in order of first appearance)."""
    directory.mkdir(parents=True, exist_ok=True)
    sections = list(dict.fromkeys(p.section for p in passages))
    documents = list(dict.fromkeys(p.doc for p in passages))
    section_code = {s: i for i, s in enumerate(sections)}
    document_code = {d: i for i, d in enumerate(documents)}
    meetings = [(i, m) for i, p in enumerate(passages) for m in p.meetings]
    counts = np.bincount(sentences[:, 0], minlength=len(passages)) if len(sentences) else np.zeros(
        len(passages), dtype=np.int64)
    arrays = {
        "document": np.fromiter((document_code[p.doc] for p in passages), np.int32, len(passages)),
        "section": np.fromiter((section_code[p.section] for p in passages), np.int32, len(passages)),
        "panel": np.fromiter((NO_PANEL if p.panel is None else p.panel for p in passages), np.int32,
                             len(passages)),
        "para": np.fromiter((p.para for p in passages), np.int32, len(passages)),
        "meeting_passage": np.array([i for i, _ in meetings], dtype=np.int32),
        "meeting_number": np.array([m for _, m in meetings], dtype=np.int32),
        "sentences": np.ascontiguousarray(sentences, dtype=np.int32).reshape(-1, 3),
        "sentence_offsets": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
    }
    for name, array in arrays.items():
        np.save(directory / f"{name}.npy", array)
    return {"sections": sections, "symbols": documents}


def read_metadata(directory: Path, codes: dict) -> tuple[PassageMetadata, SentenceTable]:
    """The arrays written by :func:`write_metadata`, memory-mapped."""
    arrays = {name: load_array(directory / f"{name}.npy") for name in _ARRAYS}
    sentences = SentenceTable(arrays.pop("sentences"), arrays.pop("sentence_offsets"))
    metadata = PassageMetadata(tuple(codes["sections"]), tuple(codes["symbols"]), **arrays)
    return metadata, sentences


def load_array(path: Path) -> np.ndarray:
    """An array read whole when small, memory-mapped when large (an empty file cannot be mapped)."""
    return np.load(path, mmap_mode="r" if path.stat().st_size > _MAPPED_BYTES else None, allow_pickle=False)
