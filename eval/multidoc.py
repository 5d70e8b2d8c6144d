"""Several reports in one index: does each answer cite the report that holds it?

``data/multidoc`` holds questions answered only in the second report (the test fixture
A/CONF.222/L.3/Add.9) or in both reports, with their qrels and a BEIR ``corpus.jsonl`` of both
whose rows carry a ``doc`` field. Over those and the main questions (answered in
A/CONF.222/L.3/Add.1 only), a cross-document confusion is an answer citing a report that holds no
judged passage for its question.
"""

from __future__ import annotations

import json
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.eval.data import DATA_DIR, Query, load_qrels, load_queries

MULTIDOC_DIR = DATA_DIR / "multidoc"


def passage_documents(path: Path) -> dict[str, str]:
    """``{passage id: document symbol}`` of a BEIR ``corpus.jsonl``; a row without ``doc`` belongs
    to the document its id names (``SYMBOL#N``)."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["_id"]: row.get("doc") or row["_id"].rpartition("#")[0] for row in rows}


def evaluate_documents(assistant: Assistant, split: str = "test") -> dict[str, dict] | None:
    """Per question set, how many answers cite the right report and how many another one; None
    when the index holds a single document. Questions about a report not indexed are skipped."""
    indexed = set(assistant.retriever.index.manifest.get("document_titles", {}))
    if len(indexed) < 2:
        return None
    documents = {**passage_documents(DATA_DIR / "corpus.jsonl"),
                 **passage_documents(MULTIDOC_DIR / "corpus.jsonl")}
    sets = {
        "main": (load_queries(split), load_qrels(split)),
        "multi-document": (load_queries(split, MULTIDOC_DIR / "queries.jsonl"),
                           load_qrels(split, MULTIDOC_DIR / "qrels")),
    }
    return {name: _score(assistant, queries, qrels, documents, indexed)
            for name, (queries, qrels) in sets.items()}


def _score(assistant: Assistant, queries: list[Query], qrels: dict[str, dict[str, int]],
           documents: dict[str, str], indexed: set[str]) -> dict:
    asked = answered = right = confused = both = 0
    for query in queries:
        gold = {documents.get(passage) or passage.rpartition("#")[0]
                for passage, grade in qrels.get(query.id, {}).items() if grade == 2}
        if not gold or not gold <= indexed:
            continue
        asked += 1
        answer = assistant.answer(query.text, list(query.history))
        cited = [assistant.retriever.passage(passage).doc for passage in answer.citations]
        if not cited:
            continue
        answered += 1
        right += bool(set(cited) & gold)
        # A confusion leads with another report, or quotes one without naming each report's part.
        each = all(f"{document}: " in answer.text for document in set(cited))
        confused += cited[0] not in gold or bool(set(cited) - gold and not each)
        both += bool(set(cited) - gold and each)
    return {"asked": asked, "answered": answered,
            "right_document": right / answered if answered else 0.0,
            "confusions": confused / answered if answered else 0.0,
            "of_each": both / answered if answered else 0.0}


def format_documents(scores: dict[str, dict], split: str, documents: int) -> str:
    """Markdown table of :func:`evaluate_documents`."""
    lines = [f"Across {documents} indexed documents on the {split} split: answers citing the "
             "document that answers; leading with another or quoting one unlabelled (a confusion); "
             "answering from each report, each part labelled (a question about 'the workshop')", "",
             "| questions | asked | answered | right document | confusions | of each report |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {name} | {row['asked']} | {row['answered']} | {row['right_document']:.3f} | "
              f"{row['confusions']:.3f} | {row['of_each']:.3f} |" for name, row in scores.items()]
    return "\n".join(lines)
