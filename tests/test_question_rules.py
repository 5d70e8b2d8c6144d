"""Rules that read what a question asks, judged on questions of their own."""

from __future__ import annotations

import pytest

from workshop_qa.app import answer, conversation, plan  # noqa: F401 (they register rules)
from workshop_qa.app.plan import ItemKind, asked_entries, asked_noun, count_asked, items_named
from workshop_qa.index.passage import Passage
from workshop_qa.retriever import analysis, detail, leaning, other_languages, stance  # noqa: F401 (rules)
from workshop_qa.retriever.analysis import AnswerPart, Detail, Scope, analyze
from workshop_qa.retriever.rules import REGISTRY
from workshop_qa.retriever.stance import Stance, holder

RULES = sorted(REGISTRY.values(), key=lambda r: r.name)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_every_rule_holds_on_its_examples_and_not_on_its_counterexamples(rule):
    assert rule.meaning and rule.examples
    assert [e for e in rule.examples if not rule.matches(e)] == []
    assert [e for e in rule.counterexamples if rule.matches(e)] == []


@pytest.mark.parametrize(("question", "every_side"), [
    ("Did the delegations want stricter export controls?", True),
    ("Has anyone objected to the proposal on data retention?", True),
    ("Were any member states opposed to sharing evidence across borders?", True),
    ("Was there disagreement over a register of stolen artefacts?", True),
    ("Who opposed the new instrument?", False),
    ("Which speakers supported more training for prosecutors?", False),
    ("Did the panel meet on a Tuesday?", False),
    ("What did the moderator say about museums?", False),
])
def test_a_yes_or_no_question_about_a_stance_asks_for_every_side(question, every_side):
    assert analyze(question).every_side is every_side


@pytest.mark.parametrize(("question", "asked"), [
    ("How many countries have ratified it?", Detail.NUMBER),
    ("When did the committee meet?", Detail.DATE),
    ("Which states backed the idea?", Detail.COUNTRY),
    ("Which agency keeps the register of stolen art?", Detail.ORGANIZATION),
    ("Who spoke for the customs union?", Detail.PERSON),
    ("Where is the moderator's university?", Detail.PLACE),
    ("Why did some think a treaty premature?", Detail.REASON),
    ("Which instruments do the speakers mention?", Detail.LIST),
    ("What did the expert from Peru argue?", Detail.STATEMENT),
    ("Did the workshop end early?", Detail.YES_NO),
    ("Tell me about looting.", Detail.OTHER),
    ("What did the speakers who doubted it propose?", Detail.STATEMENT),
])
def test_the_detail_asked_is_read_from_the_question(question, asked):
    assert analyze(question).detail == asked


@pytest.mark.parametrize(("question", "wanted"), [
    ("Who was against a register?", Stance.AGAINST),
    ("Did anyone push back?", Stance.AGAINST),
    ("Who backed the proposal?", Stance.FOR),
    ("Was there a split over the proposal?", Stance.BOTH),
    ("Were all states on board with a registry?", Stance.BOTH),
    ("Was the call for training unanimous?", Stance.BOTH),
    ("Were some delegations against it?", Stance.AGAINST),
    ("What initiatives against fraud were named?", Stance.NEUTRAL),
    ("Who chaired it?", Stance.NEUTRAL),
    # alternatives taking opposite stances ask for both; alternatives on one side do not
    ("Was the registry welcomed, or did some states have misgivings?", Stance.BOTH),
    ("Did delegates support or reject the code of conduct?", Stance.BOTH),
    ("Who objected to the registry or to the code?", Stance.AGAINST),
    # a question offered as the alternative to another, one of them taking a side, asks which side
    ("Did every state take up the code, or did some voice doubts?", Stance.BOTH),
    ("Did anyone object to the code, or did anyone object to the registry?", Stance.AGAINST),
])
def test_the_stance_asked_is_read_from_the_question(question, wanted):
    assert analyze(question).stance == wanted


