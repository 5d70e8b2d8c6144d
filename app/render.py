"""HTML and Markdown for the chat app; every text from a user or a document is escaped."""

from __future__ import annotations

import html
import re

from workshop_qa.app.answer import Answer
from workshop_qa.index.passage import Passage
from workshop_qa.retriever.search import Hit

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_LABEL = re.compile(r"\[(para\. \d+(?: \([a-z]\))?)\]")


def as_text(text: str) -> str:
    """Markdown that shows ``text`` literally: HTML and Markdown syntax escaped."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def anchor(passage: Passage, prefix: str = "source") -> str:
    """The element id of a passage in the sources panel or the report tab."""
    return f"{prefix}-{passage.para}{passage.item or ''}"


def answer_markdown(answer: Answer) -> str:
    """The assistant's chat message: the answer with each citation a link to its source."""
    by_label = {h.passage.label: h.passage for h in answer.hits}
    parts = []
    if answer.resolved_question != answer.question:
        parts.append(f"*Understood as: {as_text(answer.resolved_question)}*\n\n")
    position = 0
    for match in _LABEL.finditer(answer.text):
        parts.append(as_text(answer.text[position : match.start()]))
        passage = by_label.get(match.group(1))
        label = as_text(match.group(1))
        parts.append(f"[\\[{label}\\]](#{anchor(passage)})" if passage else f"\\[{label}\\]")
        position = match.end()
    parts.append(as_text(answer.text[position:]))
    if answer.note:
        parts.append(f"\n\n*{as_text(answer.note)}*")
    return "".join(parts)


def sources_html(answer: Answer | None) -> str:
    """The sources panel: cited passages in full, evidence highlighted, with citation and copy."""
    if answer is None:
        return "<div class='sources-empty'>Sources of the answer appear here.</div>"
    cited = set(answer.citations)
    hits = [h for h in answer.hits if h.passage.id in cited]
    heading = "Sources"
    if not hits:
        hits, heading = list(answer.hits), "Closest passages (they do not answer the question)"
    cards = "".join(_card(hit) for hit in hits)
    return f"<div class='sources'><h3>{heading}</h3>{cards}</div>"


def _card(hit: Hit) -> str:
    p = hit.passage
    where = p.section + (f", panel {p.panel}" if p.panel else "")
    citation = html.escape(p.citation)
    return (
        f"<div class='source' id='{anchor(p)}'>"
        f"<div class='source-head'><span class='citation'>{citation}</span>"
        f"<button class='copy-citation' data-citation='{citation}' title='Copy the citation'>"
        f"Copy</button></div>"
        f"<div class='where'>{html.escape(where)}</div>"
        f"<p class='passage'>{_highlighted(p.text, hit)}</p></div>"
    )


def _highlighted(text: str, hit: Hit) -> str:
    pieces, position = [], 0
    for evidence in sorted(hit.evidence, key=lambda e: e.start):
        pieces.append(html.escape(text[position : evidence.start]))
        pieces.append(f"<mark>{html.escape(text[evidence.start : evidence.end])}</mark>")
        position = evidence.end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)


def report_html(passages: list[Passage], titles: dict[str, str]) -> str:
    """The whole report by section, each paragraph with its number, for reading around a quote."""
    parts, document, section = ["<div class='report'>"], None, None
    for p in passages:
        if p.doc != document:
            document, section = p.doc, None
            parts.append(f"<h2>{html.escape(p.doc)}</h2><p class='title'>"
                         f"{html.escape(titles.get(p.doc, ''))}</p>")
        if p.section != section:
            section = p.section
            parts.append(f"<h3>{html.escape(section)}</h3>")
        number = f"({p.item})" if p.item else f"{p.para}."
        css = "item" if p.item else "para"
        parts.append(f"<p class='{css}' id='{anchor(p, 'report')}'><b>{number}</b> "
                     f"{html.escape(p.text)}</p>")
    parts.append("</div>")
    return "".join(parts)
