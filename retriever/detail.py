"""The detail a question asks for, and whether the evidence gives it.

"Which delegations supported a new treaty?" asks for delegations; the report says "Several
speakers emphasized ...". Then the honest answer is partial: the report does not name them, and
here is what it says. The kinds: a number, a date, countries or delegations, a person, and what a
listed delegation said (the report lists who spoke at each meeting, not what each said).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workshop_qa.index.countries import country_names
from workshop_qa.index.passage import Passage
from workshop_qa.index.people import mentions
from workshop_qa.retriever.analysis import Detail, QueryAnalysis
from workshop_qa.retriever.rules import rule

_TOPICS_FILE = Path(__file__).parent / "crime_topics.json"
_NUMBER_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 r"dozen|hundred|thousand|million|billion")
# "What is INTERPOL's database of stolen artworks called?", "What is the name of the WCO platform?":
# the thing whose name is asked, up to the words that end its description.
_ASKS_NAME = re.compile(
    r"\bwhat (?:is|was|are|were) (?:the name of )?(?:the |its |their |\w+'s )?(?P<a>[\w\- ]+?)\s+"
    r"(?:called|named)\b|"
    r"\bwhat is the name of (?:the |its |their |\w+'s )(?!panell?ist|speaker|delegate|person|moderator|chair)"
    r"(?P<b>[\w\- ]+?)(?:\s+(?:mentioned|that|which|used|in|at|for|by)\b|[?.]|$)", re.IGNORECASE)
_MISSING = {"number": "does not give the number", "date": "does not give the date",
            "time": "does not give the time",
            "country": "does not name the countries or delegations",
            "person": "does not name them", "reason": "does not give the reason"}
_HAS_NUMBER = re.compile(rf"\d[\d,.]*|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)


NAMES_BODY = rule(
    "names a body",
    "A sentence names an organization: a capitalized name ending in a word for a body, or an acronym.",
    r"\b(?:[A-Z][\w'-]+\s+){0,6}(?:Union|League|Organi[sz]ation|Office|Council|Bank|Institute|Agency|"
    r"Commission|Programme|Secretariat|Association|Network|Centre|Center)\b|\b[A-Z]{3,}\b",
    examples=("prepared by the International Telecommunication Union", "the League of Arab States",
              "with UNODC"),
    counterexamples=("Another panellist spoke about regional cooperation.", "the union of efforts"),
    flags=0)


def holds_detail(detail: Detail, sentence: str, names: Sequence[str]) -> bool:
    """Whether ``sentence`` gives a detail of the kind asked: a country, a date, a time, or for
    "who", one of the ``names`` of the people the report names or a body (a law is prepared by a
    body as often as by a person); other kinds are not checked."""
    if detail == Detail.COUNTRY:
        return any(mentions(sentence, country) for country in country_names())
    if detail == Detail.DATE:
        return _HAS_DATE.search(sentence) is not None
    if detail == Detail.TIME:
        return _HAS_TIME.search(sentence) is not None
    if detail == Detail.PERSON:
        return any(name in sentence for name in names) or NAMES_BODY.matches(sentence)
    return False


def lacks_number(question: str, evidence: str, counts_people: bool) -> bool:
    """Whether ``evidence`` gives no quantity that ``question`` does not already hold: years,
    symbols, dates and ordinals name things rather than count them, and "five panellists
    discussed ..." counts only when the question may count people (``counts_people``)."""
    quantities = _NAMING_NUMBER.sub(" ", evidence if counts_people else _COUNT.sub(" ", evidence))
    return not _new(_HAS_NUMBER, quantities, question, _YEAR)


def number_gap(question: str, evidence: str, counts_people: bool) -> Gap | None:
    """The gap of a question in another language that asks how many or how much, when ``evidence``
    gives no quantity; a count of people ("five panellists") answers it only when the question is
    about people (``counts_people``)."""
    missing = lacks_number(question, evidence, counts_people)
    return Gap(Detail.NUMBER, _MISSING[Detail.NUMBER]) if missing else None


def date_gap(question: str, evidence: str) -> Gap | None:
    """The gap of a question asking when, when ``evidence`` gives no date beyond those the question
    holds."""
    return None if _new(_HAS_DATE, evidence, question) else Gap(Detail.DATE, _MISSING[Detail.DATE])


def gives_number(text: str) -> bool:
    """Whether ``text`` holds a number, in figures or in words."""
    return _HAS_NUMBER.search(text) is not None


