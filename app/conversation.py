"""Follow-up questions resolved against the earlier turns of a conversation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DEPENDENT = re.compile(
    r"^\s*(?:and|also|so|then|but|what about|how about|and what about|what else|who else)\b"
    r"|\b(?:he|she|they|him|her|his|hers|them|their|it|its|that|this|those|these|there|"
    r"the same|the other|the latter|the former|the later|the earlier|else|too|also)\b",
    re.IGNORECASE,
)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+)?(?:what|how)\s+about\s+(.+?)[?.!]*\s*$", re.IGNORECASE)
_TRAILING_OBJECT = re.compile(
    r"^(.*\b(?:on|about|regarding|concerning|for|against|of|in)\s+)(.+?)([?.!]*)\s*$", re.IGNORECASE
)
_MIN_STANDALONE_WORDS = 4


def is_follow_up(question: str) -> bool:
    """Whether the question leans on earlier turns (pronouns, "and ...", "what about ...")."""
    return bool(_DEPENDENT.search(question)) or len(question.split()) < _MIN_STANDALONE_WORDS


def resolve(question: str, history: list[str]) -> str:
    """A standalone version of ``question`` given the earlier user questions, oldest first.

    "What about X?" takes the previous question with its last topic replaced by X; any other
    follow-up keeps its words and carries the previous question along in parentheses.
    """
    question = " ".join(question.split())
    if not history or not is_follow_up(question):
        return question
    previous = resolve(history[-1], history[:-1])
    what_about = _WHAT_ABOUT.match(question)
    if what_about:
        topic = _TRAILING_OBJECT.match(previous)
        if topic:
            return f"{topic.group(1)}{what_about.group(1)}{topic.group(3) or '?'}"
    return f"{question} ({previous.rstrip()})"


@dataclass
class Conversation:
    """The user turns of one conversation, with each turn's resolved question."""

    questions: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)

    def add(self, question: str) -> str:
        """Record a user turn and return its resolved, standalone form."""
        standalone = resolve(question, self.questions)
        self.questions.append(question)
        self.resolved.append(standalone)
        return standalone
