"""The evaluation set in BEIR layout: queries with type, split and history; graded qrels."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from workshop_qa.app.queries import read_queries

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Query:
    """One evaluation question, with the earlier user turns it follows, if any."""

    id: str
    text: str
    type: str
    split: str
    history: tuple[str, ...] = ()


def load_queries(split: str | None = None, path: Path = DATA_DIR / "queries.jsonl") -> list[Query]:
    """Queries of one split (or all)."""
    queries = [Query(q.id, q.text, _kind(q.metadata), str(q.metadata.get("split", "")), q.history)
               for q in read_queries(path)]
    return [q for q in queries if split is None or q.split == split]


def _kind(metadata: Mapping[str, object]) -> str:
    """A question's type, with its language when it is not English: "multilingual (fr)"."""
    kind = str(metadata.get("type", ""))
    return f"{kind} ({metadata['lang']})" if metadata.get("lang") else kind


def load_qrels(split: str, directory: Path = DATA_DIR / "qrels") -> dict[str, dict[str, int]]:
    """``{query id: {passage id: grade}}`` for one split; 2 answers, 1 partly."""
    qrels: dict[str, dict[str, int]] = {}
    with (directory / f"{split}.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    return qrels


def write_corpus(passages, path: Path = DATA_DIR / "corpus.jsonl") -> None:
    """Write passages as a BEIR ``corpus.jsonl`` (``_id``, ``title``, ``text``, and ``doc``, the
    symbol of the passage's document, so that one file may hold several documents)."""
    rows = [{"_id": p.id, "title": p.citation, "text": p.text, "doc": p.doc,
             "metadata": {"section": p.section, "panel": p.panel}} for p in passages]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
