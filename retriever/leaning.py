"""What a turn leans on: the rules that tell a follow-up from a question that stands alone.

A turn leans on an earlier one through a pronoun ("what did she add?"), a pointing phrase ("that
panellist", "such a treaty"), or by leaving out what it asks ("and the 6th?", "who else?").
Each is a named rule with examples of its own (see :mod:`workshop_qa.retriever.rules`).
"""

from __future__ import annotations

from workshop_qa.retriever.rules import rule

LEANING_START = rule(
    'opens by leaning on the turn before',
    "The turn opens with words that continue the previous one: 'and', 'what about', 'the same for', 'only'.",
    r"^\s*(?:and|also|but|so|then|now|what about|how about|and what about|what else|who else|"
    r"anyone else|anything else|(?:(?:did|does|was|is|were)\s+)?(?:the\s+)?same|as for|only|just)\b",
    examples=('and the fifth one?', 'What about museums?', 'same for Peru?', 'only the conclusions?'),
    counterexamples=('Who chaired the meeting?', "Andorra's law?"))

LEADING_WORDS = rule(
    "leading words",
    "The words a turn opens with that only join it to the one before: 'and', 'also', 'ok so', 'what about'.",
    r"^\s*(?:(?:and|also|ok(?:ay)?|so|now|then|next|but|what about|how about|as for)\b[\s,]*)+",
    examples=("and resolution 9999?", "ok so, who led it?", "what about museums?"),
    counterexamples=("Andorra's law?", "Who led it?"))

QUESTION = rule(
    "a whole question",
    "The text opens as a question of its own: a question word or an auxiliary verb.",
    r"^\W*(?:who|whom|whose|what|which|when|where|why|how|did|do|does|was|were|is|are|has|have|had|can|"
    r"could|would|should|will)\b",
    examples=("who summarized the conclusions?", "Was the treaty signed?"),
    counterexamples=("resolution 9999?", "in the conclusions?"))

IDENTIFIER = rule(
    "names an identifier",
    "The text names something by a number of three or more digits or an acronym: a resolution, a body.",
    r"\b\d{3,}\b|\b[A-Z]{2,}s?\b",
    examples=("and resolution 9999?", "what about the ABC?"),
    counterexamples=("and the 6th?", "what about museums?"),
    flags=0)

OF_THOSE = rule(
    "one of those",
    "'which of those', 'any of them': some of the things or people the previous answer named.",
    r"\b(?:which|one|any|none|each|either|neither|some|all|how many|the\s+\w+)\s+of\s+(?:those|these|them)\b",
    examples=("which of those is in Asia?", "were any of them judges?", "the second of those"),
    counterexamples=("which of the panellists spoke?", "those who spoke"))

PERSON_PRONOUN = rule(
    'person pronoun',
    'He, she, him, her, his or hers: a person named before.',
    r"\b(he|she|him|her|his|hers)\b",
    examples=('what did she add?', 'where does he teach?', 'his title?'),
    counterexamples=('What did the chair say?', 'Where is Shenzhen?'))

THING_PRONOUN = rule(
    'thing pronoun',
    'It, this, that, these or those standing alone or before a generic noun: a thing named before.',
    r"(?<!\bbefore )\b(it|its|this|that|these|those)\b(?=\s*(?:[?.!,]|$|\s+(?:"
    r"instrument|one|panel|meeting|treaty|convention|proposal|idea|issue|topic)\b))",
    examples=('who opposed that?', 'was this panel the last?', 'did anyone support it?'),
    counterexamples=('Did they say that crime grows?',))

