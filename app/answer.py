"""Answers composed of the report's own sentences, each cited to its paragraph."""

from __future__ import annotations

import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from workshop_qa.app.conversation import (
    FOLLOW_UP,
    REFERENCE,
    Said,
    Turn,
    name_delegation,
    name_discussion,
    name_listed_things,
    names_instrument_of,
    points_into_answer,
    understand,
)
from workshop_qa.app.plan import (
    asked_entries,
    asked_items,
    count_asked,
    list_spans,
    sentences_naming_asked,
    sides_recorded,
    verdict,
)
from workshop_qa.app.settings import Settings
from workshop_qa.index.lexical import tokenize
from workshop_qa.index.passage import Passage
from workshop_qa.index.people import Link, Participant, attributed_to, mentions, talks_reported
from workshop_qa.index.sentences import split_sentences
from workshop_qa.retriever.analysis import ASKS_STATEMENT, ASKS_YES_NO, AnswerPart, Detail, QueryAnalysis
from workshop_qa.retriever.detail import lists_speakers
from workshop_qa.retriever.evidence import Evidence, list_entry
from workshop_qa.retriever.language import REPORT_IN_ENGLISH
from workshop_qa.retriever.leaning import (
    GROUP_PRONOUN,
    IDENTIFIER,
    LEADING_WORDS,
    OF_THOSE,
    QUESTION,
    leans_by_ellipsis,
    leans_by_pronoun,
    own_words,
    points_back_only,
    points_to_someone_unnamed,
    points_with_demonstrative,
)
from workshop_qa.retriever.participants import asks_who_spoke, names_a_topic
from workshop_qa.retriever.rules import rule
from workshop_qa.retriever.search import Filters, Hit, QueryError, Retriever, SearchResult
from workshop_qa.retriever.stance import OPPOSES, SUPPORTS, Holder, Stance, agreement, held_by, holder, stance

REFUSAL = "The report does not address this question."
ABOUT_THE_MEETING = rule(
    "about the meeting a report records",
    "The question asks about 'the workshop', 'the meetings' or 'the report' without naming which: "
    "with several reports, each records its own.",
    r"\bthe\s+(?:workshop|meetings?|report)\b",
    examples=("Who was the workshop's moderator?", "What documents did the meeting have before it?"),
    counterexamples=("Who moderated workshop 9?", "What did speakers say about fisheries?"))
ANSWER_ID_PREFIX = "answer-"
_ANSWERS_KEPT = 1000  # answers an API client may refer to by id
# A sentence of another part of the report the question names ("the conclusions") joins the answer
# only when it matches the question better than the best sentence of the part ranked first, by this
# margin.
_EVIDENCE_MARGIN = 0.03
# A partial answer quotes only what comes closest to the missing detail.
_PARTIAL_SENTENCES = 2
_TALK_SENTENCES = 5
"""At most this many sentences of a participant's talk: the report tells a talk in two to four."""
_CONTEXT_TURNS = 4
_CLOSEST_SHOWN = 3  # a refusal names as many closest passages
LIST_BULLET = "\u2022"  # one item of a list answer, or one side of a debate, per line


@dataclass(frozen=True)
class Quote:
    """A sentence of the answer: verbatim ``passage.text[start:end]``."""

    passage: Passage
    start: int
    end: int

    @property
    def text(self) -> str:
        """The quoted words."""
        return self.passage.text[self.start : self.end]


