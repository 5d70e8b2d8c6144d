"""Parse the plain text of a UN report into numbered passages.

The parser works on text, never on files: the readers (``workshop_qa.index.readers``) turn a file
of any format into this text. The layout expected is the one of UN documents extracted from PDF:
front matter, then section headings ("Proceedings") and paragraphs numbered 1, 2, 3 ... in order,
some holding lettered items "(a)", "(b)" ... in order. Numbering must run in sequence, which is what
tells a real paragraph or item start from a line that merely begins with a number or a parenthesis,
such as "(Canada);".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import mean

from workshop_qa.index.passage import HEADER_PARA, Passage
from workshop_qa.index.sentences import split_sentences

_PARA_START = re.compile(r"[ \t]*(\d{1,3})\.[ \t]+(?=\S)")
_ITEM_START = re.compile(r"[ \t]*\(([a-z])\)[ \t]+(?=\S)")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_PANEL_OPENING = re.compile(r"During the (" + "|".join(ORDINALS) + r") panel\b", re.IGNORECASE)
_MEETINGS = re.compile(
    r"\b(\d+)(?:st|nd|rd|th)(?:\s+(to|and)\s+(\d+)(?:st|nd|rd|th))?\s+meetings?\b"
)
_MAX_HEADING_WORDS = 8
HEADER_SECTION = "Header"


class ParseError(ValueError):
    """The text is not a report in the expected plain-text layout."""


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def clean(raw: str) -> str:
    """Collapse the line breaks and stray spaces left by PDF extraction into single spaces."""
    return " ".join(raw.split())


def parse_report(text: str, doc: str, source: str = "<text>") -> list[Passage]:
    """Split a report's text into passages: one per paragraph, or per item of a list paragraph.

    Time and memory grow linearly with the text: every line and mark is visited a bounded number
    of times, and no step copies the rest of the text.
    """
    lines = _lines(text)
    marks = _find_marks(lines)
    if not any(kind == "para" for kind, *_ in marks):
        raise ParseError(
            f"{source}: no numbered paragraphs found; expected a UN report in plain text with "
            "paragraphs starting '1. ', '2. ' ... in order, under headings such as 'Proceedings'."
        )
    passages = _header(text, lines[marks[0][1]].start, doc)
    section, panel, panel_opening = "", None, ""
    for position, region_end, items in _paragraph_regions(marks):
        kind, _line_index, value, content_start = marks[position]
        if kind == "heading":
            section, panel, panel_opening = value, None, ""
            continue
        limit = lines[marks[region_end][1]].start if region_end < len(marks) else len(text)
        end = _rstripped_end(text, limit)
        para_text = clean(text[content_start:end])
        opening = _PANEL_OPENING.match(para_text)
        if opening:
            panel = ORDINALS.index(opening.group(1).lower()) + 1
            panel_opening = _first_sentence(para_text)
        context = _context(section, panel, panel_opening if not opening else "")
        passages.extend(
            _paragraph_passages(text, lines, doc, int(value), content_start, end, items,
                                section, panel, context)
        )
    return passages


def _paragraph_regions(marks: list) -> list[tuple[int, int, list]]:
    """Each heading or paragraph mark as (its position, the position of the next heading or
    paragraph mark, the item marks between them), in one pass over ``marks``."""
    regions: list[tuple[int, int, list]] = []
    for position, mark in enumerate(marks):
        if mark[0] == "item":
            if regions:
                regions[-1][2].append(mark)
            continue
        if regions:
            regions[-1] = (regions[-1][0], position, regions[-1][2])
        regions.append((position, len(marks), []))
    return regions


def _rstripped_end(text: str, limit: int) -> int:
    """``len(text[:limit].rstrip())`` without copying the text."""
    while limit > 0 and text[limit - 1].isspace():
        limit -= 1
    return limit


def _header(text: str, end: int, doc: str) -> list[Passage]:
    """The front matter before the first heading or paragraph (agenda item, titles) as one
    passage, paragraph number 0, so that questions about the document itself find it."""
    body = clean(text[:end])
    if not body:
        return []
    start = len(text[:end]) - len(text[:end].lstrip())
    return [Passage(doc=doc, para=HEADER_PARA, item=None, section=HEADER_SECTION, panel=None,
                    meetings=(), text=body, span=(start, _rstripped_end(text, end)),
                    context=f"Document {doc}, its agenda item and titles")]


def _lines(text: str) -> list[_Line]:
    return [_Line(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]*\n?", text) if m.group()]


def _find_marks(lines: list[_Line]) -> list[tuple[str, int, str, int]]:
    """Paragraph starts, item starts and headings as (kind, line index, value, content offset)."""
    marks: list[tuple[str, int, str, int]] = []
    expected_para, expected_item = 1, None
    following = _next_non_blank(lines)
    for index, line in enumerate(lines):
        para = _PARA_START.match(line.text)
        if para and int(para.group(1)) == expected_para:
            marks.append(("para", index, para.group(1), line.start + para.end()))
            expected_para, expected_item = expected_para + 1, "a"
            continue
        item = _ITEM_START.match(line.text)
        if item and item.group(1) == expected_item:
            marks.append(("item", index, item.group(1), line.start + item.end()))
            expected_item = chr(ord(expected_item) + 1)
            continue
        if _is_heading(lines, index, following[index], expected_para):
            marks.append(("heading", index, clean(line.text), line.start))
            expected_item = None
    return marks


def _next_non_blank(lines: list[_Line]) -> list[int | None]:
    """For each line, the index of the first non-blank line after it (None at the end)."""
    following: list[int | None] = [None] * len(lines)
    upcoming = None
    for index in range(len(lines) - 1, -1, -1):
        following[index] = upcoming
        if not lines[index].blank:
            upcoming = index
    return following


def _is_heading(lines: list[_Line], index: int, following: int | None, expected_para: int) -> bool:
    """A short standalone line, between blank lines, directly before the next paragraph
    (``following`` is the index of the next non-blank line)."""
    words = lines[index].text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or words[-1][-1] in ".;:,":
        return False
    if index > 0 and not lines[index - 1].blank:
        return False
    if following is None or not lines[index + 1].blank:
        return False
    para = _PARA_START.match(lines[following].text)
    return bool(para) and int(para.group(1)) == expected_para


def _paragraph_passages(
    text: str, lines: list[_Line], doc: str, para: int, start: int, end: int,
    items: list, section: str, panel: int | None, context: str,
) -> list[Passage]:
    def passage(item: str | None, span_start: int, span_end: int, item_context: str) -> Passage:
        body = clean(text[span_start:span_end])
        return Passage(doc=doc, para=para, item=item, section=section, panel=panel,
                       meetings=_meetings(body), text=body, span=(span_start, span_end),
                       context=item_context)

    lead_end = _rstripped_end(text, lines[items[0][1]].start) if items else end
    item_spans = []
    for number, (_, _line_index, letter, item_start) in enumerate(items):
        next_start = lines[items[number + 1][1]].start if number + 1 < len(items) else end
        item_spans.append((letter, item_start, _rstripped_end(text, next_start)))
    lead = clean(text[start:lead_end])
    if not item_spans or mean(len(clean(text[s:e])) for _, s, e in item_spans) <= len(lead):
        return [passage(None, start, end, context)]
    item_context = _context(section, panel, lead)
    return [passage(None, start, lead_end, context)] + [
        passage(letter, s, e, item_context) for letter, s, e in item_spans
    ]


def _meetings(text: str) -> tuple[int, ...]:
    found: set[int] = set()
    for match in _MEETINGS.finditer(text):
        first, joiner, last = match.group(1), match.group(2), match.group(3)
        if joiner == "to":
            found.update(range(int(first), int(last) + 1))
        else:
            found.update(int(n) for n in (first, last) if n)
    return tuple(sorted(found))


# "During the second panel, on cybercrime as ..., four panellists ...", "... five panellists discussed
# trafficking in cultural property ...": what a panel was about, as its opening says.
_PANEL_TOPIC = re.compile(r"\bpanel,\s+on\s+(?P<on>[^,.;]+)|\b(?:discussed|spoke about|reflected on|"
                          r"addressed|focused on|considered|examined)\s+(?P<what>[^,.;]+)")


def panel_topic(opening: str) -> str:
    """What the panel that ``opening`` (its first passage's text) opens was about, if it says."""
    found = _PANEL_TOPIC.search(_first_sentence(opening)) if opening.strip() else None
    return (found.group("on") or found.group("what")).strip() if found else ""


def _first_sentence(text: str) -> str:
    start, end = split_sentences(text)[0]
    return text[start:end]


def _context(section: str, panel: int | None, panel_opening: str) -> str:
    """What a passage needs from the document's structure to make sense on its own."""
    parts = [section] if section else []
    if panel:
        parts.append(f"{ORDINALS[panel - 1].capitalize()} panel")
    if panel_opening:
        parts.append(panel_opening)
    return ". ".join(parts)
