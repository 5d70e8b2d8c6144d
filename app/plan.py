"""What a complete answer quotes, by what the question asks: every side of a debate the report
records, or every paragraph that holds an item of a list.

A lookup or a single fact is answered from the passage ranked first. A question whether views
differed, or yes or no about a stance, needs each side the report records, in its own attribution
("Several speakers ...", "Several other speakers ..."); a question for a list ("which resolutions
...") needs every paragraph that names one, in report order.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from text_to_num import alpha2digit

from workshop_qa.index.countries import country_names
from workshop_qa.index.lexical import tokenize
from workshop_qa.index.names import bodies_named
from workshop_qa.index.passage import Passage
from workshop_qa.index.people import attributed_to, list_entries, mentions
from workshop_qa.index.sentences import split_sentences
from workshop_qa.retriever.analysis import ASKS_WHICH_ONES, WHICH, singular
from workshop_qa.retriever.leaning import own_words
from workshop_qa.retriever.rules import Rule, rule
from workshop_qa.retriever.search import Hit
from workshop_qa.retriever.stance import FLOOR, PANEL, Holder, Stance, held_by, stance

_SIDE_MARGIN = 0.1
"""How much less than the top passage's best sentence another passage's sentence may match the
question and still be quoted as the other side of the same debate."""


_MAX_DEBATES = 3
_SIDE_RANKS = 3
"""A question whether views differed whose top passage takes no side is answered with both sides
when the passages ranked right behind it (up to this rank) record them."""


class ItemKind(StrEnum):
    """Kinds of things a list question asks for, which the report's sentences name."""

    RESOLUTION = "resolutions"
    MEETING = "meetings"
    COUNTRY = "countries"
    INSTRUMENT = "instruments"
    ORGANIZATION = "organizations"


ASKS_RESOLUTIONS = rule(
    "asks which resolutions", "The question asks which resolutions.", WHICH + r"resolutions\b",
    examples=("Which Security Council resolutions were cited?",),
    counterexamples=("Was the resolution adopted?", "What did the speakers say about resolutions?"))
ASKS_MEETINGS = rule(
    "asks which meetings", "The question asks which meetings, or at which.", WHICH + r"meetings\b",
    examples=("At which meetings did Peru speak?",),
    counterexamples=("Who chaired the meeting?", "On what dates did the meetings take place?"))
ASKS_COUNTRIES = rule(
    "asks which countries", "The question asks which countries, states or delegations.",
    WHICH + r"(?:countries|states|delegations|nations|governments)\b",
    examples=("Which countries were given as examples?",), counterexamples=("Which country spoke?",))
ASKS_INSTRUMENTS = rule(
    "asks which instruments", "The question asks which conventions, treaties or instruments.",
    WHICH + r"(?:conventions|treaties|instruments|protocols)\b",
    examples=("Which conventions were States urged to join?",),
    counterexamples=("Is a treaty needed?", "What did they say about conventions?"))
ASKS_ORGANIZATIONS = rule(
    "asks which organizations", "The question asks which organizations, bodies or agencies.",
    WHICH + r"(?:organi[sz]ations|bodies|agencies|institutions|entities)\b",
    examples=("Which international bodies were asked to cooperate?",),
    counterexamples=("Which organization did she work for?", "Who represented the agency?"))
_ASKED_KINDS: tuple[tuple[Rule, ItemKind], ...] = (
    (ASKS_RESOLUTIONS, ItemKind.RESOLUTION), (ASKS_MEETINGS, ItemKind.MEETING),
    (ASKS_INSTRUMENTS, ItemKind.INSTRUMENT), (ASKS_COUNTRIES, ItemKind.COUNTRY),
    (ASKS_ORGANIZATIONS, ItemKind.ORGANIZATION))
_NAMED_IN_MOST = {ItemKind.ORGANIZATION}
"""Kinds of things most of the report's paragraphs name: only the top hit's sentences naming them
are quoted, since another paragraph naming one is most often about something else."""

_NAMED = {
    # "resolutions 1483 (2003) and 2199 (2015)": a series of numbers, each with its year
    ItemKind.RESOLUTION: re.compile(r"\bresolutions?\s+\d{3,4}(?:\s*\(\d{4}\))?"
                                    r"(?:\s*(?:,|and|,\s*and)\s*\d{3,4}(?:\s*\(\d{4}\))?)*"),
    ItemKind.MEETING: re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\s+(?:and\s+\d{1,2}(?:st|nd|rd|th)\s+)?"
                                 r"meetings?\b"),
    ItemKind.INSTRUMENT: re.compile(r"\b(?:Convention|Protocol|Guidelines|Declaration)\b"),
}


