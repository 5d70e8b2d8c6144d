"""Sentence boundaries in cleaned report text."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'\u201c])")
_ABBREVIATIONS = ("No.", "para.", "paras.", "e.g.", "i.e.", "Mr.", "Ms.", "Dr.", "art.", "St.")
_MIN_CHARS = 40


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``; semicolon-ended clauses count as sentences.

    Very short pieces (list entries such as "(Canada);") are joined to the sentence before them.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        if (text.endswith(_ABBREVIATIONS, start, boundary.start())
                or boundary.start() - start < _MIN_CHARS):
            continue
        spans.append((start, boundary.start()))
        start = boundary.end()
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    if len(spans) > 1 and spans[-1][1] - spans[-1][0] < _MIN_CHARS:
        spans[-2:] = [(spans[-2][0], spans[-1][1])]
    return spans
