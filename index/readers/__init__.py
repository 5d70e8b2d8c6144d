"""Readers: one per file format, each turning a report file into the same :class:`DocumentText`.

The format is told by the file's content, never by its name.
"""

from __future__ import annotations

from importlib import import_module

from workshop_qa.index.readers.base import DocumentText, ReaderError
from workshop_qa.index.readers.limits import check_characters

__all__ = ["DocumentText", "ReaderError", "detect_format", "read_document"]

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
# Each reader is imported when a file needs it: pypdf and python-docx cost a cold start ~0.2 s.
_READERS = {"pdf": "pdf.read_pdf", "word": "word.read_word", "text": "text.read_text"}


def detect_format(data: bytes) -> str:
    """``"pdf"``, ``"word"`` (.docx) or ``"text"``, from the bytes of a file."""
    if _PDF_MAGIC in data[:1024]:
        return "pdf"
    if data.startswith(_ZIP_MAGIC) and b"word/document.xml" in data:
        return "word"
    return "text"


def read_document(data: bytes, source: str) -> DocumentText:
    """Read a report's bytes with the reader its content calls for; ``source`` names it in errors.

    A text longer than :data:`~workshop_qa.index.readers.limits.MAX_CHARACTERS` is refused before
    it is parsed."""
    module, function = _READERS[detect_format(data)].split(".")
    reader = getattr(import_module(f"workshop_qa.index.readers.{module}"), function)
    document = reader(data, source)
    check_characters(len(document.text), source)
    return document
