"""PDF reports: pypdf reads the text layer with positions; the UN layout rules do the rest."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from workshop_qa.index.readers.base import DocumentText, ReaderError
from workshop_qa.index.readers.limits import check_pages
from workshop_qa.index.readers.un_layout import Page, PrintedLine, read_un_layout


def read_pdf(data: bytes, source: str) -> DocumentText:
    """Read a PDF report; a PDF without a text layer (a scan) gets a clear :class:`ReaderError`."""
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if not encrypted:
            check_pages(len(reader.pages), source)
        pages = [] if encrypted else [_page(page) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ReaderError(f"{source} is not a readable PDF ({error}); is the file complete?") from None
    if encrypted:
        raise ReaderError(f"{source} is an encrypted PDF; save an unprotected copy and index that.")
    if not any(page.fragments for page in pages):
        raise ReaderError(
            f"{source} has no text layer (a scanned PDF?); run it through OCR first, or give the "
            "report as text or Word."
        )
    return read_un_layout(pages)


def _page(page) -> Page:
    """A page's text fragments with their positions on the page."""
    fragments: list[PrintedLine] = []

    def visit(text: str, cm: list, tm: list, _font: dict, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        height = size * (abs(tm[3] * cm[3]) or 1.0)
        for offset, part in enumerate(text.split("\n")):
            if part.strip():
                fragments.append(PrintedLine(x, y - offset * height, height, part))

    page.extract_text(visitor_text=visit)
    box = page.mediabox
    return Page(float(box.width), float(box.height), tuple(fragments))