@dataclass(frozen=True)
class Answer:
    """What the assistant says to one question, with what it rests on."""

    question: str
    resolved_question: str
    answerable: bool
    confidence: float
    quotes: tuple[Quote, ...]
    hits: tuple[Hit, ...]
    kind: str
    text: str
    note: str = ""
    cited: tuple[str, ...] = field(default=())
    turn: Turn | None = field(default=None, compare=False, repr=False)
    """The turn this answers, with what the answer said: what later follow-ups lean on."""
    id: str = field(default_factory=lambda: f"{ANSWER_ID_PREFIX}{uuid.uuid4().hex[:16]}", compare=False)
    """What an API client may pass in a later question's history instead of this question."""

    @property
    def citations(self) -> tuple[str, ...]:
        """Ids of the cited passages, in order of first citation."""
        ids = self.cited or tuple(q.passage.id for q in self.quotes)
        return tuple(dict.fromkeys(ids))

    def to_json(self) -> dict:
        """The answer in the ``ask --json`` schema."""
        return {
            "answer_id": self.id,
            "question": self.question,
            "resolved_question": self.resolved_question,
            "answer": self.text,
            "answerable": self.answerable,
            "confidence": round(self.confidence, 4),
            "kind": self.kind,
            "note": self.note,
            "citations": list(self.citations),
            "citable": [_citable(self, cited) for cited in self.citations],
            "hits": [hit_json(hit) for hit in self.hits],
        }

    def to_text(self) -> str:
        """The answer, then its sources, for a terminal."""
        lines = []
        if self.resolved_question != self.question:
            lines.append(f"(Understood as: {self.resolved_question})\n")
        lines.append(self.text)
        if self.note:
            lines.append(f"\n({self.note})")
        cited = set(self.citations)
        if cited:
            lines.append("\nSources:")
            for hit in (h for h in self.hits if h.passage.id in cited):
                # A passage the answer quotes whole (a lookup) is not printed a second time.
                shown = "" if hit.passage.text in self.text else f": {hit.passage.text}"
                lines.append(f"- {hit.passage.citation} ({hit.passage.section}){shown}")
        elif self.hits:
            lines.append("\nClosest passages (they do not answer it), each with its first sentence:")
            for hit in self.hits[:_CLOSEST_SHOWN]:
                start, end = split_sentences(hit.passage.text)[0]
                lines.append(f"- {hit.passage.citation}: {hit.passage.text[start:end]}")
        return "\n".join(lines)


def _citable(answer: Answer, passage_id: str) -> str:
    """The citation a delegate copies for ``passage_id`` ("A/CONF.222/L.3/Add.1, para. 12")."""
    passage = next((h.passage for h in answer.hits if h.passage.id == passage_id), None) or next(
        (q.passage for q in answer.quotes if q.passage.id == passage_id), None)
    return passage.citation if passage else passage_id


def hit_json(hit: Hit) -> dict:
    """A hit in the JSON schema shared by the CLI and the API."""
    p = hit.passage
    return {
        "id": p.id, "citation": p.citation, "para": p.para, "item": p.item, "section": p.section,
        "panel": p.panel, "rank": hit.rank, "score": round(hit.score, 6), "text": p.text,
        "evidence": [{"text": e.text, "start": e.start, "end": e.end} for e in hit.evidence],
    }


def participant_json(person: Participant, retriever: Retriever) -> dict:
    """A participant in the JSON schema of the API: who, in what role, and where the report says."""
    cite = [retriever.passage(i).citation for i in (person.named_in, *person.presented_in)
            if retriever.passage(i)]
    return {"name": person.name, "role": person.role, "organization": person.affiliation,
            "named_in": cite[:1], "presented_in": cite[1:],
            "presented_in_tied_by": person.linked_by.value if person.linked_by else None}


def compose_extractive(result: SearchResult, max_sentences: int, analysis: QueryAnalysis | None = None,
                       several: bool = False,
                       asked_of: Holder = Holder.ANYONE) -> tuple[tuple[Quote, ...], str]:
    """The quotes that answer, and the answer text with a citation after each quote. With the
    question's ``analysis``, a question whether views differed quotes every side the report
    records (a yes or no opens it when the views are held by whom the user ``asked_of``), and a
    list question every paragraph naming an item. With ``several`` documents in the index, each
    citation names its document."""
    if result.direct_reference:
        quotes = tuple(Quote(h.passage, 0, len(h.passage.text)) for h in result.hits)
    elif result.coverage:
        quotes = tuple(Quote(h.passage, e.start, e.end) for h in result.hits for e in h.evidence[:1])
        listed = quoted(quotes, several)
        count = f"{len(quotes)} paragraph" + ("s" if len(quotes) > 1 else "")
        return quotes, f"The report mentions {result.coverage} in {count}: {listed}"
    elif not result.answerable or not result.hits:
        return (), _refusal_text(result, several)
    elif result.hits[0].via == "role":  # the whole lists of who held the role, not one entry of them
        quotes = tuple(Quote(h.passage, 0, len(h.passage.text)) for h in result.hits if h.via == "role")
    elif analysis is not None and not result.gap and (
            planned := _planned(analysis, result, several, asked_of)):
        return planned
    else:
        quotes = _best_quotes(result.hits, max_sentences if not result.gap else _PARTIAL_SENTENCES)
    text = quoted(quotes, several)
    if result.gap and not result.direct_reference:
        text = f"The report {result.gap.missing}. What it says: {text}"
    return quotes, text


