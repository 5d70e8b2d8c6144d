"""What every reader returns: a report's text and what the document says about itself."""

from __future__ import annotations

from dataclasses import dataclass, field


class ReaderError(ValueError):
    """A file cannot be read as a report (unreadable text, a PDF without text, an unknown format)."""


@dataclass(frozen=True)
class DocumentText:
    """A report as read from one file: symbol and title if the file states them, metadata, body text.

    ``text`` is plain text in the layout :func:`workshop_qa.index.parse.parse_report` expects: one
    line per printed line, blank lines between blocks, page furniture removed.
    """

    text: str
    symbol: str | None = None
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
