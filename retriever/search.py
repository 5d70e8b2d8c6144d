"""Search an index: direct references, BM25 and dense rankings fused, reranked, with evidence."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path

import numpy as np

from workshop_qa.index.encoder import EncoderUnavailable
from workshop_qa.index.lexical import tokenize
from workshop_qa.index.passage import Passage
from workshop_qa.index.store import (
    IndexSpec,
    LoadedIndex,
    open_index,
    open_query_encoder,
    repair_query_encoder,
)
from workshop_qa.retriever import aliases, participants
from workshop_qa.retriever.answerability import AnswerabilityModel, Signals
from workshop_qa.retriever.coverage import coverage_topic, topic_names
from workshop_qa.retriever.detail import Gap, find_gap
from workshop_qa.retriever.evidence import Evidence, select_evidence
from workshop_qa.retriever.fusion import FUSION_METHODS, combsum, reciprocal_rank_fusion
from workshop_qa.retriever.participants import Participant, find_delegations, find_participants
from workshop_qa.retriever.references import Reference, find_reference
from workshop_qa.retriever.rerank import make_reranker
from workshop_qa.retriever.stance import NEUTRAL, stance
from workshop_qa.retriever.typos import TypoCorrector

MAX_QUERY_CHARS = 2000
_NAME = re.compile(r"(?<!^)(?<![.?!] )(?<!\()\b([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)*)")
_NOT_NAMES = {"i", "the", "what", "which", "who", "is", "did", "does", "un", "and"}
# Pronouns of a follow-up point at earlier turns; left in, they match any sentence that has one.
_PRONOUNS = re.compile(r"\b(?:he|she|they|him|her|them|his|hers|their|it|its|that|this|those|these)\b",
                       re.IGNORECASE)
_ASKS_NUMBER = re.compile(
    r"\b(how many|how much|what percentage|what share|when|what year|which year|what date|"
    r"number of|budget|statistics|figures?|cost|value)\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                     r"dozen|hundred|thousand|million|billion)\b", re.IGNORECASE)
MODES = ("hybrid", "dense", "lexical")
MAX_COVERAGE = 30
_STANCE_WEIGHT = 0.1


class QueryError(ValueError):
    """A query that cannot be searched (empty or too long); the message says what to do."""


@dataclass(frozen=True)
class RetrievalConfig:
    """How a query is searched; every field is a setting."""

    mode: str = "hybrid"
    fusion: str = "combsum"
    rrf_k: float = 60.0
    sentence_weight: float = 0.5
    aliases: bool = True
    references: bool = True
    typos: bool = True
    reranker: str = "sentence"
    rerank_depth: int = 10
    evidence_sentences: int = 2
    encoder_threads: int = 1

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"Unknown retrieval mode '{self.mode}': use one of {', '.join(MODES)}.")
        if self.fusion not in FUSION_METHODS:
            raise ValueError(f"Unknown fusion '{self.fusion}': use one of {', '.join(FUSION_METHODS)}.")


@dataclass(frozen=True)
class Filters:
    """Restrict a search to passages of one section, panel, meeting or document."""

    section: str | None = None
    panel: int | None = None
    meeting: int | None = None
    document: str | None = None

    def admits(self, passage: Passage) -> bool:
        """Whether ``passage`` passes every filter that is set."""
        return (
            (self.section is None or passage.section.lower() == self.section.lower())
            and (self.panel is None or passage.panel == self.panel)
            and (self.meeting is None or self.meeting in passage.meetings)
            and (self.document is None or passage.doc == self.document)
        )


@dataclass(frozen=True)
class Hit:
    """A retrieved passage, its score and rank (from 1), and the sentences that match the query."""

    passage: Passage
    score: float
    rank: int
    evidence: tuple[Evidence, ...] = ()
    via: str = "search"


@dataclass(frozen=True)
class SearchResult:
    """The ranked hits for a query, and whether they answer it."""

    query: str
    hits: tuple[Hit, ...]
    answerable: bool
    confidence: float
    direct_reference: bool = False
    signals: Signals | None = field(default=None, compare=False)
    searched_for: str = ""
    """The query as searched when typing errors were corrected in it, else empty."""
    gap: Gap | None = None
    """The detail the query asks for that the best evidence lacks, if any."""
    coverage: str = ""
    """For "where does the report talk about X?", X: the hits are every passage mentioning it."""


class Retriever:
    """Answers queries against one loaded index."""

    def __init__(self, index: LoadedIndex, config: RetrievalConfig = RetrievalConfig()) -> None:
        self.index = index
        self.config = config
        self._passage_texts = [p.text for p in index.passages]
        self._corpus_text = "\n".join(self._passage_texts)
        self._position = {p.id: i for i, p in enumerate(index.passages)}
        self._sentence_owner = np.array([s.passage for s in index.sentences], dtype=np.int64)
        self._spans_by_passage: dict[int, list[int]] = {}
        for position, sentence in enumerate(index.sentences):
            self._spans_by_passage.setdefault(sentence.passage, []).append(position)
        self._vocabulary = set(index.lexical.vocab_dict)
        self._passage_tokens = [set(tokens) for tokens in tokenize(self._passage_texts)]
        self._sentence_tokens = [set(tokens) for tokens in tokenize(
            [self._passage_texts[s.passage][s.start : s.end] for s in index.sentences])]
        self._sentence_stance = np.array([stance(self._passage_texts[s.passage][s.start : s.end])
                                          for s in index.sentences], dtype=np.float32)
        self.participants = find_participants(index.passages)
        self._speakers = sorted({re.sub(r"\s*\(.*?\)", "", name)
                                 for name in find_delegations(index.passages)})
        self._typos = TypoCorrector(self._passage_texts)
        self._reranker = make_reranker(config.reranker)
        self._answerability = AnswerabilityModel.load()

    @classmethod
    def open(cls, spec: IndexSpec = IndexSpec(), directory: Path | None = None,
             config: RetrievalConfig = RetrievalConfig(), **kwargs) -> Retriever:
        """Open (building if needed) the index for ``spec`` and return a retriever over it."""
        return cls(open_index(spec, directory, **kwargs), config)

    @cached_property
    def encoder(self):
        """The index's sentence-transformers model, loaded on first use (imports torch)."""
        from workshop_qa.index.embed import load_encoder

        return load_encoder(self.index.manifest["model"])

    @cached_property
    def _query_encoder(self) -> Callable[[list[str]], np.ndarray]:
        """The index's ONNX export; sentence-transformers when it is unusable, exporting it again."""
        try:
            return open_query_encoder(self.index, self.config.encoder_threads).encode
        except EncoderUnavailable as error:
            repairable = "skipped" not in (self.index.manifest.get("query_encoder") or {})
            print(f"{error}; encoding queries with sentence-transformers"
                  + (" and exporting it again." if repairable else "."), file=sys.stderr)
        from workshop_qa.index.embed import embed_texts

        if repairable:
            repair_query_encoder(self.index, self.encoder, notify=lambda line: print(line, file=sys.stderr))
        return partial(embed_texts, self.encoder)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors of ``texts`` in the index's embedding space."""
        return self._query_encoder(texts)

    def is_lookup(self, text: str) -> bool:
        """Whether ``text`` is nothing but a direct reference, such as "para 16" or "23 (c)"."""
        reference = find_reference(text, self.index.passages) if self.config.references else None
        return bool(reference and reference.only)

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with this id, if any."""
        position = self._position.get(passage_id)
        return None if position is None else self.index.passages[position]

    def search(self, query: str, k: int = 5, filters: Filters | None = None,
               focus: str | None = None) -> SearchResult:
        """The ``k`` best passages for ``query`` that pass ``filters``.

        ``focus``, when given, is what evidence sentences are chosen for: the latest turn of a
        follow-up ("which platform did she mention?") rather than the whole resolved question.
        """
        query = _validated(query)
        filters = filters or Filters()
        reference = (
            find_reference(query, self.index.passages) if self.config.references else None
        )
        if reference and reference.only:
            hits = tuple(
                Hit(p, 1.0, rank, via="reference")
                for rank, p in enumerate([p for p in reference.passages if filters.admits(p)][:k], 1)
            )
            return SearchResult(query, hits, bool(hits), 1.0 if hits else 0.0, direct_reference=True)
        topic = coverage_topic(query) if self.config.references else None
        if topic:
            covered = self._coverage(query, topic, filters)
            if covered.hits:
                return covered
        corrected = self._typos.correct(query) if self.config.typos else query
        if corrected == query:
            return self._search(query, k, filters, focus, reference)
        focus = self._typos.correct(focus) if focus else focus
        reference = find_reference(corrected, self.index.passages) if self.config.references else None
        result = self._search(corrected, k, filters, focus, reference)
        return replace(result, query=query, searched_for=corrected)

    def _search(self, query: str, k: int, filters: Filters, focus: str | None,
                reference: Reference | None) -> SearchResult:
        allowed = np.array([filters.admits(p) for p in self.index.passages])
        expanded = aliases.expand(query, self._corpus_text) if self.config.aliases else query
        query_tokens = tokenize([expanded])[0]
        if not query_tokens and not reference:
            raise QueryError(f"Nothing to search for in '{query}': ask about the report, or type "
                             "'para 12'.")
        lexical = np.asarray(self.index.lexical.get_scores(query_tokens), dtype=np.float32)
        passage_sims, sentence_sims = self._dense(expanded)
        sentence_sims = self._with_stance(sentence_sims, stance(focus or query))
        best_sentence = np.full(len(self.index.passages), -1.0, dtype=np.float32)
        np.maximum.at(best_sentence, self._sentence_owner, sentence_sims)
        dense = (1 - self.config.sentence_weight) * passage_sims + (
            self.config.sentence_weight * best_sentence
        )
        candidates = np.flatnonzero(allowed)
        fused = self._fuse(candidates, lexical, dense)
        order = sorted(candidates, key=lambda i: (-fused[i], -dense[i]))
        depth = self.config.rerank_depth
        head = order[:depth]
        if head and self.config.reranker != "none":
            scores = self._reranker(query, [self._passage_texts[i] for i in head],
                                    np.array([fused[i] for i in head]), best_sentence[head])
            rescored = dict(zip(head, scores, strict=True))
            head = sorted(head, key=lambda i: -rescored[i])
            fused = {**fused, **rescored}
        query_words = set(tokenize([query])[0])
        order = self._promote(head + order[depth:], self._naming_identifiers(query_words))
        if reference:
            order = self._promote(self._promote(order, reference.scope), reference.passages)
        person = participants.mentioned(query, self.participants)
        if person and not reference:
            order = self._promote_person(order, person, participants.asks_who(query))

        evidence_sims, evidence_words = sentence_sims, query_words
        focus = _PRONOUNS.sub(" ", focus or "").strip()
        if focus and focus != query:
            evidence_sims = self._with_stance(self._dense(focus)[1], stance(focus))
            evidence_words = set(tokenize([focus])[0]) or query_words
        scores = _decreasing([float(fused.get(i, 0.0)) for i in order[:k]])
        hits = tuple(
            Hit(self.index.passages[i], scores[rank - 1], rank,
                self._evidence(i, evidence_sims, evidence_words),
                via="reference" if reference and self.index.passages[i] in reference.passages
                else "search")
            for rank, i in enumerate(order[:k], start=1)
        )
        signals = self._signals(query, query_words, hits, best_sentence, candidates, person)
        confidence = self._answerability.probability(signals) if signals else 0.0
        about_person = bool(person and hits and hits[0].passage.id in
                            (person.named_in, *person.presented_in))
        answerable = bool(reference and reference.passages) or about_person or (
            signals is not None and self._answerability.answers(signals))
        gap = find_gap(query, " ".join(e.text for e in hits[0].evidence), hits[0].passage,
                       [p.name for p in self.participants], self._speakers) if hits else None
        return SearchResult(query, hits, answerable, confidence, signals=signals, gap=gap)

    def _coverage(self, query: str, topic: str, filters: Filters) -> SearchResult:
        """Every passage that mentions ``topic``, in report order, each with the sentence that does."""
        wanted = [set(tokens) for tokens in tokenize(topic_names(topic)) if tokens]
        hits = []
        for position, passage in enumerate(self.index.passages):
            tokens = self._passage_tokens[position]
            if not filters.admits(passage) or not any(names <= tokens for names in wanted):
                continue
            sentences = self._spans_by_passage.get(position, [])
            first = next((s for s in sentences if any(n <= self._sentence_tokens[s] for n in wanted)),
                         sentences[0])
            ref = self.index.sentences[first]
            text = passage.text[ref.start : ref.end]
            hits.append(Hit(passage, 0.0, len(hits) + 1, (Evidence(text, ref.start, ref.end, 1.0),)))
        hits = hits[:MAX_COVERAGE]
        scores = _decreasing([0.0] * len(hits))
        hits = [replace(hit, score=score) for hit, score in zip(hits, scores, strict=True)]
        return SearchResult(query, tuple(hits), bool(hits), 1.0 if hits else 0.0, coverage=topic)

    def _naming_identifiers(self, query_words: set[str]) -> tuple[Passage, ...]:
        """Passages containing every identifier of the query, such as "1483" or "2199".

        Numbers are the surest words a delegate types; similarity alone blurs 1483 with 2199.
        """
        identifiers = {t for t in query_words if t.isdigit() and len(t) >= 3}
        identifiers &= self._vocabulary
        if not identifiers:
            return ()
        return tuple(p for p, tokens in zip(self.index.passages, self._passage_tokens, strict=True)
                     if identifiers <= tokens)

    def _with_stance(self, sentence_sims: np.ndarray, wanted: int) -> np.ndarray:
        """Sentence similarities raised where a sentence takes the stance the question asks about
        ("who opposed ...") and lowered where it takes the opposite one."""
        if wanted == NEUTRAL:
            return sentence_sims
        return sentence_sims + _STANCE_WEIGHT * wanted * self._sentence_stance

    def _promote_person(self, order: list[int], person: Participant, asks_who: bool) -> list[int]:
        """Put first the passage that names the person (for "who") or reports what they said."""
        named = tuple(filter(None, [self.passage(person.named_in)]))
        presented = tuple(filter(None, map(self.passage, person.presented_in)))
        first, then = (named, presented) if asks_who else (presented, named)
        return self._promote(self._promote(order, then), first)

    def _promote(self, order: list[int], scope: tuple[Passage, ...]) -> list[int]:
        """Move the passages of ``scope`` ahead of the others, keeping the search order."""
        inside = {self._position[p.id] for p in scope}
        return [i for i in order if i in inside] + [i for i in order if i not in inside]

    def _dense(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        if self.config.mode == "lexical" and self.config.sentence_weight == 0:
            n, m = len(self.index.passages), len(self.index.sentences)
            return np.zeros(n, np.float32), np.zeros(m, np.float32)
        vector = self.embed([text])
        return _all_scores(self.index.passage_vectors, vector), _all_scores(
            self.index.sentence_vectors, vector)

    def _fuse(self, candidates: np.ndarray, lexical: np.ndarray, dense: np.ndarray) -> dict[int, float]:
        lexical_ranking = [int(i) for i in sorted(candidates, key=lambda i: -lexical[i]) if lexical[i] > 0]
        dense_ranking = [int(i) for i in sorted(candidates, key=lambda i: -dense[i])]
        if self.config.mode == "lexical":
            return {i: float(lexical[i]) for i in candidates}
        if self.config.mode == "dense":
            return {i: float(dense[i]) for i in candidates}
        if self.config.fusion == "rrf":
            return reciprocal_rank_fusion([lexical_ranking, dense_ranking], self.config.rrf_k)
        return combsum([{i: float(lexical[i]) for i in lexical_ranking},
                        {i: float(dense[i]) for i in dense_ranking}])

    def _evidence(self, passage: int, sentence_sims: np.ndarray,
                  query_words: set[str]) -> tuple[Evidence, ...]:
        positions = self._spans_by_passage.get(passage, [])
        sentences = [self.index.sentences[p] for p in positions]
        text = self._passage_texts[passage]
        overlap = np.array([len(query_words & self._sentence_tokens[p]) / max(len(query_words), 1)
                            for p in positions], dtype=np.float32)
        return select_evidence(text, [(s.start, s.end) for s in sentences],
                               sentence_sims[positions], overlap, self.config.evidence_sentences)

    def _signals(self, query: str, query_words: set[str], hits: tuple[Hit, ...],
                 best_sentence: np.ndarray, candidates: np.ndarray,
                 person: Participant | None) -> Signals | None:
        if not hits:
            return None
        # A person's name is not missing from the passage that reports what the person said.
        known = person.describe() if person and hits[0].passage.id in person.presented_in else ""
        words = query_words or {""}
        evidence = " ".join(e.text for e in hits[0].evidence)
        evidence_words = set(tokenize([evidence])[0]) if evidence else set()
        asks_number = bool(_ASKS_NUMBER.search(query))
        return Signals(
            best_sentence=float(best_sentence[candidates].max()),
            corpus_coverage=len(words & self._vocabulary) / len(words),
            evidence_coverage=len(words & evidence_words) / len(words),
            number_gap=float(asks_number and not _NUMBER.search(evidence)),
            name_missing=float(any(
                not any(other in hits[0].passage.text for other in aliases.other_names(name))
                for name in _names(query) if name not in known)),
        )


def _decreasing(scores: list[float], step: float = 1e-4) -> list[float]:
    """Scores in rank order made strictly decreasing by raising any that a promotion put above a
    higher score, so that tools which sort a run file by score see the same ranking."""
    out = list(scores)
    for i in range(len(out) - 2, -1, -1):
        out[i] = max(out[i], out[i + 1] + step)
    return out


def _names(query: str) -> list[str]:
    """Capitalized names inside a question (not its first word): "Germany", "Mariya Polner"."""
    return [name for name in _NAME.findall(query) if name.lower() not in _NOT_NAMES]


def _validated(query: str) -> str:
    query = " ".join((query or "").split())
    if not query:
        raise QueryError("The question is empty: type a question about the report, or 'para 12'.")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"The question is {len(query):,} characters long; ask in at most {MAX_QUERY_CHARS:,}."
        )
    if any("\ud800" <= character <= "\udfff" for character in query):
        raise QueryError("The question contains characters that are not valid text; type it again.")
    return query


def _all_scores(index, vector: np.ndarray) -> np.ndarray:
    """Inner products of ``vector`` with every vector of a flat FAISS index, in index order."""
    scores, ids = index.search(vector, index.ntotal)
    out = np.empty(index.ntotal, dtype=np.float32)
    out[ids[0]] = scores[0]
    return out
