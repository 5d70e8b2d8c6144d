"""What a question asks, read once: :func:`analyze` gives a frozen :class:`QueryAnalysis` that
search, answer composition and the conversation all use.

The reading is made of the named rules of :mod:`workshop_qa.retriever.rules`, each with examples
of its own; entities are linked to the index's own catalogue (its people, the delegations it
lists) and to the world's countries (pycountry), never to hand lists of one report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from workshop_qa.index.countries import country_names
from workshop_qa.index.people import Participant, mentions
from workshop_qa.retriever.coverage import coverage_topic
from workshop_qa.retriever.language import Language
from workshop_qa.retriever.leaning import leans_by_ellipsis, leans_by_pronoun
from workshop_qa.retriever.references import ALL_CONCLUSIONS
from workshop_qa.retriever.rules import rule
from workshop_qa.retriever.stance import Stance, stance


class Detail(StrEnum):
    """The kind of thing a question asks for."""

    PERSON = "person"
    ORGANIZATION = "organization"
    COUNTRY = "country"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    PLACE = "place"
    REASON = "reason"
    LIST = "list"
    STATEMENT = "statement"
    YES_NO = "yes/no"
    OTHER = "other"


class Scope(StrEnum):
    """How much of the report answers a question."""

    PASSAGE = "one passage"
    SEVERAL = "several passages"
    REPORT = "the whole report"


class Leaning(StrEnum):
    """What a turn of a conversation leans on to be understood."""

    NOTHING = "nothing"
    PRONOUN = "a pronoun"
    ELLIPSIS = "an ellipsis"
    PREVIOUS_ANSWER = "the previous answer"


class AnswerPart(StrEnum):
    """What a question about the previous answer asks of it."""

    UNIT = "the paragraph cited"
    SPEAKER = "who said it"
    BASIS = "what it rests on"


# What a question asks for.

ASKS_PERSON = rule(
    "asks for a person",
    "The question asks who: a name, or the person in a role.",
    r"\b(?:who|whom|what is the name of the|name (?:of )?the (?:panell?ist|speaker|delegate|person))\b",
    examples=("Who chaired the afternoon session?", "What is the name of the speaker from Peru?"),
    counterexamples=("What did the experts recommend?",))
RELATIVE_WHO = rule(
    "relative who",
    "A 'who' that opens a clause about people already named asks for no one.",
    r"(?<!name the )\b(?:those|one|ones|people|persons?|others|anyone|anybody|someone|somebody|everyone|"
    r"out|\w+ists?|speakers?|delegates?|delegations?|experts?|participants?|members?|officials?|"
    r"countries|states|governments?)\s+who\b",
    examples=("What did the speakers who doubted it propose?", "the panellist who spoke about art"),
    counterexamples=("Who spoke about art?",))
ASKS_NUMBER = rule(
    "asks for a number",
    "The question asks for a quantity: how many, how much, a share, a budget, a cost, statistics.",
    r"\b(?:how many|how much|by how much|what (?:percentage|share|proportion|amount|number)|number of|"
    r"budget|how large|tally|vote count|in (?:actual |exact |real )?(?:numbers|figures)|"
    r"what (?:is|was|are|were) the (?:[\w-]+\s+){0,3}?rates?)\b|"
    r"\b(?:what|which|latest|recent|current|official)\s+(?:[\w-]+\s+){0,2}?statistics\b|"
    r"\b(?:estimated|annual|yearly|total)\s+(?:\w+\s+){0,2}?(?:cost|value|losses|turnover|revenue)s?\b|"
    r"\bcosts?\s+(?:of|to)\b|\b(?:what|which)\s+(?:[\w-]+\s+)?figures?\b",
    examples=("How many museums were robbed?", "What share of attacks target banks?",
              "What exact figure was cited?", "What is the annual cost of piracy?",
              "What are the latest statistics on looting?"),
    counterexamples=("Did they call for better statistics?", "Who paid for the coffee?",
                     "How can analysts figure out who is behind an attack?"))
_AUXILIARY = r"(?:did|do|does|was|were|is|are|will|would|could|should|can|has|have|had)"
ASKS_DATE = rule(
    "asks for a date",
    "The question asks when: a year, a date, a deadline; not a 'when' clause that sets the scene for "
    "the question after its comma.",
    rf"^\s*when\b(?!\s+(?!{_AUXILIARY}\b)[^?,]*,\s*(?:{_AUXILIARY}|what|who|which|how|why|where)\b)|"
    r"\bwhen (?:did|was|were|is|will|does)\b|\b(?:what year|which year|what date|on what day|"
    r"how long ago|time limits?|deadline)\b",
    examples=("When was the treaty signed?", "In what year did the law pass?", "Is there a deadline?",
              "When did it start, and who led it?", "when the museum reopened?"),
    counterexamples=("What happens when a museum is robbed?",
                     "When the ministers met in May, did anyone raise customs fraud?",
                     "When speakers turned to looting, what did they ask of museums?"))
ASKS_TIME = rule(
    "asks for a time",
    "The question asks at what time or hour, or for how long.",
    r"\b(?:what|which)\s+time\b(?!\s+(?:limit|frame|period)s?\b)|\b(?:what|which)\s+hour\b|"
    r"\bhow\s+long\b(?!\s+ago\b)",
    examples=("At what time did the session open?", "How long did the debate last?"),
    counterexamples=("Within what time frame?", "How long ago was the law passed?"))
ASKS_COUNTRY = rule(
    "asks for countries",
    "The question asks which countries, states or delegations.",
    r"\b(?:which|what)\s+(?:countr(?:y|ies)|delegations?|states?|member states|governments?|nations?)\b|"
    r"\bwhich country's\b",
    examples=("Which delegations backed it?", "What countries were named?"),
    counterexamples=("Who spoke for the country?",))
ASKS_ORGANIZATION = rule(
    "asks for an organization",
    "The question asks which organization, agency, body or institution.",
    r"\b(?:which|what)\s+(?:international\s+|intergovernmental\s+|regional\s+)?(?:organi[sz]ations?|agenc(?:y|ies)|"
    r"bod(?:y|ies)|institutions?|universit(?:y|ies)|offices?)\b",
    examples=("Which agency runs the database?", "What organizations work together on this?"),
    counterexamples=("What did the agency say?",))
ASKS_PLACE = rule(
    "asks for a place",
    "The question asks where something happened or is (not where the report says something).",
    r"^\s*(?:and\s+)?where\b(?!\s+(?:does|did|do|is)\s+(?:the\s+report|it)\s+(?:say|mention|talk|discuss))",
    examples=("Where was the workshop held?", "where is the moderator based?"),
    counterexamples=("Where does the report mention smuggling?", "Who met in Doha?"))
ASKS_REASON = rule(
    "asks for a reason",
    "The question asks why, on what grounds, or what something rests on.",
    r"^\s*(?:and\s+|but\s+)?why\b|\b(?:on what (?:grounds|basis)|for what reason|what (?:was|were|is|are) "
    r"the (?:reasons?|grounds|rationale|justification)|how come)\b",
    examples=("Why did they doubt it?", "On what grounds?", "What was the rationale for the register?"),
    counterexamples=("What was said about grounds for extradition?",))
# "which Security Council resolutions": the words between are the noun's modifiers, not a verb.
WHICH = r"\b(?:which|what)\s+(?:(?!(?:did|do|does|was|were|is|are|has|have|had)\b)[\w-]+\s+){0,3}?"
ASKS_WHICH_ONES = rule(
    "asks which ones", "The question asks which things or people of a kind: a plural noun after "
    "'which' or 'what'.", WHICH + r"(?!(?:does|is|was|has|this|its|his)\b)(?P<noun>[a-z]{3,}(?<!s)s)\b",
    examples=("Which universities did the panellists come from?", "What documents were before it?",
              "which national institutes helped?", "Which General Assembly resolutions got mentioned?"),
    counterexamples=("What does the report say?", "Which panellist spoke first?", "What was agreed?"))


def singular(plural: str) -> str:
    """The singular of a plural noun as the questions write them: "countries" -> "country",
    "conventions" -> "convention"."""
    return plural[: -len("ies")] + "y" if plural.endswith("ies") else plural.removesuffix("s")


ASKS_LIST = rule(
    "asks for a list",
    "The question asks for several things of a kind: 'which resolutions', 'list the ...'.",
    rf"{ASKS_WHICH_ONES.pattern.pattern}|\b(?:which|what)\s+(?:[\w-]+\s+){{0,2}}?(?:countries|bodies|agencies|"
    r"universities|activities)\b|"
    r"^\s*(?:please\s+)?(?:list|name|enumerate)\b|\bwhat\s+are\s+the\b|\bat which\s+\w+s\b",
    examples=("Which treaties did the speakers cite?", "List the panellists.",
              "What are the main recommendations?", "At which meetings did Peru speak?",
              "Which decisions got adopted at the session?"),
    counterexamples=("Which treaty is it?", "What is the main recommendation?"))
ASKS_STATEMENT = rule(
    "asks what was said",
    "The question asks what someone said, proposed, argued or presented, or their view.",
    r"\b(?:say|said|says|state|stated|propos\w*|argu\w*|suggest\w*|call(?:ed)? for|recommend\w*|"
    r"stress\w*|emphasi[sz]\w*|want\w*|position|view|present\w*|discuss\w*|focus\w*|cover\w*|"
    r"offer\w*|explain\w*|describ\w*|outlin\w*|highlight\w*|reflect\w*|"
    r"(?:speak|spoke|spoken|talk\w*)\s+(?:about|on|of)|(?:what|which)\s+(?:\w+\s+){0,2}?(?:talk|speech))\b",
    examples=("What did Peru propose?", "What did the expert talk about?", "What was her position?",
              "What did the second speaker present?", "What framing did the moderator offer?",
              "How did she describe the platform?"),
    counterexamples=("Did Peru speak at the fifth meeting?", "Who chaired the meeting?"))
ASKS_YES_NO = rule(
    "asks yes or no",
    "The question opens with an auxiliary or modal verb, so it asks yes or no.",
    r"^\W*(?:did|do|does|was|were|is|are|has|have|had|can|could|would|should|will)\b",
    examples=("Did anyone object?", "Was there support for it?", "Has the law been passed?"),
    counterexamples=("Who objected?", "What did she say?"))
ASKS_MANNER = rule(
    "asks how something is done",
    "The question asks how someone does something ('how does the agency support customs?'): a "
    "verb of support there is help given, not a stance taken.",
    r"^\W*(?:and\s+|so\s+)?how\s+(?:does|did|do|can|could|would|will|should|is|are|was|were)\b",
    examples=("How does the agency support customs services?", "and how did they back it up?"),
    counterexamples=("How many speakers supported it?", "Who supported it, and how?"))
ASKERS_NEED = rule(
    "the asker's own need",
    "'Need the wording', 'do you need to ...', 'I need': what the person asking needs, not a view "
    "anyone took.",
    r"^\W*(?:i\s+)?need\w*\b|\b(?:i|we|you|one)\s+(?:\w+\s+)?need\w*\b|\bdo\s+(?:i|we|you)\s+need\b",
    examples=("Need the exact wording: what do the conclusions say?", "Do you need a licence to export art?",
              "I really need the paragraph on museums."),
    counterexamples=("Was a new treaty needed?", "Did speakers say more training was needed?"))
ASKS_CONSENSUS = rule(
    "asks whether a view was shared by all",
    "The question asks whether everyone held a view (consensus, unanimity, all agreeing): the "
    "answer is every side the report records, including any that did not share it.",
    r"\b(?:unanim\w*|consensus|general agreement|widely (?:shared|held|accepted))\b|"
    r"\b(?:everyone|everybody|every (?:delegation|speaker|state|country|panell?ist)|all (?:of )?(?:them|"
    r"delegations|speakers|states|countries|panell?ists|participants)|they all|all)(?:'s)?\s+(?:\w+\s+)?"
    r"(?:agree\w*|views?|positions?|opinions?|on board|in favou?r|support\w*|shared?|convinced|"
    r"accept\w*|behind)\b",
    examples=("Was that unanimous?", "Did they all agree on data retention?",
              "Was it everyone's view or only a few states'?", "Was everyone on board with the registry?",
              "Were all delegations in favour?", "Is there consensus on it?"),
    counterexamples=("Who agreed with the moderator?", "What did all panellists present?",
                     "Did everyone attend the meeting?"))
ASKS_EVERY_SIDE = rule(
    "asks whether views differed",
    "The question asks whether there was disagreement, or where the report stands on something: "
    "every side it records is the answer.",
    r"\b(?:was|were|is|are)\s+there\s+(?:a\s+|any\s+|much\s+|some\s+)?(?:disagreement|debate|divisions?|split|"
    r"controvers\w*|differen\w+ (?:of opinion|views))\b|\bdisagree(?:d)? (?:on|over|about)\b|"
    r"\b(?:split|divided)\s+(?:on|over|about)\b|"
    r"\bwhat\s+(?:was|were)\s+the\s+(?:main\s+)?(?:debate|disagreement|split|divisions?|controvers\w*|"
    r"positions|sides|arguments)\s+(?:on|over|about|around)\b|"
    r"\b(?:does|did|do)\s+the\s+(?:report|workshop|meeting|discussion)\s+(?:support|endorse|back|favou?r|"
    r"call for|oppose|reject)\b|"
    r"\b(?:opinions?|views?|delegations|speakers|delegates|participants)\s+(?:\w+\s+)?"
    r"(?:divide[ds]?|differ(?:ed|s)?|split|diverge[ds]?|clash(?:ed)?)\b|\bwhere\s+did\s+\w+\s+(?:divide|differ|split)\b",
    examples=("Was there a split over data retention?", "What were the positions on a registry?",
              "Does the report endorse a new treaty?", "Did views differ on extradition?",
              "Where did opinion divide on new treaties?"),
    counterexamples=("Who opposed a registry?", "Did the panel split into groups?"))
ASKS_RECEPTION = rule(
    "asks how something was received",
    "The question asks how people reacted to something or what they thought of it: every view the "
    "report records is the answer, welcome and reservation alike.",
    r"\b(?:react(?:ed|ion|ions|s)?|reception|(?:was|were)\s+(?:\w+\s+){0,3}?received|"
    r"(?:feel|felt|think|thought)\s+(?:about|of)|(?:opinions?|impressions?)\s+(?:on|of|about))\b",
    examples=("How did states react to the new code?", "How was the registry received?",
              "What did delegations think of the proposal?", "What was the reaction to the plan?"),
    counterexamples=("How did states respond to the threat?", "What did delegations propose?",
                     "Who received the award?"))
OFFERS_ALTERNATIVES = rule(
    "offers alternatives",
    "The question puts alternatives joined by 'or' ('was it welcomed, or did anyone object?'); when "
    "they take opposite stances, every side is asked for.",
    r",?\s+\bor\b\s+",
    examples=("Was the plan welcomed, or did anyone object?", "Did states support or oppose it?",
              "Did they all take it up, or did anyone object?"),
    counterexamples=("Who opposed the registry?", "Was the ordering of talks fixed?"))

ASKS_WHETHER_ANYONE = rule(
    "asks whether anyone",
    "A question whether anyone, some or others did or held something: 'did anyone object?', 'were "
    "there doubts?'.",
    r"^\W*(?:did|do|does|was|were|is|are|has|have|had)\s+(?:any|some|no|every|there\b|others\b|many\b|"
    r"several\b|a\s+few\b)",
    examples=("did anyone voice doubts?", "were there objections?", "did some states object?"),
    counterexamples=("should rely on the old rules?", "did he object?"))


def stance_asked(text: str) -> Stance:
    """The stance a question asks about: both when it asks whether views differed or how something
    was received, or puts alternatives taking opposite stances; else the stance its words take
    (what the asker needs and the words naming the conclusions aside), neutral when it asks how
    something was done."""
    if ASKS_EVERY_SIDE.matches(text) or ASKS_CONSENSUS.matches(text) or ASKS_RECEPTION.matches(text):
        return Stance.BOTH
    # neither the asker's own need nor the words naming the part asked about ("what was agreed")
    own = ALL_CONCLUSIONS.sub(" ", ASKERS_NEED.pattern.sub(" ", text))
    parts = OFFERS_ALTERNATIVES.pattern.split(own)
    taken = [stance(part) for part in parts]
    if {Stance.FOR, Stance.AGAINST} <= set(taken):
        return Stance.BOTH
    # "did they all embrace it, or did anyone object?": whether anyone took a side, offered as the
    # alternative to another question, asks which side
    if any(ASKS_WHETHER_ANYONE.matches(part) for part in parts[1:]) and len(set(taken)) > 1:
        return Stance.BOTH
    return Stance.NEUTRAL if ASKS_MANNER.matches(text) else stance(own)

# What a question leaves to the previous answer.

ABOUT_ANSWER_UNIT = rule(
    "asks where the previous answer is",
    "The question asks which paragraph, part or document the previous answer comes from.",
    r"^\W*(?:(?:and|so|ok(?:ay)?|but)\W+)?(?:(?:which|what)\s+(?:para(?:graph)?|part|section|conclusion|"
    r"document|page|bit)\s+(?:is|was|are|were|does|did|has|says?)\b(?:\s+(?:that|this|it|those|these))?|"
    r"where\s+(?:is|was|does|did)\s+(?:that|this|it)\b(?!\s+(?:held|happen|take))|"
    r"(?:is|was)\s+(?:that|this|it)\s+(?:(?:actually|really|also|then)\s+)?"
    r"(?:(?:raised|said|made|mentioned|discussed|stated)\s+)?(?:from|in|during)\s+(?:the\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:conclusions?|proceedings|report|para(?:graph)?|discussion|panel)|"
    r"(?:can\s+you\s+)?(?:give|show)\s+(?:me\s+)?(?:the\s+)?(?:source|reference|citation)|"
    r"(?:source|citation|reference)\s*\??\s*$|where\s+(?:in\s+the\s+report|does\s+it\s+say))",
    examples=("which paragraph is that?", "Where is that in the report?", "is that from the conclusions?",
              "source?", "ok what para was it", "is that actually in the conclusions or only one view?",
              "was that raised in the third panel's discussion?"),
    counterexamples=("Which paragraph mentions smuggling?", "Where was it held?", "para 12"))
# A turn made only of question words, words pointing back, fillers, verbs of saying and the names
# of an answer's parts ("says who?", "cite please", "what evidence is there for that?") asks about
# the previous answer: the part it names says which.
_QUESTION_WORDS = r"who|whom|whose|which|what|where|why|how"
_POINTING_WORDS = r"that|this|it|so|those|these|they|them|their|there"
_FILLERS = (r"and|but|ok|okay|exactly|again|please|then|actually|really|just|too|also|the|a|an|is|was|"
            r"were|are|did|do|does|can|could|you|me|tell|give|given|offer|offered|show|of|in|from|by|on|"
            r"for|or|one|to|come")
_PART_WORDS = r"part|bit|discussion|debate"  # "what bit of the discussion is this drawn from?"
_SAYING = (r"say|says|said|saying|make|made|raise|raised|argue|argued|claim|claimed|state|stated|"
           r"propose|proposed|suggest|suggested|put|forward|mention|mentioned|hold|held|view|views|"
           r"points?|ideas?|argument|positions?|proposals?|suggestions?|claims?|express|expressed|voiced")
_UNIT_WORDS = r"para|paras|paragraphs?|source|sources|citations?|cite|reference|references|document|page"
_SPEAKER_WORDS = (r"speakers?|delegates?|delegations?|panell?ists?|countr(?:y|ies)|persons?|people|"
                  r"participants?|states?|experts?")
_BASIS_WORDS = (r"why|basis|evidence|grounds?|reasons?|arguments?|rationale|justification|based|base|drawn|"
                r"built|rest|rests")
ONLY_WORDS_ABOUT_AN_ANSWER = rule(
    "only words about an answer",
    "The turn is made only of question words, words pointing back, fillers, verbs of saying and the "
    "names of an answer's parts: it asks nothing of the report beyond the previous answer. People "
    "pointed at ('those countries', 'that panellist') are things the answer named, not its speaker.",
    rf"^(?!.*\b(?:that|this|those|these)\s+(?:{_SPEAKER_WORDS})\b)\W*(?:(?:{_QUESTION_WORDS}|{_POINTING_WORDS}|"
    rf"{_FILLERS}|{_SAYING}|{_UNIT_WORDS}|{_PART_WORDS}|{_SPEAKER_WORDS}|{_BASIS_WORDS})(?:'s)?\b\W*)+$",
    examples=("says who?", "cite please", "what evidence is there for that?", "where's that from?",
              "did a panellist say that or a delegate?", "which para?"),
    counterexamples=("who convened the session?", "what about museums?", "who else?",
                     "and in the conclusions?", "were there panellists from those countries?"))
ASKS_BASIS_WORD = rule(
    "asks the grounds",
    "A word asking for grounds, reasons or evidence.",
    rf"\b(?:{_BASIS_WORDS})\b|\bhow come\b",
    examples=("why do they say that?", "what did they base that on?", "how come?"),
    counterexamples=("who said that?",))
ASKS_UNIT_WORD = rule(
    "asks the place",
    "A word asking where in the report: 'where', or the name of a unit or citation.",
    rf"\bwhere\b|\b(?:{_UNIT_WORDS})\b",
    examples=("can you cite that?", "what paragraph?", "where's that from?"),
    counterexamples=("who said that?",))
ASKS_SPEAKER_WORD = rule(
    "asks the speaker",
    "'who', 'whom' or 'whose'; or a kind of speaker with a verb of saying or a word pointing back.",
    rf"\b(?:who|whom|whose)\b|\b(?:{_SPEAKER_WORDS})\b.*\b(?:{_SAYING}|{_POINTING_WORDS})\b|"
    rf"\b(?:{_SAYING}|{_POINTING_WORDS})\b.*\b(?:{_SPEAKER_WORDS})\b",
    examples=("by whom?", "is that a panellist view?", "which country said so?"),
    counterexamples=("which countries?",))

_ABOUT_ANSWER = ((ABOUT_ANSWER_UNIT, AnswerPart.UNIT),)
_DETAILS = ((ASKS_NUMBER, Detail.NUMBER), (ASKS_DATE, Detail.DATE), (ASKS_TIME, Detail.TIME),
            (ASKS_COUNTRY, Detail.COUNTRY), (ASKS_ORGANIZATION, Detail.ORGANIZATION),
            (ASKS_PERSON, Detail.PERSON), (ASKS_PLACE, Detail.PLACE), (ASKS_REASON, Detail.REASON),
            (ASKS_LIST, Detail.LIST), (ASKS_STATEMENT, Detail.STATEMENT), (ASKS_YES_NO, Detail.YES_NO))


@dataclass(frozen=True)
class Catalog:
    """What the index knows about its documents' people and delegations."""

    people: tuple[Participant, ...] = ()
    delegations: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryAnalysis:
    """What one question asks, read once."""

    text: str
    language: Language = Language.ENGLISH
    detail: Detail = Detail.OTHER
    stance: Stance = Stance.NEUTRAL
    every_side: bool = False
    """The honest answer quotes every side the report records: the question asks whether views
    differed, or asks yes or no about a stance."""
    scope: Scope = Scope.PASSAGE
    about_answer: AnswerPart | None = None
    """What the question asks of the previous answer, when it asks about it."""
    leans_on: Leaning = Leaning.NOTHING
    """What the question leans on when it is a turn of a conversation."""
    people: tuple[Participant, ...] = field(default=(), compare=False)
    delegations: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    @property
    def asks_number(self) -> bool:
        """Whether the question asks for a quantity or a date, which a passage gives in figures."""
        return self.detail in (Detail.NUMBER, Detail.DATE)


