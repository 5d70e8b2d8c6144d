"""Multi-turn evaluation: is each turn of a conversation answered from the right paragraph?"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.eval.data import DATA_DIR

CONVERSATION_FILES = (DATA_DIR / "conversations.jsonl", DATA_DIR / "conversations_kinds.jsonl",
                      DATA_DIR / "conversations_dev_extra.jsonl",
                      DATA_DIR / "conversations_dev_round15.jsonl")
"""The conversations, and those whose turns are labelled with the kind of turn each is."""


@dataclass(frozen=True)
class ConversationTurn:
    """A user turn with its kind and the passages that answer it as meant in context (none: the
    report does not answer it). ``category`` says what the turn leans on, where labelled
    ("pronoun", "previous_answer", ...); ``two_back`` that what it leans on is two turns back."""

    text: str
    kind: str
    relevant: tuple[str, ...]
    category: str = ""
    two_back: bool = False


@dataclass(frozen=True)
class Dialogue:
    """A conversation of the evaluation set."""

    id: str
    split: str
    turns: tuple[ConversationTurn, ...]


def load_conversations(split: str | None = None,
                       paths: Iterable[Path] = CONVERSATION_FILES) -> list[Dialogue]:
    """Conversations of one split (or all), from every file of ``paths`` that exists."""
    dialogues = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                turns = tuple(ConversationTurn(t["text"], t["kind"], tuple(t["relevant"]),
                                               t.get("category", ""), bool(t.get("two_back")))
                              for t in row["turns"])
                dialogues.append(Dialogue(row["_id"], row["split"], turns))
    return [d for d in dialogues if split is None or d.split == split]


def evaluate_conversations(assistant: Assistant, split: str,
                           paths: Iterable[Path] = CONVERSATION_FILES) -> dict[str, float]:
    """Turn accuracy, overall, per kind of turn and per labelled category.

    A turn the report answers is right when its first citation answers it; a turn it does not
    answer is right when the answer refuses or says which detail the report lacks. Each
    conversation is played turn by turn, every turn seeing the user's earlier questions.
    """
    right: dict[str, list[bool]] = defaultdict(list)
    for dialogue in load_conversations(split, paths):
        history: list[str] = []
        for turn in dialogue.turns:
            answer = assistant.answer(turn.text, history)
            if turn.relevant:
                correct = bool(answer.citations) and answer.citations[0] in turn.relevant
            else:
                correct = answer.kind in ("refusal", "partial")
            right["all turns"].append(correct)
            right[f"{turn.kind} turns"].append(correct)
            if turn.category:
                right[f"category: {turn.category}"].append(correct)
            if turn.two_back:
                right["category: two turns back"].append(correct)
            history.append(turn.text)
    return {name: sum(values) / len(values) for name, values in sorted(right.items())} | {
        f"{name} (n)": len(values) for name, values in sorted(right.items()) if name.startswith("category")}


def format_conversations(scores: dict[str, float], split: str) -> str:
    """Markdown table of :func:`evaluate_conversations`."""
    lines = [f"Conversations on the {split} split: turn accuracy (first citation right; a turn the "
             "report does not answer: refused or answered in part)", "",
             "| turns | accuracy | n |", "|---|---|---|"]
    lines += [f"| {name} | {value:.3f} | {scores.get(f'{name} (n)', '')} |" for name, value in scores.items()
              if not name.endswith("(n)")]
    return "\n".join(lines)
