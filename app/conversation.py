"""Turns of a conversation: what kind each one is, and the one standalone question it stands for.

A direct reference ("para 16", "conclusion (c)") is always answered alone. A question that names
its own subject is standalone, however short. Only a turn that leans on the one before ("and at
the 6th?", "what did she go on to say?", "and on customs?") is a follow-up, and it is
resolved by substitution from the previous turn's resolved question, never by pasting questions
together, so a resolved question never grows with the length of the conversation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from text_to_num import alpha2digit

from workshop_qa.index.countries import country_names
from workshop_qa.index.names import names_known_thing
from workshop_qa.index.parse import ORDINALS
from workshop_qa.index.people import Participant, mentions
from workshop_qa.retriever.analysis import singular
from workshop_qa.retriever.leaning import (
    AGAIN,
    ALSO,
    ELSE,
    GROUP_PRONOUN,
    LEADING_WORDS,
    NAME,
    NAMED_ONE,
    NEXT,
    OBJECT_IT,
    OF_THOSE,
    OTHER_PEOPLE,
    OTHER_SIDE,
    OTHERS,
    PERSON_PRONOUN,
    POINTED_GROUP,
    POINTED_PERSON,
    POINTED_THING,
    RETURNING,
    SUCH,
    THAT_THING,
    THING_PRONOUN,
    WHEN_WHERE,
    leans_by_ellipsis,
    leans_by_pronoun,
    named_before,
    own_words,
)
from workshop_qa.retriever.participants import asks_who, mentioned, named_for_role
from workshop_qa.retriever.references import ORDINAL, ordinal_suffix, ordinal_value
from workshop_qa.retriever.rules import rule
from workshop_qa.retriever.stance import Stance, stance


class TurnKind(StrEnum):
    """What a turn is: a lookup, a question of its own, or one that leans on the turns before."""

    REFERENCE = "reference"
    STANDALONE = "standalone"
    FOLLOW_UP = "follow-up"


REFERENCE, STANDALONE, FOLLOW_UP = TurnKind.REFERENCE, TurnKind.STANDALONE, TurnKind.FOLLOW_UP

_ORDINAL = rule(
    'an ordinal',
    "An ordinal in words or digits: 'sixth', '6th'.",
    rf"\b({ORDINAL})\b",
    examples=('the sixth meeting', 'at the 5th'),
    counterexamples=('the six panellists',),
    flags=re.IGNORECASE)
# "the 5th and 6th meetings", "its 4th to 6th meetings".
_MEETINGS = rule(
    'meetings by number',
    "Meetings named by their ordinals: 'the 5th and 6th meetings'.",
    rf"({_ORDINAL.pattern.pattern}(?:\s*(?:,|and|to|-|&)\s*(?:the\s+)?{_ORDINAL.pattern.pattern})*)"
                       r"\s+meetings?\b",
    examples=('the 5th and 6th meetings', 'its 4th to 6th meetings'),
    counterexamples=('the next meeting',),
    flags=re.IGNORECASE)
# "the latter meeting", "the later of those two meetings", "the former one"; not "the later discussion".
_LATTER_MEETING = rule(
    'the latter meeting',
    "'the latter meeting', 'the earlier of those two': one of two meetings named before.",
    r"\bthe\s+(?:(?P<late>latter|later)|former|earlier)(?:\s+(?:one|meeting|of\s+"
                             r"(?:those|these|the)\s+two(?:\s+meetings)?)\b|(?=\s*(?:[?.!,]|$)))",
    examples=('the latter meeting', 'the earlier of those two meetings', 'and the former?'),
    counterexamples=('the later discussion',),
    flags=re.IGNORECASE)
# "the organization", "the agency": the body named before, not "the organization of ...".
_THE_BODY = rule(
    'the body named before',
    "'the organization', 'that agency' alone: the body the turn before named.",
    r"\b(?:the|that|this)\s+(?:organi[sz]ation|body|agency|institution)\b(?!\s+(?:of|for|that|which)\b)",
    examples=('which countries is the organization working with?', 'who was the panellist from that agency?'),
    counterexamples=('the organization of the workshop',),
    flags=re.IGNORECASE)
_ORGANIZATION = rule(
    'names an organization',
    'A name that is an acronym or has a word such as Organization, Office or Council.',
    r"[A-Z]{2,}|.*\b(?:Organi[sz]ation|Bank|Council|Office|Union|Institute|Agency|"
                           r"Commission)\b.*",
    examples=('UNODC', 'World Customs Organization'),
    counterexamples=('Mariya Polner',),
    flags=0)
_WHAT_ABOUT = rule(
    'what about X',
    "'and X?', 'what about X?', 'the same for X?': the previous question asked of X.",
    r"^\s*(?:and\s+|so\s+|now\s+)?(?:(?:what|how)\s+about|as\s+for|and|only|just|"
    r"(?:anything|something|any\s+mention)\s+(?:else\s+)?(?:about|on|regarding|of)|"
    r"(?:(?:did|does|was|is|were)\s+)?(?:the\s+)?same\s+(?:[a-z]+\s+){0,3}?(?:for|over|on|about|with|regarding))\s+"
    r"(?!(?:who|whom|what|which|when|where|why|how|did|does|do|is|was|were|are|has|have|had|can|"
    r"could|should|would|will)\b)"
    # not a question of its own after the words that set it ("and in the later discussion, what did
    # one speaker say ...?")
    r"(?!.*,\s*(?:who|whom|what|which|when|where|why|how|did|does|do|was|were|is|are|has|have|had|"
    r"can|could|should|would|will)\b)"
    r"(.+?)[?.!]*\s*$",
    examples=('what about museums?', 'and in the second panel?', 'same question for Peru?'),
    counterexamples=('and who chaired the meeting?', 'and in the debate after it, did anyone object?'),
    flags=re.IGNORECASE)
# After a possessive "her" comes what is hers ("her full title"), not a preposition or the end.
_BEFORE_NOUN = rule(
    'before a noun',
    "After a possessive 'her' comes what is hers ('her full title'), not a preposition.",
    r"\s+(?!(?:about|on|to|for|with|in|at|from|and|or|as|that|than|if|when|say|said|"
                          r"too|again|by|of)\b)[a-z]",
    examples=(' full title',),
    counterexamples=('?',),
    flags=re.IGNORECASE)
# "ok show me para 20": the words around a lookup that are not the reference.
_LOOKUP_WORDS = rule(
    'words around a lookup',
    "'ok show me', 'what is in': the words around a lookup that are not the reference.",
    r"^\s*(?:(?:ok(?:ay)?|so|now|and|then|please|great|thanks)\b[\s,]*)*"
                           r"(?:(?:can you\s+|could you\s+)?(?:show|give|bring up|open|read|pull up|go to)"
                           r"(?:\s+me)?\s+|what(?:'s| is| does)\s+(?:in\s+)?)?",
    examples=('ok show me para 20', 'what is in para 3'),
    flags=re.IGNORECASE)
# "did one of them say poverty matters?": which of those people said something, searched for by
# what was said; not "any of them from Chinese universities?", which the list of them answers.
_ONE_OF_THEM = rule(
    'one of them said',
    "'did one of them say X?': which of those people said something, found by what was said.",
    r"\b(?:one|any|some|which|none|each|either|neither)\s+of\s+(?:them|those)\s+"
                          r"(?:also\s+)?(?:say|said|mention\w*|talk\w*|argue\w*|propose\w*|speak|spoke|"
                          r"discuss\w*|raise\w*|note\w*|stress\w*|link\w*)\b",
    examples=('did one of them say poverty matters?',),
    counterexamples=('any of them from Peru?',),
    flags=re.IGNORECASE)
# "was anyone sceptical about them?": "them" after a preposition is the things asked about before,
# not the people of the previous answer, as "what did they point to?" is.
_THEM_AS_THINGS = rule(
    'them as things',
    "'about them', 'applying them': the things asked about before, not the people of the answer.",
    r"\b(?:(?:about|on|with|against|regarding|concerning|apply|applying|use|using|"
                             r"implement|implementing|ratify|ratifying)\s+them|they(?=\s+(?:fit|relate|compare|complement|"
                             r"work together)\b)|"
                             # "they can't be fully applied": what is applied is a thing
                             r"they(?=\s+(?:can|could|cannot|should|would|may|might|must|will)(?:n't|'t|\s+not)?\s+"
                             r"(?:\w+ly\s+)?be\s+(?:\w+ly\s+)?\w+ed\b))\b",
    examples=('was anyone sceptical about them?', "they can't be fully applied"),
    counterexamples=('what did they point to?',),
    flags=re.IGNORECASE)
# "and (d)?", "tell me more about (d)": another item of the list the previous turn looked at.
_BARE_ITEM = rule(
    'another lettered item',
    "'and (d)?': another item of the list looked at before.",
    r"^\s*(?:[a-z]+\s+){0,4}\(([a-z])\)(?:\s+(?:say|says|said|mean|means))?\s*[?.!]*\s*$",
    examples=('and (d)?', 'tell me more about (b)'),
    counterexamples=('conclusion (c) and the treaty',),
    flags=re.IGNORECASE)
_ASKED_THINGS = rule(
    'the things asked for',
    "'which conventions ...': the kind of things a question asks for.",
    r"^\s*(?:which|what)\s+(?:[\w'-]+\s+){0,3}?([a-z]+s)\s+(?:did|do|does|were|are|"
                           r"was|is|have|has|had|should|would|could|can)\b",
    examples=('Which cultural property conventions did they name?',),
    counterexamples=('Who spoke?',),
    flags=re.IGNORECASE)
# "what else did that panellist stress?", "besides new laws, what else did they recommend?": more of
# the same talk, not someone else's.
_MORE_FROM = rule(
    'more from the same speaker',
    "'what else did that panellist stress?': more of the same talk, not someone else's.",
    r"\bwhat\s+else\b.*\b(?:he|she|him|her|they|them|(?:that|this|the same)\s+"
                        r"(?:panell?ist|speaker|representative|rep|expert|presenter))\b",
    examples=('what else did she say?', 'what else did that panellist stress?'),
    counterexamples=('what else was said?',),
    flags=re.IGNORECASE)
# "whose idea was that?", "which delegation proposed that?", "which para says that?"
_ASKS_OF_THAT = rule(
    'who or which of that',
    "'whose idea was that?', 'which delegation proposed that?': asks about what was just said.",
    r"^\s*(?:and\s+)?(?:who|whose|whom|which\s+\w+|where)\b.*"
                           # not "which delegations spoke at it?", where "it" is a meeting
                           r"(?<!\bat )(?<!\bin )(?<!\bduring )\b(?:that|this|it)\s*[?.!]*\s*$",
    examples=('whose idea was that?', 'which delegation proposed that?'),
    counterexamples=('which delegations spoke at it?',),
    flags=re.IGNORECASE)
_AFFILIATION_WORDS = rule(
    'his or her organization',
    "'her organization', 'his university': the body of the person named before.",
    r"\b(?:his|her)\s+(organi[sz]ation|institution|institute|university|agency|employer|office)\b",
    examples=('which countries is her organization working with?',),
    counterexamples=('which organization spoke?',),
    flags=re.IGNORECASE)
_ABOUT = rule(
    'what it is about',
    "'about X', 'regarding X', 'split over X': the topic a question names.",
    r"\b(?:about|regarding|concerning|on the subject of|with respect to|in relation to|"
                    r"(?:split|disagreement|debate|divisions?|divided|disagreed?|consensus)\s+(?:over|on)|"
                    r"(?:agreed|said|decided|concluded|recommended|stressed|noted)\s+on)"
                    r"\s+(.+?)[?.!]*\s*$",
    examples=('What did they say about museums?', 'Was there a split over extradition?'),
    counterexamples=('Who chaired the meeting?',),
    flags=re.IGNORECASE)
# "the Council of Europe" in "What did the Council of Europe do at the workshop?": up to a verb;
# "that link" right after the first word ("was that link picked up?"), not "did anyone propose that ...".
_DETERMINED = rule(
    'a determined phrase',
    "'the Council of Europe' in 'What did the Council of Europe do?': a phrase up to its verb.",
    r"\b((?:a|an|the|some|any|^that|^this)\s+.+?)(?:\s+about|\s+(?:was|were|is|are|"
                         r"should|would|could|had|has|have|be|being|do|does|did|say|said|says|think|thought|propose[sd]?|"
                         r"present(?:s|ed)?|discuss(?:es|ed)?|talk(?:s|ed)?|mention(?:s|ed)?|play(?:s|ed)?|"
                         r"suggest(?:s|ed)?|gives?|gave|makes?|made|offer(?:s|ed)?|picked|taken|raised|covered|"
                         r"reflected)\b.*)?[?.!]*\s*$",
    examples=('did the Council of Europe speak?',),
    counterexamples=('who spoke',),
    flags=re.IGNORECASE)
# "a new global cybercrime treaty": an instrument whose subject stands before it, not after "on".
_INSTRUMENT = rule(
    'an instrument',
    "'a new global cybercrime treaty': an instrument whose subject stands before it.",
    r"\b(an?|the)\s+(?:[\w-]+\s+){0,3}?(treaty|treaties|instruments?|conventions?)\b"
                         r"(?!\s+(?:on|about|against|for)\b)",
    examples=('who opposed a new cybercrime treaty?',),
    counterexamples=('a treaty on cybercrime',),
    flags=re.IGNORECASE)
# "a new treaty", "the instrument": which one, the question leaves to the conversation.
_BARE_INSTRUMENT = rule(
    'an instrument named bare',
    "'a new treaty', 'the convention': an instrument whose subject the question does not say.",
    r"\b(?:an?|the|such\s+an?)\s+(?:(?:new|binding|legally|international|global|UN|united\s+nations)\s+)*"
    r"(?:treaty|treaties|instruments?|conventions?)\b(?!\s+(?:on|about|against|for|of|to)\b)",
    examples=('was anyone against a new treaty?', 'who wanted the instrument?',
              'did they support a legally binding instrument?'),
    counterexamples=('a new treaty on cybercrime', 'a cybercrime treaty', 'the Organized Crime Convention'),
    flags=re.IGNORECASE)
_NAMES_INSTRUMENT = rule(
    'names an instrument',
    "'a new treaty on cybercrime', 'the cultural property convention': a treaty, convention or "
    "instrument.",
    r"\b(?:treaty|treaties|instruments?|conventions?)\b",
    examples=('a new treaty on cybercrime',), counterexamples=('the guidelines',),
    flags=re.IGNORECASE)
_LAST_OBJECT = rule(
    'the last object',
    'The phrase after the last preposition: what a new slot replaces.',
    r"^(.*\b(?:on|about|regarding|concerning|for|against|of|in|with)\s+)(.+?)"
                          r"([?.!]*)\s*$",
    examples=('What did they say about museums?',),
    counterexamples=('Who spoke?',),
    flags=re.IGNORECASE)
_PLACE = rule(
    'a part of the report',
    "'in the cybercrime panel', 'at the 5th meeting': a part of the report a turn narrows to.",
    r"^(?:in|during|at)\s+the\s+[\w\s-]*\b(?:panel|meeting|conclusions|discussion)\b",
    examples=('in the cybercrime panel', 'at the 5th meeting',
              'in the discussion that followed the third panel'),
    counterexamples=('the panel',),
    flags=re.IGNORECASE)
_FRONTED = rule(
    'a subject put first',
    "'and the World Bank, did it present?': a subject before a comma, then a question whose "
    "pronoun stands for it.",
    r"^\s*(?:(?P<lead>(?i:and|so|now|what about|how about|as for))\s+)?"
    r"(?!(?i:ok|okay|so|well|yes|no|right|thanks|sure|great|hmm|and|in|at|on|for|after|before|during|"
    r"from|as|if|when|given|according|rather|besides|apart|regarding|overall)\b)"
    # a name ("the Council of Europe", "Nigeria") or "the" and a few words ("the moderator")
    r"(?P<subject>(?:(?i:the)\s+)?[A-Z][\w'-]*(?:\s+(?:of|for|on|and|the|[A-Z][\w'-]*))*|"
    r"(?i:the)(?:\s+[\w'-]+){1,3}),\s*"
    r"(?P<verb>(?i:did|does|do|was|is|were|are|has|have|had|can|could|will|would))\s+(?i:it|they|he|she)\b",
    examples=('and the World Bank, did it present?', 'Nigeria, was it at the 5th meeting?'),
    counterexamples=('and in the debate after it, did anyone object?', 'did it speak?',
                     'Ok, did it say that?', 'According to the summary, is it only a matter of law?',
                     'Rather than new laws, is it better to train judges?'),
    flags=0)
_SAME_TAG = rule(
    'the same question',
    "', same divide?', ', too?', ', as well?': a tag saying the previous question is asked again of "
    "what comes before it.",
    r",\s*(?:(?:the\s+)?same(?:\s+[\w-]+)?|too|as\s+well|also|again)\s*[?.!]*\s*$",
    examples=('on extradition, same divide?', 'and for museums, too?'),
    counterexamples=('the same divide on extradition?',))
_WHETHER_SUBJECT = rule(
    'the subject of whether',
    "'whether a binding protocol on looting was required': the subject of a question's 'whether' (or "
    "'if') clause, which is what the question is about.",
    r"\b(?:whether|if)\s+((?:a|an|the|such|any|some|more|new)\b.+?)\s+(?:is|was|are|were|should|"
    r"would|could|can|will|might|must|had|has|have)\b",
    examples=('Did the meeting debate whether a binding protocol on looting was required?',
              'did they ask if the existing conventions were enough?'),
    counterexamples=('whether they agreed', 'did anyone ask if it works?'))
_IN_CONCLUSIONS = rule(
    'the conclusions as a place',
    "'do the conclusions say', 'in the workshop's conclusions': the part of the report a question looks "
    "in, which another part named after it replaces.",
    r"(?:\b(?:in|from|of|by|at|during)\s+)?\bthe\s+(?:workshop(?:'s)?\s+)?conclusions\b",
    examples=('Do the conclusions mention training at all?', 'and in the conclusions?'),
    counterexamples=('what was concluded?', 'in the cultural property panel'))
_PLACE_PREPOSITIONS = {"in", "from", "of", "by", "at", "during"}
_NARROWING = rule(
    'a narrowing context',
    "'in the context of a new treaty', 'with regard to museums': the same topic, narrowed.",
    r"^(?:in\s+the\s+context\s+of|in\s+relation\s+to|with\s+(?:regard|respect)\s+to|as\s+regards|"
    r"in\s+connection\s+with)\s+.+?(?=[?.!]*\s*$)",
    examples=('in the context of a new treaty?', 'with regard to museums'),
    counterexamples=('the context of the talk', 'about museums'),
    flags=re.IGNORECASE)
_BARE_ORDINAL_PLACE = rule(
    'an ordinal alone',
    "'at the 5th', 'in the third': an ordinal whose meeting or panel the conversation named.",
    r"^\s*(?:(?:and|what about|how about)\s+)?(?:(?:at|in|during|for)\s+)?(?:the\s+)?"
    rf"{_ORDINAL.pattern.pattern}[?.!]*\s*$",
    examples=('at the 5th', 'and in the third'),
    counterexamples=('at the 5th meeting', 'the third speaker'),
    flags=re.IGNORECASE)
# "the dates of those meetings", "the name of its database": a detail of something named.
_ATTRIBUTE_OF = rule(
    'an attribute of something',
    "'the dates of those meetings': a detail of something named.",
    r"^the\s+(dates?|names?|titles?|symbols?|numbers?|years?|venues?|places?|times?|"
                           r"locations?)\s+of\b",
    examples=('the dates of those meetings', 'the name of its database'),
    counterexamples=('the meeting',),
    flags=re.IGNORECASE)
_THAT_COUNTRY = rule(
    'that country',
    "'that country', 'the same country': the country named before.",
    r"\b(?:that|this|the same)\s+country\b",
    examples=("what about that country's law?",),
    counterexamples=('which country spoke?',),
    flags=re.IGNORECASE)
_ROLE_WORD = rule(
    'a role',
    'Panellist, moderator or chair: a role in the workshop.',
    r"\b(?:panell?ists?|moderat\w+|chair\w*)\b",
    examples=('the Chinese panellist', 'who chaired?'),
    counterexamples=('the panel',),
    flags=re.IGNORECASE)
_THE_ROLE = rule(
    'a role held',
    "'the moderator', 'the Chinese panellist': whoever held a role, as a question names them.",
    r"\bthe\s+(?:[\w-]+\s+){0,2}?(?:panell?ists?|moderators?|chairs?|chairpersons?)\b",
    examples=('who was the moderator for the workshop?', 'what did the Chinese panellist say?'),
    counterexamples=('who presided over the 6th meeting?', 'the panel on cybercrime'),
    flags=re.IGNORECASE)
_MEETING_OR_PANEL = rule(
    'a meeting or panel',
    "'the 5th meeting', 'the cybercrime panel': a meeting or panel named.",
    r"\b(?:at|in|during)?\s*the\s+(?:[\w-]+\s+){1,3}?(?:meeting|panel)\b",
    examples=('at the 5th meeting', 'in the cybercrime panel', 'in the cultural property panel'),
    counterexamples=('the workshop',),
    flags=re.IGNORECASE)


@dataclass(frozen=True)
class Said:
    """What an answer said: the units it cited, the sentences it quoted and the people they name."""

    cited: tuple[str, ...] = ()
    quoted: tuple[str, ...] = ()
    people: tuple[Participant, ...] = ()

    @property
    def one_person(self) -> Participant | None:
        """The one person the answer named, if it named exactly one."""
        return self.people[0] if len(self.people) == 1 else None


@dataclass(frozen=True)
class Turn:
    """One user turn: as typed, its kind, and the standalone question it stands for.

    ``topic`` is the thing the turn asks about ("a new treaty on cybercrime"), ``person`` the
    person it is about, if any; both are what a later follow-up's pronouns point to.
    """

    text: str
    kind: TurnKind
    resolved: str
    topic: str = ""
    person: Participant | None = None
    name: str = ""
    on_previous_answer: bool = False
    """A follow-up about what the previous answer said ("what did they point to instead?", "did
    anyone push back?"): that answer's paragraph is the context."""
    besides_previous_answer: bool = False
    """A follow-up such as "who else ...?" or "did that come up again later?": the previous
    answer's paragraph is set aside."""
    looked_up: str = ""
    """The direct reference the conversation last looked up ("conclusion (c)"), kept through the
    follow-ups after it: what "and (d)?" or "the next one" moves on from."""
    things: str = ""
    """What "them" after a preposition stands for ("was anyone sceptical about them?"): the topic,
    or for a lookup the topic of the turn before it."""
    meetings: tuple[int, ...] = ()
    """The meetings the conversation last named ("the 5th and 6th meetings"), kept through the
    turns after it: what "the latter meeting" picks from."""
    said: Said = Said()
    """What the answer to this turn said, once it is answered."""
    before: Turn | None = field(default=None, repr=False, compare=False)
    """The turn before this one, if any: what a pronoun two turns back points to."""

    @property
    def antecedent(self) -> Participant | None:
        """Whom "he" or "she" after this turn means: the person it was about, else the one person
        its answer named; else the same of the turn before it (a lookup or another question may
        come between a person and the pronoun)."""
        for turn in (self, self.before):
            if turn is not None and (turn.person or turn.said.one_person):
                return turn.person or turn.said.one_person
        return None

    @property
    def named_people(self) -> tuple[Participant, ...]:
        """Whom "those" or "them" among people means: the people this turn's answer named, or,
        after a lookup, those of the turn before it."""
        for turn in (self, self.before):
            if turn is not None and turn.kind != REFERENCE and len(turn.said.people) > 1:
                return turn.said.people
        return ()

    @property
    def points_to_someone(self) -> bool:
        """Whether the turn says "he" or "she" without knowing whom: the person the previous
        answer was about, if it was about one."""
        return self.person is None and PERSON_PRONOUN.search(self.text) is not None

    @property
    def focus(self) -> str:
        """What the evidence sentences should match: the turn's own words, or the question it
        stands for when the turn has no words of its own ("did anyone resist that?"), leans on the
        previous answer ("what did they point to instead?") or asks who a person named before is
        ("what was the name of that representative?")."""
        pointed = self.person is not None and self.person.name not in self.text and asks_who(self.text)
        substituted = self.topic and self.topic in self.resolved and self.topic not in self.text
        leaning = self.on_previous_answer or pointed or OTHER_SIDE.pattern.match(self.text) or substituted
        return self.text if own_words(self.text) and not leaning else self.resolved


LookupTest = Callable[[str], bool]


def understand(text: str, previous: Turn | None, is_lookup: LookupTest,
               people: Sequence[Participant] = ()) -> Turn:
    """The turn ``text`` after ``previous`` (None for the first turn of a conversation)."""
    text = " ".join(text.split())
    meetings = previous.meetings if previous else ()
    explicit = _body_named(_one_of_the_meetings(_unfronted(text), meetings), previous)
    turn = _understood(explicit, previous, is_lookup, people)
    return replace(turn, text=text, meetings=_meetings_named(turn.resolved) or meetings, before=previous)


def _unfronted(text: str) -> str:
    """``text`` with a subject put before its question and a pronoun standing for it ("and the
    World Bank, did it present?") put back in the question ("and did the World Bank
    present?")."""
    fronted = _FRONTED.pattern.match(text)
    if fronted is None:
        return text
    lead = f"{fronted.group('lead')} " if fronted.group("lead") else ""
    return f"{lead}{fronted.group('verb')} {fronted.group('subject')}{text[fronted.end() :]}"


def _body_named(text: str, previous: Turn | None) -> str:
    """``text`` with "the organization" or "that agency" named as the organization the previous
    turn named, or the turn before a lookup ("which countries is the organization working with?"
    after a question about UNESCO)."""
    if previous is not None and previous.kind == REFERENCE and previous.before is not None:
        previous = previous.before  # a lookup between names no body
    if previous is None or not _ORGANIZATION.pattern.fullmatch(previous.name):
        return text
    return _THE_BODY.pattern.sub(previous.name, text)


def _one_of_the_meetings(text: str, meetings: tuple[int, ...]) -> str:
    """``text`` with "the latter meeting", "the earlier of those two meetings" named as the meeting
    they are among the ``meetings`` named before ("the 6th meeting")."""
    if len(meetings) < 2:
        return text

    def named(match: re.Match) -> str:
        number = max(meetings) if match.group("late") else min(meetings)
        return f"the {number}{ordinal_suffix(number)} meeting"
    return _LATTER_MEETING.pattern.sub(named, text)


def _meetings_named(text: str) -> tuple[int, ...]:
    """The meetings ``text`` names by number: (5, 6) for "the 5th and 6th meetings"."""
    return tuple(ordinal_value(ordinal.group(0)) for meetings in _MEETINGS.pattern.finditer(text)
                 for ordinal in _ORDINAL.pattern.finditer(meetings.group(1)))


def _understood(text: str, previous: Turn | None, is_lookup: LookupTest,
                people: Sequence[Participant]) -> Turn:
    if is_lookup(text) and not (previous and previous.kind != REFERENCE and _narrows(text)):
        ellipsis = _WHAT_ABOUT.pattern.match(text)  # "and the last panel?" is about "the last panel"
        looked_up = (ellipsis.group(1) if ellipsis else _LOOKUP_WORDS.pattern.sub("", text)).rstrip("?.! ")
        # Things asked about before the lookup ("the Guidelines", then "para 20") stay what "them" is.
        carried = previous.topic if previous and previous.kind != REFERENCE else ""
        return Turn(text, REFERENCE, text, topic=looked_up, looked_up=text, things=carried or looked_up)
    leans = leans_by_pronoun(text) or leans_by_ellipsis(text) or names_instrument_of(text, previous)
    if previous is None or not leans or named_for_role(text, people):
        return _standalone(text, STANDALONE, people)
    if RETURNING.search(text) and previous.kind == REFERENCE and previous.before is not None:
        previous = previous.before  # "going back, who wanted it?": what was asked before the lookup
    if PERSON_PRONOUN.search(text) and previous.person is None:  # "he" two turns back, or in the answer
        previous = replace(previous, person=previous.antecedent)
    earlier = previous.before
    if not (previous.topic or previous.name) and earlier is not None and earlier.kind != REFERENCE:
        previous = replace(previous, topic=earlier.topic, name=earlier.name)  # "it" two turns back
    resolved = _resolve(text, previous)
    turn = _standalone(resolved, FOLLOW_UP, people)
    person = turn.person or (previous.person if PERSON_PRONOUN.search(text) else None)
    name = turn.name or (previous.name if OBJECT_IT.search(text) else "")
    # "that country's legal regime", once the country is named ("China's"), is not the previous answer.
    pointing = _THAT_COUNTRY.pattern.sub(" ", text) if not _THAT_COUNTRY.search(resolved) else text
    on_answer = _about_previous_answer(pointing, person, previous)
    # A topic that only wraps the previous one ("the ones against <topic> point to instead") is it;
    # so is the topic of a question about the previous answer that names no subject ("which existing
    # treaty did the opponents point to?" stays on the new convention).
    wraps = previous.topic and (not turn.topic or previous.topic in turn.topic
                                or (on_answer and not _ABOUT.search(resolved)))
    topic = previous.topic if wraps else turn.topic
    elsewhere = bool(ELSE.search(text) and not _MORE_FROM.search(text) or AGAIN.search(text)
                     or OTHER_PEOPLE.search(text))
    return Turn(text, FOLLOW_UP, resolved, topic, person, name, on_answer,
                elsewhere, resolved if is_lookup(resolved) else previous.looked_up)


def names_instrument_of(text: str, previous: Turn | None) -> bool:
    """Whether ``text`` names an instrument bare ("was anyone against a new treaty?") after a turn
    about an instrument whose subject it said ("a new treaty on cybercrime"): the same one."""
    return bool(previous and _BARE_INSTRUMENT.search(text) and _NAMES_INSTRUMENT.search(previous.topic)
                and not _BARE_INSTRUMENT.search(previous.topic))


def _narrows(text: str) -> bool:
    """Whether ``text`` narrows the previous question to a part of the report ("and in the
    conclusions?"), rather than asking for that part."""
    ellipsis = _WHAT_ABOUT.pattern.match(text)
    return bool(ellipsis and _PLACE.pattern.match(ellipsis.group(1)))


def _about_previous_answer(text: str, person: Participant | None, previous: Turn) -> bool:
    """Whether a follow-up asks about the people or words of the previous answer: "they", "she"
    with no person known, "that talk", no subject of its own, "who/which ... that?" ("whose idea was
    that?", "which para says that?"), "it" when the previous question names nothing it could stand
    for, or "it"/"there" after a lookup; not "who else" nor "what about X"."""
    if _WHAT_ABOUT.pattern.match(text) or (ELSE.search(text) and not _MORE_FROM.search(text)):
        return False
    unknown_person = person is None and (POINTED_PERSON.search(text) or PERSON_PRONOUN.search(text))
    after_lookup = previous.kind == REFERENCE and (
        THING_PRONOUN.search(text) or OBJECT_IT.search(text) or WHEN_WHERE.search(text))
    dangling_it = OBJECT_IT.search(text) and not (previous.name or previous.topic)  # nothing to stand for
    # "they", not "about them" nor "did one of them say ...?"
    things_aside = _THEM_AS_THINGS.pattern.sub(" ", text)
    people_pointed = GROUP_PRONOUN.search(_ONE_OF_THEM.pattern.sub(" ", things_aside))
    among = OF_THOSE.search(text) and not _ONE_OF_THEM.search(text)  # "which of those is in Asia?"
    pointing = (people_pointed or among or POINTED_GROUP.search(text) or unknown_person
                or POINTED_THING.search(text) or _ASKS_OF_THAT.search(text) or after_lookup or dangling_it)
    return bool(pointing) or not own_words(text)


def _resolve(text: str, previous: Turn) -> str:
    """Substitute what ``text`` leaves out or points to with what the previous turn was about."""
    base = previous.resolved
    item = _BARE_ITEM.pattern.match(text)
    if item:
        paragraph = re.search(r"\b(\d{1,3})\b", previous.looked_up)
        return f"{paragraph.group(1)}({item.group(1)})" if paragraph else f"conclusion ({item.group(1)})"
    step = NEXT.pattern.match(text)
    if step and previous.looked_up:
        return _moved(previous.looked_up, -1 if step.group(1).lower() in ("previous", "preceding") else 1)
    if OTHER_SIDE.pattern.match(text) and previous.topic:  # "and the other side?" after "who wanted it?"
        return f"who {'supported' if stance(base) == Stance.AGAINST else 'opposed'} {previous.topic}?"
    ellipsis = _WHAT_ABOUT.pattern.match(text)
    if ellipsis and not PERSON_PRONOUN.search(text) and not GROUP_PRONOUN.search(text):
        return _replace_slot(base, ellipsis.group(1), previous)
    if ELSE.search(text) and not own_words(text):  # "who else?", "who else said that?"
        return base
    resolved = POINTED_PERSON.pattern.sub(lambda m: _pointed_person(m, previous), text)
    if _THAT_COUNTRY.search(resolved):  # "that country's legal regime" after a question naming China
        country = next((c for c in sorted(country_names()) if mentions(previous.resolved, c)), "")
        resolved = _THAT_COUNTRY.pattern.sub(country, resolved) if country else resolved
    if previous.person:
        person = previous.person
        resolved = _AFFILIATION_WORDS.pattern.sub(  # "his institute" is the body, not the person
            lambda m: person.organization or f"{person.name}'s {m.group(1)}", resolved)
        resolved = PERSON_PRONOUN.pattern.sub(lambda m: _person_form(m, previous.person), resolved)
    # "it" after "a new UN treaty on cybercrime" is the treaty, not the UN.
    subject = previous.topic if previous.name and previous.name in previous.topic else (
        previous.name or previous.topic)
    if subject and _ASKS_OF_THAT.search(text) and not OBJECT_IT.search(text):  # "who said that?"
        resolved = f"{resolved.rstrip('?.! ')}, about {subject}?"
    elif subject:
        def subject_for(it: re.Match) -> str:  # "its" after a name in the question is that name's
            if it.group(1).lower() != "its":
                return subject
            return it.group(0) if named_before(it.string, it.start()) else f"{subject}'s"
        resolved = OBJECT_IT.pattern.sub(subject_for, resolved)
        resolved = re.sub(r"\b(?:that|this)\s+one\b", subject, resolved, flags=re.IGNORECASE)
        resolved = THAT_THING.pattern.sub(subject, resolved)
        resolved = THING_PRONOUN.pattern.sub(subject, resolved)
        resolved = SUCH.pattern.sub(subject, resolved)
    them = _THEM_AS_THINGS.search(resolved)
    if them and (previous.things or previous.topic):  # "was anyone sceptical about them?"
        pronoun = re.search(r"\w+$", them.group(0))
        resolved = resolved[: them.start() + pronoun.start()] + (previous.things or previous.topic) + \
            resolved[them.end() :]
    things = _ASKED_THINGS.pattern.match(base)
    if things:  # "the Unidroit one" -> "the Unidroit convention"
        thing = singular(things.group(1))
        resolved = NAMED_ONE.pattern.sub(lambda m: f"the {m.group(1)}{thing}", resolved)
    place = _MEETING_OR_PANEL.search(base)
    at_place = re.sub(r"^(?=the\b)", "at ", place.group(0).strip()) if place else ""
    if place:
        resolved = WHEN_WHERE.pattern.sub(place.group(0).strip() + "?", resolved)
        own_ordinal = re.search(rf"\bthe\s+{_ORDINAL.pattern.pattern}(?!\s+\w)", resolved, re.IGNORECASE)
        if own_ordinal:  # "did Japan also speak at the 6th?": the 6th meeting
            noun = place.group(0).split()[-1]
            resolved = f"{resolved[: own_ordinal.end()]} {noun}{resolved[own_ordinal.end() :]}"
        elif ALSO.search(LEADING_WORDS.pattern.sub("", resolved)) and not _MEETING_OR_PANEL.search(resolved) \
                and not _ROLE_WORD.search(resolved):  # "... also given the floor?", not "also, did ...?"
            resolved = f"{resolved.rstrip('?.! ')} {at_place}?"
    own_count = len(own_words(text))
    if (AGAIN.search(text) or names_instrument_of(text, previous)) and previous.topic \
            and previous.topic not in resolved:
        resolved = f"{resolved.rstrip('?.! ')}, regarding {previous.topic}?"
    if resolved == text and place and own_count < 3 and not _MEETING_OR_PANEL.search(text):
        return f"{text.rstrip('?.! ')} {at_place}?"  # "who was chairing?" at that meeting
    # "which platform?" after "What did the WCO do about cultural property?": about both; not "is
    # interpol mentioned anywhere else?", which names what it is about.
    if resolved == text and previous.topic and own_count < 3 and not names_known_thing(text):
        named = previous.name and previous.name not in previous.topic and not (
            previous.person and previous.name in previous.person.name)
        context = f"{previous.name} and {previous.topic}" if named else previous.topic
        resolved = f"{text.rstrip('?.! ')}, regarding {context}?"
    return resolved


def _replace_slot(base: str, new: str, previous: Turn) -> str:
    """``base`` with the part that ``new`` stands in for replaced: an ordinal, a place, a name or a
    topic."""
    new = _SAME_TAG.pattern.sub("", new)  # "and on museums, same divide?": the same question
    meeting = re.search(r"\b(meeting|panel)s?\b", previous.looked_up, re.IGNORECASE)
    if meeting and _BARE_ORDINAL_PLACE.matches(new):  # "and at the 5th?"
        new = f"{new.strip(' ?.!')} {meeting.group(1).lower()}"
    place = _PLACE.pattern.match(new.strip()) or _NARROWING.pattern.match(new.strip())
    if place and not _ORDINAL.search(base):  # "and in the cybercrime panel?" narrows; the topic stays
        old_place = _MEETING_OR_PANEL.search(base) or _IN_CONCLUSIONS.search(base)
        if old_place and old_place.group(0).split()[0].lower() in _PLACE_PREPOSITIONS:
            return f"{base[: old_place.start()].rstrip()} {place.group(0)}{base[old_place.end() :]}"
        if old_place:  # the part of the report as the subject: "did the cybercrime panel ...?"
            subject = place.group(0).split(maxsplit=1)[1]
            return f"{base[: old_place.start()].rstrip()} {subject}{base[old_place.end() :]}".strip()
        return f"{base.rstrip('?.! ')} {place.group(0)}?"
    others = _MEETING_OR_PANEL.search(base) if OTHERS.pattern.match(new.strip()) else None
    if others:  # "and the other two?" after "Who presided over the 6th meeting?": the other meetings
        return base[: others.start()] + re.sub(r"\bthe\s+\S+\s+(meeting|panel)\b", r"the other \1s",
                                                others.group(0)) + base[others.end() :]
    attribute = _ATTRIBUTE_OF.pattern.match(new.strip())
    if attribute:  # "and the dates of those meetings?" asks for them, whatever was asked before
        return f"What {'are' if attribute.group(1).endswith('s') else 'is'} {new.strip().rstrip('?.! ')}?"
    pronoun = PERSON_PRONOUN.search(base)
    if pronoun and _ROLE_WORD.search(new):  # "and the Chinese panellist?" after "what did he suggest?"
        return base[: pronoun.start()] + new.rstrip("?.! ") + base[pronoun.end() :]
    role = _THE_ROLE.search(base)
    if role and _ROLE_WORD.search(new):  # "and the chairs of the meetings?" after "who was the moderator?"
        return base[: role.start()] + new.strip().rstrip("?.! ") + base[role.end() :]
    # "about X", "the one on X": X stands in for the previous topic.
    new = re.sub(r"^(?:(?:the\s+)?one\s+)?(?:on|about|for|at|in|during|regarding)\s+", "", new.strip(),
                 flags=re.IGNORECASE)
    new_ordinal, old_ordinal = _ORDINAL.search(new), _ORDINAL.search(base)
    if new_ordinal and old_ordinal:
        base = base[: old_ordinal.start()] + _same_form(new_ordinal.group(1), old_ordinal.group(1)) + \
            base[old_ordinal.end() :]
        topic, old_topic = _ABOUT.search(new), _ABOUT.search(base)  # "and the third, about research?"
        if topic and old_topic:
            base = base[: old_topic.start(1)] + topic.group(1) + base[old_topic.end(1) :]
        return base
    named = re.sub(r"^the\s+|\s+one$", "", new.rstrip("?.! "))  # "the World Bank one"
    person = previous.person is not None and previous.name in previous.person.name
    if previous.name and named[:1].isupper() and previous.name in base and not person:
        return base.replace(previous.name, named, 1)
    # "a new treaty on cybercrime" -> "a new treaty on cultural property", wherever it stands.
    replaceable = previous.topic in base and not new.endswith("one")
    topic = _LAST_OBJECT.pattern.match(previous.topic) if replaceable else None
    if topic:
        return base.replace(previous.topic, f"{topic.group(1)}{new.rstrip('?.! ')}", 1)
    instrument = _INSTRUMENT.search(base) if not new.endswith("one") else None
    if instrument:  # "who opposed a new cybercrime treaty?" -> "... a new treaty on cultural property?"
        made_new = "new " if re.search(r"\bnew\b", instrument.group(0), re.IGNORECASE) else ""
        return (f"{base[: instrument.start()]}{instrument.group(1)} {made_new}{instrument.group(2)} on "
                f"{new.rstrip('?.! ')}{base[instrument.end() :]}")
    slot = _LAST_OBJECT.pattern.match(base)
    if slot:
        new = new.rstrip("?.! ")
        if re.search(r"\bone$", new):  # "the cultural property one" stands for "... panel"
            new = new[: -len("one")] + slot.group(2).split()[-1]
        return f"{slot.group(1)}{new}{slot.group(3) or '?'}"
    if re.match(r"(?:after|before|following)\b", new, re.IGNORECASE):  # "after the 4th panel"
        return f"What was said {new.rstrip('?.! ')}?"
    if re.search(r"\bconclusions?\b", previous.looked_up, re.IGNORECASE):  # after "conclusion (b)"
        return f"What do the conclusions say about {new.rstrip('?.! ')}?"
    return f"What does the report say about {new.rstrip('?.! ')}?"


def _moved(reference: str, by: int) -> str:
    """The reference ``by`` places after ``reference``: the next item of a list ("23(c)" -> "23(d)",
    "conclusion (c)" -> "conclusion (d)"), else the next meeting, panel or paragraph."""
    item = re.search(r"(?:\b(\d{1,3})\s*|\bconclusions?\s*)\(\s*([a-z])\s*\)", reference, re.IGNORECASE)
    if item:
        letter = chr(ord(item.group(2).lower()) + by)
        return f"{item.group(1)}({letter})" if item.group(1) else f"conclusion ({letter})"
    ordinal = _ORDINAL.search(reference)
    if ordinal:
        number = max(1, ordinal_value(ordinal.group(1)) + by)
        moved = _same_form(f"{number}{ordinal_suffix(number)}", ordinal.group(1))
        return reference[: ordinal.start()] + moved + reference[ordinal.end() :]
    paragraph = re.search(r"\b(\d{1,3})\b", reference)
    return f"para {max(1, int(paragraph.group(1)) + by)}" if paragraph else reference


def _same_form(new: str, old: str) -> str:
    """``new`` ordinal written the way ``old`` is: "sixth" or "6th"."""
    number = ordinal_value(new)
    if old[0].isdigit():
        return f"{number}{ordinal_suffix(number)}"
    word = ORDINALS[number - 1] if 0 < number <= len(ORDINALS) else new
    return word.capitalize() if old[0].isupper() else word


def _pointed_person(match: re.Match, previous: Turn) -> str:
    """"that representative" as the person the previous turn was about, or the representative of
    the organization it named ("did delegates acknowledge UNESCO's role?"); left as it is when
    the previous turn named neither, or for "the other panellist" (someone of the previous answer)."""
    if match.group("which").lower() == "the other":
        return match.group(0)
    if previous.person:
        return previous.person.describe()
    if previous.name and previous.name not in country_names():  # not "the panellist of Qatar"
        who = "representative" if match.group("who").lower() == "rep" else match.group("who")
        return f"the {who} of {previous.name}"
    return match.group(0)


def _person_form(pronoun: re.Match, person: Participant) -> str:
    """The person's name in the place of ``pronoun``: "his title", "her title" -> "Anna Paolini's
    title"; "ask her about it" -> "ask Anna Paolini about it"."""
    word = pronoun.group(1).lower()
    possessive = word == "her" and _BEFORE_NOUN.pattern.match(pronoun.string, pronoun.end())
    if word in ("his", "hers") or possessive:
        return f"{person.name}'s"
    if word == "her":
        return person.name
    return person.describe()


def _standalone(text: str, kind: str, people: Sequence[Participant]) -> Turn:
    """A turn that carries its own subject: its topic, the person and the name it is about."""
    person = mentioned(text, people)
    names = [re.sub(r"'s$", "", n.strip()) for n in NAME.pattern.findall(text)]
    return Turn(text, kind, text, _topic(text), person, names[0] if names else "")


def _topic(question: str) -> str:
    whether = _WHETHER_SUBJECT.pattern.search(question)
    if whether:  # "did they discuss whether a new treaty is needed?": the new treaty
        return whether.group(1).strip()
    about = _ABOUT.search(question)
    if about and about.group(1).strip():
        return about.group(1).strip()
    words = question.split()
    determined = _DETERMINED.search(" ".join(words[1:]))
    return determined.group(1).strip() if determined else ""


# "those countries", "that resolution", "the second of those": things the previous answer listed
# ("that country" is the one the previous question named: see _THAT_COUNTRY).
_LISTED_KINDS = r"countries|resolutions?"
_ANSWER_THINGS = rule(
    'things the answer listed',
    "'those countries', 'that resolution', 'the second of those': things the previous answer listed.",
    r"\b(?:(?:those|these|the\s+same)\s+(?:[\w-]+\s+){0,3}?(?P<kind>countries|resolutions)|"
                            r"(?:that|this|those|these|the\s+same)\s+(?P<one>resolutions?))\b|"
                            r"\bthe\s+(?P<nth>first|second|third|fourth|last)\s+of\s+(?:those|these|them)\b",
    examples=('were there panellists from those countries?', 'the second of those',
              'the older of those two Security Council resolutions'),
    counterexamples=('which countries spoke?',),
    flags=re.IGNORECASE)
_RESOLUTION_NUMBER = r"\d{3,4}\s*\(\d{4}\)"  # "2199 (2015)"
_RESOLUTION_NUMBERS = rule(
    'resolution numbers',
    "'resolution 2199 (2015)': resolutions named by number and year.",
    rf"\bresolutions?\s+((?:{_RESOLUTION_NUMBER}(?:,\s*|,?\s+and\s+)?)+)",
    examples=('resolutions 1483 (2003) and 2199 (2015)',),
    counterexamples=('the resolution',),
    flags=re.IGNORECASE)


_THAT_DISCUSSION = rule(
    'the discussion of the previous answer',
    "'in that discussion', 'during the same debate', 'the discussion after that panel': the floor "
    "discussion of the panel the previous answer comes from, as a place (after 'in', 'during', 'at'); "
    "'where could that debate continue?' is about what was debated.",
    r"\b(?:(?<=in\s|at\s)|(?<=during\s))(?:that|this|the\s+same|that\s+same)\s+(?:discussion|debate)\b|"
    r"\bthe\s+(?:floor\s+|general\s+|open\s+)?(?:discussion|debate)\s+(?:after|following)\s+"
    r"(?:that|this|the\s+same)\s+panel\b",
    examples=('what else came up in that discussion?', 'did anyone in the same debate mention UNESCO?',
              'and in the discussion after that panel?', 'was it raised during that same debate?',
              'and in the open debate following that panel?'),
    counterexamples=('was that discussed?', 'what did the discussion after the third panel cover?',
                     'where could that debate continue?'),
    flags=re.IGNORECASE)


def name_discussion(question: str, panel: int | None) -> str:
    """``question`` with "that discussion" named as the discussion that followed ``panel`` (the
    panel of the previous answer's passage), as the report's references read it; as it is when
    there is no such panel."""
    if not panel or panel > len(ORDINALS):
        return question
    return _THAT_DISCUSSION.pattern.sub(f"the discussion that followed the {ORDINALS[panel - 1]} panel",
                                        question)


def name_delegation(question: str, delegation: str) -> str:
    """``question`` with "they", "them" and "their" standing for ``delegation``, the delegation the
    previous turn was about ("what did they argue?" after "did Nigeria take the floor?"),
    so that it is asked of that delegation and not of whoever the previous answer quoted."""
    def named(pronoun: re.Match) -> str:
        return f"{delegation}'s" if pronoun.group(1).lower().startswith("their") else delegation
    return GROUP_PRONOUN.pattern.sub(named, question)


def points_into_answer(question: str) -> bool:
    """Whether ``question`` points at things the previous answer listed ("those countries")."""
    return _ANSWER_THINGS.search(question) is not None


def name_listed_things(question: str, answer: str, asked: str) -> str:
    """``question`` with "those countries", "that resolution" or "the second of those" named as the
    things of that kind the previous ``answer`` (its quoted text) lists, in its order; ``asked``,
    the previous question, says what "those" are when ``question`` does not ("which resolutions
    does it cite?"). Left as it is when the answer lists none."""
    def named(match: re.Match) -> str:
        kind = match.group("kind") or match.group("one") or next(
            iter(re.findall(_LISTED_KINDS, asked, re.IGNORECASE)), "")
        things = _listed(kind, answer) if kind else []
        count = re.search(r"\b\d+\b", alpha2digit(match.group(0), "en", threshold=0))  # "those two ..."
        if not things or (count and int(count.group(0)) != len(things)):
            return match.group(0)
        if match.group("nth"):
            place = match.group("nth").lower()
            index = -1 if place == "last" else ORDINALS.index(place)
            return things[index] if index < len(things) else match.group(0)
        return things[0] if len(things) == 1 else f"{', '.join(things[:-1])} and {things[-1]}"
    return _ANSWER_THINGS.pattern.sub(named, question)


def _listed(kind: str, text: str) -> list[str]:
    """The countries or Security Council resolutions ``text`` names, each once, in its order."""
    if kind.lower().startswith("resolution"):
        listings = _RESOLUTION_NUMBERS.pattern.finditer(text)
        return list(dict.fromkeys(f"resolution {number}" for listing in listings
                                  for number in re.findall(_RESOLUTION_NUMBER, listing.group(1))))
    spans = sorted((m.start(), -m.end(), name) for name in country_names()
                    for m in re.finditer(rf"\b{re.escape(name)}\b", text))
    found, end = [], -1
    for start, negative_end, name in spans:  # the longest of overlapping names: "Republic of Korea"
        if start >= end:
            found.append(name)
            end = -negative_end
    return list(dict.fromkeys(found))