# "they said that ...": a "that" that opens what was said, not one that points back.
_SAYING = rule(
    'a verb of saying before',
    "A verb of saying, thinking or agreeing (or 'so', 'the view') right before: a 'that' after it "
    "opens what was said.",
    r"\b(?:say|says|said|think|thinks|thought|agree[sd]?|argue[sd]?|note[sd]?|mention(?:s|ed)?|"
    r"claim(?:s|ed)?|suggest(?:s|ed)?|propose[sd]?|believe[sd]?|feel|felt|stress(?:es|ed)?|"
    r"emphasi[sz](?:e|es|ed)|warn(?:s|ed)?|add(?:s|ed)?|insist(?:s|ed)?|conclude[sd]?|"
    r"recommend(?:s|ed)?|acknowledge[sd]?|view|idea|point|fact|so|such)\s*$",
    examples=('did they say', 'was there agreement so', 'who held the view'),
    counterexamples=('was there support for', 'any opposition to'))
DEMONSTRATIVE = rule(
    'a pointing demonstrative',
    "'that', 'this', 'those' for something said before ('support for that kind of cooperation', "
    "'was that everyone's view'), not a 'that' opening a clause ('that it', 'that the').",
    r"\b(?:that(?!\s+(?:the|a|an|it|its|they|he|she|there|we|you|some|many|several|all|no|every|"
    r"each|such|more|most)\b)|this|these|those)\b"
    # "these conclusions", "this report": the one such part of the report, not a thing said before
    r"(?!\s+(?:report|workshop|conclusions|congress|document)\b)",
    examples=('any opposition to that?', 'was that unanimous?', 'who backed those ideas?'),
    counterexamples=('did they say it mattered?', 'was it true that the law passed?',
                     'who summarized these conclusions?'))


def points_with_demonstrative(text: str) -> bool:
    """Whether ``text`` points back with a demonstrative, not one after a verb of saying."""
    return any(not _SAYING.matches(text[: found.start()]) for found in DEMONSTRATIVE.pattern.finditer(text))


# "is it fair to say ...", "it seems": an "it" that stands for nothing said before.
THAT_THING = rule(
    "that thing",
    "'that instrument', 'those proposals': the thing the turn before was about, by a word of its kind "
    "(a determiner agrees in number with its noun: 'say that instruments exist' is not one).",
    r"\b(?:(?:that|this)\s+(?:instrument|panel|meeting|treaty|convention|proposal|idea|issue|topic)|"
    r"(?:these|those)\s+(?:instrument|panel|meeting|treatie|convention|proposal|idea|issue|topic)s)\b",
    examples=("who wanted that instrument?", "was this proposal adopted?"),
    counterexamples=("did they say that instruments exist?",))

_NOT_POINTING = (
    r"(?!(?:\s+(?:is|was))?\s+(?:really\s+|also\s+)?(?:fair|true|right|correct|accurate|"
    r"possible|clear|safe|reasonable|likely|the case)\b|\s+(?:seems|appears)\b)")

OBJECT_IT = rule(
    'pointing it',
    "An 'it' or 'its' that stands for something named before, not 'it seems' nor 'is it fair to say'.",
    r"(?<!\bbefore )\b(it|its)\b" + _NOT_POINTING,
    examples=('who supported it?', 'what are its aims?'),
    counterexamples=('is it fair to say crime grows?', 'it seems odd'))

SUBJECT_IT = rule(
    'subject it',
    "An 'it' as the subject after an auxiliary: 'does it ...', 'was it ...'.",
    r"\b(?:does|did|do|is|was|can|could|would|will|has|had|should)\s+it\b" + _NOT_POINTING,
    examples=('does it mention museums?', 'was it adopted?'),
    counterexamples=('Is it true that they met?', 'Was it the case?'))

GROUP_PRONOUN = rule(
    'group pronoun',
    'They, them, their or theirs: people or things named before.',
    r"\b(they|them|their|theirs)\b",
    examples=('what did they propose?', 'their view?'),
    counterexamples=('What did the theory say?',))

POINTED_PERSON = rule(
    'pointed person',
    "'that panellist', 'the same speaker', 'their rep': someone of the previous turn or answer.",
    r"\b(?P<which>that|this|the same|the other|their|its)\s+"
    r"(?P<who>panell?ist|speaker|representative|rep|delegate|delegation|person|"
    r"expert|presenter)s?\b",
    examples=('what did that panellist say?', 'the other speaker?', 'what did their rep say?'),
    counterexamples=('which panellist spoke first?',))

