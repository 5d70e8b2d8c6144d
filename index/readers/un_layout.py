"""The layout of a printed UN document, turned back into the parser's plain text.

Page 1 carries a masthead: "United Nations", the symbol (top right), the distribution block
(``Distr.: Limited``, the date, ``Original: English``), then the body that issued it; every page
carries a running head (the symbol), a page number and the job number (``GE.15-07631 (E)``).
These become metadata or are dropped; what is left is the report's text, one printed line per
line, with blank lines where the page leaves vertical space, and pages joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from workshop_qa.index.readers.base import DocumentText
from workshop_qa.index.readers.hyphens import join_hyphenated

SYMBOL = re.compile(r"[A-Z]{1,6}(?:/[A-Za-z0-9.\-]+)+(?: \(\d{4}\))?")
_JOB_NUMBER = re.compile(r"(?:[A-Z]{1,2}\.)?\d{2}-\d{5}(?:\s*\([A-Z]\))?")
_PAGE_NUMBER = re.compile(r"\d{1,4}(?:\s*/\s*\d{1,4})?")
_BARCODE = re.compile(r"\*\d{6,9}\*")
_DATE = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}")
_FIELDS = {"distribution": re.compile(r"Distr\.?:\s*(.+)"), "original": re.compile(r"Original:\s*(.+)")}
_MASTHEAD = re.compile(
    r"United Nations|General Assembly|Security Council|Economic and Social Council|Please recycle"
)
_FIRST_PARAGRAPH = re.compile(r"\s*1\.\s")
_AGENDA = re.compile(r"\s*(?:Provisional agenda item|Agenda item|Item)\s+\d", re.IGNORECASE)
_PARAGRAPH_END = (".", ";", ":")
_BLANK_GAP = 1.3  # a vertical step this many times the usual line pitch leaves a blank line
_SAME_LINE = 2.0  # points: fragments this close vertically are one printed line


@dataclass(frozen=True)
class PrintedLine:
    """Text printed at one position of a page; ``y`` grows upwards, as in PDF."""

    x: float
    y: float
    size: float
    text: str


@dataclass(frozen=True)
class Page:
    """A page's size and its text fragments, in any order."""

    width: float
    height: float
    fragments: tuple[PrintedLine, ...]


def read_un_layout(pages: list[Page]) -> DocumentText:
    """Rebuild a UN document's text and metadata from its pages' positioned text."""
    metadata, first_page = _masthead(pages[0])
    page_lines = [_merge(first_page)] + [_merge(page.fragments) for page in pages[1:]]
    symbol = metadata.pop("symbol", None) or _running_head(page_lines)
    if symbol:
        metadata["symbol"] = symbol
    body = [_without_furniture(lines, symbol, metadata) for lines in page_lines]
    return front_matter(join_hyphenated(_with_blank_lines(body)), symbol, metadata)


def front_matter(lines: list[str], symbol: str | None, metadata: dict[str, str]) -> DocumentText:
    """The document from its text lines: the issuing body above the agenda item moved to metadata,
    the title read from the front matter."""
    lines = _without_issuing_body(lines, metadata)
    title = _title(lines)
    if title:
        metadata["title"] = title
    return DocumentText("\n".join(lines) + "\n", symbol, title, metadata)


def _masthead(page: Page) -> tuple[dict[str, str], list[PrintedLine]]:
    """Page 1's masthead as metadata, and the page's other fragments."""
    starts = [f.y for f in page.fragments if _FIRST_PARAGRAPH.match(f.text)]
    body_top = max(starts) if starts else float("-inf")
    metadata: dict[str, str] = {}
    kept = []
    for fragment in page.fragments:
        text = fragment.text.strip()
        right = fragment.x > page.width / 2
        if fragment.y <= body_top:
            kept.append(fragment)
        elif right and SYMBOL.fullmatch(text) and "symbol" not in metadata:
            metadata["symbol"] = text
        elif right and _DATE.fullmatch(text):
            metadata["date"] = text
        elif any(p.fullmatch(text) for p in _FIELDS.values()):
            metadata.update({k: p.fullmatch(text).group(1) for k, p in _FIELDS.items() if p.fullmatch(text)})
        elif not (_MASTHEAD.fullmatch(text) or _BARCODE.fullmatch(text)):
            kept.append(fragment)
    return metadata, kept


