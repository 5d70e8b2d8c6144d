"""Multi-turn evaluation: is each turn of a conversation answered from the right paragraph?"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.eval.data import DATA_DIR


@dataclass(frozen=True)
class ConversationTurn:
    """A user turn with its kind and the passages that answer it as meant in context."""

    text: str
    kind: str
    relevant: tuple[str, ...]


@dataclass(frozen=True)
class Dialogue:
    """A conversation of the evaluation set."""

    id: str
    split: str
    turns: tuple[ConversationTurn, ...]


def load_conversations(split: str | None = None,
                       path: Path = DATA_DIR / "conversations.jsonl") -> list[Dialogue]:
    """Conversations of one split (or all)."""
    dialogues = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            turns = tuple(ConversationTurn(t["text"], t["kind"], tuple(t["relevant"])) for t in row["turns"])
            dialogues.append(Dialogue(row["_id"], row["split"], turns))
    return [d for d in dialogues if split is None or d.split == split]


def evaluate_conversations(assistant: Assistant, split: str) -> dict[str, float]:
    """Turn accuracy (the first citation answers the turn), overall and per kind of turn.

    Each conversation is played turn by turn, every turn seeing the user's earlier questions.
    """
    right: dict[str, list[bool]] = defaultdict(list)
    for dialogue in load_conversations(split):
        history: list[str] = []
        for turn in dialogue.turns:
            answer = assistant.answer(turn.text, history)
            correct = bool(answer.citations) and answer.citations[0] in turn.relevant
            right["all turns"].append(correct)
            right[f"{turn.kind} turns"].append(correct)
            history.append(turn.text)
    return {name: sum(values) / len(values) for name, values in sorted(right.items())}


def format_conversations(scores: dict[str, float], split: str) -> str:
    """Markdown table of :func:`evaluate_conversations`."""
    lines = [f"Conversations on the {split} split: turn accuracy (first citation right)", "",
             "| turns | accuracy |", "|---|---|"]
    lines += [f"| {name} | {value:.3f} |" for name, value in scores.items()]
    return "\n".join(lines)
