"""Plain-text reports: UTF-8 text, already in the parser's layout."""

from __future__ import annotations

from workshop_qa.index.readers.base import DocumentText, ReaderError


def read_text(data: bytes, source: str) -> DocumentText:
    """Decode a plain-text report; its symbol and title come from a sidecar, not from the text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ReaderError(
            f"{source}: not UTF-8 text ({error.reason}); expected a plain-text, PDF or Word report."
        ) from None
    return DocumentText(text=text)
