"""``workshop-qa eval``: every retrieval configuration on one split, in a table and a plot."""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import ir_measures
from ir_measures import RR, R, nDCG
from tqdm import tqdm

from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import Settings
from workshop_qa.eval.answers import evaluate_answers, format_answers
from workshop_qa.eval.completeness import evaluate_completeness, format_completeness
from workshop_qa.eval.conversations import evaluate_conversations, format_conversations
from workshop_qa.eval.data import Query, load_qrels, load_queries
from workshop_qa.eval.multidoc import evaluate_documents, format_documents
from workshop_qa.index.store import open_index
from workshop_qa.retriever.search import RetrievalConfig, Retriever

MEASURES = {"nDCG@10": nDCG @ 10, "MRR@10": RR(rel=2) @ 10, "R@1": R(rel=2) @ 1, "R@5": R(rel=2) @ 5}
CURVE_DEPTHS = range(1, 11)
_BASE = RetrievalConfig(fusion="rrf", aliases=False, related_words=0, references=False,
                        sentence_weight=0.0, reranker="none")


def configurations(default: RetrievalConfig,
                   second_model: str | None = None) -> list[tuple[str, bool, RetrievalConfig]]:
    """(name, embed structural context, retrieval config), from baselines to the default; with a
    second model, the configurations without it, then the default with it."""
    if second_model:
        alone = [(name, context, replace(config, second_weight=0.0))
                 for name, context, config in configurations(default)]
        return [*alone, (f"+ second model ({Path(second_model).name})", True, default)]
    return [
        ("bm25", False, replace(_BASE, mode="lexical")),
        ("dense", False, replace(_BASE, mode="dense")),
        ("fused (rrf)", False, _BASE),
        ("fused (combsum)", False, replace(_BASE, fusion="combsum")),
        ("+ sentence scoring", False, replace(_BASE, fusion="combsum", sentence_weight=0.5)),
        ("+ sentence reranker", False, replace(_BASE, fusion="combsum", sentence_weight=0.5,
                                               reranker="sentence")),
        ("+ structural context", True, replace(default, aliases=False, related_words=0, references=False)),
        ("+ aliases", True, replace(default, related_words=0, references=False)),
        ("+ related words", True, replace(default, references=False)),
        ("+ direct references (default)", True, default),
    ]


def retrieve(assistant: Assistant, queries: list[Query], k: int = 10) -> dict[str, dict[str, float]]:
    """A run ``{query id: {passage id: score}}`` with the scores ``search --run`` writes; each
    follow-up is understood from its history as in a conversation."""
    run = {}
    for query in queries:
        _, result = assistant.search(query.text, query.history, k=k)
        run[query.id] = {hit.passage.id: hit.score for hit in result.hits}
    return run


def score_run(run: dict, qrels: dict, queries: list[Query]) -> dict[str, dict[str, float]]:
    """Mean of each measure overall and per question type (answerable questions only)."""
    types = {q.id: q.type for q in queries}
    judged = {qid: docs for qid, docs in qrels.items() if qid in run and 2 in docs.values()}
    per_type: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for metric in ir_measures.iter_calc(list(MEASURES.values()), judged, run):
        name = next(n for n, m in MEASURES.items() if m == metric.measure)
        per_type["overall"][name].append(metric.value)
        per_type[types[metric.query_id]][name].append(metric.value)
    return {group: {name: sum(v) / len(v) for name, v in values.items()}
            for group, values in per_type.items()}


def recall_curve(run: dict, qrels: dict) -> list[float]:
    """Mean Recall@k (grade 2) for k in :data:`CURVE_DEPTHS`."""
    judged = {qid: docs for qid, docs in qrels.items() if qid in run and 2 in docs.values()}
    values = ir_measures.calc_aggregate([R(rel=2) @ k for k in CURVE_DEPTHS], judged, run)
    return [values[R(rel=2) @ k] for k in CURVE_DEPTHS]


def run_evaluation(settings: Settings, split: str = "test", output: Path = Path("eval/results")) -> dict:
    """Evaluate every configuration on ``split``; print and write the table and the curve."""
    queries = load_queries(split)
    qrels = load_qrels(split)
    output.mkdir(parents=True, exist_ok=True)
    results, curves = {}, {}
    with tempfile.TemporaryDirectory() as scratch:
        spec, other = settings.index_spec, not settings.embed_context
        quiet = {"notify": lambda _: None, "progress": False}
        indexes = {  # the other context's index serves configurations without a second model
            settings.embed_context: open_index(spec, settings.index_dir, **quiet),
            other: open_index(replace(spec, embed_context=other, second_model=None), Path(scratch) / "index",
                              **quiet),
        }
        steps = tqdm(configurations(settings.retrieval, spec.second_model), desc="eval",
                     unit="configuration")
        for name, context, config in steps:
            steps.set_postfix_str(name)
            run = retrieve(Assistant(Retriever(indexes[context], config), settings), queries)
            results[name] = score_run(run, qrels, queries)
            curves[name] = recall_curve(run, qrels)
        assistant = Assistant(Retriever(indexes[settings.embed_context], settings.retrieval), settings)
        answers = evaluate_answers(assistant, split)
        conversations = evaluate_conversations(assistant, split)
        completeness = evaluate_completeness(assistant, split)
        documents = evaluate_documents(assistant, split)  # None with a single document indexed
    answerable = sum(2 in docs.values() for docs in qrels.values())
    table = "\n\n".join([format_table(results, split, answerable), format_answers(answers, split),
                          format_conversations(conversations, split),
                          format_completeness(completeness, split)])
    if documents:
        indexed = len(indexes[settings.embed_context].manifest["document_titles"])
        table += "\n\n" + format_documents(documents, split, indexed)
    print(table)
    (output / f"eval-{split}.md").write_text(table + "\n", encoding="utf-8")
    (output / f"eval-{split}.json").write_text(
        json.dumps({"retrieval": results, "answers": answers, "conversations": conversations,
                    "completeness": completeness, "documents": documents}, indent=2), encoding="utf-8")
    plot_curves(curves, output / f"recall-{split}.png")
    print(f"\nWrote {output}/eval-{split}.md, eval-{split}.json and recall-{split}.png")
    return results


def format_table(results: dict, split: str, answerable: int) -> str:
    """Markdown: configurations overall, then the default per question type."""
    names = list(MEASURES)
    lines = [f"Retrieval on the {split} split ({answerable} answerable questions)", "",
             "| configuration | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for config, groups in results.items():
        lines.append(f"| {config} | " + " | ".join(f"{groups['overall'][n]:.3f}" for n in names) + " |")
    lines += ["", "Default configuration by question type", "",
              "| type | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for group, values in sorted(list(results.values())[-1].items()):
        if group != "overall":
            lines.append(f"| {group} | " + " | ".join(f"{values[n]:.3f}" for n in names) + " |")
    return "\n".join(lines)


def plot_curves(curves: dict[str, list[float]], path: Path) -> None:
    """Recall@k against k, one line per configuration."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5))
    for name, values in curves.items():
        axes.plot(list(CURVE_DEPTHS), values, marker="o", label=name)
    axes.set(xlabel="k", ylabel="Recall@k (passages that answer)", ylim=(0, 1.02),
             title="Recall@k per retrieval configuration")
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