def _planned(analysis: QueryAnalysis, result: SearchResult, several: bool,
             asked_of: Holder) -> tuple[tuple[Quote, ...], str] | None:
    """Every side of a debate, or every paragraph naming an item of a list; None for questions
    answered from the top passage alone."""
    # what someone said, unless the question asks one fact of it (a year, a number, a place)
    factual = analysis.detail in (Detail.NUMBER, Detail.DATE, Detail.TIME, Detail.PLACE, Detail.COUNTRY)
    talk = _who_and_what(result) if ASKS_STATEMENT.matches(analysis.text) and not factual else ()
    if talk:
        person = result.person  # _who_and_what quotes a talk only when its passage is among the hits
        told = next(h.passage for h in result.hits if h.passage.id == person.presented_in[0])
        return talk, f"{person.attribution(told)}.\n{quoted(talk, several)}"
    if analysis.every_side and result.hits[0].via == "search":
        sides = sides_recorded(result.hits)
        quotes = tuple(Quote(s.passage, s.start, s.end) for s in (*sides.debate, *sides.others))
        # the sides of the debate asked about, not a view of another matter
        debate = [q.text for q in quotes[: len(sides.debate)]]
        yes_or_no = ASKS_YES_NO.matches(analysis.text)
        line = verdict(analysis.stance, debate, asked_of) if yes_or_no and debate else ""
        listed = listed_quotes(quotes, several) if len(quotes) > 1 else quoted(quotes, several)
        return quotes, f"{line}\n{listed}" if line else listed
    first, top = result.hits[0], result.hits[0].passage
    named = [d for d in analysis.delegations if mentions(top.text, d)]
    if ASKS_YES_NO.matches(analysis.text) and asks_who_spoke(analysis.text) and lists_speakers(top) \
            and named and len(named) == len(analysis.delegations):  # "did Peru speak at the 5th?"
        quotes = tuple(Quote(top, e.start, e.end) for e in first.evidence)
        return quotes, (f"Yes: {_cited(top, several)} lists {' and '.join(named)} among the "
                        f"delegations that made statements.\n{quoted(quotes, several)}")
    kind = asked_items(analysis.text) if not factual else None  # "which bodies ...?" asks several
    subjects = (*analysis.delegations, *analysis.countries, *(p.name for p in analysis.people))
    spans = list_spans(kind, result.hits, subjects, count_asked(analysis.text)) if kind else ()
    quotes = tuple(Quote(s.passage, s.start, s.end) for s in spans)
    if (count := len({s.passage for s in spans})) >= 2:
        return quotes, f"The report names {kind} in {count} paragraphs:\n{listed_quotes(quotes, several)}"
    if quotes:  # the sentences of the one paragraph that name them
        return quotes, listed_quotes(quotes, several) if len(quotes) > 1 else quoted(quotes, several)
    entries = asked_entries(analysis.text, top)
    if len(entries) >= 2:
        quotes = tuple(Quote(s.passage, s.start, s.end) for s in entries)
        return quotes, (f"{len(quotes)} entries of the list in {_cited(top, several)}:\n"
                        f"{listed_quotes(quotes, several)}")
    # "which training activities ...?": the top paragraph's sentences naming such things, beside its evidence
    evidence = [Quote(top, e.start, e.end) for e in first.evidence]
    naming = [Quote(s.passage, s.start, s.end) for s in sentences_naming_asked(analysis.text, top)]
    if not set(naming) - set(evidence):
        return None
    quotes = (*evidence, *(quote for quote in naming if quote not in evidence))  # the best sentence leads
    return quotes, quoted(quotes, several)


def _who_and_what(result: SearchResult) -> tuple[Quote, ...]:
    """For a question what a participant said, when the report ties their talk to them and the
    passage ranked first is that talk or the list naming them: their talk in the report's order
    (led by the sentence nearest the topic the question names, if it names one), and their own entry
    of the list (cut at its separators), in the order of the two passages' ranks; empty otherwise."""
    person = result.person
    if person is None or not person.presented_in:
        return ()
    by_id = {hit.passage.id: hit for hit in result.hits}
    named, talk = by_id.get(person.named_in), by_id.get(person.presented_in[0])
    if named is None or talk is None or result.hits[0] not in (named, talk):
        return ()
    entry = next((e for e in named.evidence if e.names_person), None)
    if entry is None:
        return ()
    start, end = _talk_span(talk.passage, person)
    best = max((e for e in talk.evidence if start <= e.start < end), key=lambda e: e.score, default=None)
    # the sentence nearest the topic asked about, if any, then the rest of the talk as the report tells it
    told = [*([Quote(talk.passage, best.start, best.end)] if best else []),
            *(Quote(talk.passage, s, e) for s, e in split_sentences(talk.passage.text)
              if start <= s < end and not (best and s == best.start))][:_TALK_SENTENCES]
    if not names_a_topic(result.query):
        told.sort(key=lambda quote: quote.start)
    named_as = [Quote(named.passage, entry.start, entry.end)]
    return tuple(dict.fromkeys(named_as + told if result.hits[0] is named else told + named_as))