# Years, resolution and document numbers are names, not quantities.
_YEAR = re.compile(r"\d{4}[,.]?")
_MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
# Numbers that name rather than count: symbols ("A/CONF.222/12"), dates ("15 and 16 April 2015"),
# ordinals ("its 4th to 6th meetings") and numbered things ("resolution 2199", "workshop 3").
_NAMING_NUMBER = re.compile(
    rf"\S*\d\S*/\S*|\S*/\S*\d\S*|\b\d{{1,2}}(?:\s+(?:and|to|-)\s+\d{{1,2}})?\s+(?:{_MONTHS})\b|"
    r"\b\d+(?:st|nd|rd|th)\b|\b(?:resolutions?|articles?|paragraphs?|paras?|items?|workshops?|meetings?|"
    r"chapters?|annex)\s+\d+\b", re.IGNORECASE)
_HAS_TIME = re.compile(rf"\b\d{{1,2}}(?:[:.]\d{{2}})?\s*(?:a\.m\.|p\.m\.|am|pm|hours?)\b|\bo'clock\b|"
                       rf"\b(?:noon|midnight)\b|\b(?:\d+|one|{_NUMBER_WORDS})\s+(?:minutes?|hours?|days?|weeks?)\b",
                       re.IGNORECASE)
_HAS_DATE = re.compile(rf"\b(?:1[89]\d\d|20\d\d)\b|\b(?:{_MONTHS})\b")
_ANONYMOUS = re.compile(r"\b(?:one|another|several|some|many|other|two|three|four|five|six)\s+"
                        r"(?:other\s+)?(?:speakers?|panell?ists?|delegations?|participants?)\b",
                        re.IGNORECASE)
# How many people or meetings the report says took part: a number that answers only questions
# about them, not "how many cases of looting?".
_PARTICIPANTS = r"(?:panell?ists?|speakers?|presenters?|participants?|delegations?|meetings?|panels?)"
_COUNT = re.compile(rf"\b(?:{_NUMBER_WORDS}|\d+)\s+{_PARTICIPANTS}\b", re.IGNORECASE)
_COUNTED = re.compile(rf"\b{_PARTICIPANTS}\b", re.IGNORECASE)
_LISTED_SPEAKERS = re.compile(r"statements? (?:was|were) (?:also )?made by", re.IGNORECASE)


# "Who served as rapporteur of Committee I?", "who was the keynote speaker?": the role asked for;
# not "who was that?", whose pronoun points at an earlier answer.
_ASKS_ROLE = re.compile(r"^\s*who\s+(?:was|were|is|are|served|acted|was appointed|were appointed)\s+"
                        r"(?:as\s+)?(?:the\s+|a\s+|an\s+)?"
                        r"(?!(?:that|this|it|he|she|they|them|him|her|those|these|there|against|behind|"
                        r"among|responsible|in)\b|\w+ing\b)"
                        r"(?P<role>[a-z-]+(?:\s+[a-z-]+)?)"
                        r"(?=\s+(?:of|for|at|in|during|to)\b|\s*[?.!]*\s*$)", re.IGNORECASE)


# "What penalties does Qatar's new cybercrime law impose?", "What did the expert group find in its
# study?": what an instrument or study itself holds, which a report that only names it does not give.
_ASKS_CONTENT = re.compile(
    r"\b(?P<tense>does|do|did|will)\s+(?P<thing>(?:the\s+|its\s+|their\s+|[\w-]+'s\s+)?(?:[\w'-]+\s+){0,8}?"
    r"(?:convention|law|treaty|instrument|guidelines|resolution|study|group|programme|declaration|"
    r"protocol|statute|legislation)(?:\s+(?:on|of|against|for)\s+(?:[\w'-]+\s+){0,5}?[\w'-]+)?)\s+"
    r"(?P<verb>require|impose|prescribe|set|define|establish|find|"
    r"stipulate|mandate|oblige)\b(?!\s+up\b)", re.IGNORECASE)

_IRREGULAR = {"find": ("finds", "found"), "set": ("sets", "set"), "establish": ("establishes", "established")}


