"""Fit, on one split, the weights the multilingual model is searched with (a script, not a test).

With an index whose second model is ``e5-small``, it measures MRR@10 on that split's answerable
questions for each candidate value of:

- ``second_weight``: the multilingual model's similarity beside the English search's score, when
  it rescores the best candidates of an English question (English questions only);
- ``multilingual_lexical_weight``: BM25 beside the multilingual model's similarity, for a question
  in another language (non-English questions only);

and picks, for a question in another language, the answerability threshold on the model's best
sentence similarity that answers ``--recall`` of the answerable ones. It prints every figure and
the choice, and with ``--write`` saves the threshold in the answerability model's file. The two
weights are settings (``RetrievalConfig``): copy the chosen values there.

    python -m workshop_qa.eval.fit_weights [--split dev] [--recall 0.95] [--write]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import from_environment
from workshop_qa.eval.data import Query, load_qrels, load_queries
from workshop_qa.eval.run import retrieve, score_run
from workshop_qa.index.e5 import E5_SMALL
from workshop_qa.index.store import open_index
from workshop_qa.retriever.answerability import AnswerabilityModel
from workshop_qa.retriever.language import Language, identify
from workshop_qa.retriever.search import RetrievalConfig, Retriever

SECOND_WEIGHTS = (0.0, 2.0, 4.0, 8.0, 16.0)
LEXICAL_WEIGHTS = (0.0, 0.002, 0.005, 0.01, 0.02)


def mrr(assistant: Assistant, queries: list[Query], qrels: dict) -> tuple[float, float]:
    """MRR@10 overall and on paraphrases, for ``queries``."""
    scores = score_run(retrieve(assistant, queries), qrels, queries)
    return scores["overall"]["MRR@10"], scores.get("paraphrase", {}).get("MRR@10", float("nan"))


def main() -> None:
    """Measure each value on the split, print the figures and the choice."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--recall", type=float, default=0.95)
    parser.add_argument("--write", action="store_true", help="save the threshold")
    parser.add_argument("--second-weights", type=float, nargs="+", default=SECOND_WEIGHTS)
    parser.add_argument("--lexical-weights", type=float, nargs="+", default=LEXICAL_WEIGHTS)
    args = parser.parse_args()
    settings = from_environment().with_overrides(second_model=E5_SMALL)
    index = open_index(settings.index_spec, settings.index_dir, notify=print, progress=False)
    queries, qrels = load_queries(args.split), load_qrels(args.split)
    foreign = [q for q in queries if not q.history and identify(q.text) != Language.ENGLISH]
    english = [q for q in queries if q not in foreign]

    def assistant(config: RetrievalConfig) -> Assistant:
        return Assistant(Retriever(index, config), settings)

    print(f"English questions ({len(english)}), second_weight: MRR@10, paraphrase MRR@10")
    english_scores = {w: mrr(assistant(replace(settings.retrieval, second_weight=w)), english, qrels)
                      for w in args.second_weights}
    for weight, (overall, paraphrase) in english_scores.items():
        print(f"  {weight:6.3f}  {overall:.3f}  {paraphrase:.3f}")
    print(f"Questions in other languages ({len(foreign)}), multilingual_lexical_weight: MRR@10")
    foreign_scores = {w: mrr(assistant(replace(settings.retrieval, multilingual_lexical_weight=w)),
                             foreign, qrels)[0] for w in args.lexical_weights}
    for weight, overall in foreign_scores.items():
        print(f"  {weight:6.3f}  {overall:.3f}")
    second = max(english_scores, key=lambda w: english_scores[w][0])
    lexical = max(foreign_scores, key=foreign_scores.get)
    threshold = _threshold(assistant(replace(settings.retrieval, multilingual_lexical_weight=lexical)),
                           foreign, qrels, args.recall)
    print(f"Chosen: second_weight {second}, multilingual_lexical_weight {lexical}, "
          f"multilingual_threshold {threshold:.4f}")
    if args.write:
        model = AnswerabilityModel.load()
        replace(model, multilingual_threshold=threshold).save(
            note=_note() + f" Multilingual threshold fitted by 'python -m workshop_qa.eval.fit_weights "
                           f"--split {args.split}' to answer {args.recall:.0%} of the answerable "
                           "questions in other languages.")


def _threshold(assistant: Assistant, queries: list[Query], qrels: dict, recall: float) -> float:
    """The best-sentence similarity from which ``recall`` of the answerable ``queries`` are answered;
    prints how the unanswerable ones fare."""
    answerable, unanswerable = [], []
    for query in queries:
        confidence = assistant.retriever.search(query.text).confidence
        (answerable if query.id in qrels else unanswerable).append(confidence)
    ranked = np.sort(answerable)
    threshold = float(ranked[int(np.floor((1 - recall) * len(ranked)))])
    refused = np.mean(np.array(unanswerable) < threshold) if unanswerable else float("nan")
    print(f"Threshold {threshold:.4f}: answers {np.mean(ranked >= threshold):.0%} of {len(ranked)} "
          f"answerable, refuses {refused:.0%} of {len(unanswerable)} unanswerable")
    return threshold


def _note() -> str:
    import json

    from workshop_qa.retriever.answerability import WEIGHTS_FILE

    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")).get("note", "")


if __name__ == "__main__":
    main()