@pytest.mark.parametrize(("question", "part"), [
    ("which paragraph is that?", AnswerPart.UNIT),
    ("is that from the conclusions?", AnswerPart.UNIT),
    ("who made that point?", AnswerPart.SPEAKER),
    ("based on what?", AnswerPart.BASIS),
    ("Why?", AnswerPart.BASIS),
    ("Who made the closing statement?", None),
    ("Which paragraph mentions museums?", None),
    # Turns made only of words about an answer, however phrased.
    ("says who?", AnswerPart.SPEAKER),
    ("and by whom exactly?", AnswerPart.SPEAKER),
    ("was this a delegate's view or a panellist's?", AnswerPart.SPEAKER),
    ("got a citation for that?", None),  # "got" is a word of its own: not read as about the answer
    ("cite it please", AnswerPart.UNIT),
    ("what page is this on?", AnswerPart.UNIT),
    ("what reasons did they give for it?", AnswerPart.BASIS),
    ("why do they think so?", None),  # "think" asks a view, not this answer's grounds
    ("which delegations?", None),
    ("who spoke for those countries?", None),
    ("Which delegations said that?", AnswerPart.SPEAKER), ("whose idea was that?", AnswerPart.SPEAKER),
    ("was that from a delegate or a panellist?", AnswerPart.SPEAKER),
    ("who proposed that, a state or an expert?", AnswerPart.SPEAKER),
    ("who said that cybercrime is growing?", None),
    ("and on what grounds?", AnswerPart.BASIS), ("what were their reasons?", AnswerPart.BASIS),
    ("how come?", AnswerPart.BASIS), ("which part of the discussion is this drawn on?", AnswerPart.BASIS),
    ("Why did the panel meet in Doha?", None), ("On what grounds can a state refuse extradition?", None),
])
def test_a_question_about_the_previous_answer_says_what_it_asks_of_it(question, part):
    assert analyze(question).about_answer == part


def test_a_question_names_the_countries_it_mentions_and_its_scope():
    read = analyze("Which resolutions did France and the Republic of Korea cite?")
    assert {"France", "Korea"} <= set(read.countries) or "France" in read.countries
    assert read.scope == Scope.SEVERAL
    assert analyze("Where does the report mention ransomware?").scope == Scope.REPORT


def test_a_pronoun_reaches_the_person_an_answer_named_or_one_two_turns_back():
    from workshop_qa.app.conversation import REFERENCE, STANDALONE, Said, Turn
    from workshop_qa.index.people import Participant

    lee = Participant("Ann Lee", "panellist", "Customs Union", "D#2", ("D#9",))
    kim = Participant("Bo Kim", "panellist", "Art Registry", "D#2", ("D#10",))
    asked = Turn("Who spoke for customs?", STANDALONE, "Who spoke for customs?",
                 said=Said(("D#2",), (), (lee,)))
    lookup = Turn("para 4", REFERENCE, "para 4", said=Said(("D#4",)), before=asked)
    assert asked.antecedent == lee and lookup.antecedent == lee
    both = Turn("Who spoke on art?", STANDALONE, "Who spoke on art?", said=Said(("D#2",), (), (lee, kim)))
    assert both.antecedent is None and both.named_people == (lee, kim)
    assert Turn("para 4", REFERENCE, "para 4", before=both).named_people == (lee, kim)


@pytest.mark.parametrize(("asked", "sentences", "line"), [
    (Stance.FOR, ["Several speakers called for a registry.", "Other speakers said it was not needed."],
     "Views differed: the report records more than one side."),
    (Stance.BOTH, ["While some experts favoured a registry, others preferred voluntary lists."],
     "Views differed: the report records more than one side."),
    (Stance.AGAINST, ["Several delegations doubted that a registry would help."],
     "Yes: the report attributes this to several delegations."),
    (Stance.AGAINST, ["It was doubted that a registry would help."], "Yes."),
    (Stance.FOR, ["Several delegations doubted that a registry would help."], ""),
    # one side found for a question whether views differed: said, without claiming nobody disagreed
    (Stance.BOTH, ["Several speakers called for a registry."],
     "The passages found record one side only (in favour)."),
])
def test_a_yes_or_no_answer_opens_with_what_its_quotes_show_and_never_with_a_no(asked, sentences, line):
    assert plan.verdict(asked, sentences) == line