def _talk_span(passage: Passage, person: Participant) -> tuple[int, int]:
    """Where ``passage`` reports ``person``'s talk: from where it begins to the next sentence
    opening a talk ("Another panellist ..."); only its sentence when it is tied to them by the
    country it names, which a sentence about several panellists may do."""
    text, start = passage.text, person.talk_start(passage.id)
    sentences = [(s, e) for s, e in split_sentences(text) if e > start]
    if person.linked_by == Link.COUNTRY:
        return sentences[0] if sentences else (start, len(text))
    after = next((s for s, e in sentences[1:] if talks_reported(text[s:e])), len(text))
    return start, after


def _best_quotes(hits: tuple[Hit, ...], limit: int) -> tuple[Quote, ...]:
    """The top hit's evidence; from other hits, the sentence naming the person asked about (who they
    are, beside what they said) and, when the question names a part of the report, that part's
    sentences that match better than the top hit's best. Another passage is not quoted for matching
    the question's words better than the top one: most often it answers something else. The best
    sentence leads; the others follow in report order."""
    scope = hits[0].via == "scope"
    hits = tuple(h for h in hits if h.via == hits[0].via) if scope else hits
    lead = max(hits[0].evidence, key=lambda e: e.score, default=None)
    bar = (lead.score if lead else 0.0) + _EVIDENCE_MARGIN
    chosen: list[Quote] = []
    for rank, hit in enumerate(hits):
        for evidence in hit.evidence:
            if rank == 0 or evidence.names_person or (scope and evidence.score >= bar):
                chosen.append(Quote(hit.passage, evidence.start, evidence.end))
    unique = list(dict.fromkeys(chosen))[:limit]
    first = Quote(hits[0].passage, lead.start, lead.end) if lead else None
    rest = sorted((q for q in unique if q != first), key=lambda q: (_position(hits, q.passage), q.start))
    return tuple(([first] if first in unique else []) + rest)


def _position(hits: tuple[Hit, ...], passage: Passage) -> int:
    return next(i for i, h in enumerate(hits) if h.passage == passage)


def quoted(quotes: Sequence[Quote], several: bool = False) -> str:
    """The quotes, each followed by its citation: "[para. 12]", or with ``several`` documents in
    the index, "[A/CONF.222/L.3/Add.1, para. 12]"."""
    return " ".join(f"{q.text} [{_cited(q.passage, several)}]" for q in quotes)


def listed_quotes(quotes: Sequence[Quote], several: bool = False) -> str:
    """The quotes one to a line, each a bullet followed by its citation."""
    return "\n".join(f"{LIST_BULLET} {quoted((q,), several)}" for q in quotes)


def _cited(passage: Passage, several: bool) -> str:
    return passage.citation if several else passage.label


def _refusal_text(result: SearchResult, several: bool) -> str:
    if not result.hits:
        return f"{REFUSAL} No passage matches the filters chosen."
    closest = ", ".join(_cited(h.passage, several) for h in result.hits[:_CLOSEST_SHOWN])
    reason = f" It {result.gap.missing}." if result.gap and result.gap.kind == "topic" else ""
    return f"{REFUSAL}{reason} The closest passages are {closest}."