BARE_ORDINAL = rule(
    'bare ordinal',
    "Only an ordinal after 'and' or 'what about': the same question of another meeting or panel.",
    r"^\s*(?:and|what about|how about)\s+(?:(?:at|in|on|for|during)\s+)?(?:the\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth)(?:\s+one)?\s*[?.!]*\s*$",
    examples=('and the 6th?', 'what about at the third?'),
    counterexamples=("and the 6th meeting's chair?",))

POINTED_THING = rule(
    'pointed thing',
    "'that argument', 'those countries': something the previous answer said.",
    r"\b(?:that|this|those|these)\s+(?:talk|presentation|argument|point|view|"
    r"position|statement|suggestion|recommendation|camp|side|group|example|case|"
    r"concern|claim|initiative|project|platform|database|tool|law|statute|"
    r"countr(?:y|ies)|delegations?|organi[sz]ations?|bod(?:y|ies)|agenc(?:y|ies))s?\b",
    examples=('who disagreed with that argument?', 'those countries?'),
    counterexamples=('what argument did they make?',))

POINTED_GROUP = rule(
    'pointed group',
    "'the sceptics', 'the ones against': people of the previous answer.",
    r"\bthe\s+(?:s[ck]eptics|critics|opponents|supporters|proponents|doubters|"
    r"ones\s+(?:against|for|in favou?r|opposed|who))\b",
    examples=('what did the sceptics say?', 'and the ones against?'),
    counterexamples=('Was the skeptical view shared?',))

NAMED_ONE = rule(
    'named one',
    "'the Paris one': one of the things asked about before, named by a word of its own.",
    r"\bthe\s+(?!(?:next|previous|other|last|first|same|following|preceding)\b)"
    r"((?:[\w'-]+\s+){1,3}?)one\b(?!\s+(?:of|on|about|for|who|that|which)\b)",
    examples=('the Unidroit one', 'and the Paris one?'),
    counterexamples=('the next one', 'the one about museums'))

SUCH = rule(
    'such a thing',
    "'such a treaty': the thing the previous turn was about.",
    r"\bsuch\s+an?\s+(?:new\s+)?[a-z]+\b",
    examples=('is such a treaty needed?', 'who wanted such an instrument?'),
    counterexamples=('crimes such as fraud',))

ALSO = rule(
    'also',
    "'also', 'too', 'as well': the same question for another subject.",
    r"\b(?:also|too|as well)\b",
    examples=('did Peru also speak?', 'them too?', 'as well?'),
    counterexamples=('Who spoke?',))

AGAIN = rule(
    'again elsewhere',
    "The same topic elsewhere than the previous answer: 'come up again', 'later on', 'elsewhere'.",
    r"\b(?:come|came|comes|coming|brought|raised|mentioned|discussed|addressed|taken)\s+"
    r"(?:up\s+)?again\b|\blater\s+(?:on|in)\b|\belsewhere\b",
    examples=('did that come up again?', 'was it raised elsewhere?', 'later on in the debate?'),
    counterexamples=('what is her name again?',))

RETURNING = rule(
    'going back',
    "The turn goes back to what was asked before a lookup or a digression: 'going back', 'back to', "
    "'..., again?'.",
    r"\b(?:going|go|coming|come|getting|get)\s+back\b|\bback\s+to\b|\breturning\s+to\b|,\s*again\s*[?.!]*\s*$",
    examples=('going back, who led it?', 'back to the treaty: who wanted it?',
              'and where was she based, again?'),
    counterexamples=('did that come up again?', 'who brought stolen objects back?'))

NEXT = rule(
    'next or previous',
    "Only a step from what was looked up: 'the next one', 'the previous paragraph'.",
    r"^\s*(?:and\s+|what\s+about\s+|now\s+)?(?:the\s+)?(next|following|previous|preceding)"
    r"(?:\s+(?:one|item|paragraph|para|conclusion|meeting|panel))?\s*[?.!]*\s*$",
    examples=('the next one', 'and the previous paragraph?'),
    counterexamples=("the next meeting's chair?",))