_MAX_LEAD = 300
"""Characters before a list's colon read as its lead-in ("the following documents")."""
_MAX_LIST = 5000
"""Characters after a list's colon in which its sentence must end."""
_SENTENCE_END = re.compile(r"\.(?=\s|$)")


@dataclass(frozen=True)
class Span:
    """A sentence of a passage that an answer quotes."""

    passage: Passage
    start: int
    end: int


def asked_items(question: str) -> ItemKind | None:
    """The kind of things a list question asks for, when the report's sentences name such things."""
    return next((kind for asks, kind in _ASKED_KINDS if asks.matches(question)), None)


def items_named(kind: ItemKind, sentence: str) -> frozenset[str]:
    """The things of ``kind`` that ``sentence`` names: the countries, the resolutions and meetings
    by number; for instruments, whether it names one."""
    if kind == ItemKind.COUNTRY:
        return frozenset(name for name in country_names() if re.search(rf"\b{re.escape(name)}\b", sentence))
    if kind == ItemKind.INSTRUMENT:
        return frozenset({kind.value} if _NAMED[kind].search(sentence) else ())
    if kind == ItemKind.ORGANIZATION:
        return bodies_named(sentence)
    if kind == ItemKind.RESOLUTION:  # each number of a series, not the years in brackets
        return frozenset(number for series in _NAMED[kind].findall(sentence)
                         for number in re.findall(r"(?<!\()\b\d{3,4}\b(?!\))", series))
    return frozenset(" ".join(match.split()) for match in _NAMED[kind].findall(sentence))


def count_asked(question: str) -> int | None:
    """How many things a question asking which ones says there are: 2 for "which two resolutions
    ...?", read by text2num; None when it does not say."""
    which = ASKS_WHICH_ONES.search(question)
    if which is None:
        return None
    number = re.search(r"\b\d+\b", alpha2digit(which.group(0), "en", threshold=0))
    return int(number.group(0)) if number else None


def list_spans(kind: ItemKind, hits: tuple[Hit, ...], subjects: Sequence[str] = (),
               count: int | None = None) -> tuple[Span, ...]:
    """The sentences of the hits that name things of ``kind``: in each passage, each sentence that
    names one its earlier sentences quoted did not; the top hit's first, then the others in
    report order; none when the top hit names none. Of the ``subjects`` the
    question names ("at which meetings did Peru speak?"), the other passages name every one the
    top hit names. When the top hit names as many things as the question's ``count`` ("which two
    resolutions ...?"), or the things are of a kind most paragraphs name (organizations), the list
    is the top hit's alone."""
    held = [name for name in subjects if mentions(hits[0].passage.text, name)]
    if count and len(items_named(kind, hits[0].passage.text)) >= count:
        hits = hits[:1]
    if kind in _NAMED_IN_MOST:
        hits = hits[:1]
    spans = []
    for hit in hits:
        if hit.via != hits[0].via:  # "which conventions did the conclusions name?": the conclusions'
            continue
        if not all(mentions(hit.passage.text, name) for name in held):  # another delegation's meetings
            continue
        named: set[str] = set()  # a sentence naming only what an earlier one named is not quoted
        for start, end in split_sentences(hit.passage.text):
            items = items_named(kind, hit.passage.text[start:end])
            if items - named:
                spans.append(Span(hit.passage, start, end))
                named |= items
    if not spans or spans[0].passage != hits[0].passage:
        return ()
    top = [span for span in spans if span.passage == hits[0].passage]
    return (*top, *sorted(spans[len(top):], key=lambda span: (span.passage.span[0], span.start)))


ASKS_TO_LIST = rule(
    "asks to list", "The question asks to list or name things of a kind: 'name the institutes ...'.",
    r"^\W*(?:please\s+)?(?:list|name|enumerate)\s+(?:all\s+|every\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>[a-z]{3,}(?<!s)s)\b",
    examples=("Name the institutes the speakers worked for.", "list all the documents"),
    counterexamples=("Name the chair.", "Which universities?"))
