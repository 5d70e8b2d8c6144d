"""Whether the passages retrieved for a question answer it: a calibrated probability.

A logistic model over a few signals of the retrieval (best sentence and passage similarity, how
much of the question's vocabulary the report and the best passage contain, the BM25 evidence).
Its weights are fitted on the development questions (``workshop-qa calibrate``) and kept as data.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_FILE = Path(__file__).parent / "answerability.json"
FEATURES = ("best_sentence", "best_passage", "corpus_coverage", "top_coverage", "lexical")
THRESHOLD = 0.5


@dataclass(frozen=True)
class Signals:
    """The retrieval signals answerability is judged from."""

    best_sentence: float
    best_passage: float
    corpus_coverage: float
    top_coverage: float
    lexical: float

    def vector(self) -> list[float]:
        """Values in the order of :data:`FEATURES`."""
        return [getattr(self, name) for name in FEATURES]


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic weights over :data:`FEATURES`."""

    weights: tuple[float, ...]
    bias: float

    def probability(self, signals: Signals) -> float:
        """Probability that the report answers the question."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, signals.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path = WEIGHTS_FILE, note: str = "") -> None:
        """Write the weights as JSON."""
        data = {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                "threshold": THRESHOLD, "note": note}
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> AnswerabilityModel:
        """Read weights written by :meth:`save`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was fitted on other features: {data['features']}")
        return cls(tuple(data["weights"]), data["bias"])