OTHER_SIDE = rule(
    'the other side',
    'Those of the other view on the same topic.',
    r"^\s*(?:and\s+|but\s+|what\s+about\s+|how\s+about\s+|"
    r"(?:and\s+)?what\s+(?:did|do|does|was|were|is)\s+)?(?:the\s+|those\s+on\s+the\s+)?(?:other|opposite|opposing)\s+"
    r"(?:side|camp|view|position)s?(?:'s?)?(?:\s+(?:argue|say|think|want|propose|claim|view|"
    r"argument|position|case)\w*)?\s*[?.!]*\s*$",
    examples=('and the other side?', 'what about the opposing camp?', 'what did the other side argue?'),
    counterexamples=('what did the other panellist say?',))

OTHERS = rule(
    'the others',
    "The rest of what the previous turn picked one of: 'the other two', 'the rest'.",
    r"^(?:the\s+)?(?:(?:others?|later|remaining)(?:\s+(?:two|three|four|five|ones?|"
    r"meetings|panels))?|rest)\s*[?.!]*$",
    examples=('the other two?', 'the rest', 'later ones'),
    counterexamples=('other speakers from Asia',))

ELSE = rule(
    'else',
    "'who else?': beside the previous answer, unless it names what it sets aside.",
    r"\belse\b(?!\s+(?:besides|apart from|other than|than|except)\b)",
    examples=('who else?', 'what else did they say?'),
    counterexamples=('who else besides INTERPOL?',))

OTHER_PEOPLE = rule(
    'other people too',
    "'did others also ...?', 'like he did': people besides those of the previous answer, who held "
    "the same; not 'the other speakers', whom the previous answer may have quoted.",
    r"\b(?:others|other\s+(?:speakers?|delegat\w+|panell?ists?|participants?|experts?|countries|states))\b"
    r"(?=.*\b(?:also|too|as\s+well|likewise|similarly)\b)"
    r"|\b(?:like|as)\s+(?:he|she|they|him|her)\s+did\b|\b(?:apart\s+from|besides|other\s+than)\s+(?:him|her|them)\b",
    examples=('did others at the session also back it?', 'did other delegations say so too?',
              'who favoured it, like he did?', 'anyone apart from her?'),
    counterexamples=('what did the other speakers say?', 'and the others?', 'did others agree?'))

WHEN_WHERE = rule(
    'then or there',
    "'then' or 'there' closing the turn: the time or place of the previous one.",
    r"\b(then|there)\s*[?.!]*\s*$",
    examples=('who spoke then?', 'what happened there?'),
    counterexamples=('then what happened to the treaty?',))

CONTENT_FREE = rule(
    'content-free words',
    'Question words, pronouns, fillers and punctuation: what is left says what the turn is about.',
    r"\b(?:who|whom|whose|what|which|when|where|why|how|did|does|do|is|was|were|are|the|a|an|else|anyone|"
    r"anything|say|said|mention|mentioned|think|so|and|also|then|now|more|tell|me|about|again|ok|"
    r"okay|really|exactly|any|other|others|one|ones|there|that|this|it|they|he|she|them|those|"
    r"these|instead|too|please|agree|agreed|disagree|disagreed|object|objected|oppose|opposed|"
    r"support|supported|push|pushed|back|against|want|wanted|anybody|someone|somebody|for|of|in|on|to|"
    r"with|by|from|at)\b|[^\w]",
    examples=('who said that', 'did anyone object'),
    counterexamples=('ransomware',))

NAME = rule(
    'a name',
    'A capitalized name after the first word: what a pronoun after it may belong to.',
    r"(?<!^)(?<![.?!] )\b([A-Z][\w'\-]+(?:\s+(?:(?:of|for|the|de|i|al)\s+)?[A-Z][\w'\-]+)*)",
    examples=('What did Peru say?', 'was it Anna Paolini'),
    counterexamples=('who spoke first?',),
    flags=0)


