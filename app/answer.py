"""Answers composed of the report's own sentences, each cited to its paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from workshop_qa.app.conversation import FOLLOW_UP, Turn, name_listed_things, points_into_answer, resolve_turn
from workshop_qa.app.settings import Settings
from workshop_qa.index.passage import Passage
from workshop_qa.index.people import Participant
from workshop_qa.index.sentences import split_sentences
from workshop_qa.retriever.language import REPORT_IN_ENGLISH
from workshop_qa.retriever.search import Filters, Hit, Retriever, SearchResult

REFUSAL = "The report does not address this question."
# A sentence of another part of the report the question names ("the conclusions") joins the answer
# only when it matches the question better than the best sentence of the part ranked first, by this
# margin.
_EVIDENCE_MARGIN = 0.03
# A partial answer quotes only what comes closest to the missing detail.
_PARTIAL_SENTENCES = 2
_CONTEXT_TURNS = 4
_CLOSEST_SHOWN = 3  # a refusal names as many closest passages


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

    @property
    def citations(self) -> tuple[str, ...]:
        """Ids of the cited passages, in order of first citation."""
        ids = self.cited or tuple(q.passage.id for q in self.quotes)
        return tuple(dict.fromkeys(ids))

    def to_json(self) -> dict:
        """The answer in the ``ask --json`` schema."""
        return {
            "question": self.question,
            "resolved_question": self.resolved_question,
            "answer": self.text,
            "answerable": self.answerable,
            "confidence": round(self.confidence, 4),
            "kind": self.kind,
            "note": self.note,
            "citations": list(self.citations),
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
            "named_in": cite[:1], "presented_in": cite[1:]}


def compose_extractive(result: SearchResult, max_sentences: int) -> tuple[tuple[Quote, ...], str]:
    """The quotes that answer, and the answer text with a citation after each quote."""
    if result.direct_reference:
        quotes = tuple(Quote(h.passage, 0, len(h.passage.text)) for h in result.hits)
    elif result.coverage:
        quotes = tuple(Quote(h.passage, e.start, e.end) for h in result.hits for e in h.evidence[:1])
        listed = " ".join(f"{q.text} [{q.passage.label}]" for q in quotes)
        count = f"{len(quotes)} paragraph" + ("s" if len(quotes) > 1 else "")
        return quotes, f"The report mentions {result.coverage} in {count}: {listed}"
    elif not result.answerable or not result.hits:
        return (), _refusal_text(result)
    elif result.hits[0].via == "role":  # the whole lists of who held the role, not one entry of them
        quotes = tuple(Quote(h.passage, 0, len(h.passage.text)) for h in result.hits if h.via == "role")
    else:
        quotes = _best_quotes(result.hits, max_sentences if not result.gap else _PARTIAL_SENTENCES)
    text = " ".join(f"{q.text} [{q.passage.label}]" for q in quotes)
    if result.gap and not result.direct_reference:
        text = f"The report {result.gap.missing}. What it says: {text}"
    return quotes, text


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


def _refusal_text(result: SearchResult) -> str:
    if not result.hits:
        return f"{REFUSAL} No passage matches the filters chosen."
    closest = ", ".join(h.passage.label for h in result.hits[:_CLOSEST_SHOWN])
    reason = f" It {result.gap.missing}." if result.gap and result.gap.kind == "topic" else ""
    return f"{REFUSAL}{reason} The closest passages are {closest}."


class Assistant:
    """Answers questions, follow-ups included, from one retriever."""

    def __init__(self, retriever: Retriever, settings: Settings) -> None:
        self.retriever = retriever
        self.settings = settings

    def search(self, question: str, history: Sequence[str] = (), k: int | None = None,
               filters: Filters | None = None,
               context_turns: int = _CONTEXT_TURNS) -> tuple[Turn, SearchResult]:
        """The turn ``question`` stands for after ``history``, and the passages retrieved for it.

        Things the previous answer listed ("the second of those") are named from its quotes. A
        follow-up about the previous answer is searched with that answer's first passage or, for
        "he" or "she" after an answer about one panellist, with the passage of their talk; after a
        refusal there is no such passage. Either way the previous answer is found the way it was
        answered, through up to ``context_turns`` earlier follow-ups of the kind.
        """
        if history and context_turns > 0 and points_into_answer(question):  # "the second of those"
            said, earlier = self.search(history[-1], history[:-1], None, filters, context_turns - 1)
            quotes, _ = compose_extractive(earlier, self.settings.answer_sentences)
            question = name_listed_things(question, " ".join(q.text for q in quotes), said.resolved)
        turn = resolve_turn(question, history, self.retriever.is_lookup, self.retriever.participants)
        if turn.kind == FOLLOW_UP and self.settings.llm_url:
            from workshop_qa.app.rewrite import rewrite_follow_up

            rewritten = rewrite_follow_up(turn, history, self.retriever.index.lexical.vocab_dict,
                                          self.settings)
            turn = replace(turn, resolved=rewritten or turn.resolved)
        focus = turn.focus if turn.kind == FOLLOW_UP else None
        previous = None
        if (turn.on_previous_answer or turn.besides_previous_answer) and history and context_turns > 0:
            earlier = self.search(history[-1], history[:-1], 1, filters, context_turns - 1)[1]
            answered = earlier.answerable or earlier.direct_reference  # not a passage it was refused from
            previous = earlier.hits[0].passage.id if earlier.hits and answered else None
            talk = earlier.person.presented_in if earlier.person and turn.points_to_someone else ()
            previous = talk[0] if len(talk) == 1 else previous  # "he" after "who presented it?": his talk
        result = self.retriever.search(turn.resolved, k=k or self.settings.k, filters=filters, focus=focus,
                                       anchor=previous if turn.on_previous_answer else None,
                                       besides=previous if turn.besides_previous_answer else None)
        return turn, result

    def answer(self, question: str, history: Sequence[str] = (), filters: Filters | None = None) -> Answer:
        """Answer ``question`` given the earlier user questions of its conversation."""
        turn, result = self.search(question, history, filters=filters)
        resolved = turn.resolved
        quotes, text = compose_extractive(result, self.settings.answer_sentences)
        kind = ("reference" if result.direct_reference else "refusal" if not quotes
                else "partial" if result.gap else "extractive")
        note = f"Searched for: {result.searched_for}" if result.searched_for else ""
        note = REPORT_IN_ENGLISH.get(result.language, note)
        answer = Answer(" ".join(question.split()), resolved, result.answerable, result.confidence,
                        quotes, result.hits, kind, text, note)
        if self.settings.llm_url and kind == "extractive":
            from workshop_qa.app.generate import generate

            generated = generate(resolved, list(history or []), [h.passage for h in result.hits],
                                 self.settings, self.retriever.embed)
            if not generated.text:
                return replace(answer, note=generated.note)
            return replace(answer, kind="generated", text=generated.text, cited=generated.cited,
                           note=generated.note)
        return answer
