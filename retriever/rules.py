"""The rules that read a question, in one registry.

Each rule is one named concept ("asks for a number", "points at the previous answer"): a pattern
over the question's words, what it means, and examples of its own that it must match and must
not match. The examples are the rule's unit tests (``tests/test_question_rules.py`` runs every
rule's), so a rule is judged by what it means, never by one question it was fitted to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A named pattern over a question, with what it means and its own examples."""

    name: str
    meaning: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]
    counterexamples: tuple[str, ...] = ()

    def search(self, text: str) -> re.Match[str] | None:
        """The first place ``text`` matches the rule, if any."""
        return self.pattern.search(text)

    def matches(self, text: str) -> bool:
        """Whether the rule holds anywhere in ``text``."""
        return self.pattern.search(text) is not None


REGISTRY: dict[str, Rule] = {}


def rule(name: str, meaning: str, pattern: str, examples: tuple[str, ...],
         counterexamples: tuple[str, ...] = (), flags: int = re.IGNORECASE) -> Rule:
    """Register and return a rule; each name is registered once."""
    if name in REGISTRY:
        raise ValueError(f"The rule '{name}' is registered twice.")
    if not examples:
        raise ValueError(f"The rule '{name}' needs examples of its own.")
    made = Rule(name, meaning, re.compile(pattern, flags), tuple(examples), tuple(counterexamples))
    REGISTRY[name] = made
    return made
