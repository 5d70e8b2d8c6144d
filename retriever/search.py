"""Search an index: direct references, BM25 and dense rankings fused, reranked, with evidence.

The cost of a search does not grow with the corpus: each retriever (BM25, FAISS or Milvus on
passages and on sentences) gives its top candidates, and fusion, reranking, promotions and evidence
work on those candidates only, with their exact scores read from the index's arrays.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, partial
from pathlib import Path

import faiss
import numpy as np

from workshop_qa.index.corpus import text_fingerprint
from workshop_qa.index.e5 import E5_SMALL
from workshop_qa.index.encoder import EncoderUnavailable
from workshop_qa.index.lexical import tokenize
from workshop_qa.index.metadata import any_equal
from workshop_qa.index.names import other_names
from workshop_qa.index.parse import ORDINALS
from workshop_qa.index.passage import HEADER_PARA, Passage
from workshop_qa.index.people import Participant, mentions, talks_reported
from workshop_qa.index.second_vectors import SecondVectors, open_second_vectors
from workshop_qa.index.store import (
    IndexSpec,
    LoadedIndex,
    open_index,
    open_query_encoder,
    repair_query_encoder,
)
from workshop_qa.index.vectors import CANDIDATES, top_k
from workshop_qa.retriever import aliases, participants, references
from workshop_qa.retriever.analysis import Catalog, Detail, QueryAnalysis, analyze
from workshop_qa.retriever.answerability import AnswerabilityModel, Signals
from workshop_qa.retriever.coverage import coverage_topic, topic_names
from workshop_qa.retriever.detail import (
    AFTER_THE_REPORT,
    Gap,
    date_gap,
    find_gap,
    gives_number,
    holds_detail,
    listed_speakers_asked,
    lists_speakers,
    number_gap,
    spaced,
    statement_gap,
)
from workshop_qa.retriever.evidence import Evidence, list_entry, select_evidence, word_share
from workshop_qa.retriever.fusion import FUSION_METHODS, combsum, reciprocal_rank_fusion
from workshop_qa.retriever.language import Language, identify
from workshop_qa.retriever.other_languages import (
    ASKS_AFTER,
    ASKS_QUANTITY,
    ASKS_WHAT_WAS_SAID,
    ASKS_WHEN,
    COUNTS_PARTICIPANTS,
    countries_named,
    units_in_english,
)
from workshop_qa.retriever.references import Reference, find_reference
from workshop_qa.retriever.related_words import nearest_words, unknown_phrases, unknown_words
from workshop_qa.retriever.rerank import make_reranker
from workshop_qa.retriever.second_model import SecondModelRescorer
from workshop_qa.retriever.stance import Stance, agreement, stance
from workshop_qa.retriever.typos import TypoCorrector

MAX_QUERY_CHARS = 2000
_NAME = re.compile(r"(?<!^)(?<![.?!] )(?<!\()\b([A-Z][\w\-]+(?:\s+[A-Z][\w\-]+)*)")
_NOT_NAMES = {"i", "the", "what", "which", "who", "is", "did", "does", "un", "and"}
_NAME_SUFFIX = re.compile(r"-[a-z]+\b")  # "Gulf-based", "UN-led": the name, not the word it makes
# Pronouns of a follow-up point at earlier turns; left in, they match any sentence that has one.
_PRONOUNS = re.compile(r"\b(?:he|she|they|him|her|them|his|hers|their|it|its|that|this|those|these)\b",
                       re.IGNORECASE)
_COUNTS_PANELLISTS = re.compile(r"\bhow many\s+(?:panell?ists|people|presenters|speakers|experts)\b",
                                re.IGNORECASE)
MODES = ("hybrid", "dense", "lexical")
MAX_COVERAGE = 30
_STANCE_WEIGHT = 0.1
# "did speakers from the floor say ...", "was that pushed in the floor discussion?"
_FROM_THE_FLOOR = re.compile(r"\b(?:from|on|in)\s+the\s+floor\b|\bfloor\s+discussion|"
                             r"\b(?:delegates|delegations|speakers|anyone|countries)\s+(?:in|during)\s+the\s+(?:general\s+)?discussions?\b",
                             re.IGNORECASE)
_ASKS_TALK = re.compile(r"\b(?:presentations?|present(?:ed|s)?|talks?|talked|speech|lecture)\b",
                        re.IGNORECASE)
# Bounds on what a query may pull in from a large corpus: passages promoted for an identifier,
# passages a structural reference may name ("para 2" of thousands of documents, in corpus order),
# passages checked for an alias's exact wording.
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")  # "WCO", "INTERPOL"; not "UN", which every passage implies
_MAX_PROMOTED = 1000
_MAX_REFERENCED = 200
_ALIAS_CHECKS = 256
_UNKNOWN = 2


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
    related_words: int = 2
    """How many of the corpus's nearest words join the lexical query for each query word the corpus
    never uses (0: none); see :mod:`workshop_qa.retriever.related_words`."""
    references: bool = True
    typos: bool = True
    reranker: str = "sentence"
    rerank_depth: int = 10
    evidence_sentences: int = 2
    encoder_threads: int = 1
    candidates: int = CANDIDATES
    """How many passages (and sentences) each retriever proposes before fusion."""
    nprobe: int = 0
    """Inverted lists an IVF index probes; 0 uses the one the index chose when it was built."""
    store: str | None = None
    """Milvus to search instead of FAISS: a Milvus Lite ``.db`` path or ``http(s)://HOST:19530``."""
    store_token: str | None = field(default=None, repr=False)
    second_weight: float | None = None
    """Weight of the second model's score when it rescores an English question's best candidates
    (0: not used; None: the weight measured for the index's second model, see
    :data:`~workshop_qa.retriever.second_model.MEASURED_WEIGHTS`)."""
    second_sentence_weight: float = 0.8
    """Share of the best sentence in the second model's score of a passage (the rest: the whole
    passage's similarity)."""
    second_depth: int = 30
    """How many of the best candidates the second model rescores."""
    multilingual_lexical_weight: float = 0.005
    """Weight of BM25 (scaled to at most 1) beside the multilingual model's similarity, for a
    question in another language than the report's."""
    language_centring: float = 0.25
    """How far a question in another language is moved from its language's mean towards
    English's before it is compared with the report (0: not at all, 1: the whole difference). On
    the dev questions in five languages, MRR@10 0.896 (0), 0.918 (0.25), 0.934 (0.5), 0.911 (0.75)
    with means of 50 names; with 100, 0.918 (0.25) and 0.910 (0.5): 0.25 holds either way."""

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

    def is_set(self) -> bool:
        """Whether any filter is set."""
        return any(value is not None for value in (self.section, self.panel, self.meeting, self.document))

    def as_dict(self) -> dict:
        """The filters as a plain dict, as stores take them."""
        return {"section": self.section, "panel": self.panel, "meeting": self.meeting,
                "document": self.document}


