"""Rescoring the search's best candidates with a second embedding model (optional).

The score of a candidate becomes ``min-max(search score over the top N) + w * second``, where
``second`` is the second model's ``0.5 cos(query, passage) + 0.5 max cos(query, sentence)``. It
runs before the search's promotions (identifiers, references, people, roles), so passages those
rules promote keep their tier; lookups and coverage answers never reach it.

Measured with all-mpnet-base-v2 on the evaluation set (answerable questions), with N = 30 and
w = 4.0 chosen on dev: MRR@10 of paraphrased questions rose from 0.581 to 0.765 (dev) and from
0.685 to 0.786 (test); overall MRR@10 from 0.800 to 0.837 (dev) and from 0.785 to 0.811 (test);
header and factoid questions lost a little. It costs about 70-80 ms a query with
sentence-transformers on 2 cores, and 57 s to embed the report.
"""

from __future__ import annotations

import numpy as np

from workshop_qa.index.second_vectors import SecondVectors


class SecondModelRescorer:
    """Reorders the top ``depth`` candidates of a search by the second model's similarity."""

    def __init__(self, vectors: SecondVectors, weight: float, depth: int, sentence_weight: float) -> None:
        self.vectors = vectors
        self.weight = weight
        self.depth = depth
        self.sentence_weight = sentence_weight

    @classmethod
    def open(cls, vectors: SecondVectors | None, weight: float, depth: int,
             sentence_weight: float) -> SecondModelRescorer | None:
        """The rescorer over an index's second ``vectors``; None without them or when ``weight``
        is 0."""
        if vectors is None or weight <= 0 or depth <= 0:
            return None
        return cls(vectors, weight, depth, sentence_weight)

    def similarity(self, query: str, positions: list[int]) -> np.ndarray:
        """The second model's score of each passage at ``positions`` for ``query``."""
        vector = self.vectors.embed([query])[0]
        passages = np.asarray(self.vectors.passage_matrix[positions]) @ vector
        sentences = self.vectors.index.sentences
        best = np.full(len(positions), -1.0, dtype=np.float32)
        for n, position in enumerate(positions):
            rows = sentences.of_passage(position)
            if len(rows):
                best[n] = (np.asarray(self.vectors.sentence_matrix[rows.start : rows.stop]) @ vector).max()
        return (1 - self.sentence_weight) * passages + self.sentence_weight * best

    def rescore(self, query: str, order: list[int],
                scores: dict[int, float]) -> tuple[list[int], dict[int, float]]:
        """``order`` with its first ``depth`` passages reordered, and their new scores in ``scores``."""
        head = order[: self.depth]
        if len(head) < 2:
            return order, scores
        shown = np.maximum.accumulate(np.array([scores.get(i, 0.0) for i in head])[::-1])[::-1]
        spread = float(shown.max() - shown.min())
        base = (shown - shown.min()) / spread if spread else np.zeros_like(shown)
        rescored = dict(zip(head, (base + self.weight * self.similarity(query, head)).tolist(), strict=True))
        return sorted(head, key=lambda i: -rescored[i]) + order[self.depth :], {**scores, **rescored}
