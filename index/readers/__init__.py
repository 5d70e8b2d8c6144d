"""Readers: one per file format, each turning a report file into the same :class:`DocumentText`.

The format is told by the file's content, never by its name.
"""

from __future__ import annotations

from workshop_qa.index.readers.base import DocumentText, ReaderError
from workshop_qa.index.readers.text import read_text

__all__ = ["DocumentText", "ReaderError", "read_document"]


def read_document(data: bytes, source: str) -> DocumentText:
    """Read a report's bytes with the reader its content calls for; ``source`` names it in errors."""
    return read_text(data, source)
