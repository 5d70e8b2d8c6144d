"""HTML and chat text for the chat app; every text from a user or a document is shown literally."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from workshop_qa.app.answer import Answer, Quote
from workshop_qa.index.passage import HEADER_PARA, Passage
from workshop_qa.retriever.search import Hit

# Only what Markdown would act on is escaped, so that ordinary messages hold no backslashes for
# "Copy conversation" or for screen readers, which read a message's raw text.
_INLINE_SYNTAX = re.compile(r"[\\`*_~<]|&(?=#?\w+;)|\](?=[(\[:])")
_BLOCK_MARK = re.compile(r"^(\s*)([#>+=|-])", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def literal(text: str) -> str:
    """Chat Markdown that shows ``text`` as typed: HTML and Markdown syntax are not acted on."""
    text = _INLINE_SYNTAX.sub(lambda m: "\\" + m.group(0), text)
    return _LIST_NUMBER.sub(r"\1\\\2", _BLOCK_MARK.sub(r"\1\\\2", text))


def anchor(passage: Passage, prefix: str = "source") -> str:
    """The element id of a passage in the sources panel or the report tab."""
    return f"{prefix}-{passage.para}{passage.item or ''}"


def answer_message(answer: Answer) -> str:
    """The assistant's chat message: the answer with its ``[para. N]`` citations, as plain text.

    The page's script turns each citation into a link to its source.
    """
    parts = [answer.text]
    if answer.resolved_question != answer.question:
        parts.insert(0, f"Understood as: {answer.resolved_question}")
    if answer.note:
        parts.append(answer.note)
    return literal("\n\n".join(parts))


def sources_message(answer: Answer, several: bool = False) -> dict | None:
    """The answer's cited passages as a chat message folded under it: each passage whole, its
    quoted sentences in bold; ``None`` when the answer cites nothing. With ``several`` reports
    indexed, its title names each passage's report too."""
    cited = [h.passage for h in answer.hits if h.passage.id in set(answer.citations)]
    if not cited:
        return None
    blocks = [f"**{literal(p.citation)}**\n\n"
              f"{_marked(p.text, [q for q in answer.quotes if q.passage == p], literal, _bold).strip()}"
              for p in cited]
    title = "Sources: " + "; ".join(p.citation if several else p.label for p in cited)
    return {"role": "assistant", "content": "\n\n".join(blocks),
            "metadata": {"title": title, "status": "done"}}


def _bold(quoted: str) -> str:
    """``quoted`` in bold Markdown, its surrounding spaces outside the markers (or bold fails)."""
    words = quoted.strip()
    if not words:
        return literal(quoted)
    lead = quoted[: len(quoted) - len(quoted.lstrip())]
    return f"{lead}**{literal(words)}**{quoted[len(lead) + len(words):]}"


def sources_html(answer: Answer | None) -> str:
    """The sources panel: cited passages in full with exactly the quoted sentences highlighted;
    for a refusal, the closest passages, unhighlighted."""
    if answer is None:
        return "<div class='sources-empty'>Sources of the answer appear here.</div>"
    cited = set(answer.citations)
    hits = [h for h in answer.hits if h.passage.id in cited]
    if hits:
        cards = "".join(_card(h, [q for q in answer.quotes if q.passage == h.passage]) for h in hits)
        return f"<div class='sources'><h3>Sources</h3>{cards}</div>"
    cards = "".join(_card(h, []) for h in answer.hits)
    heading = ("Closest passages (they do not answer the question)" if cards
               else "No passage matches the filters chosen.")
    return f"<div class='sources refusal'><h3>{heading}</h3>{cards}</div>"


def _card(hit: Hit, quotes: list[Quote]) -> str:
    p = hit.passage
    where = p.section + (f", panel {p.panel}" if p.panel else "")
    citation = html.escape(p.citation)
    return (
        f"<div class='source' id='{anchor(p)}'>"
        f"<div class='source-head'><span class='citation'>{citation}</span><span>"
        f"<a class='show-in-report' href='#{anchor(p, 'report')}'>Show in report</a> "
        f"<button class='copy-citation' data-citation='{citation}' title='Copy the citation'>"
        f"Copy</button></span></div>"
        f"<div class='where'>{html.escape(where)}</div>"
        f"<p class='passage'>{_marked(p.text, quotes, html.escape, _mark)}</p></div>"
    )


def _mark(quoted: str) -> str:
    return f"<mark>{html.escape(quoted)}</mark>"


def _marked(text: str, quotes: list[Quote], plain: Callable[[str], str],
            marked: Callable[[str], str]) -> str:
    """``text`` with each quoted span written by ``marked`` and the rest by ``plain``."""
    pieces, position = [], 0
    for quote in sorted(quotes, key=lambda q: q.start):
        start = max(quote.start, position)
        pieces.append(plain(text[position:start]))
        pieces.append(marked(text[start : quote.end]))
        position = max(position, quote.end)
    pieces.append(plain(text[position:]))
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
        number = f"({p.item})" if p.item else f"{p.para}." if p.para != HEADER_PARA else ""
        css = "item" if p.item else "para"
        parts.append(f"<p class='{css}' id='{anchor(p, 'report')}'><b>{number}</b> "
                     f"{html.escape(p.text)}</p>")
    parts.append("</div>")
    return "".join(parts)


def participants_html(people: list[dict]) -> str:
    """Who's who as a table: name, role, organization, and the citations where the report says so."""
    rows = "".join(
        f"<tr><td data-label='Name'>{html.escape(p['name'])}</td>"
        f"<td data-label='Role'>{html.escape(p['role'])}</td>"
        f"<td data-label='Affiliation'>{html.escape(p['organization'])}</td>"
        f"<td data-label='Where the report says so'>"
        f"{html.escape('; '.join(p['named_in'] + p['presented_in']))}</td></tr>"
        for p in people)
    return ("<table class='participants'><thead><tr><th>Name</th><th>Role</th><th>Affiliation</th>"
            f"<th>Where the report says so</th></tr></thead><tbody>{rows}</tbody></table>")
