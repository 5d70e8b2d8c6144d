"""Who a question is about, among the people the index read from the report (see
:mod:`workshop_qa.index.people`): named outright, by organization, or by role."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from workshop_qa.index.countries import country_names
from workshop_qa.index.passage import Passage
from workshop_qa.index.people import Link, Participant, mentions, organization_names
from workshop_qa.retriever.aliases import other_country_forms
from workshop_qa.retriever.leaning import PERSON_WORDS
from workshop_qa.retriever.stance import FLOOR

# A person, or what only a person does at a workshop: presenting a talk ("what was UNESCO presenting?").
_PERSON_CUE = re.compile(rf"\b(?:{PERSON_WORDS}|reps?|represented|guys?|lady|anyone|anybody|someone|she|he|"
                         r"her|his|him|present(?:ing|ed|s|ations?)?)\b", re.IGNORECASE)
# "was he also one of the panellists?", "is Mariya Polner a panellist?": the list of panellists says.
_AMONG_PANELLISTS = (r"\b(?:was|is|were|are)\s+(?!there\b)\w+(?:\s+\w+)?\s+(?:also\s+)?"
                     r"(?:one of|among|listed as(?:\s+a)?|a)\s+(?:the\s+)?panell?ists?\b")
# "a French diplomat", "a Canadian expert", "panellists from China": where a panellist comes from, not
# what they spoke about ("the panellist who talked about Qatar's law").
_CUE = r"(?i:panell?ist|presenter|expert|diplomat|academic|professor|scholar|researcher)s?\b"
_LEAD = r"^\s*(?:(?:and|so|ok(?:ay)?|also|now|then)\b[\s,]*)*"  # "ok, and who chaired the meetings?"
# "what is her name?", "the name of that panellist", "which Korean expert ...", "and who ..."; not "the
# name of the platform she mentioned".
_ASKS_WHO = re.compile(_AMONG_PANELLISTS + "|" + _LEAD +
                       r"(?:who|whom|(?:which|what)\s+(?:[A-Z][a-z]+\s+)?(?:person|organi[sz]ation|university|"
                       r"institution|body|agency|country|" + _CUE + r"))\b|"
                       r"\b(?:represent(?:s|ed|ing)?|affiliat\w*|work(?:s|ed)? for)\b|"
                       r"\bname\b(?!\s+of\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|that\s+|this\s+)?+"
                       r"(?!(?:person|panell?ist|speaker|delegate|representative|moderator|chair\w*|"
                       r"presenter|expert)s?\b)\w)|\bwhere\b.*\b(?:teach\w*|taught|work\w*|from|"
                       r"based|employed)\b|"
                       # "what's her full title?", "his research institute", "was there a panellist from
                       # the WCO?", "did the World Bank have anyone on the panels?"
                       r"\b(?:his|her|their|\w+'s)\s+(?:full\s+|official\s+|job\s+)?(?:title|job|day job|"
                       r"affiliation|employer)\b|" + _LEAD + r"(?:what|which)(?:'s|\s+is|\s+was)\s+"
                       r"(?:his|her|their|(?:[A-Z][\w-]*\s+)*[\w-]+'s)\s+(?:\w+\s+)?(?:cent(?:re|er)|institute|"
                       r"university|college|"
                       r"organi[sz]ation|institution|mission|agency)\b|"
                       r"\b(?:was|were)\s+there\s+(?:(?:a|an|any)\s+)?(?:[A-Z][a-z]+\s+)?(?:"
                       + _CUE + r"|speakers?|representatives?|reps?)\s+(?:from|of|for)\b|"
                       r"\b(?:was|were)\s+there\s+(?:a|an|any)\s+[A-Z][a-z]+\s+(?:" + _CUE + r"|speakers?|"
                       r"representatives?|reps?)|"
                       r"\b(?:have|had|send|sent)\s+(?:anyone|anybody|someone|somebody|a\s+(?:panell?ist|"
                       r"speaker|representative|rep))\b", re.IGNORECASE)


_FROM_COUNTRY = re.compile(rf"\b([A-Z][a-z]+)\s+(?:[a-z]+\s+)?{_CUE}|\b{_CUE}\s+(?i:from)\s+(?:the\s+)?"
                           r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)")


def mentioned(text: str, people: Sequence[Participant]) -> Participant | None:
    """The participant ``text`` is about: named outright, or by organization when the text asks
    about a person ("Who spoke for the World Bank?"), or the moderator by role."""
    for person in people:
        if person.name in text or mentions(text, person.name.split()[-1]):
            return person
    # a person the body sent, not speakers from the floor ("the UNESCO convention some speakers wanted")
    if any(not (FLOOR.matches(cue.group(0)) and cue.group(0).lower().endswith("s"))
           for cue in _PERSON_CUE.finditer(text)):
        for person in people:
            if person.role == "panellist" and any(mentions(text, name, ignore_case=True) for name in
                                                  organization_names(person.affiliation)):
                return person
    countries = _origins(text)
    if countries:  # "which French expert presented?", "the Korean panellist"
        forms = [form for country in countries for form in (country, *other_country_forms(country))]
        from_there = [p for p in people if p.role == "panellist" and
                      any(mentions(p.affiliation, form) for form in forms)]
        if len(from_there) == 1:
            return from_there[0]
    if re.search(r"\bmoderat", text, re.IGNORECASE):
        return next((p for p in people if p.role == "moderator"), None)
    return None


def _origins(text: str) -> list[str]:
    """The countries ``text`` says a panellist comes from: "French diplomat" -> France."""
    countries = country_names()
    found = []
    for match in _FROM_COUNTRY.finditer(text):
        word = match.group(1) or match.group(2)
        found += [word] if word in countries else other_country_forms(word)
    return found


# "Which panellists took part?", "list the panellists", "how many panellists were there?" (the list
# shows them), "who chaired the meetings?"; not "which panellist said ...", which asks what one said.
_ROLES = {"panellist": re.compile(_LEAD + r"(?:who|list|name|how many)\b.*\bpanell?ists\b|"
                                  r"\bnames of the panell?ists\b|" + _AMONG_PANELLISTS, re.IGNORECASE),
          # "who was chairing it?", but not a bare "who was chairing?", which leans on the question before
          "chair": re.compile(_LEAD + r"(?:who|list|name|how many)\b.*\bchair(?:s|ed|ing(?=\s+\w)|persons?)?"
                              r"\b", re.IGNORECASE)}


def named_for_role(text: str, people: Sequence[Participant]) -> tuple[str, ...]:
    """The passages that name the people of the role ``text`` asks who held ("Who were the
    panellists?", "Who chaired the meetings?"), in report order. Not for the panellists of one
    panel ("Who were the four panellists on the cybercrime panel?", "how many panellists were on
    it?"): the list does not say."""
    if re.search(r"\bpanel\b|\b(?:on|in|at|during|of)\s+(?:it|that|this|there)\b", text, re.IGNORECASE):
        return ()
    return tuple(dict.fromkeys(p.named_in for p in people for role, pattern in _ROLES.items()
                               if p.role.startswith(role) and pattern.search(text)))


def about_a_person(text: str) -> bool:
    """Whether ``text`` speaks of a person ("who", "the panellist", "she"), not only of a thing."""
    return _PERSON_CUE.search(text) is not None


def speaker_not_named(person: Participant, passage: Passage) -> str:
    """What the report leaves out when a question asks who gave the talk ``passage`` tells, and
    ``person`` is tied to it by order or country only: the report does not name them there."""
    if person.linked_by not in (Link.ORDER, Link.COUNTRY) or passage.id not in person.presented_in:
        return ""
    return (f'does not name who gave this talk: it attributes it to "{person.reported_as(passage)}", '
            f"{person.tie()}")


def asks_who(text: str) -> bool:
    """Whether ``text`` asks who someone is or whom they represent, rather than what they said."""
    return _ASKS_WHO.search(text) is not None


# "Did Mexico take the floor?", "Which meetings did Djibouti speak at?"; not "Did China speak about
# data protection?", which asks what was said.
_TAKES_PART = re.compile(r"\b(?:t(?:ake|akes|ook|aken|aking)\s+(?:the\s+floor|part)|speak(?:s|ing)?|"
                         r"spoken?|spoke|(?:make|makes|made|deliver(?:s|ed)?|g[ai]ve)\s+(?:a\s+|any\s+)?"
                         r"statements?|interven\w*|participat\w*|attend\w*|"
                         r"(?:among|one\s+of)\s+the\s+(?:speakers|delegations\s+(?:that|who)\s+spoke))\b",
                         re.IGNORECASE)
_TOPIC = re.compile(r"\b(?:about|regarding|concerning|on the (?:subject|topic|issue) of)\b", re.IGNORECASE)
# "What did Mexico say about ...?", "what did the delegation of India propose?": what a delegation
# said, which the lists of who made statements answer in part (they list it, and no more).
_SAID_BY = re.compile(r"^\s*(?i:and\s+)?(?i:what\s+(?:did|does|has)\s+(?:the\s+)?(?:(?:delegation|"
                      r"representative)s?\s+of\s+)?(?:the\s+)?)(?P<who>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)\s+"
                      r"(?i:say|said|propose|suggest|argue|state|want|think|call|raise|stress|emphasi[sz]e|recommend)\b")
_MAX_LISTS = 8


def names_a_topic(text: str) -> bool:
    """Whether ``text`` asks about a topic of its own ("what did she say about data?")."""
    return _TOPIC.search(text) is not None


def asks_who_spoke(text: str) -> bool:
    """Whether ``text`` asks who made statements, or whether one delegation did ("Which delegations
    took the floor at the 6th meeting?", "did Mexico speak at the 5th?"), not who chaired nor what
    was said about a topic."""
    return bool(_TAKES_PART.search(text)) and not _TOPIC.search(text)


def lists_naming(text: str, delegations: Sequence[str],
                 lists: Callable[[str | None, int], Sequence[str]]) -> tuple[str, ...]:
    """For a question whether a delegation took the floor ("did Mexico take the floor?") or what
    it said ("what did Mexico say?"), the passages that list it among those that made statements;
    when it asks whether a country took the floor that no list holds, the lists themselves, which
    show that it is not on them. ``delegations`` are the names the lists hold, and
    ``lists(name, limit)`` the passages listing one (any, for None)."""
    said_by = _SAID_BY.match(text)
    if said_by and said_by.group("who") in delegations:
        return tuple(lists(said_by.group("who"), _MAX_LISTS))
    if not asks_who_spoke(text):
        return ()
    countries = [form for word in re.findall(r"\b[A-Z][a-z]+\b", text) for form in other_country_forms(word)]
    named = [name for name in delegations if mentions(text, name, ignore_case=True)  # "did mexico speak?"
             or name in countries]  # "did the Chinese delegation speak?"
    if named:
        return tuple(dict.fromkeys(i for name in named for i in lists(name, _MAX_LISTS)))[:_MAX_LISTS]
    if any(mentions(text, country) for country in country_names()):
        return tuple(lists(None, _MAX_LISTS))
    return ()


# "What did Han-Kyun Kim say?", "what did the Italian panellist present?": what one person said.
_ASKS_SAID = re.compile(r"\b(?:say|said|says|present\w*|talk\w*|speak\w*|spoke|discuss\w*|argu\w*|"
                        r"propos\w*|suggest\w*|stress\w*|emphasi[sz]\w*|recommend\w*|focus\w*|cover\w*)\b",
                        re.IGNORECASE)


def talk_not_reported(text: str, person: Participant | None) -> str:
    """What the report leaves out when ``text`` asks what a panellist said and the report ties no
    passage to them (it names every panellist, but reports most talks as "one panellist"), else
    an empty string."""
    if person is None or person.role != "panellist" or person.presented_in or asks_who(text):
        return ""
    if not _ASKS_SAID.search(text):
        return ""
    return f"names {person.describe()} among the panellists but does not say which presentation was theirs"