ASKS_SINCE = rule(
    "asks what happened after the report",
    "The question asks what has happened since or by now: a report records its meeting and what "
    "was said there, not what came after.",
    r"\b(?:ever\s+)?since(?:\s+then|\s+the\s+(?:workshop|congress|meeting)s?)?\s*[?.!]*\s*$|"
    r"\b(?:by now|to date|as of (?:now|today))\b|\byet\s*[?.!]*\s*$|"
    r"\bafter the (?:workshop|congress|meetings?)\b|"
    r"\b(?:later|subsequently|afterwards?)\b(?!\s+(?:in|at|during|on)\b)(?:\W+\w+){0,3}?\W+"
    r"(?:adopt|approv|endorse|ratif|implement|enact|pass|sign|launch|establish|set\s+up|creat|join)\w*|"
    r"\b(?:adopt|approv|endorse|ratif|implement|enact|pass|sign|launch|establish|set\s+up|creat|join)\w*"
    r"(?:\W+\w+){0,4}?\W+(?:later|subsequently|afterwards?)\s*[?.!]*\s*$",
    examples=("Has the register been set up since?", "Has the law been passed yet?",
              "What happened after the workshop?", "How many states have joined to date?",
              "was the code later approved by the assembly?", "Was the guide subsequently endorsed?",
              "were they ratified afterwards?"),
    counterexamples=("Since when has the law been in force?", "What did the panel say yet again?",
                     "What share of loans is eventually repaid?", "Who spoke later in the debate?",
                     "Did a speaker later suggest a registry?"))


GIVES_REASON = rule(
    "gives a reason",
    "A passage gives a reason or purpose: a causal or purposive connective.",
    r"\b(?:because|owing to|due to|as a result of|in order to|so as to|so that|given that|in view of|"
    r"in light of|therefore|thus|hence|with a view to|since the|aimed at|the reason)\b|"
    r"\b(?:necessary|needed|essential|important|crucial|vital|key)\b[^.;]*\bto\b",
    examples=("owing to the lack of systematic collection of statistics",
              "so as to enable the application of the Convention",
              "it was essential for States to cooperate"),
    counterexamples=("The 4th meeting was chaired by the Vice-President.",
                     "Statements were made by Canada and Peru."))


@dataclass(frozen=True)
class Gap:
    """What the report does not give that the question asks for, said for a person."""

    kind: str
    missing: str


AFTER_THE_REPORT = Gap("since", "records the workshop, not what happened after it")
"""The gap of a question asking what happened after the workshop."""


def find_gap(analysis: QueryAnalysis, evidence: str, top: Passage, names: Sequence[str],
             speakers: Sequence[str], known: Callable[[str], bool],
             mentioned: Callable[[str], bool]) -> Gap | None:
    """The detail the question of ``analysis`` asks for that ``evidence`` (from passage ``top``)
    lacks, if any.

    ``names`` are the people the report names, ``speakers`` the delegations and observers it lists
    as having made statements; ``known`` tells whether the report uses a word (as a stemmed token),
    ``mentioned`` whether it says a word or phrase as written.
    """
    question = analysis.text
    absent = [said for said, names in asked_topics(question) if not any(mentioned(name) for name in names)]
    if absent:
        return Gap("topic", f"does not mention {' or '.join(absent)}")
    if ASKS_SINCE.matches(question):
        return AFTER_THE_REPORT
    role = _ASKS_ROLE.match(question)
    # Words under four letters are left out: "teh" in "who was teh moderator?" is a mistyped "the".
    if role and not all(known(word) for word in role.group("role").split() if len(word) > 3):
        return Gap("role", f"does not mention a {role.group('role')}")
    asked = listed_speakers_asked(question, top, speakers)
    unlisted = [s for s in asked if not mentions(top.text, s)]
    said = analysis.detail == Detail.STATEMENT
    if unlisted and not said:
        return Gap("unlisted", f"does not list {' or '.join(unlisted)} among the delegations that "
                               "made statements there")
    if asked and said:
        return statement_gap(asked, top)
    content = _ASKS_CONTENT.search(question)
    if content and not re.search(rf"\b{content.group('verb')[:-1]}\w*", evidence, re.IGNORECASE):
        thing = re.sub(r"^(?:its|their)\s+", "the ", content.group("thing"), flags=re.IGNORECASE)
        verb = content.group("verb").lower()
        present, past = _IRREGULAR.get(verb, (verb + "s", verb + "d"))
        said = past if content.group("tense").lower() == "did" else present
        return Gap("content", f"names {thing} but does not say what it {said}")
    thing = _named_thing(question)
    if thing and not mentions(top.text, thing, ignore_case=True):
        return Gap("name", f"does not mention {thing if thing.endswith('s') else 'a ' + thing} by name")
    kind = analysis.detail
    if kind == "number" and lacks_number(question, evidence, bool(_COUNTED.search(question))):
        return Gap(kind, _MISSING[kind])
    if kind == "date" and (gap := date_gap(question, evidence)):
        return gap
    if kind == "time" and not _HAS_TIME.search(evidence):
        return Gap(kind, _MISSING[kind])
    if kind == "country" and not any(mentions(evidence, c) for c in country_names()):
        return Gap(kind, _MISSING[kind])
    if kind == Detail.REASON and not GIVES_REASON.matches(top.text):
        return Gap(kind, _MISSING[kind])
    if kind == "person" and _ANONYMOUS.search(evidence) and not any(n in evidence for n in names):
        return Gap(kind, _MISSING[kind])
    return None


