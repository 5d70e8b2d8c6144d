"""Answer completeness: does an answer cite every paragraph and quote every detail a complete
answer needs (every side of a debate, every item of a list, who someone is and what they said,
the sentence that holds the detail asked)?"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.eval.data import DATA_DIR

COMPLETENESS_FILE = DATA_DIR / "completeness.jsonl"


@dataclass(frozen=True)
class Check:
    """A question and what its complete answer must cite and quote."""

    id: str
    split: str
    kind: str
    question: str
    must_cite: tuple[str, ...]
    must_quote: tuple[str, ...]


def load_checks(split: str, path: Path = COMPLETENESS_FILE) -> list[Check]:
    """The completeness checks of ``split``."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Check(r["_id"], r["split"], r["kind"], r["question"], tuple(r["must_cite"]),
                  tuple(r["must_quote"])) for r in rows if r["split"] == split]


def evaluate_completeness(assistant: Assistant, split: str) -> dict[str, float]:
    """Per kind and overall: the share of checks passed (every paragraph cited and every detail
    quoted), and the mean share of the required paragraphs cited."""
    passed: dict[str, list[bool]] = defaultdict(list)
    cited: dict[str, list[float]] = defaultdict(list)
    for check in load_checks(split):
        answer = assistant.answer(check.question)
        share = sum(c in answer.citations for c in check.must_cite) / len(check.must_cite)
        quoted = " ".join(q.text for q in answer.quotes) or answer.text
        complete = share == 1.0 and all(words in quoted for words in check.must_quote)
        for group in ("all", check.kind):
            passed[group].append(complete)
            cited[group].append(share)
    return {f"{group} passed": sum(v) / len(v) for group, v in sorted(passed.items())} | {
        f"{group} paragraphs cited": sum(v) / len(v) for group, v in sorted(cited.items())}


def format_completeness(scores: dict[str, float], split: str) -> str:
    """Markdown table of :func:`evaluate_completeness`."""
    lines = [f"Answer completeness on the {split} split", "", "| checks | value |", "|---|---|"]
    lines += [f"| {name} | {value:.3f} |" for name, value in scores.items()]
    return "\n".join(lines)