class Assistant:
    """Answers questions, follow-ups included, from one retriever."""

    def __init__(self, retriever: Retriever, settings: Settings) -> None:
        self.retriever = retriever
        self.settings = settings
        self._given: OrderedDict[str, Answer] = OrderedDict()  # the latest answers, by id
        self._given_lock = threading.Lock()

    def earlier(self, answer_id: str) -> Answer:
        """The answer given here with ``answer_id``; QueryError when it is not (or no longer) known."""
        with self._given_lock:
            found = self._given.get(answer_id)
        if found is None:
            raise QueryError(f"The earlier answer '{answer_id}' is not known here (given by another run, "
                             f"or one of more than {_ANSWERS_KEPT:,} since): pass its question instead.")
        return found

    @property
    def several(self) -> bool:
        """Whether the index holds several documents, so that each citation names its own."""
        return len(self.retriever.index.manifest.get("document_titles", {})) > 1

    def conversation(self, history: Sequence[str | Answer], filters: Filters | None = None,
                     answered: int = _CONTEXT_TURNS) -> Turn | None:
        """The last turn of ``history`` (oldest first), linked to the turns before it, each with
        what its answer said. Earlier answers given are used as they are; questions alone are
        understood in order, and the last ``answered`` of them answered again to know what their
        answers said."""
        turn = None
        history = [self.earlier(item) if isinstance(item, str) and item.startswith(ANSWER_ID_PREFIX) else item
                   for item in history]
        for position, earlier in enumerate(history):
            if isinstance(earlier, Answer) and earlier.turn is not None:
                turn = replace(earlier.turn, before=turn)
            elif position >= len(history) - answered:
                turn = self._answer(str(earlier), turn, filters).turn
            else:
                turn = understand(str(earlier), turn, self.retriever.is_lookup, self.retriever.participants)
        return turn

    def search(self, question: str, history: Sequence[str | Answer] = (), k: int | None = None,
               filters: Filters | None = None) -> tuple[Turn, SearchResult]:
        """The turn ``question`` stands for after ``history``, and the passages retrieved for it."""
        return self._search(question, self.conversation(history, filters), k, filters)

    def _search(self, question: str, previous: Turn | None, k: int | None,
                filters: Filters | None) -> tuple[Turn, SearchResult]:
        """Things the previous answer listed ("the second of those") are named from its quotes. A
        follow-up about the previous answer, or asking for a side of the debate it quoted, is
        searched with that answer's first passage first (for "he" or "she" after an answer about
        one panellist, the passage of their talk); after a refusal there is no such passage."""
        if previous is None and not self.retriever.is_lookup(question) and (
                points_back_only(question) or points_to_someone_unnamed(question)):
            raise QueryError(f"'{question.strip()}' points back to an earlier answer, and this "
                             "conversation has none yet: ask with a name or topic, such as 'Who "
                             "presented for UNESCO?'.")
        if previous is not None and points_into_answer(question):  # "the second of those"
            earlier = [turn for turn in (previous, previous.before) if turn is not None]
            question = next((named for turn in earlier  # or those of the answer before a lookup
                             if (named := name_listed_things(question, " ".join(turn.said.quoted),
                                                             turn.resolved)) != question), question)
        if panel := self._last_panel(previous):  # "in that discussion": where it was answered
            question = name_discussion(question, panel)
        if GROUP_PRONOUN.matches(question) and not OF_THOSE.matches(question) \
                and (delegation := self._delegation_of(previous)):
            question = name_delegation(question, delegation)
        turn = understand(question, previous, self.retriever.is_lookup, self.retriever.participants)
        if turn.kind == FOLLOW_UP and self.settings.llm_url:
            from workshop_qa.app.rewrite import rewrite_follow_up

            rewritten = rewrite_follow_up(turn, _questions(previous), self.retriever.index.lexical.vocab_dict,
                                          self.settings)
            turn = replace(turn, resolved=rewritten or turn.resolved)
        focus = turn.focus if turn.kind == FOLLOW_UP else None
        before = previous.said.cited[0] if previous is not None and previous.said.cited else None
        views = before is not None and turn.kind != REFERENCE and self._asks_views_on_previous(turn)
        if views and not turn.besides_previous_answer and self._records_asked_side(turn, before):
            turn = replace(turn, on_previous_answer=True)  # "did anyone object?": its other side
        if before and turn.points_to_someone and previous.person and len(previous.person.presented_in) == 1:
            before = previous.person.presented_in[0]  # "he" after "who presented it?": his talk
        elif before and turn.points_to_someone and previous.person is None and not previous.said.people:
            before = self._last_talk(previous) or before  # "he" after an answer naming no one: a talk ago
        if before and OF_THOSE.matches(turn.text) and previous.named_people:  # "which of those two ...?"
            before = previous.named_people[0].named_in
        elif before and OF_THOSE.matches(turn.text) and len(previous.said.cited) > 1:
            before = self._best_of(turn, previous.said.cited, filters)  # "which of those paragraphs ...?"
        result = self.retriever.search(turn.resolved, k=k or self.settings.k, filters=filters, focus=focus,
                                       anchor=before if turn.on_previous_answer else None,
                                       besides=before if turn.besides_previous_answer else None)
        return self._own_reading(turn, result, k, filters)

    def _cited_lately(self, previous: Turn | None, turns_back: int = 3) -> Iterator[Passage]:
        """The passage first cited by each of the last ``turns_back`` turns that cited one, latest
        first."""
        turn = previous
        for _ in range(turns_back):
            if turn is None:
                return
            cited = self.retriever.passage(turn.said.cited[0]) if turn.said.cited else None
            if cited is not None:
                yield cited
            turn = turn.before

    def _last_panel(self, previous: Turn | None) -> int | None:
        """The panel of the latest of the last turns' answers that comes from a panel: what "that
        discussion" or "the debate after that panel" means (a question about a panellist's
        affiliation may come between)."""
        return next((cited.panel for cited in self._cited_lately(previous) if cited.panel), None)

    def _last_talk(self, previous: Turn) -> str:
        """The passage first cited by the latest of the last turns whose answer reports a
        panellist's talk: whom "he" or "she" means when no turn named a person."""
        return next((cited.id for cited in self._cited_lately(previous) if talks_reported(cited.text)), "")

    def _best_of(self, turn: Turn, cited: tuple[str, ...], filters: Filters | None) -> str:
        """Of the units an answer cited, the one the search for ``turn`` ranks first: what "which
        of those" picks among them."""
        ranked = self.retriever.search(turn.resolved, k=len(self.retriever.index.passages), filters=filters)
        return next((hit.passage.id for hit in ranked.hits if hit.passage.id in cited), cited[0])

    def _delegation_of(self, previous: Turn | None) -> str:
        """The one delegation the turn ``previous`` was about (its name is that delegation), if any."""
        if previous is None or not previous.name or previous.person is not None:
            return ""
        listed = self.retriever.analyze(previous.resolved).delegations
        named = [d for d in listed if mentions(previous.name, d)]
        if len(named) != 1:
            return ""
        the = re.search(rf"\bthe\s+{re.escape(named[0])}", previous.resolved, re.IGNORECASE)
        return the.group(0) if the else named[0]  # as the conversation named it: "the African Group"

    def _own_reading(self, turn: Turn, result: SearchResult, k: int | None,
                     filters: Filters | None) -> tuple[Turn, SearchResult]:
        """A follow-up that leans on nothing but its leading words ("also, who led the third
        panel?", "and resolution 9999?") is searched without them as well, when it is a whole
        question or names an identifier: when only that search answers from a passage holding every
        word the turn adds, the turn is a new topic."""
        if turn.kind != FOLLOW_UP or turn.on_previous_answer:
            return turn, result
        alone = LEADING_WORDS.pattern.sub("", turn.text)
        added = set(tokenize([" ".join(own_words(alone))])[0])
        leans = leans_by_pronoun(alone) or leans_by_ellipsis(alone) or names_instrument_of(alone, turn.before)
        whole = QUESTION.matches(alone) or IDENTIFIER.matches(alone)
        if leans or not whole or not added or (result.answerable and self._holds(result, added)):
            return turn, result
        own = self.retriever.search(alone, k=k or self.settings.k, filters=filters)
        if not (own.answerable and self._holds(own, added)):
            return turn, result
        own_turn = understand(alone, None, self.retriever.is_lookup, self.retriever.participants)
        # "resolution 9999?", no whole question, is about all it names
        topic = own_turn.topic or ("" if QUESTION.matches(alone) else alone.strip(" ?.!"))
        return replace(own_turn, text=turn.text, topic=topic, meetings=turn.meetings, before=turn.before), own

    @staticmethod
    def _holds(result: SearchResult, words: set[str]) -> bool:
        """Whether the best passage of ``result`` has every one of ``words`` (as BM25 tokens)."""
        return bool(result.hits) and words <= set(tokenize([result.hits[0].passage.text])[0])

    def _asks_views_on_previous(self, turn: Turn) -> bool:
        """Whether ``turn`` asks how speakers stood on what the previous answer said: it asks a
        stance and points back ("any opposition to that?", "was that unanimous?") or names no
        subject of its own ("did anyone object?")."""
        if self.retriever.analyze(turn.text).stance == Stance.NEUTRAL:
            return False
        subject = [w for w in own_words(turn.text) if not (OPPOSES.matches(w) or SUPPORTS.matches(w))]
        return len(subject) <= 1 or points_with_demonstrative(turn.text) or leans_by_pronoun(turn.text)

    def _records_asked_side(self, turn: Turn, passage_id: str) -> bool:
        """Whether the passage ``passage_id`` records the side ``turn`` asks for, held by whom it
        asks about (the floor, the panel): a sentence that names no one holds for anyone."""
        wanted = self.retriever.analyze(turn.text).stance
        passage = self.retriever.passage(passage_id)
        if passage is None:
            return False
        asked = holder(turn.text)
        sentences = (passage.text[start:end] for start, end in split_sentences(passage.text))
        stances = np.array([stance(sentence) for sentence in sentences if held_by(asked, sentence)])
        return bool((agreement(wanted, stances) > 0).any())

    def answer(self, question: str, history: Sequence[str | Answer] = (),
               filters: Filters | None = None) -> Answer:
        """Answer ``question`` given the earlier turns of its conversation: the user's questions,
        the answers given to them, or those answers' ids."""
        answer = self._answer(question, self.conversation(history, filters), filters)
        with self._given_lock:
            self._given[answer.id] = answer
            while len(self._given) > _ANSWERS_KEPT:
                self._given.popitem(last=False)
        return answer

    def _answer(self, question: str, previous: Turn | None, filters: Filters | None) -> Answer:
        asked = self.retriever.analyze(question).about_answer
        if asked is not None and previous is not None and previous.said.cited:
            return self._about_previous(question, asked, previous)
        turn, result = self._search(question, previous, None, filters)
        resolved = turn.resolved
        analysis = self.retriever.analyze(turn.focus if turn.kind == FOLLOW_UP else turn.resolved)
        quotes, text = compose_extractive(result, self.settings.answer_sentences, analysis, self.several,
                                          holder(turn.text))
        each = self._of_each_report(turn.resolved, result, filters) if quotes else []
        if len(each) > 1:  # "who led the workshop?" with two workshops' reports: each one's answer
            result = replace(result, hits=tuple(hit for part in each for hit in part.hits))
            parts = [compose_extractive(part, self.settings.answer_sentences, analysis, several=True)
                     for part in each]
            quotes = tuple(quote for part_quotes, _ in parts for quote in part_quotes)
            text = "\n".join(f"{part.hits[0].passage.doc}: {part_text}"
                              for part, (_, part_text) in zip(each, parts, strict=True))
        kind = ("reference" if result.direct_reference else "refusal" if not quotes
                else "partial" if result.gap else "extractive")
        note = f"Searched for: {result.searched_for}" if result.searched_for else ""
        note = REPORT_IN_ENGLISH.get(result.language, note)
        answer = Answer(" ".join(question.split()), resolved, result.answerable, result.confidence,
                        quotes, result.hits, kind, text, note)
        if self.settings.llm_url and kind == "extractive":
            from workshop_qa.app.generate import generate

            generated = generate(resolved, _questions(previous), [h.passage for h in result.hits],
                                 self.settings, self.retriever.embed)
            if not generated.text:
                answer = replace(answer, note=generated.note)
            else:
                answer = replace(answer, kind="generated", text=generated.text, cited=generated.cited,
                                 note=generated.note)
        return replace(answer, turn=replace(turn, said=self._said(answer, result)))

    def _said(self, answer: Answer, result: SearchResult) -> Said:
        quoted = tuple(q.text for q in answer.quotes)
        named = tuple(p for p in self.retriever.participants if any(p.name in text for text in quoted))
        people = named or ((result.person,) if result.person else ())
        return Said(answer.citations, quoted, people)

    def _of_each_report(self, question: str, result: SearchResult,
                        filters: Filters | None) -> list[SearchResult]:
        """For a question about "the workshop", "the meetings" or "the report" that names none of
        the several reports its best passages come from: the answer of each of those reports that
        answers it, in the order of their best passages; empty otherwise."""
        named = filters is not None and filters.document is not None
        if named or result.direct_reference or not ABOUT_THE_MEETING.matches(question):
            return []
        documents = list(dict.fromkeys(hit.passage.doc for hit in result.hits))
        if len(documents) < 2:
            return []
        each = [self.retriever.search(question, k=self.settings.k,
                                      filters=replace(filters or Filters(), document=document))
                for document in documents]
        return [part for part in each if part.answerable and part.hits]

    def _about_previous(self, question: str, asked: AnswerPart, previous: Turn) -> Answer:
        """An answer about the previous answer: where it is, who said it, or what it rests on,
        from what that answer cited and quoted."""
        passages = [p for p in map(self.retriever.passage, previous.said.cited) if p is not None]
        labels = ", ".join(p.label for p in passages)
        several = self.several
        discussion = self._discussion_behind(passages[0]) if asked == AnswerPart.BASIS else None
        if discussion is not None:  # a conclusion rests on the debate, which the report does not point to
            passages = [discussion, passages[0]]
            quotes = (Quote(discussion, 0, len(discussion.text)),)
            text = (f"The report does not say which part of the discussion {passages[1].label} draws on; the "
                    f"discussion closest to it is {_cited(discussion, several)}: {quoted(quotes, several)}")
        elif asked == AnswerPart.BASIS:  # the whole passage the answer quoted: its reasons, if any
            quotes = tuple(Quote(p, 0, len(p.text)) for p in passages[:1])
            text = f"The previous answer rests on {_cited(passages[0], several)}: {quoted(quotes, several)}"
        elif asked == AnswerPart.SPEAKER:  # each cited passage's point, with whom it is attributed to
            each = [self._attribution(p, previous.said) for p in passages]
            quotes = tuple(q for found, _ in each for q in found)
            text = "\n".join(told for _, told in each)
        else:
            quotes = tuple(q for p in passages for q in _quotes_in(p, previous.said.quoted)
                           ) or tuple(Quote(p, 0, len(p.text)) for p in passages[:1])
            text = f"The previous answer comes from {labels} of {passages[0].doc}: {quoted(quotes, several)}"
        kind = "partial" if all(line.startswith("The report does not") for line in text.splitlines()) \
            else "reference"
        hits = tuple(Hit(p, 1.0, rank, via="reference") for rank, p in enumerate(passages, 1))
        turn = replace(previous, text=" ".join(question.split()), kind=FOLLOW_UP, before=previous,
                       said=replace(previous.said, quoted=tuple(q.text for q in quotes)))
        return Answer(turn.text, f"{question.rstrip('?.! ')} (about: {previous.resolved})", True, 1.0,
                      quotes, hits, kind, text, turn=turn)

    def _discussion_behind(self, passage: Passage) -> Passage | None:
        """For a conclusion, the passage of the report's discussion nearest to it in meaning (of
        its own document); None for a passage that is no conclusion."""
        if not passage.in_conclusions:
            return None
        found = self.retriever.search(passage.text, k=10, filters=Filters(document=passage.doc))
        return next((hit.passage for hit in found.hits if hit.passage.section != passage.section
                     and hit.passage.panel is not None), None)

    def _attribution(self, passage: Passage, said: Said) -> tuple[tuple[Quote, ...], str]:
        """Who the report says made the point quoted from ``passage``: the one person whose talk
        it reports, else the report's own words for the speakers ("several speakers")."""
        first = next((q for q in said.quoted if q in passage.text), passage.text)
        start = passage.text.find(first)
        quote = Quote(passage, start, start + len(first))
        speaker = self.retriever.speaker_of(passage.id)
        listing = self.retriever.passage(speaker.named_in) if speaker is not None else None
        if speaker is not None and listing is not None:
            named = next(_evidence_at(listing, span) for span in split_sentences(listing.text)
                         if speaker.name in listing.text[span[0] : span[1]])
            entry = list_entry(listing.text, named, speaker.name)
            entry_quote = Quote(listing, entry.start, entry.end)
            return (entry_quote, quote), (f"{speaker.attribution(passage)}: "
                                          f"{quoted((entry_quote, quote), self.several)}")
        # every point quoted from the passage, each with the report's words for who made it
        points = [(found, attributed_to(found.text)) for found in _quotes_in(passage, said.quoted)
                  ] or [(quote, attributed_to(first))]
        named = " and ".join(f'"{words}"' for words in dict.fromkeys(words for _, words in points if words))
        quotes = tuple(point for point, _ in points)
        if named:
            return quotes, (f"The report does not name them: it attributes this to {named}. "
                            f"{quoted(quotes, self.several)}")
        return quotes, f"The report does not say who made this point: {quoted(quotes, self.several)}"


def _quotes_in(passage: Passage, sentences: Sequence[str]) -> list[Quote]:
    """Each of ``sentences`` that ``passage`` holds, as a quote of it (at its first place)."""
    return [Quote(passage, start, start + len(sentence)) for sentence in sentences
            if (start := passage.text.find(sentence)) >= 0]


def _evidence_at(passage: Passage, span: tuple[int, int]) -> Evidence:
    """The sentence of ``passage`` at ``span`` as evidence naming a person."""
    return Evidence(passage.text[span[0] : span[1]], span[0], span[1], 1.0, True)


def _questions(turn: Turn | None) -> list[str]:
    """The questions of the conversation up to ``turn``, oldest first."""
    asked: list[str] = []
    while turn is not None:
        asked.insert(0, turn.text)
        turn = turn.before
    return asked
