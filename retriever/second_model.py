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

from workshop_qa.index.e5 import E5_SMALL
from workshop_qa.index.second_vectors import SecondVectors

DEFAULT_WEIGHT = 4.0
MEASURED_WEIGHTS = {E5_SMALL: 0.0}
"""The rescoring weight of a second model when none is set, where it was measured to differ from
:data:`DEFAULT_WEIGHT`. multilingual-e5-small (``python -m workshop_qa.eval.fit_weights``): 4.0
was best on dev (MRR@10 0.891 -> 0.900, paraphrases 0.719 -> 0.739) but did not hold on test
(0.914 -> 0.913, paraphrases 0.805 -> 0.795) and moved stance and list answers to other
paragraphs; it serves questions in other languages than English instead."""


class SecondModelRescorer:
    """Reorders the top ``depth`` candidates of a search by the second model's similarity."""

    def __init__(self, vectors: SecondVectors, weight: float, depth: int, sentence_weight: float) -> None:
        self.vectors = vectors
        self.weight = weight
        self.depth = depth
        self.sentence_weight = sentence_weight

    @classmethod
    def open(cls, vectors: SecondVectors | None, weight: float | None, depth: int,
             sentence_weight: float) -> SecondModelRescorer | None:
        """The rescorer over an index's second ``vectors``; None without them or when ``weight``
        (None: the model's measured weight) is 0."""
        if vectors is None:
            return None
        weight = MEASURED_WEIGHTS.get(vectors.name, DEFAULT_WEIGHT) if weight is None else weight
        return cls(vectors, weight, depth, sentence_weight) if weight > 0 and depth > 0 else None

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