def _answer_part(text: str) -> AnswerPart | None:
    """The part of the previous answer a turn made only of words about an answer asks for: its
    grounds, its place or its speaker, in that order; None for any other turn."""
    if not ONLY_WORDS_ABOUT_AN_ANSWER.matches(text):
        return None
    parts = ((ASKS_BASIS_WORD, AnswerPart.BASIS), (ASKS_UNIT_WORD, AnswerPart.UNIT),
             (ASKS_SPEAKER_WORD, AnswerPart.SPEAKER))
    return next((part for found, part in parts if found.matches(text)), None)


def analyze(text: str, catalog: Catalog = Catalog(), language: Language = Language.ENGLISH) -> QueryAnalysis:
    """What ``text`` asks, with the people and delegations of ``catalog`` it names."""
    text = " ".join(text.split())
    asking = RELATIVE_WHO.pattern.sub(" ", text)
    detail = next((kind for found, kind in _DETAILS if found.matches(asking)), Detail.OTHER)
    wanted = stance_asked(text)
    every_side = wanted == Stance.BOTH or (wanted != Stance.NEUTRAL and ASKS_YES_NO.matches(text))
    scope = Scope.SEVERAL if every_side or detail == Detail.LIST else Scope.PASSAGE
    if coverage_topic(text):
        scope = Scope.REPORT
    about = next((part for found, part in _ABOUT_ANSWER if found.matches(text)), None) or _answer_part(text)
    leans_on = (Leaning.PREVIOUS_ANSWER if about else Leaning.PRONOUN if leans_by_pronoun(text)
                else Leaning.ELLIPSIS if leans_by_ellipsis(text) else Leaning.NOTHING)
    return QueryAnalysis(
        text, language, detail, wanted, every_side, scope, about, leans_on,
        people=tuple(p for p in catalog.people if p.name in text or mentions(text, p.name.split()[-1])),
        delegations=tuple(d for d in catalog.delegations if mentions(text, d, ignore_case=True)),
        countries=tuple(sorted(c for c in country_names() if mentions(text, c))))