ASKS_WHAT_THING = rule(
    "asks what thing", "The question asks what thing of a kind, by a noun before its verb: 'what "
    "documentation was before it?'.",
    r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[a-z]{3,})\s+(?:did|do|does|was|were|is|are|has|have|had)\b",
    examples=("What material was circulated beforehand?", "which evidence did they cite?"),
    counterexamples=("What did they say?", "Who was there?"))


def asked_noun(question: str) -> str | None:
    """The kind of thing a question asks which of, or asks to list: "institutes" in "which
    institutes ...?" or "name the institutes ...", "material" in "what material was ...?"; None
    when it asks none."""
    found = next((match for asks in (ASKS_WHICH_ONES, ASKS_TO_LIST, ASKS_WHAT_THING)
                  if (match := asks.search(question))), None)
    return found.group("noun") if found else None


def asked_entries(question: str, passage: Passage) -> tuple[Span, ...]:
    """The entries of a list in ``passage`` (after a colon, between semicolons) that a question
    asking which ones wants: those holding the most of the question's own words that the list's
    lead-in does not hold, or all but one of them (a word may be paraphrased); every entry when no
    entry holds such a word but the lead-in names what is asked ("What documents did the workshop
    have before it?", "The workshop had before it the following documents: ..."). The list must be
    of what is asked: its lead-in names it, or each entry quoted does ("which universities ...?").
    Empty when the question asks no kind of thing or the passage holds no such list."""
    asked = asked_noun(question)
    if asked is None:
        return ()
    noun = tokenize([asked])[0]
    question_words = set(tokenize([" ".join(own_words(question))])[0])
    for lead, start, end in _lists(passage.text):
        lead_in = set(tokenize([lead])[0])
        asked = question_words - lead_in
        entries = list_entries(passage.text, start, end)
        words = [set(tokenize([passage.text[s:e]])[0]) for s, e in entries]
        held = [len(asked & entry) for entry in words]
        most = max(held, default=0)
        of_kind = set(noun) <= lead_in  # "the following documents" for "what documents ...?"
        if most == 0 and of_kind:
            return tuple(Span(passage, s, e) for s, e in entries)
        least = most - 1 if most > 1 else most
        chosen = [Span(passage, s, e) for (s, e), n, entry in zip(entries, held, words, strict=True)
                  if most and n >= least and (of_kind or set(noun) <= entry)]  # a list of what is asked
        if chosen:
            return tuple(chosen)
    return ()


def sentences_naming_asked(question: str, passage: Passage) -> tuple[Span, ...]:
    """The sentences of ``passage`` that name the kind of thing a question asks which of ("which
    training activities ...?": a sentence naming "activities"), in report order; none when it asks
    none, or asks which people (speakers, panellists, States)."""
    which = ASKS_WHICH_ONES.search(question) or ASKS_TO_LIST.search(question)  # several things
    if which is None or FLOOR.matches(which.group("noun")) or PANEL.matches(which.group("noun")):
        return ()
    plural = which.group("noun").lower()
    one = singular(plural)
    named = re.compile(rf"\b(?:{re.escape(plural)}|{re.escape(one)})\b", re.IGNORECASE)
    return tuple(Span(passage, start, end) for start, end in split_sentences(passage.text)
                 if named.search(passage.text, start, end))


def _lists(text: str) -> Iterator[tuple[str, int, int]]:
    """Each list inside a sentence of ``text`` ("the following panellists: NAME, BODY; ...; NAME,
    BODY."): its lead-in, and where its entries start and end (after the colon, to the sentence's
    end, with a semicolon between them and no other colon). Linear in ``text``, whatever it holds."""
    ends = [found.start() for found in _SENTENCE_END.finditer(text)]
    colons = [found.start() for found in re.finditer(":", text)]
    semicolons = [found.start() for found in re.finditer(";", text)]
    for number, colon in enumerate(colons):
        following = bisect_right(ends, colon)
        end = ends[following] if following < len(ends) else -1
        next_colon = colons[number + 1] if number + 1 < len(colons) else len(text)
        semicolon = bisect_right(semicolons, colon)
        if 0 < end - colon <= _MAX_LIST and next_colon > end and semicolon < len(semicolons) \
                and semicolons[semicolon] < end:
            window = text[max(0, colon - _MAX_LEAD) : colon]
            yield window[max(window.rfind(mark) for mark in ".:;") + 1 :], colon + 1, end


