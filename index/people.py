"""Who's who, read from the report's own sentences when the index is built: moderator,
panellists, chairs, and the delegations that made statements.

Rules over the text, not a list per report: "moderated by NAME, DESCRIPTION.", "panellists: NAME,
AFFILIATION; NAME, AFFILIATION; ... and NAME, AFFILIATION.", "The Nth meeting(s) ... chaired by
NAME (COUNTRY)". A panellist's presentation is the paragraph of the discussion in which a sentence
about one panellist names the panellist's organization (or another name of it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from functools import cache

from text_to_num import alpha2digit

from workshop_qa.index.countries import country_names
from workshop_qa.index.names import names_starting
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

_MODERATOR = re.compile(r"moderated by ([^,]+), (.+?)\.(?:\s|$)")
_PANELLISTS = re.compile(r"following panellists: (.+?)\.\s*$")
_CHAIR = re.compile(r"\b(\d+(?:st|nd|rd|th)(?:\s+(?:and|to)\s+\d+(?:st|nd|rd|th))?\s+meetings?),?\s+"
                   r"(?:was|were)\s+chaired by ([^(]+?) \(([^)]+)\)")
_NAME_WORDS = r"[A-Z][\w'\-]+(?:\s+(?:[A-Z][\w'\-]+|i|de|van|von|al|el|da|di))+"
_NAME = re.compile(rf"^{_NAME_WORDS}$")
# "NAME, AFFILIATION; NAME, AFFILIATION and NAME, AFFILIATION.": a semicolon, or an "and" followed by
# a name and a comma.
_ENTRY_SEPARATOR = re.compile(rf";\s*(?:and\s+)?|\s+and\s+(?={_NAME_WORDS},)")
# The kind of body that ends its name: "Simon Fraser University", "Qatar Investment Authority".
_KIND_OF_BODY = re.compile(r"\s+(?:University|Institute|Centre|Center|College|School|Organi[sz]ation|"
                           r"Authority|Council|Agency)$")
_PANEL_SIZE = re.compile(r"\b(\d+) panell?ists\b")
_ACRONYM = re.compile(r"\(([A-Z]{2,})\)")
# "One panellist discussed ...", "Another panellist analysed ...": where a talk begins.
_TALK_OPENING = re.compile(r"\b(?:One|Another|A|The first|The last)\s+(?:other\s+)?panell?ist\b")


class Link(Enum):
    """What ties a panellist to a talk the report attributes to "one panellist"."""

    ORGANIZATION = "organization"  # a sentence of the talk names their organization
    ORDER = "order"  # the list's order and the talks' order, between talks tied otherwise
    COUNTRY = "country"  # a sentence about panellists of their panel names their country


_TIED_BY = {Link.ORGANIZATION: "the organization it names",
            Link.ORDER: "the order in which the report lists the panellists and reports their panel's talks",
            Link.COUNTRY: "the country it names"}


@dataclass(frozen=True)
class Participant:
    """A person the report names, the role it gives them, and where they appear: ``presented_in``
    the passages of their talk, ``talk_starts`` where in each the talk begins, ``linked_by`` what
    ties a panellist to it."""

    name: str
    role: str
    affiliation: str
    named_in: str
    presented_in: tuple[str, ...] = ()
    talk_starts: tuple[int, ...] = ()
    linked_by: Link | None = None

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

    def talk_start(self, passage_id: str) -> int:
        """Where the talk begins in the passage ``passage_id`` (one of ``presented_in``)."""
        at = self.presented_in.index(passage_id)
        return self.talk_starts[at] if at < len(self.talk_starts) else 0

    def reported_as(self, passage: Passage) -> str:
        """The report's own words for whoever gave this person's talk in ``passage`` ("one
        panellist"), read from the sentence opening it."""
        return attributed_to(passage.text[self.talk_start(passage.id):]) or "a panellist"

    def attribution(self, passage: Passage) -> str:
        """Whom the report says gave this person's talk in ``passage``, and what ties it to them:
        'The report attributes this to "one panellist", tied to Richard Frank (International
        Cybercrime Research Centre) by ...'."""
        if self.linked_by is None:
            return f"The report attributes this to {self.describe()}"
        return f'The report attributes this to "{self.reported_as(passage)}", {self.tie()}'

    def tie(self) -> str:
        """'tied to NAME (ORGANIZATION) by' what ties them to their talk; empty for no tie."""
        return f"tied to {self.describe()} by {_TIED_BY[self.linked_by]}" if self.linked_by else ""


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
            for start, end in list_entries(text, listed.start(1), listed.end(1)):
                person = _panellist(text[start:end], passage.id)
                if person:
                    people.append(person)
        for chair in _CHAIR.finditer(text):
            name = " ".join(chair.group(2).split())
            people.append(Participant(name, f"chair of the {chair.group(1)}", chair.group(3), passage.id))
    return _with_talks(people, passages)


def list_entries(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The spans of the entries of the list in ``text[start:end]``, cut at its separators ("; ",
    "; and ", " and " before a name and a comma), without them or a closing full stop."""
    end = len(text) if end is None else end
    entries, at = [], start
    for separator in [*_ENTRY_SEPARATOR.finditer(text, start, end), None]:
        stop = separator.start() if separator else end
        piece = text[at:stop]
        lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip(" ."))
        if piece.strip(" ."):
            entries.append((at + lead, stop - trail))
        at = separator.end() if separator else end
    return entries


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


def _with_talks(people: list[Participant], passages: Sequence[Passage]) -> tuple[Participant, ...]:
    """``people`` with the talks the passages tie to them (see :class:`Link`)."""
    openings = [(p, start) for p in passages if p.panel is not None
                for start, end in split_sentences(p.text) if talks_reported(p.text[start:end])]
    panellists = [i for i, person in enumerate(people) if person.role == "panellist"]
    position_of = {i: position for position, i in enumerate(panellists)}  # index in people -> in the list
    panel_of = _panels_by_order(len(panellists), passages)
    talk: dict[int, tuple[int, Link]] = {}  # panellist's position in the list -> opening, link
    for position, i in enumerate(panellists):
        names = organization_names(people[i].affiliation)
        found = next((k for k, (p, start) in enumerate(openings)
                      if any(mentions(_talk_text(p, start, openings), n) for n in names)), None)
        if found is not None:
            talk[position] = (found, Link.ORGANIZATION)
    for panel in set(panel_of):
        _link_by_order(talk, [k for k, (p, _) in enumerate(openings) if p.panel == panel],
                       [n for n, at in enumerate(panel_of) if at == panel])
    found = []
    for i, person in enumerate(people):
        if person.role == "moderator":
            ids = tuple(p.id for p in passages if (p.panel is not None or p.in_conclusions)
                        and re.search(r"\bmoderator\b", p.text))
            person = replace(person, presented_in=ids, talk_starts=(0,) * len(ids))
        elif (position := position_of.get(i)) is not None:
            if position in talk:
                (passage, start), link = openings[talk[position][0]], talk[position][1]
                person = replace(person, presented_in=(passage.id,), talk_starts=(start,), linked_by=link)
            else:
                person = _by_country(person, [p for p in passages if p.panel is not None and (
                    position >= len(panel_of) or p.panel == panel_of[position])])
        found.append(person)
    return tuple(found)


def _talk_text(passage: Passage, start: int, openings: list[tuple[Passage, int]]) -> str:
    """The text of the talk opening at ``start`` of ``passage``, up to the next opening."""
    after = [s for p, s in openings if p is passage and s > start]
    return passage.text[start:min(after, default=len(passage.text))]


def _panels_by_order(count: int, passages: Sequence[Passage]) -> list[int]:
    """The panel of each of the first panellists of the list (``count`` in all), by the number each
    panel says spoke ("four panellists discussed ..."), in panel order; a panel whose passages
    mention no panellist (the moderator's) counts none. Stops at the first panel of unknown size."""
    panel_of: list[int] = []
    for panel in sorted({p.panel for p in passages if p.panel is not None}):
        text = " ".join(p.text for p in passages if p.panel == panel)
        size = _PANEL_SIZE.search(alpha2digit(text, "en"))
        if size is None and "panellist" in text.lower():
            break
        panel_of += [panel] * (int(size.group(1)) if size else 0)
    return panel_of[:count]


def _link_by_order(talk: dict[int, tuple[int, Link]], openings: list[int], positions: list[int]) -> None:
    """Tie the panellists at ``positions`` (one panel's, in list order) to the talks that open at
    ``openings`` (the panel's, in report order), in order, between the talks already tied: where
    as many panellists as talks lie between two of those. Nothing when the ties already made
    disagree with the order."""
    if not openings or not positions:
        return
    anchors = [(n, talk[n][0]) for n in positions if n in talk]
    if any(k not in openings for _, k in anchors) or [k for _, k in anchors] != sorted(k for _, k in anchors):
        return
    bounds = [(positions[0] - 1, openings[0] - 1), *anchors, (positions[-1] + 1, openings[-1] + 1)]
    for (n0, k0), (n1, k1) in itertools.pairwise(bounds):
        people = [n for n in positions if n0 < n < n1]
        between = [k for k in openings if k0 < k < k1]
        if people and len(people) == len(between):
            talk.update((n, (k, Link.ORDER)) for n, k in zip(people, between, strict=True))


def _by_country(person: Participant, passages: Sequence[Passage]) -> Participant:
    """``person`` tied to the sentences of ``passages`` (their panel's) about panellists that name
    the country of their affiliation ("Permanent Mission of Italy"), when there are some."""
    countries = [c for c in country_names() if mentions(person.affiliation, c)]
    ids, starts = [], []
    for passage in passages:
        for start, end in split_sentences(passage.text):
            sentence = passage.text[start:end]
            if "panellist" in attributed_to(sentence) and any(mentions(sentence, c) for c in countries):
                ids.append(passage.id)
                starts.append(start)
                break
    if not ids:
        return person
    return replace(person, presented_in=tuple(ids), talk_starts=tuple(starts), linked_by=Link.COUNTRY)


@cache
def organization_names(affiliation: str) -> tuple[str, ...]:
    """The organization's names as the report may write them: in full, by acronym, by alias, without
    the kind of body ending it; not the place in brackets after it."""
    names = set()
    places = {p for p in re.findall(r"\(([^)]*)\)", affiliation) if " " not in p}  # "(Vienna)", "(Canada)"
    for part in re.split(r",|\(|\)", affiliation):
        part = part.strip()
        if len(part) > 3 and part[0].isupper() and not part.startswith(("Permanent", "Senior")) \
                and part not in places:
            names.update([part, *names_starting(part)])
            short = _KIND_OF_BODY.sub("", part)  # "Simon Fraser" for "Simon Fraser University"
            if short != part and len(short.split()) >= 2:
                names.add(short)
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
