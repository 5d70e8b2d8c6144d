"""Who's who, read from the report's own sentences when the index is built: moderator,
panellists, chairs, and the delegations that made statements.

Rules over the text, not a list per report: "moderated by NAME, DESCRIPTION.", "panellists: NAME,
AFFILIATION; NAME, AFFILIATION; ... and NAME, AFFILIATION.", "The Nth meeting(s) ... chaired by
NAME (COUNTRY)". A panellist's presentation is the paragraph of the discussion in which a sentence
about one panellist names the panellist's organization (or another name of it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from workshop_qa.index.names import names_starting
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

_MODERATOR = re.compile(r"moderated by ([^,]+), (.+?)\.(?:\s|$)")
_PANELLISTS = re.compile(r"following panellists: (.+?)\.\s*$")
_CHAIR = re.compile(r"\b(\d+(?:st|nd|rd|th)(?:\s+(?:and|to)\s+\d+(?:st|nd|rd|th))?\s+meetings?),?\s+"
                   r"(?:was|were)\s+chaired by ([^(]+?) \(([^)]+)\)")
# "...; NAME, AFFILIATION and NAME, AFFILIATION.": an "and" followed by a name and a comma.
_LAST_ENTRY = re.compile(r";\s*|\s+and\s+(?=[A-Z][\w'\-]+(?:\s+(?:[A-Z][\w'\-]+|i|de|al))+,)")
_NAME = re.compile(r"^[A-Z][\w'\-]+(?:\s+(?:[A-Z][\w'\-]+|i|de|van|von|al|el|da|di))+$")
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")
_ONE_PANELLIST = re.compile(r"\b(?:one|another|the) panellist\b", re.IGNORECASE)
# "One panellist discussed ...", "Another panellist analysed ...": where a talk begins.
_TALK_OPENING = re.compile(r"\b(?:One|Another|A|The first|The last)\s+(?:other\s+)?panell?ist\b")


@dataclass(frozen=True)
class Participant:
    """A person the report names, the role it gives them, and where they appear."""

    name: str
    role: str
    affiliation: str
    named_in: str
    presented_in: tuple[str, ...] = ()

    @property
    def organization(self) -> str:
        """The short name of the body the person speaks for: its acronym, else its first name."""
        if self.role != "panellist":
            return self.role
        acronym = _ACRONYM.search(self.affiliation)
        if acronym:
            return acronym.group(1)
        first = re.split(r",|\(", self.affiliation)[0].strip()
        return first.removeprefix("Senior Counsel for the ")

    def describe(self) -> str:
        """``"Mariya Polner (World Customs Organization)"``, ``"Jay Albanese (moderator)"``."""
        return f"{self.name} ({self.organization})"


def find_participants(passages: Sequence[Passage]) -> tuple[Participant, ...]:
    """Every moderator, panellist and chair the passages name, in report order."""
    people: list[Participant] = []
    for passage in passages:
        text = passage.text
        moderator = _MODERATOR.search(text)
        if moderator:
            people.append(Participant(moderator.group(1).strip(), "moderator",
                                      moderator.group(2).strip(), passage.id))
        listed = _PANELLISTS.search(text)
        if listed:
            for entry in re.split(_LAST_ENTRY, listed.group(1)):
                person = _panellist(entry, passage.id)
                if person:
                    people.append(person)
        for chair in _CHAIR.finditer(text):
            name = " ".join(chair.group(2).split())
            people.append(Participant(name, f"chair of the {chair.group(1)}", chair.group(3), passage.id))
    return tuple(_with_presentations(person, passages) for person in people)


def _panellist(entry: str, passage_id: str) -> Participant | None:
    entry = entry.strip()
    name, _, rest = entry.partition(",")
    if not rest:
        name, _, rest = entry.partition(" (")
        rest = rest.rstrip(")")
    name = name.strip()
    if not _NAME.match(name):
        return None
    return Participant(name, "panellist", rest.strip(), passage_id)


def talks_reported(text: str) -> int:
    """How many panellists' talks ``text`` opens ("One panellist ...", "Another panellist ...")."""
    return len(_TALK_OPENING.findall(text))