def own_words(text: str) -> list[str]:
    """The words of ``text`` that say what it is about (not question words, pronouns, fillers)."""
    return CONTENT_FREE.pattern.sub(" ", text).split()


def named_before(text: str, position: int) -> bool:
    """Whether ``text`` names someone or something before ``position``: whom an "its" there
    belongs to ("did anyone ask the agency's director to step up its work?")."""
    return any(name.start() < position for name in NAME.pattern.finditer(text))


def leans_by_pronoun(text: str) -> bool:
    """Whether ``text`` points back with a pronoun or a pointing phrase ("that panellist")."""
    pointers = (PERSON_PRONOUN, GROUP_PRONOUN, THING_PRONOUN, SUBJECT_IT, OF_THOSE, POINTED_PERSON,
                POINTED_THING, POINTED_GROUP, SUCH, NAMED_ONE)
    if any(found.matches(text) for found in pointers) or points_with_demonstrative(text):
        return True
    it = OBJECT_IT.search(text)
    return bool(it and not named_before(text, it.start()))  # not "Qatar's law and its penalties"


def leans_by_ellipsis(text: str) -> bool:
    """Whether ``text`` leaves out what it asks, to be filled from the turn before ("and the 6th?",
    "who else?", "what happened then?", "also at the 5th?", "possible remedies?")."""
    return (any(found.matches(text) for found in (LEANING_START, WHEN_WHERE, ALSO, AGAIN, ELSE, OTHER_PEOPLE))
            or NEXT.pattern.match(text) is not None or OTHER_SIDE.pattern.match(text) is not None
            or len(own_words(text)) <= 1 or is_fragment(text))


def is_fragment(text: str) -> bool:
    """Whether ``text`` is a few words that are no question of their own: no question word or
    auxiliary verb opens it and it names no identifier ("possible remedies?", "any examples?", "the
    reasons given?"), so it asks them of what the turn before was about."""
    return (not QUESTION.matches(text) and not IDENTIFIER.matches(text)
            and len(text.split()) <= _FRAGMENT_WORDS and 0 < len(own_words(text)) <= _FRAGMENT_WORDS)


_FRAGMENT_WORDS = 3
"""At most this many words: a longer text without a question word is a request of its own."""


PERSON_WORDS = (r"who|whom|person|people|panell?ists?|speakers?|presenters?|representatives?|officials?|"
                r"man|woman")
"""Words for a person at a workshop, for the rules that ask whether a text is about one."""

SOMEONE_NAMED_HERE = rule(
    "someone named in the turn",
    "The turn itself says whom a 'he' or 'she' may be: it asks who, or names a person or a role.",
    rf"\b(?:{PERSON_WORDS}|whose|name|delegates?|moderators?|chair(?:s|man|woman|person)?|experts?|"
    r"professors?|ambassadors?|envoys?|rapporteur)\b",
    examples=("Who convened the session, and what is his title?",
              "what did the UNESCO representative say she does?"),
    counterexamples=("where is she based?", "what did he present?"))


def points_to_someone_unnamed(text: str) -> bool:
    """Whether ``text`` says "he" or "she" without naming anyone it could be, in the turn itself:
    only an earlier turn could say who."""
    return (PERSON_PRONOUN.matches(text) and not SOMEONE_NAMED_HERE.matches(text)
            and not NAME.matches(text))


def points_back_only(text: str) -> bool:
    """Whether ``text`` only points to something said before: a pointing word and no words of its
    own ("who was that?"), or a bare step from it ("the next one", "and the 6th?", "the other
    side?")."""
    if NEXT.pattern.match(text) or OTHER_SIDE.pattern.match(text) or BARE_ORDINAL.pattern.match(text):
        return True
    pointers = (PERSON_PRONOUN, GROUP_PRONOUN, THING_PRONOUN, OBJECT_IT, POINTED_PERSON, POINTED_THING,
                POINTED_GROUP, SUCH, ELSE, OTHERS)
    return not own_words(text) and any(pointer.matches(text) for pointer in pointers)
