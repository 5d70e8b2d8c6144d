"""Stance: whether a question or a sentence is for or against something.

"Who opposed it?" must quote "Several other speakers emphasized that such an instrument was not
necessary", not the sentence of those who wanted it; negation is part of the match both ways.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

import numpy as np

from workshop_qa.index.people import attributed_to
from workshop_qa.retriever.rules import rule


class Stance(IntEnum):
    """A stance taken or asked about; the values multiply as signs (for x against = against)."""

    AGAINST = -1
    NEUTRAL = 0
    FOR = 1
    BOTH = 2


OPPOSES = rule(
    "opposes",
    "The words oppose, doubt or negate something: objections, scepticism, 'not necessary'.",
    r"\b(?:oppos\w*|disagree\w*|dissent\w*|"
    # "was anyone against it?", "were some states against?": a copula, a subject, then "against"
    r"(?:was|were|is|are|argued|spoke|came out)\s+(?:(?:anyone|anybody|someone|somebody|many|several|"
    r"they|others|(?:any|some|many|several)\s+\w+)\s+)?against|"
    r"object(?:ed|ing|ions?)|objects?\s+to|object\s*(?:[?.!,]|$)|reject\w*|resist\w*|sceptic\w*|reservations|misgivings|qualms|"
    r"critici[sz]\w*|"
    r"skeptic\w*|push(?:ed)?[\s-]?back|doubt\w*|reluctan\w*|unnecessary|premature|un(?:convinced|persuaded)|"
    r"question(?:ed|ing)?\s+(?:whether|if)|"
    r"(?:not|no longer|never)\s+(?:be\s+)?(?:necessary|needed|feasible|required|useful|possible|"
    r"support\w*|want\w*|need\w*)|no need|"
    # "the Guidelines can't be fully applied everywhere": what cannot be done, as "not feasible"
    r"(?:can't|cannot|can not|couldn't|could not)\s+(?:be\s+)?(?:fully\s+)?\w+)",
    examples=("Delegates doubted that a register would help.", "A new law was not needed.",
              "Some pushed back on the idea.", "Objections were raised.", "did any state object?",
              "Were any states against extradition?", "Was there dissent?", "any pushback on it?",
              "Some were unconvinced.", "One speaker questioned whether it could work."),
    counterexamples=("Delegates welcomed the register.", "The panel met on Monday.",
                     "Are measures against fraud effective?", "What initiatives against piracy exist?",
                     "Stolen objects were returned to the museum."))
SUPPORTS = rule(
    "supports",
    "The words support, want or call for something.",
    r"\b(?:support\w*|favou?r\w*|call(?:s|ed)? for|push(?:es|ed|ing)? for|advocat\w*|endors\w*|welcom\w*|"
    r"want\w*|need(?:s|ed)?|necessary|urg(?:e|ed|es)|in favou?r|agree(?:s|ment)?|consensus|unanim\w*|"
    # "they agreed on it", not "the agreed wording": agreeing, not a text agreed on
    r"agreed(?=\s+(?:that|on|with|to|upon|about|it|in)\b|\s*[?.!,;:]|\s*$)|"
    r"on board|backed|champion(?:s|ed|ing)?)\b",
    examples=("Several delegations called for more training.", "They backed the proposal.",
              "There was broad agreement that data matter.", "The view was unanimous.",
              "Most delegations agreed on it.",
              "Was there support for it?", "Who championed the registry?"),
    counterexamples=("The panel met on Monday.", "Who chaired the session?",
                     "Quote the agreed wording on extradition."))


# "While some speakers expressed the view that a new instrument was a necessary step, other speakers
# said that there should be a focus on ... existing instruments": both sides in one sentence.
CONTRASTS = rule(
    "contrasts views",
    "One sentence sets the view of some against that of others.",
    r"\bwhile\s+(?:some|several|many|a few|certain)\b.*,\s*(?:other|others|another|one)\b",
    examples=("While some experts favoured a registry, others preferred voluntary lists.",),
    counterexamples=("Some experts favoured a registry.", "While in Doha, others met."))


class Holder(StrEnum):
    """Who holds a view: speakers from the floor, the panel, or anyone."""

    FLOOR = "the floor"
    PANEL = "the panel"
    ANYONE = "anyone"


FLOOR = rule(
    "the floor",
    "Delegates, delegations, speakers, States or countries: those who spoke from the floor.",
    r"\b(?:delegates?|delegations?|speakers?|(?:member\s+)?states|countries|governments)\b",
    examples=("Was there support from delegates?", "Did any States object?", "several other speakers"),
    counterexamples=("Did a panellist object?", "What did the moderator say?"))
PANEL = rule(
    "the panel",
    "Panellists, presenters or the moderator: those who spoke on the panel.",
    r"\b(?:panell?ists?|presenters?|moderator)\b",
    examples=("Did any panellist doubt it?", "one panellist"),
    counterexamples=("Did delegates doubt it?",))


def holder(text: str) -> Holder:
    """Who ``text`` (a question, or the report's words for who made a point) says holds a view:
    the floor, the panel, or anyone when it names neither or both."""
    floor, panel = FLOOR.matches(text), PANEL.matches(text)
    return Holder.FLOOR if floor and not panel else Holder.PANEL if panel and not floor else Holder.ANYONE


def held_by(asked: Holder, sentence: str) -> bool:
    """Whether ``sentence`` gives a view of whom a question ``asked`` about: the report's words for
    who made its point name them, or no one, or the question asks about anyone."""
    said = holder(attributed_to(sentence))
    return Holder.ANYONE in (asked, said) or said == asked


def stance(text: str) -> Stance:
    """Both when the text sets one view against another, against when it opposes or negates, for
    when it supports, else neutral."""
    if CONTRASTS.matches(text):
        return Stance.BOTH
    if OPPOSES.matches(text):
        return Stance.AGAINST
    if SUPPORTS.matches(text):
        return Stance.FOR
    return Stance.NEUTRAL


def agreement(wanted: Stance, stances: np.ndarray) -> np.ndarray:
    """For each sentence stance, 1 where it takes the ``wanted`` stance (a sentence giving both
    sides takes either; any side is wanted when both are), -1 where it takes the opposite one,
    else 0."""
    if wanted == Stance.BOTH:
        return (stances != Stance.NEUTRAL).astype(np.float32)
    return np.where(stances == Stance.BOTH, 1, int(wanted) * stances).astype(np.float32)
