"""Print a plain-text report as a UN document PDF (masthead, running heads, footers), for the tests."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
_WIDTH, _HEIGHT = 595.28, 841.89  # A4 in points
_LEFT, _RIGHT, _TOP, _BOTTOM = 72.0, 523.0, 86.0, 772.0
_SIZE, _PITCH, _GAP = 10.0, 12.0, 6.0
_INDENT = 28.0
_START = re.compile(r"\s*(\d{1,3}\.|\([a-z]\))\s+(.*)")


@dataclass
class Masthead:
    """What page 1 prints above the text, and the job number of every footer."""

    symbol: str
    issuing_body: tuple[str, ...]
    distribution: str = "Limited"
    date: str = "16 April 2015"
    original: str = "English"
    job_number: str = "GE.15-07631"


@dataclass
class Layout:
    """What was printed: pages, and how many paragraphs a page break cut in two."""

    pages: int = 0
    broken_paragraphs: int = 0
    hyphenated: list[str] = field(default_factory=list)


def write_un_pdf(report: str, masthead: Masthead, path: Path) -> Layout:
    """Print ``report`` (plain text in the parser's layout) as a UN document at ``path``."""
    counted = _print(report, masthead, total_pages=0)
    printer = _print(report, masthead, total_pages=counted.pdf.pages_count)
    printer.pdf.output(str(path))
    return Layout(printer.pdf.pages_count, printer.broken, printer.hyphenated)


def _print(report: str, masthead: Masthead, total_pages: int) -> _Printer:
    front, body = _blocks(report)
    counts = Counter(w.lower() for w in re.findall(r"[^\W\d_]+", report))
    printer = _Printer(masthead, counts, total_pages)
    printer.first_page()
    for block in front:
        for line in block:
            printer.line([(0.0, line)], bold=True)
        printer.space(_PITCH)
    for kind, label, text in body:
        if kind == "heading":
            printer.space(_PITCH)
            printer.line([(0.0, text)], bold=True)
            printer.space(_GAP)
        else:
            printer.paragraph(label, text, item=kind == "item")
    return printer


def _blocks(report: str) -> tuple[list[list[str]], list[tuple[str, str, str]]]:
    """Front-matter blocks (lines as printed), then headings, paragraphs and items with their text."""
    lines = report.splitlines()
    first = next(i for i, line in enumerate(lines) if re.match(r"\s*1\.\s", line))
    front: list[list[str]] = [[]]
    for line in lines[:first]:
        if line.strip():
            front[-1].append(line.strip())
        elif front[-1]:
            front.append([])
    body: list[tuple[str, str, str]] = []
    current: list[str] | None = None
    for line in lines[first:]:
        start = _START.match(line)
        if start:
            kind = "item" if start.group(1).startswith("(") else "para"
            body.append((kind, start.group(1), ""))
            current = [start.group(2)]
        elif not line.strip():
            current = None
            continue
        elif current is None:
            body.append(("heading", "", line.strip()))
            continue
        else:
            current.append(line)
        body[-1] = (*body[-1][:2], " ".join(" ".join(current).split()))
    return [block for block in front if block], body


class _Printer:
    def __init__(self, masthead: Masthead, counts: Counter, total_pages: int) -> None:
        self.masthead, self.counts, self.total_pages = masthead, counts, total_pages
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.add_font("serif", "", str(FONT))
        self.pdf.add_font("serif", "B", str(FONT.with_name("LiberationSerif-Bold.ttf")))
        self.y = _TOP
        self.broken = 0
        self.hyphenated: list[str] = []

    def text(self, x: float, y: float, text: str, bold: bool = False, align: str = "L") -> None:
        self.pdf.set_font("serif", "B" if bold else "", _SIZE)
        if align == "R":
            x -= self.pdf.get_string_width(text)
        self.pdf.text(x, y, text)

    def first_page(self) -> None:
        m = self.masthead
        self.pdf.add_page()
        self.text(_LEFT, 50, "United Nations", bold=True)
        self.text(_RIGHT, 50, m.symbol, align="R")
        for row, line in enumerate((f"Distr.: {m.distribution}", m.date, "", f"Original: {m.original}")):
            self.text(400, 86 + row * _PITCH, line)
        for row, line in enumerate(m.issuing_body):
            self.text(_LEFT, 86 + row * _PITCH, line)
        self.text(_LEFT, 810, f"{m.job_number} (E)")
        self.text(_RIGHT, 810, "*" + re.sub(r"\D", "", m.job_number) + "*", align="R")
        self.y = 86 + (max(len(m.issuing_body), 4) + 2) * _PITCH

    def new_page(self) -> None:
        self.pdf.add_page()
        number, m = self.pdf.page_no(), self.masthead
        even = number % 2 == 0
        self.text(_LEFT if even else _RIGHT, 50, m.symbol, align="L" if even else "R")
        page = f"{number}/{self.total_pages}"
        self.text(_LEFT, 810, page if even else m.job_number)
        self.text(_RIGHT, 810, m.job_number if even else page, align="R")
        self.y = _TOP

    def space(self, height: float) -> None:
        self.y += height

    def line(self, parts: list[tuple[float, str]], bold: bool = False) -> None:
        if self.y > _BOTTOM:
            self.new_page()
        for x, text in parts:
            self.text(_LEFT + x, self.y, text, bold=bold)
        self.y += _PITCH

    def paragraph(self, label: str, text: str, item: bool) -> None:
        """A numbered paragraph or lettered item: its label hanging, its text wrapped and hyphenated."""
        label_x = _INDENT if item else 0.0
        first_x = label_x + _INDENT
        pages = set()
        lines = self._wrap(text.split(), _RIGHT - _LEFT - first_x, _RIGHT - _LEFT)
        for number, words in enumerate(lines):
            self.line([(label_x, label), (first_x, words)] if number == 0 else [(0.0, words)])
            pages.add(self.pdf.page_no())
        self.broken += len(pages) > 1
        self.space(_GAP)

    def _wrap(self, words: list[str], first_width: float, width: float) -> list[str]:
        self.pdf.set_font("serif", "", _SIZE)
        fits = self.pdf.get_string_width
        lines: list[str] = []
        current = ""
        for word in words:
            limit = first_width if not lines else width
            candidate = f"{current} {word}".strip()
            if fits(candidate) <= limit:
                current = candidate
                continue
            head, tail = self._split(word, current, limit)
            lines.append(f"{current} {head}".strip() if head else current)
            current = tail
        return [*lines, current] if current else lines

    def _split(self, word: str, current: str, limit: float) -> tuple[str, str]:
        """Hyphenate a word at a line end: a compound at its hyphen, a long word printed whole elsewhere."""
        if "-" in word[1:-1] and word.split("-", 1)[1][:1].islower():
            head, tail = word.split("-", 1)
            head += "-"
        elif word.isalpha() and len(word) >= 8 and self.counts[word.lower()] >= 2:
            head, tail = word[: len(word) // 2] + "-", word[len(word) // 2 :]
            self.counts[word.lower()] -= 1  # one occurrence broken; the others stay whole
        else:
            return "", word
        if self.pdf.get_string_width(f"{current} {head}".strip()) > limit:
            return "", word
        self.hyphenated.append(head + tail)
        return head, tail
