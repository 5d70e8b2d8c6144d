"""Direct references to the reports' structure: "para 12", "23(c)", "conclusion (b)", "5th meeting",
each of which may name its document: "Add.9 para 2", "A/CONF.222/L.3/Add.1, para. 16"."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import alpha2digit

from workshop_qa.index.lexical import tokenize
from workshop_qa.index.parse import ORDINALS
from workshop_qa.index.passage import HEADER_PARA, Passage
from workshop_qa.retriever.leaning import LEADING_WORDS

_PARAGRAPH = re.compile(
    r"(?:\bparagraphs?|\bparas?\.?|¶|§)\s*(\d{1,3})(?:\s*\(?\s*([a-z])\s*\))?", re.IGNORECASE
)
_BARE = re.compile(r"^\s*(?:show\s+(?:me\s+)?)?(\d{1,3})\s*(?:\(\s*([a-z])\s*\)|([a-z]))?\s*[.?!]?\s*$",
                   re.IGNORECASE)
_CONCLUSION_ITEM = re.compile(r"\bconclusions?\s*\(?\s*([a-d])\s*\)(?!\w)|\bconclusion\s+([a-d])\b",
                              re.IGNORECASE)
# "the second conclusion", "the first thing they concluded", "the last conclusion": a lettered item.
ORDINAL = "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th)"
"""An ordinal in words ("fourth") or digits ("4th"), as a pattern to put in a group."""
_NTH_CONCLUSION = re.compile(r"\b(" + ORDINAL + r"|last|final)\s+(?:conclusion|thing\s+"
                             r"(?:they|it|the\s+\w+)\s+conclude[ds]?)\b", re.IGNORECASE)
# "the conclusions", "the workshop's conclusions", "which conclusion ...", "any conclusion on ...",
# "what did they conclude", "the main takeaways", "what was agreed": the conclusions are the scope.
ALL_CONCLUSIONS = re.compile(r"\b(?:the|all|agreed|list|its|their)\s+(?:of\s+the\s+)?(?:[\w'-]+\s+)?"
                             r"conclusions\b|"
                             r"\b(?:which|what|any|a|the)\s+conclusions?\b(?!\s*\(?[a-d]\))|"
                             r"\bconclu(?:de|ded|des|ding)\b|\btake-?aways?\b|"
                             r"\b(?:main|key)\s+(?:outcomes?|findings|messages)\b|"
                             r"\b(?:agreed|consensus)\s+(?:text|language|wording)\b|"
                             r"\bwhat\s+(?:was|were|did\s+(?:\w+\s+)?\w+)\s+(?:\w+\s+)?agreed?\b|"
                             r"^\W*conclusions\W*$", re.IGNORECASE)
_MEETING = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\s+meeting\b", re.IGNORECASE)
_PANEL = re.compile(r"\b(" + ORDINAL + r")\s+panel\b", re.IGNORECASE)
# "after the third panel", "the discussion that followed the second panel", "the 4th panel's debate"
_AFTER_PANEL = re.compile(r"\b(?:after|following|followed)\s+(?:the\s+)?(?:presentations\s+(?:of|in)\s+"
                          r"(?:the\s+)?)?(?P<a>" + ORDINAL + r")\s+panel\b|"
                          r"\b(?:discussion|debate)\s+(?:\w+\s+){0,4}?(?P<b>" + ORDINAL +
                          r")\s+panel\b|\b(?P<c>" + ORDINAL + r")\s+panel'?s?\s+"
                          r"(?:discussion|debate)\b", re.IGNORECASE)
_OPENING_PANEL = re.compile(r"\bopening\s+panel\b", re.IGNORECASE)
LAST_PANEL = re.compile(r"\b(?:last|final|closing)\s+panel\b", re.IGNORECASE)
# "the closing discussion", "the final debate": the discussion that followed the last panel.
LAST_DISCUSSION = re.compile(r"\b(?:last|final|closing|concluding)\s+(?:general\s+)?(?:discussion|debate)\b",
                              re.IGNORECASE)
# "the cultural heritage panel", "the cybercrime panel": a panel named by its topic.
NAMED_PANEL = re.compile(r"\bthe\s+((?:[\w'-]+\s+){0,2}?[\w'-]+)\s+panel\b", re.IGNORECASE)
# The report's heading: its symbol, agenda item and titles; not the symbol of another document
# ("the document symbol of the background paper", which the report lists).
HEADING = re.compile(r"\b(?:heading|header|masthead|agenda item|document symbol\b(?!\s+(?:of|for)\s+"
                     r"(?:the\s+|a\s+|an\s+)?+(?!(?:this\s+)?(?:report|document)\b)\w))\b", re.IGNORECASE)
_DISCUSSION_OPENING = re.compile(r"^\s*In the (?:general )?discussion that followed\b")
# The words before a list: "the lead-in to the conclusions", "para 23 before the lettered items".
_LEAD_IN = re.compile(r"\b(?:lead-?in|chapeau|introduct\w*|opening(?: words)?)\s+(?:to|of)\s+(?:the\s+)?"
                      r"conclusions\b|\bbefore\s+(?:the\s+)?(?:lettered\s+|listed\s+|numbered\s+)?"
                      r"(?:items?|bits|points|sub-?paragraphs|list)\b", re.IGNORECASE)
_PROVENANCE = re.compile(r"\b(?:who|whom|whose|summari[sz]\w*|consensus|on behalf|chair\w*|moderator)\b",
                         re.IGNORECASE)
_FILLER = re.compile(
    r"\b(?:show|me|give|read|display|open|the|text|of|what|does|did|say|says|said|is|are|in|at|"
    r"happened|please|all|agreed|list|go|to|and|whole|full|report|quote|cite|was|were|during|"
    r"discussed|about|tell|summarize|summary|on|by|s|whats|pls|plz)\b|[^\w]",
    re.IGNORECASE,
)




@dataclass(frozen=True)
class Reference:
    """What a query points at in the report's structure.

    ``passages`` are named outright ("para 12", "conclusion (b)") and come first; ``scope`` holds
    the passages of a part the query names ("the conclusions", "the 4th meeting", "the third
    panel"), ranked by search ahead of the rest. ``only`` says the query is nothing but a pointer,
    in which case the scope is shown in report order, as a lookup.
    """

    passages: tuple[Passage, ...]
    scope: tuple[Passage, ...]
    only: bool
    rest: str = ""
    """For a query about the conclusions, the query without the words naming them ("what was
    agreed about terrorism?": "about terrorism?"), what is looked for among them."""


def find_reference(query: str, passages: Sequence[Passage],
                   symbols: Sequence[str] | None = None) -> Reference | None:
    """The passages and parts of the reports that ``query`` names directly, or None.

    A paragraph of no named document is that paragraph of every document; a query that names a
    document ("Add.9 para 2") points into that document only. ``symbols`` are those of every
    document, when ``passages`` are only the ones the query could name.
    """
    named: list[Passage] = []
    symbols = tuple(dict.fromkeys(p.doc for p in passages)) if symbols is None else tuple(symbols)
    documents, query = _name_documents(numbers_as_digits(LEADING_WORDS.pattern.sub("", query)), symbols)
    if documents:
        passages = [p for p in passages if p.doc in documents]
    by_paragraph: dict[tuple[str, int], list[Passage]] = defaultdict(list)
    for p in passages:
        by_paragraph[p.doc, p.para].append(p)
    for para, item in _paragraph_refs(query):
        found, paragraphs = [], []
        for doc in symbols:
            matching = by_paragraph.get((doc, para), [])
            # An item the parser kept inside its paragraph ("1 (b)") is found in that paragraph.
            found += [p for p in matching if item is None or p.item == item] or [
                p for p in matching[:1] if f"({item})" in p.text]
            paragraphs += matching[:1]
        named += found or paragraphs
    conclusions = [p for p in passages if p.in_conclusions]
    for match in _CONCLUSION_ITEM.finditer(query):
        letter = (match.group(1) or match.group(2)).lower()
        named += [p for p in conclusions if p.item == letter]
    items = sorted((p for p in conclusions if p.item), key=lambda p: p.item)
    for match in _NTH_CONCLUSION.finditer(query):
        ordinal = match.group(1).lower()
        number = len(items) if ordinal in ("last", "final") else ordinal_value(ordinal)
        named += items[number - 1 : number]
    if _LEAD_IN.search(query):  # the lead-in of the paragraph named, else of the conclusions
        named = [p for p in named if p.item is None] or [p for p in conclusions if p.item is None]
    scope: list[Passage] = []
    if ALL_CONCLUSIONS.search(query) and not named:
        scope += conclusions
    for match in _MEETING.finditer(query):
        number = int(match.group(1))
        scope += sorted((p for p in passages if number in p.meetings), key=lambda p: len(p.meetings))
    if HEADING.search(query):
        named += [p for p in passages if p.para == HEADER_PARA]
    query = _ordinal_panels(query, passages)
    discussed = {ordinal_value(word) for m in _AFTER_PANEL.finditer(query) for word in m.groups() if word}
    for match in _PANEL.finditer(query):
        number = ordinal_value(match.group(1))
        panel = [p for p in passages if p.panel == number]
        scope += _discussion(panel) if number in discussed else panel
    # A question about one document of several ("what did Add.9 conclude?") is searched in it first.
    whole_documents = not named and not scope and 0 < len(documents) < len(symbols)
    if not named and not scope and not whole_documents:
        return None
    only = not _FILLER.sub(" ", _strip_refs(query)).split()
    if only:
        return Reference(tuple(dict.fromkeys(named + (passages if whole_documents else scope))), (), True)
    # Inside a question, a list's lead-in ("The conclusions ..., as summarized by the moderator on
    # behalf of the Chair, are as follows:") answers only who made the list and how.
    if not _PROVENANCE.search(query):
        listed = {(p.doc, p.para) for p in scope if p.item}
        scope = [p for p in scope if p.item or (p.doc, p.para) not in listed]
    if whole_documents:
        scope = passages
    # what is asked of the conclusions, which hold several distinct points; a meeting or a panel
    # named is itself the subject ("what did the third panel discuss?")
    concluded = bool(scope) and all(p.in_conclusions for p in scope)
    rest = " ".join(ALL_CONCLUSIONS.sub(" ", query).split()) if concluded else ""
    return Reference(tuple(dict.fromkeys(named)), tuple(dict.fromkeys(scope)), False, rest)


def numbers_as_digits(text: str) -> str:
    """``text`` with the numbers and ordinals written in words as digits, by text2num: "the sixth
    meeting" as "the 6th meeting", "paragraph twelve" as "paragraph 12". "First", "second" and
    "one", which are ordinary words too, stay words."""
    return alpha2digit(text, "en")


def ordinal_value(ordinal: str) -> int:
    """The number of an ordinal in words ("fourth") or digits ("4th")."""
    word = ordinal.lower()
    return ORDINALS.index(word) + 1 if word in ORDINALS else int(re.match(r"\d+", word).group())


def ordinal_suffix(number: int) -> str:
    """The English ending of ``number`` as an ordinal: "st" for 1 and 21, "th" for 11 to 20."""
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _ordinal_panels(query: str, passages: Sequence[Passage]) -> str:
    """``query`` with "the opening panel" written "the first panel", "the last panel" with the
    ordinal of the highest panel among ``passages`` ("the closing discussion" as the discussion
    that followed it), and a panel named by its topic with its own
    (see :func:`_panel_by_topic`)."""
    query = _OPENING_PANEL.sub("first panel", query)
    last = max((p.panel for p in passages if p.panel), default=0)
    if last and last <= len(ORDINALS):
        query = LAST_PANEL.sub(f"{ORDINALS[last - 1]} panel", query)
        query = LAST_DISCUSSION.sub(f"discussion that followed the {ORDINALS[last - 1]} panel", query)
    return NAMED_PANEL.sub(lambda match: _panel_by_topic(match, passages), query)


def _panel_by_topic(match: re.Match, passages: Sequence[Passage]) -> str:
    """"the cultural heritage panel" as "the third panel": the panel whose opening sentence names
    a word of the topic soonest ("During the third panel, five panellists discussed trafficking in
    cultural property ..."); unchanged when no panel's does, or two tie."""
    named = match.group(0)
    if _PANEL.search(named) or _OPENING_PANEL.search(named) or LAST_PANEL.search(named):
        return named
    topic = set(tokenize([match.group(1)])[0])
    first_mention: dict[int, int | None] = {}
    for passage in passages:
        if passage.panel and passage.panel not in first_mention:
            opening = tokenize([passage.text.split(". ", 1)[0]])[0]
            first_mention[passage.panel] = next((n for n, t in enumerate(opening) if t in topic), None)
    found = {panel: n for panel, n in first_mention.items() if n is not None}
    soonest = [panel for panel, n in found.items() if n == min(found.values())] if found else []
    if len(soonest) != 1 or soonest[0] > len(ORDINALS):
        return named
    return f"the {ORDINALS[soonest[0] - 1]} panel"


def _discussion(panel: list[Passage]) -> list[Passage]:
    """The passages of a panel's discussion: from the one that opens it ("In the discussion that
    followed ...") to the panel's end; the whole panel when no passage opens one."""
    opening = next((n for n, p in enumerate(panel) if _DISCUSSION_OPENING.match(p.text)), None)
    return panel if opening is None else panel[opening:]


def named_documents(query: str, symbols: Sequence[str]) -> set[str]:
    """The symbols of the documents that ``query`` names."""
    return _name_documents(LEADING_WORDS.pattern.sub("", query), tuple(symbols))[0]


def resolve_document(name: str, symbols: Iterable[str]) -> str | None:
    """The symbol that ``name`` stands for: a symbol itself or an ending of it that names no other
    document ("Add.9", "L.3/Add.9"), in any case; None when it names none or several."""
    forms = _document_forms(tuple(dict.fromkeys(symbols)))
    return forms.get(re.sub(r"\.\s+", ".", " ".join(name.split())).lower())


def _name_documents(query: str, symbols: tuple[str, ...]) -> tuple[set[str], str]:
    """The documents ``query`` names, and the query without their names."""
    pattern = _document_pattern(symbols)
    if pattern is None:
        return set(), query
    forms = _document_forms(symbols)
    named = {forms[re.sub(r"\.\s+", ".", m.group(0)).lower()] for m in pattern.finditer(query)}
    return named, pattern.sub(" ", query).lstrip(" ,;:-") if named else query


@lru_cache(maxsize=8)
def _document_forms(symbols: tuple[str, ...]) -> dict[str, str]:
    """Lower-cased names of each document: its symbol, and each ending after a "/" that no other
    symbol shares; only those holding a letter and a digit, so that "12" or "report" name nothing."""
    endings: dict[str, set[str]] = defaultdict(set)
    for symbol in symbols:
        parts = symbol.split("/")
        for start in range(len(parts)):
            endings["/".join(parts[start:]).lower()].add(symbol)
    return {form: next(iter(owners)) for form, owners in endings.items()
            if len(owners) == 1 and re.search(r"[a-z]", form) and re.search(r"\d", form)}


@lru_cache(maxsize=8)
def _document_pattern(symbols: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for every name of :func:`_document_forms`, longest first, spaces allowed after dots."""
    forms = sorted(_document_forms(symbols), key=len, reverse=True)
    if not forms:
        return None
    alternatives = "|".join(re.escape(form).replace(r"\.", r"\.\s?") for form in forms)
    return re.compile(rf"(?<![\w/.])(?:{alternatives})(?![\w/])", re.IGNORECASE)


def _paragraph_refs(query: str) -> list[tuple[int, str | None]]:
    refs = [(int(m.group(1)), m.group(2).lower() if m.group(2) else None)
            for m in _PARAGRAPH.finditer(query)]
    bare = _BARE.match(query)
    if not refs and bare:
        letter = bare.group(2) or bare.group(3)
        refs.append((int(bare.group(1)), letter.lower() if letter else None))
    return refs


def _strip_refs(query: str) -> str:
    for pattern in (_PARAGRAPH, _CONCLUSION_ITEM, _LEAD_IN, ALL_CONCLUSIONS, _MEETING, _PANEL,
                    _OPENING_PANEL, LAST_PANEL, HEADING, _BARE):
        query = pattern.sub(" ", query)
    return re.sub(r"\bconclusions?\b|\bmeetings?\b|\bpanels?\b", " ", query, flags=re.IGNORECASE)
