"""Readers: one per file format, each turning a report file into the same :class:`DocumentText`.

The format is told by the file's content, never by its name.
"""

from __future__ import annotations

from workshop_qa.index.readers.base import DocumentText, ReaderError
from workshop_qa.index.readers.pdf import read_pdf
from workshop_qa.index.readers.text import read_text

__all__ = ["DocumentText", "ReaderError", "detect_format", "read_document"]

_PDF_MAGIC = b"%PDF-"


def detect_format(data: bytes) -> str:
    """``"pdf"`` or ``"text"``, from the first bytes of a file."""
    return "pdf" if _PDF_MAGIC in data[:1024] else "text"


def read_document(data: bytes, source: str) -> DocumentText:
    """Read a report's bytes with the reader its content calls for; ``source`` names it in errors."""
    return read_pdf(data, source) if detect_format(data) == "pdf" else read_text(data, source)
