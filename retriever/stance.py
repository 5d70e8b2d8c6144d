"""Stance: whether a question or a sentence is for or against something.

"Who opposed it?" must quote "Several other speakers emphasized that such an instrument was not
necessary", not the sentence of those who wanted it; negation is part of the match both ways.
"""

from __future__ import annotations

import re

import numpy as np

AGAINST, NEUTRAL, FOR, BOTH = -1, 0, 1, 2

_AGAINST = re.compile(
    r"\b(?:oppos\w*|disagree\w*|(?:was|were|is|are|argued|spoke|came out)\s+against|"
    r"object(?:ed|ing|ions?)|objects\s+to|reject\w*|resist\w*|sceptic\w*|reservations|misgivings|qualms|"
    r"critici[sz]\w*|"
    r"skeptic\w*|push(?:ed)? back|doubt\w*|reluctan\w*|unnecessary|premature|"
    r"(?:not|no longer|never)\s+(?:be\s+)?(?:necessary|needed|feasible|required|useful|possible|"
    r"support\w*|want\w*|need\w*)|no need|"
    # "the Guidelines can't be fully applied everywhere": what cannot be done, as "not feasible"
    r"(?:can't|cannot|can not|couldn't|could not)\s+(?:be\s+)?(?:fully\s+)?\w+)", re.IGNORECASE)
_FOR = re.compile(
    r"\b(?:support\w*|favou?r\w*|call(?:s|ed)? for|push(?:es|ed|ing)? for|advocat\w*|endors\w*|welcom\w*|"
    r"want\w*|need(?:s|ed)?|necessary|urg(?:e|ed|es)|in favou?r|agree(?:d|s)?|backed)\b", re.IGNORECASE)


# "While some speakers expressed the view that a new instrument was a necessary step, other speakers
# said that there should be a focus on ... existing instruments": both sides in one sentence.
_CONTRAST = re.compile(r"\bwhile\s+(?:some|several|many|a few|certain)\b.*,\s*(?:other|others|another|one)\b",
                       re.IGNORECASE)


def stance(text: str) -> int:
    """:data:`BOTH` when the text sets one view against another, :data:`AGAINST` when it opposes
    or negates, :data:`FOR` when it supports, else 0."""
    if _CONTRAST.search(text):
        return BOTH
    if _AGAINST.search(text):
        return AGAINST
    if _FOR.search(text):
        return FOR
    return NEUTRAL


# "Was there disagreement about ...?", "did speakers disagree on ...?", "does the report support
# ...?": both sides are the answer.
_BOTH_SIDES = re.compile(
    r"\b(?:was|were|is|are)\s+there\s+(?:a\s+|any\s+|much\s+|some\s+)?(?:disagreement|debate|divisions?|split|"
    r"controvers\w*|differen\w+ (?:of opinion|views))\b|\bdisagree(?:d)? (?:on|over|about)\b|"
    r"\b(?:split|divided)\s+(?:on|over|about)\b|"
    # "what was the debate on a new convention?", "what were the positions on it?"
    r"\bwhat\s+(?:was|were)\s+the\s+(?:main\s+)?(?:debate|disagreement|split|divisions?|controvers\w*|"
    r"positions|sides|arguments)\s+(?:on|over|about|around)\b|"
    # "Does the report support a new convention?": where the report stands is both views it records.
    r"\b(?:does|did|do)\s+the\s+(?:report|workshop|meeting|discussion)\s+(?:support|endorse|back|favou?r|"
    r"call for|oppose|reject)\b", re.IGNORECASE)


# A yes/no question opens with an auxiliary or modal verb: "Did speakers want ...?", "Was there
# support for ...?", "Has anyone objected to ...?".
_YES_NO = re.compile(r"^\W*(?:did|do|does|was|were|is|are|has|have|had|can|could|would|should|will)\b",
                     re.IGNORECASE)


def asks_every_side(question: str, wanted: int) -> bool:
    """Whether the honest answer quotes every side the report records: the question asks whether
    views differed, or asks yes or no about a stance ("Did speakers want a new treaty?", "Did
    anyone object?"). A question for one side ("Who opposed it?") does not. ``wanted`` is the
    question's :func:`asked_stance`."""
    return wanted == BOTH or (wanted != NEUTRAL and _YES_NO.match(question) is not None)


def asked_stance(question: str) -> int:
    """The stance a question asks for: :data:`BOTH` when it asks whether views differed, else
    :func:`stance`."""
    return BOTH if _BOTH_SIDES.search(question) else stance(question)


def agreement(wanted: int, stances: np.ndarray) -> np.ndarray:
    """For each sentence stance, 1 where it takes the ``wanted`` stance (a sentence giving both
    sides takes either; any side is wanted when both are), -1 where it takes the opposite one,
    else 0."""
    if wanted == BOTH:
        return (stances != NEUTRAL).astype(np.float32)
    return np.where(stances == BOTH, 1, wanted * stances).astype(np.float32)
