"""Word reports (.docx) with python-docx: one line per paragraph, the symbol from the page header."""

from __future__ import annotations

import io
import zipfile

from docx import Document as open_docx
from docx.opc.exceptions import PackageNotFoundError

from workshop_qa.index.readers.base import DocumentText, ReaderError
from workshop_qa.index.readers.limits import check_archive
from workshop_qa.index.readers.un_layout import SYMBOL, front_matter


def read_word(data: bytes, source: str) -> DocumentText:
    """Read a .docx report; paragraph numbers must be typed, as Word's automatic numbering is not text."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ReaderError(f"{source} is not a readable Word document ({error}).") from None
    check_archive(members, source)
    try:
        document = open_docx(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReaderError(f"{source} is not a readable Word document ({error}).") from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if text:
            lines += [text, ""]
    headers = [p.text.strip() for s in document.sections for h in (s.first_page_header, s.header)
               for p in h.paragraphs]
    symbol = next((text for text in headers if SYMBOL.fullmatch(text)), None)
    metadata = {"symbol": symbol} if symbol else {}
    return front_matter(lines, symbol, metadata)