@dataclass(frozen=True)
class Hit:
    """A retrieved passage, its score and rank (from 1), and the sentences that match the query."""

    passage: Passage
    score: float
    rank: int
    evidence: tuple[Evidence, ...] = ()
    via: str = "search"
    """Why the passage is here: "search", "reference" (named by the query), "scope" (in the part
    of the report the query names: "after the third panel") or "role" (it names the people of the
    role asked about: "Which experts presented?")."""


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
    person: Participant | None = None
    """The one participant the answer is about, if any: whom a later "he" or "she" means."""
    language: Language = Language.ENGLISH
    """The language the query is written in."""


class Retriever:
    """Answers queries against one loaded index."""

    def __init__(self, index: LoadedIndex, config: RetrievalConfig = RetrievalConfig()) -> None:
        self.index = index
        self.config = config
        self._vocabulary = index.lexical.vocab_dict
        self._reranker = make_reranker(config.reranker)
        self._answerability = AnswerabilityModel.load()
        self._names_used: dict[str, bool] = {}
        self._stance = np.full(len(index.sentences), _UNKNOWN, dtype=np.int8)
        self._reference = lru_cache(maxsize=256)(self._find_reference)  # asked twice per question
        self._side_thread = ThreadPoolExecutor(max_workers=1)  # query words embedded beside the query
        self._second_vectors = open_second_vectors(index, config.encoder_threads,
                                                   notify=lambda line: print(line, file=sys.stderr))
        self._second = SecondModelRescorer.open(self._second_vectors, config.second_weight,
                                                config.second_depth, config.second_sentence_weight)
        faiss.omp_set_num_threads(max(1, config.encoder_threads))  # one query, one thread: as measured
        self._store = None
        if config.store:
            from workshop_qa.index.milvus import MilvusStore

            self._store = MilvusStore(config.store, config.store_token)
            self._store.attach(index, notify=lambda line: print(line, file=sys.stderr))

    @cached_property
    def participants(self) -> tuple[Participant, ...]:
        """Who's who of the documents, as read when the index was built; loaded on first use."""
        return tuple(self.index.passages.participants())

    @cached_property
    def _speakers(self) -> list[str]:
        """The delegations the corpus lists as having made statements."""
        return self.index.passages.delegations()

    @cached_property
    def _document_codes(self) -> dict[str, int]:
        """Each document's symbol, with the code the metadata arrays give it."""
        return {symbol: code for code, symbol in enumerate(self.index.metadata.documents)}

    @cached_property
    def _typos(self) -> TypoCorrector:
        """The corpus's words, counted when the index was built, read on first use."""
        return TypoCorrector(self.index.passages.word_counts())

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

    @cached_property
    def fingerprints(self) -> dict[str, str]:
        """Each document's symbol by the fingerprint of its text (see
        :func:`~workshop_qa.index.corpus.text_fingerprint`): what tells a copy of it."""
        by_document: dict[str, list[Passage]] = {}
        for passage in self.index.passages:
            by_document.setdefault(passage.doc, []).append(passage)
        return {text_fingerprint(passages): symbol for symbol, passages in by_document.items()}

    @cached_property
    def catalog(self) -> Catalog:
        """The people and delegations of the documents, which questions are read against."""
        return Catalog(self.participants, tuple(self._speakers))

    def analyze(self, text: str) -> QueryAnalysis:
        """What ``text`` asks, read against this index's catalogue (read once per text: a turn is
        analysed by the conversation, the search and the answer alike)."""
        return self._analyzed(text)

    @cached_property
    def _analyzed(self) -> Callable[[str], QueryAnalysis]:
        return lru_cache(maxsize=256)(lambda text: analyze(text, self.catalog))

    def is_lookup(self, text: str) -> bool:
        """Whether ``text`` is nothing but a direct reference, such as "para 16" or "23 (c)"."""
        reference = self._reference(text)
        return bool(reference and reference.only)

    def passage(self, passage_id: str) -> Passage | None:
        """The passage with this id, if any."""
        position = self.index.passages.position(passage_id)
        return None if position is None else self.index.passages[position]

    def search(self, query: str, k: int = 5, filters: Filters | None = None,
               focus: str | None = None, anchor: str | None = None,
               besides: str | None = None) -> SearchResult:
        """The ``k`` best passages for ``query`` that pass ``filters``.

        ``focus``, when given, is what evidence sentences are chosen for: the latest turn of a
        follow-up ("which platform did she mention?") rather than the whole resolved question.
        ``anchor`` is the id of a passage that the query is about and that comes first: the
        previous answer, for a follow-up such as "what did they point to instead?". ``besides`` is
        the id of one that comes last: the previous answer, for "who else ...?".
        """
        query = _validated(query)
        filters = filters or Filters()
        reference = self._reference(query)
        if reference and reference.only:
            named = [p for p in reference.passages if filters.admits(p)][:k]
            scores = _decreasing([1.0] * len(named))  # in report order, and so by score
            hits = tuple(Hit(p, score, rank, via="reference")
                         for rank, (p, score) in enumerate(zip(named, scores, strict=True), 1))
            return SearchResult(query, hits, bool(hits), 1.0 if hits else 0.0, direct_reference=True)
        language = identify(query) if self._multilingual is not None else Language.ENGLISH
        if language != Language.ENGLISH:
            return self._search_by_meaning(query, k, filters, language, reference)
        topic = coverage_topic(query) if self.config.references else None
        if topic:
            covered = self._coverage(query, topic, filters)
            if covered.hits:
                return covered
        corrected = self._typos.correct(query) if self.config.typos else query
        if corrected == query:
            return self._search(query, k, filters, focus, reference, anchor, besides)
        focus = self._typos.correct(focus) if focus else focus
        reference = self._reference(corrected)
        result = self._search(corrected, k, filters, focus, reference, anchor, besides)
        return replace(result, query=query, searched_for=corrected)

    def _search(self, query: str, k: int, filters: Filters, focus: str | None,
                reference: Reference | None, anchor: str | None = None,
                besides: str | None = None) -> SearchResult:
        allowed = self.index.metadata.mask(**filters.as_dict()) if filters.is_set() else None
        # among the conclusions ("what was agreed about terrorism?"), what it asks of them
        sought = reference.rest if reference and tokenize([reference.rest])[0] else query
        expanded = aliases.expand(sought, self._uses_name, self._uses_word) if self.config.aliases else sought
        relating = self.config.related_words > 0 and self.index.words is not None
        single = unknown_words(sought, self._uses_word) if relating else []
        unknown = single + unknown_phrases(sought, single)
        # The encoder is opened here, in this thread, before the side thread uses it.
        embedding = self._side_thread.submit(self._query_encoder, unknown) if unknown else None
        vector = self._vector(expanded)  # while the unknown words are embedded on the other core
        related = nearest_words(unknown, embedding.result(), self.index.words,
                                self.config.related_words) if embedding else []
        lexical_query = f"{expanded} ({' '.join(related)})" if related else expanded
        query_tokens = tokenize([lexical_query])[0]
        if not query_tokens and not reference:
            raise QueryError(f"Nothing to search for in '{query}': ask about the report, or type "
                             "'para 12'.")
        lexical_all = np.asarray(self.index.lexical.get_scores(query_tokens), dtype=np.float32)
        query_words = set(tokenize([query])[0])
        identifiers = self._naming_identifiers(query, query_words, lexical_all, allowed)
        found = self._candidates(lexical_query, vector, lexical_all, allowed, filters)
        people = self._people(found)
        passages = self.index.passages
        anchored = self._positions([anchor] if anchor else [])
        speaker = (self._speaker_of(anchored[0]) if anchored and participants.asks_who(query)
                   and participants.about_a_person(query) else None)
        floor = _FROM_THE_FLOOR.search(query) is not None  # speakers from the floor, not a panellist
        person = None if floor else participants.mentioned(query, people) or speaker
        # A person named by the question is looked for where named and where they presented, unless
        # it points into the report ("para 19"); the speaker of the passage pointed at always is.
        personal_search = person is not None and (not (reference and reference.passages) or person is speaker)
        if personal_search and reference and reference.scope and person.presented_in \
                and not participants.asks_who(query):
            # the part the question names ("in the discussion after the fourth panel") bounds where
            # what a person's body said is looked for, unless it asks who they are; a person whose
            # talk the report does not tell apart is looked for where named, all it says of them
            scope = {p.id for p in reference.scope}
            personal_search = bool(scope & {person.named_in, *person.presented_in})
        lists = () if reference else participants.lists_naming(query, self._speakers, passages.lists)
        role = () if person else self._positions(participants.named_for_role(query, people) or lists)
        referenced = [p.id for p in reference.scope + reference.passages] if reference else []
        personal = [person.named_in, *person.presented_in] if personal_search else []
        promoted = [*identifiers, *self._positions(referenced + personal), *role, *anchored]
        candidates = np.unique(np.concatenate([found, np.asarray(promoted, dtype=np.int64)]))
        candidates = (candidates if allowed is None else candidates[allowed[candidates]]).tolist()
        rows = {i: self.index.sentences.of_passage(i) for i in candidates}
        analysis = self.analyze(query)
        asked = self.analyze(focus) if focus else analysis
        wanted = asked.stance
        sentence_sims = self._sentence_sims(vector, rows, wanted)
        best_sentence = {i: np.maximum(np.float32(-1.0), sims.max()) if len(sims) else np.float32(-1.0)
                         for i, sims in sentence_sims.items()}
        passage_sims = self._passage_sims(vector, candidates)
        weight = self.config.sentence_weight
        dense = {i: (1 - weight) * passage_sims[n] + weight * best_sentence[i]
                 for n, i in enumerate(candidates)}
        lexical = {i: lexical_all[i] for i in candidates}
        fused = self._fuse(candidates, lexical, dense)
        order = sorted(candidates, key=lambda i: (-fused[i], -dense[i]))
        depth = self.config.rerank_depth
        head = order[:depth]
        if head and self.config.reranker != "none":
            scores = self._reranker(query, [passages[i].text for i in head],
                                    np.array([fused[i] for i in head]),
                                    np.array([best_sentence[i] for i in head], dtype=np.float32))
            rescored = dict(zip(head, scores, strict=True))
            head = sorted(head, key=lambda i: -rescored[i])
            fused = {**fused, **rescored}
        if wanted == Stance.AGAINST:
            # "Was anyone sceptical about the Guidelines?" is answered by the sentence that doubts them,
            # not by the passage naming them most: rank by the best sentence, raised for its stance.
            head = sorted(head, key=lambda i: -float(best_sentence[i]))
        order = head + order[depth:]
        if self._second is not None:
            order, fused = self._second.rescore(query, order, fused)
        order = self._promote(order, identifiers)
        if reference:
            order = self._promote(self._promote(order, self._positions(p.id for p in reference.scope)),
                                  self._positions(p.id for p in reference.passages))
            if participants.asks_who_spoke(query):  # the meeting's list of statements, not its chair
                listing = [p.id for p in reference.scope if lists_speakers(p)]
                order = self._promote(order, self._positions(listing))
        openings = []  # for "how many panellists ...", each panel's opening, which says how many spoke
        if reference and _COUNTS_PANELLISTS.search(query):
            first_of_panel: dict[int, str] = {}
            for passage in reference.scope:
                if passage.panel:
                    first_of_panel.setdefault(passage.panel, passage.id)
            openings = self._positions(first_of_panel.values())
            order = self._promote(order, openings)
        # a passage the query names, or that holds the identifier it names ("which of those also
        # cites resolution 1483?"), outranks the one before
        if not (reference and reference.passages) and not (identifiers and set(anchored) - set(identifiers)):
            order = self._promote(order, anchored)
        if personal_search:  # "who presented that?": who, before the talk anchored
            order = self._promote_person(order, person, query)
        listed = set(order)  # passages naming who held a role come in report order, as lists do
        order = [i for i in role if i in listed] + [i for i in order if i not in role]
        if floor:  # what speakers said in the discussions, not the panellists
            order = self._promote(order, [i for i in order[:k] if _floor_speech(passages[i])])
        set_aside = set(self._positions([besides] if besides else []))
        order = [i for i in order if i not in set_aside] + [i for i in order if i in set_aside]

        shown = {i: rows[i] for i in order[:k]}
        evidence_sims, evidence_words = sentence_sims, query_words
        focus = _PRONOUNS.sub(" ", focus or "").strip()
        if focus and focus != query:
            evidence_sims = self._sentence_sims(self._vector(focus), shown, wanted)
            evidence_words = set(tokenize([focus])[0]) or query_words
        words = self._sentence_words(shown)
        scores = _decreasing([float(fused.get(i, 0.0)) for i in order[:k]])
        every_side = asked.every_side
        named_in = person.named_in if personal_search else None  # its sentence naming them leads
        hits = tuple(
            Hit(passages[i], scores[rank - 1], rank,
                self._evidence(passages[i], rows[i], evidence_sims[i], words[i], evidence_words, wanted,
                               person.name if passages[i].id == named_in else "", every_side, asked.detail),
                via="reference" if reference and passages[i] in reference.passages
                else "scope" if reference and passages[i] in reference.scope
                else "role" if i in role else "search")
            for rank, i in enumerate(order[:k], start=1)
        )
        best = max(best_sentence.values(), default=np.float32(-1.0))
        signals = self._signals(analysis, query_words, hits, best, person)
        confidence = self._answerability.probability(signals) if signals else 0.0
        about_person = bool(person and hits and hits[0].passage.id in
                            (person.named_in, *person.presented_in))
        about_list = bool(hits and listed_speakers_asked(query, hits[0].passage, self._speakers))
        about_anchor = bool(anchored and hits and order[0] == anchored[0])
        about_role = bool(role and hits and order[0] in role)  # the passage naming who held it
        about_count = bool(openings and hits and order[0] in openings)
        answerable = (bool(reference and reference.passages) or about_person or about_list or about_anchor
                      or about_role or about_count
                      or (signals is not None and self._answerability.answers(signals)))
        gap = find_gap(analysis, " ".join(e.text for e in hits[0].evidence), hits[0].passage,
                       [p.name for p in people], self._speakers, self._uses_word, self._says
                       ) if hits else None
        unreported = participants.talk_not_reported(query, person) if personal_search else ""
        gap = gap or (Gap("talk", unreported) if unreported and about_person else None)
        unnamed = participants.speaker_not_named(speaker, passages[anchored[0]]) if speaker else ""
        gap = gap or (Gap("speaker", unnamed) if unnamed and person is speaker else None)
        # The passage names what the question names and lacks only the detail asked ("when did
        # Qatar pass its cybercrime law?"), or answers but for the figure asked: saying what is
        # missing beats refusing.
        named = bool(gap and signals and not signals.name_missing and _names(query))
        figure = bool(gap and gap.kind in (Detail.NUMBER, Detail.DATE, Detail.TIME) and signals
                      and self._answerability.answers(replace(signals, number_gap=0.0)))
        answerable = answerable or named or figure
        if gap and gap.kind == "topic":  # what the report says on other topics does not answer it
            answerable = False
        return SearchResult(query, hits, answerable, confidence, signals=signals, gap=gap,
                            person=person if personal_search else None)

    @property
    def _multilingual(self) -> SecondVectors | None:
        """The index's vectors of the multilingual model, if it has them."""
        vectors = self._second_vectors
        return vectors if vectors is not None and vectors.name == E5_SMALL else None

    def _search_by_meaning(self, query: str, k: int, filters: Filters, language: Language,
                           reference: Reference | None) -> SearchResult:
        """A question in another language than the report's, searched by the multilingual model.

        A passage scores as the second model scores it in English (its similarity mixed with its
        best sentence's, ``config.second_sentence_weight``), plus
        BM25's score over the passages scaled to at most ``config.multilingual_lexical_weight``, for
        the names and acronyms both languages write alike and the countries the question names
        (their English names). The passages a ``reference`` names ("párrafo 12") come first, then
        those of the part it names ("la quinta sesión"). Other English rules (typo correction,
        aliases, related words, the detail asked) are not applied. The question counts as answered
        when its best sentence is at least ``multilingual_threshold`` of the answerability model (a
        score fitted on dev questions in five languages), or when it names a passage or a part.
        """
        vectors = self._multilingual
        passages = self.index.passages
        vector = vectors.centred(vectors.embed([query])[0], language.value, self.config.language_centring)
        sentence_sims = np.asarray(vectors.sentence_matrix[:]) @ vector
        owners = np.asarray(self.index.sentences.owners)
        best = np.full(len(passages), -1.0, dtype=np.float32)
        np.maximum.at(best, owners, sentence_sims)
        weight = self.config.second_sentence_weight
        scores = (1 - weight) * (np.asarray(vectors.passage_matrix[:]) @ vector) + weight * best
        countries = countries_named(query, language)
        tokens = tokenize([" ".join((query, *countries))])[0]
        if tokens and self.config.multilingual_lexical_weight > 0:
            lexical = np.asarray(self.index.lexical.get_scores(tokens), dtype=np.float32)
            if lexical.max() > 0:
                scores = scores + self.config.multilingual_lexical_weight * lexical / lexical.max()
        if filters.is_set():
            scores = np.where(self.index.metadata.mask(**filters.as_dict()), scores, -np.inf)
        order = [int(i) for i in np.argsort(-scores, kind="stable")[:k] if np.isfinite(scores[i])]
        if reference:  # the passages it names or scopes, wherever they rank, in the order of their scores
            named, scope = (self._positions(p.id for p in reference.passages),
                            self._positions(p.id for p in reference.scope))
            beyond = sorted({i for i in named + scope if i not in order and np.isfinite(scores[i])},
                            key=lambda i: (-scores[i], i))
            order = self._promote(self._promote(order + beyond, scope), named)[:k]
        rows = {i: self.index.sentences.of_passage(i) for i in order}
        words = self._sentence_words(rows)
        query_words = set(tokens)
        ranked = _decreasing([float(scores[i]) for i in order])
        hits = tuple(
            Hit(passages[i], ranked[rank], rank + 1,
                self._evidence(passages[i], rows[i], sentence_sims[rows[i].start : rows[i].stop],
                               words[i], query_words, Stance.NEUTRAL, ""))
            for rank, i in enumerate(order))
        top = float(best[order[0]]) if order else -1.0
        named = bool(reference and (reference.passages or reference.scope))
        answerable = bool(hits) and (named or top >= self._answerability.multilingual_threshold)
        evidence = " ".join(e.text for e in hits[0].evidence) if hits else ""
        gap = None
        if hits and ASKS_AFTER.matches(query):
            gap = AFTER_THE_REPORT
        elif hits and ASKS_QUANTITY.matches(query):
            gap = number_gap(query, evidence, COUNTS_PARTICIPANTS.matches(query))
        elif hits and ASKS_WHEN.matches(query):
            gap = date_gap(query, evidence)
        if hits and not gap and ASKS_WHAT_WAS_SAID.matches(query):  # what a delegation only listed said
            gap = statement_gap(countries, hits[0].passage)
        return SearchResult(query, hits, answerable, top, gap=gap, language=language)

    def _candidates(self, text: str, vector: np.ndarray | None, lexical: np.ndarray,
                    allowed: np.ndarray | None, filters: Filters) -> np.ndarray:
        """Positions of the passages that each retriever ranks in its top
        :attr:`RetrievalConfig.candidates` among those that pass the filters."""
        depth = self.config.candidates
        found = [np.zeros(0, dtype=np.int64)]
        if self._store is not None:
            wanted = filters.as_dict()
            if vector is None or self.config.mode == "lexical":
                found.append(self._store.lexical(text, depth, wanted)[1])
            elif self.config.mode == "dense":
                found.append(self._store.passages(vector, depth, wanted)[1])
            else:
                found.append(self._store.hybrid(vector, text, depth, wanted, self.config.rrf_k)[1])
            if vector is not None:
                found.append(self.index.sentences.owners[self._store.sentences(vector, depth, wanted)[1]])
        else:
            if self.config.mode != "dense" or vector is None:
                scores = lexical if allowed is None else np.where(allowed, lexical, -1.0)
                found.append(_top(scores, depth))
            if vector is not None:
                nprobe = self.config.nprobe or None
                found.append(top_k(self.index.passage_vectors, vector, depth, allowed, nprobe)[1])
                owners = self.index.sentences.owners
                sentence_allowed = None if allowed is None else allowed[owners]
                rows = top_k(self.index.sentence_vectors, vector, depth, sentence_allowed, nprobe)[1]
                found.append(np.asarray(owners[rows]))
        return np.unique(np.concatenate(found)).astype(np.int64)

    def _vector(self, text: str) -> np.ndarray | None:
        """The query vector; None when neither passage nor sentence similarity is used."""
        if self.config.mode == "lexical" and self.config.sentence_weight == 0:
            return None
        return self.embed([text])[0]

    def _passage_sims(self, vector: np.ndarray | None, candidates: list[int]) -> np.ndarray:
        if vector is None or not candidates:
            return np.zeros(len(candidates), np.float32)
        return np.asarray(self.index.passage_matrix[candidates]) @ vector

    def _sentence_sims(self, vector: np.ndarray | None, rows: dict[int, range],
                       wanted: Stance) -> dict[int, np.ndarray]:
        """Each passage's sentence similarities, raised where a sentence takes the stance the
        question asks about ("who opposed ...") and lowered where it takes the opposite one."""
        flat = np.concatenate([np.arange(r.start, r.stop) for r in rows.values()] or [np.zeros(0, int)])
        sims = (np.asarray(self.index.sentence_matrix[flat]) @ vector if vector is not None and len(flat)
                else np.zeros(len(flat), np.float32))
        if wanted != Stance.NEUTRAL:
            sims = sims + _STANCE_WEIGHT * agreement(wanted, self._stances(flat))
        out, start = {}, 0
        for passage, span in rows.items():
            out[passage] = sims[start : start + len(span)]
            start += len(span)
        return out

    def _stances(self, rows: np.ndarray) -> np.ndarray:
        """The stance of each sentence at ``rows``, computed once per sentence and kept."""
        unknown = rows[self._stance[rows] == _UNKNOWN]
        if len(unknown):
            spans = self.index.sentences.spans
            owners = np.unique(spans[unknown, 0])
            passages = dict(zip(owners.tolist(), self.index.passages.many(owners), strict=True))
            self._stance[unknown] = [stance(passages[int(p)].text[s:e]) for p, s, e in spans[unknown]]
        return self._stance[rows]

    def _find_reference(self, query: str) -> Reference | None:
        """The direct reference of ``query``, looked for among the passages it could name."""
        if not self.config.references:
            return None
        query = units_in_english(query)
        metadata = self.index.metadata
        numbers = {int(n) for n in re.findall(r"\d+", references.numbers_as_digits(query))}
        mask = any_equal(metadata.para, numbers)
        if numbers:
            mask |= metadata.in_meetings(numbers)
        mask |= any_equal(metadata.panel, {n for n, word in enumerate(ORDINALS, 1)
                                            if re.search(rf"\b{word}\b", query, re.IGNORECASE)}
                          | ({1} if re.search(r"\bopening\b", query, re.IGNORECASE) else set()))
        if any(found.search(query) for found in (references.LAST_PANEL, references.LAST_DISCUSSION,
                                                 references.NAMED_PANEL)):
            mask |= metadata.panel > 0
        if references.HEADING.search(query):
            mask |= metadata.para == HEADER_PARA
        if re.search("conclusion", query, re.IGNORECASE) or references.ALL_CONCLUSIONS.search(query):
            mask |= metadata.mask(section="conclusions")
        documents = references.named_documents(query, metadata.documents)
        mask |= any_equal(metadata.document, {self._document_codes[symbol] for symbol in documents})
        named = np.flatnonzero(mask)[:_MAX_REFERENCED]
        return find_reference(query, self.index.passages.many(named), metadata.documents)

    def _uses_name(self, name: str, pattern: re.Pattern) -> bool:
        """Whether some passage uses ``name``; looked for only in passages with all its words."""
        if name not in self._names_used:
            self._names_used[name] = any(
                pattern.search(p.text)
                for p in self.index.passages.many(self._containing_all(tokenize([name])[0])[:_ALIAS_CHECKS]))
        return self._names_used[name]

    def _says(self, phrase: str) -> bool:
        """Whether some passage says ``phrase`` as written (case aside), singular or plural."""
        pattern = re.compile(r"\b" + spaced(phrase, r"[\s-]+") + r"(?:s|es)?\b", re.IGNORECASE)
        return self._uses_name(phrase.lower(), pattern)

    def _uses_word(self, word: str) -> bool:
        """Whether some passage has ``word`` (as a BM25 token)."""
        tokens = tokenize([word])[0]
        return bool(tokens) and all(t in self._vocabulary for t in tokens)

    def _containing_all(self, tokens: Iterable[str]) -> np.ndarray:
        """Positions of the passages that contain every token (from the BM25 postings)."""
        ids = [self._vocabulary.get(t) for t in set(tokens)]
        if not ids or None in ids:
            return np.zeros(0, dtype=np.int64)
        found = self.index.lexical.postings(ids[0])
        for token in ids[1:]:
            found = np.intersect1d(found, self.index.lexical.postings(token), assume_unique=True)
        return np.sort(found).astype(np.int64)

    def _naming_identifiers(self, query: str, query_words: set[str], lexical: np.ndarray,
                            allowed: np.ndarray | None) -> list[int]:
        """Passages containing every identifier of the query: a number such as "1483" or "2199",
        or an acronym typed in capitals, such as "INTERPOL" or "WCO".

        They are the surest words a delegate types; similarity alone blurs 1483 with 2199, and
        "What role did INTERPOL play?" with any passage on roles.
        """
        numbers = {t for t in query_words if t.isdigit() and len(t) >= 3}
        acronyms = {word.lower() for word in _ACRONYM.findall(query)}
        identifiers = {t for t in numbers | acronyms if t in self._vocabulary}
        if not identifiers:
            return []
        found = self._containing_all(identifiers)
        if allowed is not None:
            found = found[allowed[found]]
        if len(found) > _MAX_PROMOTED:
            found = np.sort(found[np.argsort(-lexical[found], kind="stable")[:_MAX_PROMOTED]])
        return found.tolist()

    def _people(self, positions: np.ndarray) -> list[Participant]:
        """The participants of the documents of the passages at ``positions``, in corpus order."""
        metadata = self.index.metadata
        documents = {metadata.documents[code] for code in np.unique(metadata.document[positions])}
        return [p for symbol, people in self._people_by_document.items() if symbol in documents
                for p in people]

    @cached_property
    def _people_by_document(self) -> dict[str, list[Participant]]:
        grouped: dict[str, list[Participant]] = {}
        for person in self.participants:
            grouped.setdefault(person.named_in.rsplit("#", 1)[0], []).append(person)
        return grouped

    def speaker_of(self, passage_id: str) -> Participant | None:
        """The one participant whose talk the passage ``passage_id`` reports, if it reports one."""
        position = self.index.passages.position(passage_id)
        return None if position is None else self._speaker_of(position)

    def _speaker_of(self, position: int) -> Participant | None:
        """The one participant whose talk the passage at ``position`` reports, if it reports one
        talk only ("Another panellist spoke about ... UNESCO. The panellist noted ...")."""
        passage = self.index.passages[position]
        speakers = [p for p in self.participants if passage.id in p.presented_in]
        return speakers[0] if len(speakers) == 1 and talks_reported(passage.text) <= 1 else None

    def _promote_person(self, order: list[int], person: Participant, query: str) -> list[int]:
        """Put first the passage that names the person (for "who") or reports what they said: for
        their presentation, the first passage that does ("what was the moderator's presentation
        about?" is para. 7, not the conclusions he summarized)."""
        named, presented = self._positions([person.named_in]), self._positions(person.presented_in)
        first, then = (named, presented) if participants.asks_who(query) else (presented, named)
        order = self._promote(self._promote(order, then), first)
        talk = first is presented and _ASKS_TALK.search(query)
        return self._promote(order, presented[:1]) if talk else order

    def _positions(self, passage_ids: Iterable[str]) -> list[int]:
        """The positions of the passages with these ids, leaving out ids the index does not hold."""
        return [position for passage_id in passage_ids
                if (position := self.index.passages.position(passage_id)) is not None]

    def _promote(self, order: list[int], scope: Iterable[int]) -> list[int]:
        """Move the passages of ``scope`` ahead of the others, keeping the search order."""
        inside = set(scope)
        return [i for i in order if i in inside] + [i for i in order if i not in inside]

    def _fuse(self, candidates: list[int], lexical: dict[int, float],
              dense: dict[int, float]) -> dict[int, float]:
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

    def _sentence_words(self, rows: dict[int, range]) -> dict[int, list[set[str]]]:
        """The words (as BM25 tokens) of each sentence of the given passages, tokenized at once."""
        spans, passages = self.index.sentences.spans, self.index.passages
        texts = [passages[i].text[spans[r, 1] : spans[r, 2]] for i, span in rows.items() for r in span]
        tokens = iter(tokenize(texts) if texts else [])
        return {i: [set(next(tokens)) for _ in span] for i, span in rows.items()}

    def _evidence(self, passage: Passage, rows: range, sims: np.ndarray, words: list[set[str]],
                  query_words: set[str], wanted: Stance, name: str,
                  every_side: bool = False, detail: Detail = Detail.OTHER) -> tuple[Evidence, ...]:
        """The passage's evidence sentences; those taking the ``wanted`` stance, or naming ``name``
        (the person asked about), lead, else those giving the ``detail`` asked (the country, the
        date, a person's name); with ``every_side`` (a question whether views differed, or yes or
        no about a stance), the best sentence of each side the passage records."""
        spans = [(int(s), int(e)) for s, e in self.index.sentences.spans[rows.start : rows.stop, 1:]]
        overlap = np.array([len(query_words & w) / max(len(query_words), 1) for w in words], dtype=np.float32)
        named = np.array([bool(name) and mentions(passage.text[s:e], name) for s, e in spans])
        stances = self._stances(np.arange(rows.start, rows.stop)) if wanted != Stance.NEUTRAL else None
        taking = (agreement(wanted, stances) > 0 if wanted in (Stance.FOR, Stance.AGAINST)
                  else np.zeros(len(spans), bool))
        names = [p.name for p in self.participants]
        held = np.array([holds_detail(detail, passage.text[s:e], names) for s, e in spans], dtype=bool)
        chosen = select_evidence(passage.text, spans, sims, overlap, self.config.evidence_sentences,
                                 named.astype(np.float32) if named.any() else None,
                                 sides=stances if every_side and stances is not None else None,
                                 leading=taking.astype(np.float32) if taking.any() else None,
                                 held=held if held.any() and not taking.any() else None,
                                 distinct=word_share(query_words, words))
        return tuple(list_entry(passage.text, e, name) if e.names_person else e for e in chosen)

    def _signals(self, analysis: QueryAnalysis, query_words: set[str], hits: tuple[Hit, ...],
                 best_sentence: float, person: Participant | None) -> Signals | None:
        if not hits:
            return None
        # A person's name is not missing from the passage that reports what the person said.
        known = person.describe() if person and hits[0].passage.id in person.presented_in else ""
        words = query_words or {""}
        evidence = " ".join(e.text for e in hits[0].evidence)
        evidence_words = set(tokenize([evidence])[0]) if evidence else set()
        return Signals(
            best_sentence=float(best_sentence),
            corpus_coverage=len([w for w in words if w in self._vocabulary]) / len(words),
            evidence_coverage=len(words & evidence_words) / len(words),
            number_gap=float(analysis.asks_number and not gives_number(evidence)),
            name_missing=float(any(
                not any(other in hits[0].passage.text for other in other_names(name, analysis.text))
                for name in _names(analysis.text) if name not in known)),
        )


    def _coverage(self, query: str, topic: str, filters: Filters) -> SearchResult:
        """Every passage that mentions ``topic``, in report order, each with the sentence that does."""
        wanted = [set(tokens) for tokens in tokenize(topic_names(topic)) if tokens]
        found = np.unique(np.concatenate([self._containing_all(names) for names in wanted]
                                         or [np.zeros(0, dtype=np.int64)]))
        if filters.is_set():
            found = found[self.index.metadata.mask(**filters.as_dict())[found]]
        rows = {i: self.index.sentences.of_passage(i) for i in found[:MAX_COVERAGE].tolist()}
        words = self._sentence_words(rows)
        hits = []
        for position, sentences in rows.items():
            first = next((row for row, w in zip(sentences, words[position], strict=True)
                          if any(names <= w for names in wanted)), sentences[0])
            ref = self.index.sentences[first]
            passage = self.index.passages[position]
            text = passage.text[ref.start : ref.end]
            hits.append(Hit(passage, 0.0, len(hits) + 1, (Evidence(text, ref.start, ref.end, 1.0),)))
        scores = _decreasing([0.0] * len(hits))
        hits = [replace(hit, score=score) for hit, score in zip(hits, scores, strict=True)]
        return SearchResult(query, tuple(hits), bool(hits), 1.0 if hits else 0.0, coverage=topic)

def _floor_speech(passage: Passage) -> bool:
    """Whether ``passage`` reports what speakers said in a discussion: it speaks of speakers and of
    no panellist, outside the conclusions."""
    return (re.search(r"\bspeakers?\b", passage.text) is not None
            and re.search(r"\bpanell?ists?\b", passage.text) is None
            and "conclusion" not in passage.section.lower())


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` highest scores (any order); not those below zero (filtered out)."""
    best = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    return best[scores[best] >= 0]


def _decreasing(scores: list[float], step: float = 1e-4) -> list[float]:
    """Scores in rank order made strictly decreasing by raising any that a promotion put above a
    higher score, so that tools which sort a run file by score see the same ranking."""
    out = list(scores)
    for i in range(len(out) - 2, -1, -1):
        out[i] = max(out[i], out[i + 1] + step)
    return out


def _names(query: str) -> list[str]:
    """Capitalized names inside a question (not its first word): "Germany", "Mariya Polner"; "the
    Gulf" in "a Gulf-based expert"."""
    names = (_NAME_SUFFIX.sub("", name) for name in _NAME.findall(query))
    return [name for name in names if name.lower() not in _NOT_NAMES]


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

