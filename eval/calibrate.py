"""Fit the answerability model on one split's answerable and unanswerable questions."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import Settings
from workshop_qa.eval.data import load_qrels, load_queries
from workshop_qa.retriever.answerability import FEATURES, AnswerabilityModel
from workshop_qa.retriever.search import Retriever

# best sentence, corpus coverage, evidence coverage: more means answered; a number gap or a
# missing name: less.
EXPECTED_SIGNS = np.array([1, 1, 1, -1, -1])


def calibrate(retriever: Retriever, split: str = "dev",
              answerable_recall: float = 0.9) -> AnswerabilityModel:
    """Fit logistic weights on ``split``, save them beside the retriever, print the fit.

    The threshold is the highest that still answers ``answerable_recall`` of the answerable
    questions.
    """
    queries = load_queries(split)
    qrels = load_qrels(split)
    assistant = Assistant(retriever, Settings())
    rows, labels = [], []
    for query in queries:
        _, result = assistant.search(query.text, query.history)
        if result.direct_reference or result.signals is None:
            continue
        rows.append(result.signals.vector())
        labels.append(int(query.id in qrels))
    x, y = np.array(rows), np.array(labels)
    weights, bias = _fit_with_expected_signs(x, y)
    unfitted = AnswerabilityModel(tuple(float(w) for w in weights), bias)
    probabilities = np.array([unfitted.probability_of(row) for row in rows])
    threshold = _threshold(probabilities, y, answerable_recall)
    kept = AnswerabilityModel.load().multilingual_threshold  # fitted by eval.fit_weights
    model = AnswerabilityModel(unfitted.weights, bias, threshold, kept)
    predicted = probabilities >= threshold
    note = (f"Fitted by 'workshop-qa calibrate --split {split}' on {len(y)} questions "
            f"({int(y.sum())} answerable) with model {retriever.index.manifest['model']}.")
    model.save(note=note)
    print(note)
    for name, weight in zip(FEATURES, weights, strict=True):
        print(f"  {name:16} {weight:+.3f}")
    print(f"  bias             {bias:+.3f}\n  threshold        {threshold:.3f}")
    print(f"Right on {np.mean(predicted[y == 1]):.0%} of answerable and "
          f"{np.mean(~predicted[y == 0]):.0%} of unanswerable {split} questions.")
    return model


def _threshold(probabilities: np.ndarray, labels: np.ndarray, answerable_recall: float) -> float:
    answerable = np.sort(probabilities[labels == 1])
    index = int(np.floor((1 - answerable_recall) * len(answerable)))
    return float(answerable[index])


def _fit_with_expected_signs(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic regression in which a feature whose weight comes out with the wrong sign (more
    similarity making an answer less likely, say) is dropped and the rest refitted: with few
    unanswerable questions, such a weight is noise that would not hold on new questions."""
    kept = np.ones(x.shape[1], dtype=bool)
    while True:
        scaler = StandardScaler().fit(x[:, kept])
        fit = LogisticRegression(C=0.5, class_weight="balanced").fit(scaler.transform(x[:, kept]), y)
        weights = np.zeros(x.shape[1])
        weights[kept] = fit.coef_[0] / scaler.scale_
        wrong = kept & (np.sign(weights) != EXPECTED_SIGNS)
        if not wrong.any():
            bias = float(fit.intercept_[0] - np.sum(fit.coef_[0] * scaler.mean_ / scaler.scale_))
            return weights, bias
        kept &= ~wrong