def test_a_yes_is_only_for_a_view_held_by_whom_the_question_asks_about():
    panel = ["One panellist called for a registry."]
    assert plan.verdict(Stance.FOR, panel, holder("Did delegates want a registry?")) == ""
    assert plan.verdict(Stance.FOR, panel, holder("Did a panellist want a registry?")).startswith("Yes")
    assert plan.verdict(Stance.FOR, ["A registry was needed."], holder("Did delegates want it?")) == "Yes."


def _passage(text: str) -> Passage:
    return Passage("A/TEST/1", 3, None, "Discussion", None, (), text, (0, len(text)))


def test_the_entries_of_a_list_are_cut_at_its_separators_and_read_against_the_question():
    text = ("The meeting heard the following experts: Ana Ruiz, University of Lima; Bo Chen, Customs "
            "Service of Singapore; Carl Berg, University of Oslo and Dina Haddad, Ministry of Justice. "
            "It ended at noon.")
    quoted = [text[s.start : s.end] for s in asked_entries("Which experts came from universities?",
                                                            _passage(text))]
    assert quoted == ["Ana Ruiz, University of Lima", "Carl Berg, University of Oslo"]
    everyone = asked_entries("Which experts did the meeting hear?", _passage(text))
    assert len(everyone) == 4 and text[everyone[-1].start : everyone[-1].end].endswith("Ministry of Justice")


def test_a_long_text_of_colons_and_semicolons_is_read_in_one_pass():
    # without a bound, a pattern over such a text backtracks for hours; here it must simply finish
    text = "word: " + "a; b " * 60_000 + ": " * 60_000
    assert asked_entries("Which words were listed?", _passage(text)) == ()


@pytest.mark.parametrize(("text", "fragment"), [
    ("possible remedies?", True), ("any examples?", True), ("the reasons given?", True),
    ("what were the fixes?", False), ("resolution 9999?", False),
    ("a list of every measure the speakers put forward?", False), ("?", False)])
def test_a_few_words_that_are_no_question_of_their_own_lean_on_the_turn_before(text, fragment):
    assert leaning.is_fragment(text) is fragment
    assert leaning.leans_by_ellipsis(text) or not fragment


def test_a_who_question_is_answered_by_a_person_named_or_a_body():
    from workshop_qa.retriever.detail import holds_detail
    assert holds_detail(Detail.PERSON, "It was drafted by the Regional Bar Association.", [])
    assert holds_detail(Detail.PERSON, "Ms. Jane Roe spoke.", ["Jane Roe"])
    assert not holds_detail(Detail.PERSON, "Another panellist spoke about the law.", ["Jane Roe"])


def test_the_items_a_sentence_names_are_told_apart():
    assert items_named(ItemKind.COUNTRY, "Laws of Chile and Peru were compared.") == {"Chile", "Peru"}
    assert items_named(ItemKind.RESOLUTION, "Under resolution 1234 (2001), states acted.") == {"1234"}
    # each of a series, not the years in brackets
    series = "Under resolutions 1234 (2001) and 567 (1999)."
    assert items_named(ItemKind.RESOLUTION, series) == {"1234", "567"}
    assert count_asked("Which two resolutions were cited?") == 2
    assert count_asked("Which resolutions were cited?") is None
    # bodies by their catalogue name, each once, not inside a longer name nor as a resolution's issuer
    named = items_named(ItemKind.ORGANIZATION, "The World Customs Organization (WCO) and INTERPOL met.")
    assert named == {"WCO", "INTERPOL"}
    convention = "It cited the Council of Europe Convention on Cybercrime."
    assert items_named(ItemKind.ORGANIZATION, convention) == set()
    assert items_named(ItemKind.ORGANIZATION, "Under Security Council resolutions 1 and 2.") == set()
    assert items_named(ItemKind.ORGANIZATION, "The role of customs services.") == set()


@pytest.mark.parametrize(("question", "noun"), [
    ("Which universities did the panellists come from?", "universities"),
    ("List the institutes the speakers came from.", "institutes"),
    ("What material was circulated beforehand?", "material"),
    ("What did the panellists say?", None),
])
def test_the_kind_of_thing_a_question_asks_which_of_is_read(question, noun):
    assert asked_noun(question) == noun
    assert items_named(ItemKind.MEETING, "At the 7th meeting, Peru spoke.") == {"7th meeting"}
    assert items_named(ItemKind.COUNTRY, "Ports were discussed.") == frozenset()
