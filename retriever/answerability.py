"""Whether the passages retrieved for a question answer it: a calibrated probability.

A logistic model over a few signals of the retrieval: the best sentence similarity, how much of
the question's vocabulary the report and the best evidence contain, and whether a question asking
for a number or a date finds none in its evidence, and whether a name the question uses ("What did
Germany propose?") is missing from the best passage. The threshold is chosen on the same questions
so that answerable questions are rarely refused: a refused answer costs a delegate more than a
quoted, cited passage that turns out to be only close.
Its weights are fitted on the development questions (``workshop-qa calibrate``) and kept as data.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_FILE = Path(__file__).parent / "answerability.json"
FEATURES = ("best_sentence", "corpus_coverage", "evidence_coverage", "number_gap", "name_missing")


@dataclass(frozen=True)
class Signals:
    """The retrieval signals answerability is judged from."""

    best_sentence: float
    corpus_coverage: float
    evidence_coverage: float
    number_gap: float
    name_missing: float

    def vector(self) -> list[float]:
        """Values in the order of :data:`FEATURES`."""
        return [getattr(self, name) for name in FEATURES]


@dataclass(frozen=True)
class AnswerabilityModel:
    """Logistic weights over :data:`FEATURES`, and the probability above which a question counts
    as answered."""

    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5
    multilingual_threshold: float = 0.0
    """For a question in another language than the report's: the multilingual model's best
    sentence similarity from which it counts as answered."""

    def probability(self, signals: Signals) -> float:
        """Probability that the report answers the question."""
        return self.probability_of(signals.vector())

    def probability_of(self, values: list[float]) -> float:
        """Probability from feature values in the order of :data:`FEATURES`."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path = WEIGHTS_FILE, note: str = "") -> None:
        """Write the weights as JSON."""
        data = {"features": list(FEATURES), "weights": list(self.weights), "bias": self.bias,
                "threshold": self.threshold, "multilingual_threshold": self.multilingual_threshold,
                "note": note}
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> AnswerabilityModel:
        """Read weights written by :meth:`save`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was fitted on other features: {data['features']}")
        return cls(tuple(data["weights"]), data["bias"], data["threshold"],
                   data.get("multilingual_threshold", 0.0))

    def answers(self, signals: Signals) -> bool:
        """Whether the retrieved passages are judged to answer the question."""
        return self.probability(signals) >= self.threshold
