"""Rank fusion: combine several rankings of the same passages into one."""

from __future__ import annotations

from collections.abc import Sequence


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: float = 60.0) -> dict[int, float]:
    """RRF score of each item: sum over rankings of 1 / (k + rank), ranks from 1.

    Cormack, Clarke and Buettcher, "Reciprocal rank fusion outperforms Condorcet and individual
    rank learning methods", SIGIR 2009.
    """
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def combsum(rankings_scores: Sequence[dict[int, float]]) -> dict[int, float]:
    """CombSUM of min-max normalized scores (Fox and Shaw, TREC-2, 1994)."""
    fused: dict[int, float] = {}
    for scores in rankings_scores:
        if not scores:
            continue
        low, high = min(scores.values()), max(scores.values())
        spread = (high - low) or 1.0
        for item, score in scores.items():
            fused[item] = fused.get(item, 0.0) + (score - low) / spread
    return fused


FUSION_METHODS = ("rrf", "combsum")