def _with_presentations(person: Participant, passages: Sequence[Passage]) -> Participant:
    if person.role == "moderator":
        found = tuple(p.id for p in passages if p.panel is not None or p.in_conclusions
                      if re.search(r"\bmoderator\b", p.text))
        return Participant(person.name, person.role, person.affiliation, person.named_in, found)
    if person.role != "panellist":
        return person
    names = organization_names(person.affiliation)
    found = []
    for passage in passages:
        if passage.panel is None:
            continue
        for start, end in split_sentences(passage.text):
            sentence = passage.text[start:end]
            if _ONE_PANELLIST.search(sentence) and any(mentions(sentence, n) for n in names):
                found.append(passage.id)
                break
    return Participant(person.name, person.role, person.affiliation, person.named_in, tuple(found))


@cache
def organization_names(affiliation: str) -> tuple[str, ...]:
    """The organization's names as the report may write them: in full, by acronym, by alias."""
    names = set()
    for part in re.split(r",|\(|\)", affiliation):
        part = part.strip()
        if len(part) > 3 and part[0].isupper() and not part.startswith(("Permanent", "Senior")):
            names.update([part, *names_starting(part)])
        if part.startswith("Senior Counsel for the "):
            body = part.removeprefix("Senior Counsel for the ")
            names.update([body, *names_starting(body)])
    names.update(_ACRONYM.findall(affiliation))
    return tuple(sorted(n for n in names if len(n) > 2))


def mentions(text: str, name: str, ignore_case: bool = False) -> bool:
    """Whether ``text`` holds ``name`` as whole words (no letter, digit or _ touching it).

    Plain string search: a question tests hundreds of names, and a pattern compiled for each would
    cost more than the search.
    """
    if ignore_case:
        text, name = text.lower(), name.lower()
    start = text.find(name)
    while start != -1 and name:
        end = start + len(name)
        if not (start and _word_character(text[start - 1])) and not (end < len(text) and
                                                                       _word_character(text[end])):
            return True
        start = text.find(name, start + 1)
    return False


def _word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


_DELEGATIONS = re.compile(r"statements? (?:was|were) (?:also )?made by the (representatives?|observers?) "
                          r"(?:of|for) (?:the )?(.+?)\.(?:\s|$)")


_ON_BEHALF = re.compile(r"\(on behalf of (?:the )?([^)]+)\)")


def find_delegations(passages: Sequence[Passage]) -> dict[str, tuple[str, ...]]:
    """Each delegation or observer that made a statement, with the passages that list it; names
    as a question would give them: "Iran" for "Iran (Islamic Republic of)", "Nigeria" for "Nigeria
    (on behalf of the African Group)", and the group a delegation spoke for ("African Group")."""
    found: dict[str, list[str]] = {}
    for passage in passages:
        for match in _DELEGATIONS.finditer(passage.text):
            for listed in re.split(r",\s*(?:and\s+)?|\s+and\s+(?![^(]*\))", match.group(2)):
                group = _ON_BEHALF.search(listed)
                names = [re.sub(r"^the\s+|\s*\([^)]*\)", "", listed.strip()), group.group(1) if group else ""]
                for name in filter(None, names):
                    found.setdefault(name, []).append(passage.id)
    return {name: tuple(ids) for name, ids in found.items()}


# "Several speakers", "One panellist", "Some other delegations", "The moderator": who a sentence of
# the report says made its point, in its own words.
_ATTRIBUTION = re.compile(r"\b(?:(?:several|some|many|most|a number of|a few|one|another|two|three|all)\s+"
                          r"(?:other\s+)?(?:of\s+the\s+)?|the\s+)(?:speakers?|panell?ists?|delegations?|"
                          r"participants?|representatives?|experts?|moderator|presenters?|delegates?)\b",
                          re.IGNORECASE)


def attributed_to(sentence: str) -> str:
    """The report's own words for who made the point of ``sentence`` ("several speakers"), if it
    names them as a group or an unnamed person; empty when it does not say."""
    found = _ATTRIBUTION.search(sentence)
    return found.group(0).lower() if found else ""
