"""Undo hyphenation at line ends, only for words the document also prints whole."""

from __future__ import annotations

import re

_BROKEN = re.compile(r"([^\W\d_]+)-$")
_CONTINUES = re.compile(r"\s*([^\W\d_]\S*)\s*(.*)$", re.DOTALL)
_WORD = re.compile(r"[^\W\d_]+")


def join_hyphenated(lines: list[str]) -> list[str]:
    """Bring a word broken over a line end back onto its first line.

    ``cyber-`` / ``crime`` becomes ``cybercrime`` when the document prints "cybercrime" elsewhere;
    otherwise the hyphen is real (``information-`` / ``sharing``, ``Marc-`` / ``André``) and is kept.
    """
    words = {w.lower() for line in lines for w in _WORD.findall(line)}
    joined = list(lines)
    for index in range(len(joined) - 1):
        head = _BROKEN.search(joined[index].rstrip())
        tail = _CONTINUES.match(joined[index + 1])
        if not head or not tail:
            continue
        token = tail.group(1)
        whole = head.group(1) + _WORD.match(token).group()
        hyphen = "" if token[0].islower() and whole.lower() in words else "-"
        joined[index] = joined[index].rstrip()[:-1] + hyphen + token
        joined[index + 1] = tail.group(2)
    emptied = {i for i, (line, original) in enumerate(zip(joined, lines, strict=True))
               if original.strip() and not line.strip()}
    return [line for i, line in enumerate(joined) if i not in emptied]