def _merge(fragments: list[PrintedLine] | tuple[PrintedLine, ...]) -> list[PrintedLine]:
    """Fragments at the same height become one line, left to right; lines run top to bottom."""
    rows: list[list[PrintedLine]] = []
    for fragment in sorted(fragments, key=lambda f: (-f.y, f.x)):
        if rows and abs(rows[-1][0].y - fragment.y) <= _SAME_LINE:
            rows[-1].append(fragment)
        else:
            rows.append([fragment])
    lines = []
    for row in rows:
        row.sort(key=lambda f: f.x)
        text = row[0].text
        for part in row[1:]:
            text += ("" if text.endswith(" ") or part.text.startswith(" ") else " ") + part.text
        lines.append(PrintedLine(row[0].x, row[0].y, max(f.size for f in row), text.rstrip()))
    return lines


def _running_head(pages: list[list[PrintedLine]]) -> str | None:
    """The symbol printed at the top of the pages after the first, if any."""
    for lines in pages[1:]:
        for token in (lines[0].text.split() if lines else []):
            if SYMBOL.fullmatch(token):
                return token
    return None


def _is_furniture(text: str, symbol: str | None, metadata: dict[str, str]) -> bool:
    """Whether a line holds only a running head, page number, job number or barcode."""
    rest = text.replace(symbol, " ") if symbol else text
    job = _JOB_NUMBER.search(rest)
    if job:
        metadata.setdefault("job_number", job.group())
    for pattern in (_JOB_NUMBER, _BARCODE, _PAGE_NUMBER, _MASTHEAD):
        rest = pattern.sub(" ", rest)
    return not rest.strip()


def _without_furniture(lines: list[PrintedLine], symbol: str | None, metadata: dict) -> list[PrintedLine]:
    """A page's lines without the running head above and the footer below the text."""
    start, end = 0, len(lines)
    while start < end and _is_furniture(lines[start].text, symbol, metadata):
        start += 1
    while end > start and _is_furniture(lines[end - 1].text, symbol, metadata):
        end -= 1
    return lines[start:end]


def _with_blank_lines(pages: list[list[PrintedLine]]) -> list[str]:
    """The pages' lines as text, with a blank line wherever the page leaves more than a line's space.

    Between pages, a blank line is kept only after a line that ends a sentence, so a paragraph
    broken by the page continues on the next line.
    """
    steps = [a.y - b.y for lines in pages for a, b in zip(lines, lines[1:], strict=False) if a.y > b.y]
    pitch = median(steps) if steps else 0.0
    text: list[str] = []
    for lines in pages:
        if text and lines and text[-1].endswith(_PARAGRAPH_END):
            text.append("")
        for previous, line in zip([None, *lines], lines, strict=False):
            if previous is not None and previous.y - line.y > _BLANK_GAP * pitch:
                text.append("")
            text.append(line.text)
    return text


def _without_issuing_body(lines: list[str], metadata: dict[str, str]) -> list[str]:
    """Drop the issuing body's lines ("Thirteenth United Nations Congress ...") above the agenda item."""
    first = next((i for i, line in enumerate(lines) if _FIRST_PARAGRAPH.match(line)), len(lines))
    agenda = next((i for i, line in enumerate(lines[:first]) if _AGENDA.match(line)), None)
    if not agenda:
        return lines
    metadata["body"] = " ".join(" ".join(lines[:agenda]).split())
    return lines[agenda:]


def _title(lines: list[str]) -> str | None:
    """The title: the blocks of front matter after the agenda item and before the first heading."""
    first = next((i for i, line in enumerate(lines) if _FIRST_PARAGRAPH.match(line)), len(lines))
    blocks: list[list[str]] = [[]]
    for line in lines[:first]:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if blocks and _AGENDA.match(blocks[0][0]):
        bare = len(blocks[0]) == 1 and re.fullmatch(r"\D*\d+\W*", blocks[0][0])
        blocks = blocks[2:] if bare else blocks[1:]  # a bare "Agenda item 5" has its subject below
    if blocks and len(blocks[-1]) == 1 and len(blocks[-1][0].split()) <= 8:
        blocks = blocks[:-1]
    return ". ".join(" ".join(block) for block in blocks) or None