def asked_topics(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """The topics of crime and justice (see ``crime_topics.json``) that ``question`` names: each as the
    question writes it ("bribery"), with every word that names the topic ("corruption", ...)."""
    pattern, names_of = _topics()
    found = []
    for match in pattern.finditer(question):
        said = match.group(0)
        found.append((said if re.search(r"[a-z][A-Z]|^[A-Z]+$", said) else said.lower(),  # "DDoS", "DNA"
                      names_of[_key(match.group("name"))]))
    return found


@cache
def _topics() -> tuple[re.Pattern, dict[str, tuple[str, ...]]]:
    """A pattern for every word naming a topic, and the topic's words by each word's key."""
    topics = json.loads(_TOPICS_FILE.read_text(encoding="utf-8"))["topics"]
    names_of = {_key(name): tuple(names) for names in topics.values() for name in names}
    longest_first = sorted((name for names in topics.values() for name in names), key=len, reverse=True)
    pattern = re.compile(r"\b(?P<name>" + "|".join(spaced(name, r"[\s-]*") for name in longest_first)
                         + r")(?:s|es)?\b", re.IGNORECASE)
    return pattern, names_of


def _key(name: str) -> str:
    """A topic word as looked up, whatever its case, spacing, hyphens or plural."""
    return re.sub(r"[\s-]+", "", name.lower())


def spaced(phrase: str, between: str) -> str:
    """A pattern for ``phrase`` with its words separated by ``between`` ("cyber-bullying" also as
    "cyber bullying")."""
    return between.join(re.escape(word) for word in re.split(r"[\s-]+", phrase))


def lists_speakers(passage: Passage) -> bool:
    """Whether ``passage`` lists who made statements ("statements were made by ...")."""
    return _LISTED_SPEAKERS.search(passage.text) is not None


def listed_speakers_asked(question: str, top: Passage, speakers: Sequence[str]) -> list[str]:
    """The delegations or countries ``question`` names, when ``top`` is a list of who made
    statements: whether a delegation is on that list is answered by the list, whatever it holds."""
    if not lists_speakers(top):
        return []
    return [s for s in sorted({*speakers, *country_names()}) if mentions(question, s, ignore_case=True)]


def statement_gap(named: Sequence[str], top: Passage) -> Gap | None:
    """The gap of a question asking what delegations said, when ``top`` only lists the ``named``
    ones among those that made statements; None when it is no such list or names none of them."""
    listed = [name for name in named if mentions(top.text, name)] if lists_speakers(top) else []
    if not listed:
        return None
    return Gap("statement", f"lists {' and '.join(listed)} among the delegations that made statements, "
                            "but does not report what they said")


def _named_thing(question: str) -> str:
    """The kind of thing whose name ``question`` asks for ("database"), if it asks for one."""
    match = _ASKS_NAME.search(question)
    if not match:
        return ""
    words = (match.group("a") or match.group("b")).split(" of ")[0].split()
    return words[-1] if words else ""


def _new(pattern: re.Pattern, evidence: str, question: str, unless: re.Pattern | None = None) -> bool:
    """Whether ``evidence`` has a match of ``pattern`` that the question does not already hold
    (a "1995 Convention" in the question is not the answer to "how many ...")."""
    given = {m.group(0).lower().rstrip(",.") for m in pattern.finditer(question)}
    return any(m.group(0).lower().rstrip(",.") not in given and not (unless and unless.fullmatch(m.group(0)))
               for m in pattern.finditer(evidence))
