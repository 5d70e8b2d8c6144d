"""Answer evaluation: citation precision and recall, refusals, follow-ups, verbatim quotes."""

from __future__ import annotations

from workshop_qa.app.answer import Assistant
from workshop_qa.eval.data import load_qrels, load_queries


def evaluate_answers(assistant: Assistant, split: str = "test") -> dict[str, float]:
    """Answer every question of ``split`` and score the answers against the qrels.

    - citation precision: share of all citations that name a judged paragraph (grade 1 or 2);
    - citation recall: share of answerable questions citing at least one answering paragraph;
    - refusal accuracy, separately on unanswerable and on answerable questions (an unanswerable
      question is handled right by a refusal or by a partial answer saying what is missing);
    - partial: share of partial questions (the detail asked for is missing, the topic is there:
      judged passages of grade 1 only) answered with a partial answer;
    - follow-up accuracy: share of follow-ups citing an answering paragraph;
    - verbatim: share of quotes found word for word in the passage they cite.
    """
    queries = load_queries(split)
    qrels = load_qrels(split)
    cited = judged_citations = 0
    recall, refused_unanswerable, answered_answerable, follow_ups, partial = [], [], [], [], []
    quotes = verbatim = 0
    for query in queries:
        answer = assistant.answer(query.text, list(query.history))
        gold = qrels.get(query.id, {})
        for quote in answer.quotes:
            quotes += 1
            source = assistant.retriever.passage(quote.passage.id)
            in_answer = f"{quote.text} [{quote.passage.label}]" in answer.text
            verbatim += bool(source and quote.text in source.text and in_answer)
        if not gold:
            refused_unanswerable.append(answer.kind in ("refusal", "partial"))
            continue
        if 2 not in gold.values():
            partial.append(answer.kind == "partial")
            continue
        answered_answerable.append(answer.kind not in ("refusal", "partial"))
        cited += len(answer.citations)
        judged_citations += sum(c in gold for c in answer.citations)
        hit = any(gold.get(c) == 2 for c in answer.citations)
        recall.append(hit)
        if query.type == "follow_up":
            follow_ups.append(hit)
    return {
        "questions": len(queries),
        "citation_precision": judged_citations / cited if cited else 0.0,
        "citation_recall": _mean(recall),
        "refusal_on_unanswerable": _mean(refused_unanswerable),
        "answered_when_answerable": _mean(answered_answerable),
        "partial_on_partial": _mean(partial),
        "follow_up_accuracy": _mean(follow_ups),
        "verbatim_quotes": verbatim / quotes if quotes else 1.0,
    }


def format_answers(scores: dict[str, float], split: str) -> str:
    """Markdown table of :func:`evaluate_answers`."""
    lines = [f"Answers on the {split} split ({scores['questions']} questions)", "",
             "| measure | value |", "|---|---|"]
    lines += [f"| {name.replace('_', ' ')} | {value:.3f} |" for name, value in scores.items()
              if name != "questions"]
    return "\n".join(lines)


def _mean(values: list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0
