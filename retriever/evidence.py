"""Evidence: the sentences of a passage that best match the query, with their offsets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workshop_qa.index.people import list_entries, mentions
from workshop_qa.retriever.stance import Stance, agreement

_LEXICAL_WEIGHT = 0.5
_MARGIN = 0.06
_PREFERRED = 1.0  # more than any similarity plus word share can differ by
_HELD_MARGIN = 0.1  # a sentence giving the detail asked leads when it matches within this of the best


@dataclass(frozen=True)
class Evidence:
    """A sentence of a passage, ``text == passage.text[start:end]``, and how well it matches."""

    text: str
    start: int
    end: int
    score: float
    names_person: bool = False  # names the person the question asks about


def select_evidence(
    passage_text: str, spans: list[tuple[int, int]], dense: np.ndarray, lexical: np.ndarray,
    limit: int = 2, preferred: np.ndarray | None = None, sides: np.ndarray | None = None,
    leading: np.ndarray | None = None, held: np.ndarray | None = None, distinct: np.ndarray | None = None,
) -> tuple[Evidence, ...]:
    """The best sentence of a passage, and up to ``limit - 1`` more that match almost as well.

    A sentence's score is its cosine similarity to the query plus a share of the query's words it
    contains; sentences come back in their order in the passage. ``preferred`` marks the sentences
    that name the person the question asks about, ``leading`` those that take the stance it asks
    about ("who opposed it?"): any of them outranks every other, however many of the question's
    words those share. A sentence's score counts its naming the person, not its stance: a passage
    is cited beside the best one for how well it matches, not for taking a side the best one does
    not take.
    ``held`` marks the sentences that give the detail asked (a country, a date, a name): one
    of them leads when it matches within ``_HELD_MARGIN`` of the best, or holds more of the
    question's words than the best.
    ``sides``, each sentence's stance, asks for the best sentence for and the best against when
    the passage has both (one sentence, if it gives both sides) ("was there disagreement about ...?").
    ``distinct`` (see :func:`word_share`), when given, stands for ``lexical`` in choosing among
    the passage's sentences; the scores returned, compared across passages, count ``lexical``.
    """
    if not spans:
        return ()
    scores = dense + _LEXICAL_WEIGHT * lexical
    within = dense + _LEXICAL_WEIGHT * distinct if distinct is not None else scores
    if preferred is not None:
        scores = scores + _PREFERRED * preferred
        within = within + _PREFERRED * preferred
    ranking = within + _PREFERRED * leading if leading is not None else within
    if held is not None:  # the detail asked, in a sentence that matches nearly as well as the best
        # or has more of the question's words than the best
        close = (scores >= scores.max() - _HELD_MARGIN) | (lexical > lexical[int(np.argmax(scores))])
        ranking = ranking + _PREFERRED * (held & close)
    best = float(ranking.max())
    chosen = [i for i in np.argsort(-ranking)[:limit] if ranking[i] >= best - _MARGIN]
    if sides is not None and all(agreement(side, sides).max() > 0 for side in (Stance.FOR, Stance.AGAINST)):
        chosen = list({int(np.argmax(np.where(agreement(side, sides) > 0, within, -np.inf)))
                       for side in (Stance.FOR, Stance.AGAINST)})
    return tuple(
        Evidence(passage_text[spans[i][0] : spans[i][1]], spans[i][0], spans[i][1], float(scores[i]),
                 names_person=bool(preferred is not None and preferred[i]))
        for i in sorted(chosen)
    )


def word_share(query_words: set[str], sentences: list[set[str]]) -> np.ndarray:
    """The share of the question's words each sentence of a passage holds, each word weighed by
    how few of the passage's sentences hold it (BM25's idf over them): the sentence holding what
    sets it apart from its neighbours ("servers"), not a word every sentence repeats."""
    held = {word: sum(word in sentence for sentence in sentences) for word in query_words}
    weight = {word: float(np.log(1 + (len(sentences) - n + 0.5) / (n + 0.5))) for word, n in held.items()}
    total = sum(weight.values()) or 1.0
    return np.array([sum(weight[w] for w in query_words & s) / total for s in sentences], dtype=np.float32)


def list_entry(passage_text: str, evidence: Evidence, name: str) -> Evidence:
    """The entry of a list in ``evidence`` that names ``name``: "Mariya Polner, World Customs
    Organization", not the neighbour's entry quoted with it. The evidence as it is when it holds
    no list or no entry names ``name``."""
    for start, end in list_entries(passage_text, evidence.start, evidence.end):
        lead = passage_text.rfind(": ", start, end)  # "... the following panellists: NAME, ..."
        start = lead + 2 if lead != -1 else start
        if mentions(passage_text[start:end], name):
            return Evidence(passage_text[start:end], start, end, evidence.score, evidence.names_person)
    return evidence