def _best(hit: Hit) -> float:
    return max((e.score for e in hit.evidence), default=0.0)


_BOTH_SIDES = {Stance.FOR, Stance.AGAINST}


def sides_taken(sentences: Iterable[str]) -> set[Stance]:
    """The sides, for and against, that ``sentences`` take (a sentence setting one view against
    another takes both)."""
    found = {stance(sentence) for sentence in sentences}
    return set(_BOTH_SIDES) if Stance.BOTH in found else found & _BOTH_SIDES


@dataclass(frozen=True)
class Sides:
    """The sides of the debate a question asks about, and other debates close behind it."""

    debate: tuple[Span, ...]
    others: tuple[Span, ...] = ()


def sides_recorded(hits: tuple[Hit, ...]) -> Sides:
    """For a question whether views differed, the debate: the top hit's evidence, with the best
    sentence of the side it lacks from another hit that matches the question nearly as well (when
    the top hit takes no side, the evidence of such a hit that records both), and of a side it
    takes from another hit whose sentence of that side matches the question better than its own;
    then, as other debates, the evidence of every other such hit that records both sides, up to
    ``_MAX_DEBATES`` passages."""
    both = _BOTH_SIDES

    def sides(hit: Hit) -> set[Stance]:
        return sides_taken(e.text for e in hit.evidence)
    top = hits[0]
    bar = _best(top) - _SIDE_MARGIN  # another passage on the same question
    close = [hit for hit in hits[1:] if _best(hit) >= bar]
    debates = [hit for hit in close if sides(hit) == both]
    missing = both - sides(top)
    if len(missing) == 2 and debates:  # the top passage takes no side: the debates close behind it
        top, debates = debates[0], debates[1:]
        missing = set()
    quoted = [Span(top.passage, e.start, e.end) for e in top.evidence]
    if len(missing) == 2:  # nor does any debate close behind: each side, from the passages ranked next
        sides_next = [next(((hit, e) for hit in hits[1:_SIDE_RANKS] for e in hit.evidence
                            if stance(e.text) == side), None) for side in (Stance.FOR, Stance.AGAINST)]
        if all(sides_next):
            quoted += [Span(hit.passage, e.start, e.end) for hit, e in sides_next]
            missing = set()
    if len(missing) == 1:
        wanted = missing.pop()
        other = next(((hit, e) for hit in close for e in hit.evidence
                      if stance(e.text) == wanted and e.score >= bar), None)
        if other:
            quoted.append(Span(other[0].passage, other[1].start, other[1].end))
    for side in sides(top):  # a side the top passage takes, put better by another passage
        own = max(e.score for e in top.evidence if side in sides_taken([e.text]))
        better = next(((hit, e) for hit in hits[1:] for e in hit.evidence
                       if stance(e.text) == side and e.score > own), None)
        if better:
            quoted.append(Span(better[0].passage, better[1].start, better[1].end))
    debate = tuple(dict.fromkeys(quoted))
    others = [Span(hit.passage, e.start, e.end) for hit in debates[: _MAX_DEBATES - 1] if hit is not top
              for e in hit.evidence]
    return Sides(debate, tuple(span for span in dict.fromkeys(others) if span not in debate))


def verdict(asked: Stance, sentences: Sequence[str], by: Holder = Holder.ANYONE) -> str:
    """The one line that opens an answer to a yes-or-no question about a stance, read from the
    sides its quoted ``sentences`` take: that views differed when they take both sides, "Yes" with
    the report's own words for who when they take the side ``asked`` (for or against) and are held
    by whom it asks about (``by``: the floor, the panel), that the passages found record one side
    only when it asks whether views differed and they take one; else nothing: a side the search
    did not find is not evidence that nobody took it, and the line does not say it is."""
    taken = sides_taken(sentences)
    if taken == _BOTH_SIDES:
        return "Views differed: the report records more than one side."
    if asked == Stance.BOTH and len(taken) == 1:
        side = "in favour" if Stance.FOR in taken else "against"
        return f"The passages found record one side only ({side})."
    held = [s for s in sentences if stance(s) == asked and held_by(by, s)]
    if asked in (Stance.FOR, Stance.AGAINST) and held:
        who = next((attributed_to(s) for s in held if attributed_to(s)), "")
        return f"Yes: the report attributes this to {who}." if who else "Yes."
    return ""
