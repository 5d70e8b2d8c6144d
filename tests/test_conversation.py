"""Turns understood as a delegate means them: lookups alone, follow-ups by substitution."""

from __future__ import annotations

import pytest

from tests.conftest import SYMBOL
from workshop_qa.app.answer import Assistant
from workshop_qa.app.conversation import FOLLOW_UP, REFERENCE, STANDALONE, points_into_answer
from workshop_qa.app.settings import Settings
from workshop_qa.index.parse import ORDINALS
from workshop_qa.retriever.search import QueryError

INSTRUMENT = "What did speakers say about a new international instrument on cybercrime?"


@pytest.fixture(scope="module")
def assistant(retriever) -> Assistant:
    return Assistant(retriever, Settings())


def _turn(assistant: Assistant, question: str, *history: str):
    return assistant.search(question, history)[0]


@pytest.mark.parametrize("lookup", ["para 16", "23(c)", "conclusion (c)", "¶ 17", "the 5th meeting"])
def test_a_reference_after_any_history_is_answered_alone(assistant, lookup):
    turn = _turn(assistant, lookup, INSTRUMENT, "who opposed it?")
    assert turn.kind == REFERENCE and turn.resolved == lookup
    answer = assistant.answer(lookup, [INSTRUMENT, "who opposed it?"])
    assert answer.kind == "reference"
    alone = assistant.answer(lookup)
    assert answer.citations == alone.citations


def test_para_16_mid_conversation_returns_exactly_paragraph_16(assistant):
    answer = assistant.answer("para 16", [INSTRUMENT])
    assert answer.citations == (f"{SYMBOL}#16",)


def test_a_question_naming_its_own_subject_is_standalone_even_when_short(assistant):
    turn = _turn(assistant, "Who moderated the workshop?", INSTRUMENT)
    assert turn.kind == STANDALONE and turn.resolved == "Who moderated the workshop?"
    own = _turn(assistant, "when did Qatar pass its cybercrime law?", "para 9", "what's the poverty point?")
    assert own.kind == STANDALONE and own.resolved == "when did Qatar pass its cybercrime law?"


def test_who_opposed_it_after_a_lookup_quotes_the_sentence_giving_both_sides(assistant):
    # Para. 16: "While some speakers expressed the view that ... a new legally binding instrument ...
    # was a necessary step, other speakers said that there should be a focus on ... existing instruments".
    answer = assistant.answer("who opposed it?", ["para 16"])
    assert answer.citations == (f"{SYMBOL}#16",)
    assert answer.quotes[0].text.startswith("While some speakers expressed the view")


def test_who_opposed_it_is_resolved_by_substitution_and_quotes_the_opposing_sentence(assistant):
    turn = _turn(assistant, "who opposed it?", INSTRUMENT)
    assert turn.kind == FOLLOW_UP
    assert turn.resolved == "who opposed a new international instrument on cybercrime?"
    answer = assistant.answer("who opposed it?", [INSTRUMENT])
    assert answer.citations[0] == f"{SYMBOL}#12"
    assert "such an instrument was not necessary" in answer.quotes[0].text  # the opposing one leads
    assert not any("it was necessary to create" in q.text for q in answer.quotes)


@pytest.mark.parametrize(("question", "paragraph", "for_", "against"), [
    ("was there disagreement about a new UN treaty on cybercrime?", "12",
     "it was necessary to create", "such an instrument was not necessary"),
    ("Does the report support a new cybercrime convention?", "12",  # where it stands: both views
     "it was necessary to create", "such an instrument was not necessary"),
    ("what was the debate on a new cybercrime convention", "12",  # not para. 9's one panellist
     "it was necessary to create", "such an instrument was not necessary"),
    ("Was there disagreement over whether a new binding treaty on trafficking in cultural property is "
     "needed?", "16", "While some speakers expressed the view", "While some speakers expressed the view"),
])
def test_whether_views_differed_is_answered_with_both_sides(assistant, question, paragraph, for_, against):
    answer = assistant.answer(question)
    assert answer.citations[0] == f"{SYMBOL}#{paragraph}"
    quoted = [q.text for q in answer.quotes if q.passage.id == answer.citations[0]]
    assert any(for_ in q for q in quoted) and any(against in q for q in quoted), quoted


@pytest.mark.parametrize(("earlier", "question", "resolved", "paragraph"), [
    ("Which countries spoke at the 5th meeting?", "and at the 6th?",  # the ordinal replaced
     "Which countries spoke at the 6th meeting?", "6"),
    ("conclusion (b)", "what about cultural property?",  # after a conclusion, the conclusions asked
     "What do the conclusions say about cultural property?", "23(c)"),
])
def test_an_ellipsis_is_resolved_by_substitution(assistant, earlier, question, resolved, paragraph):
    assert _turn(assistant, question, earlier).resolved == resolved
    assert assistant.answer(question, [earlier]).citations[0] == f"{SYMBOL}#{paragraph}"


def test_she_after_a_question_about_a_panellist_finds_her_presentation(assistant):
    history = ["Which organization did Mariya Polner represent?"]
    turn = _turn(assistant, "what did she present?", *history)
    assert "Mariya Polner (World Customs Organization)" in turn.resolved
    answer = assistant.answer("what did she present?", history)
    assert answer.citations[0] == f"{SYMBOL}#18"
    for question in ("what platform did she mention?",  # her words, not her name
                     "what was the name of the communication platform she mentioned?"):
        platform = assistant.answer(question, history)
        assert "Archeo real-time communication platform" in platform.quotes[0].text, question
    assert f"{SYMBOL}#2" in assistant.answer("and what is her name again?", history).citations[:1]


def test_such_a_thing_is_the_previous_topic_and_what_about_replaces_that_topic_s_object(assistant):
    history = ["What was the disagreement about a new legally binding instrument on cybercrime?"]
    turn = _turn(assistant, "what did one speaker say such a treaty should focus on?", *history)
    assert turn.resolved == ("what did one speaker say a new legally binding instrument on cybercrime "
                             "should focus on?")
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#21"  # mutual legal assistance
    turn = _turn(assistant, "what about for cultural property?", *history, turn.text)
    assert turn.resolved == ("what did one speaker say a new legally binding instrument on cultural "
                             "property should focus on?")


def test_what_about_replaces_the_topic_and_never_nests(assistant):
    first = "Did speakers call for a new treaty on cybercrime?"
    assert _turn(assistant, "what about cultural property?", first).resolved == (
        "Did speakers call for a new treaty on cultural property?")
    turn = _turn(assistant, "what about cultural property?", first, "who opposed it?")
    assert turn.resolved == "who opposed a new treaty on cultural property?"


def test_resolution_of_a_50_turn_conversation_is_as_short_as_of_a_2_turn_one(assistant):
    short = _turn(assistant, "who opposed it?", INSTRUMENT)
    history = [INSTRUMENT] + ["what about cultural property?", "and who opposed it?"] * 25
    long = _turn(assistant, "who opposed it?", *history)
    assert len(long.resolved) <= len(short.resolved) + 20


def test_a_long_history_of_follow_ups_does_not_recurse(assistant):
    answer = assistant.answer("and then?", ["Who moderated the workshop?"] + ["and then?"] * 1500)
    assert answer.question == "and then?"


@pytest.mark.parametrize(("history", "question", "expected"), [
    (["Which panellist said the Guidelines showed the UN could deliver concrete tools?"],
     "what did they say States should focus on?", "20"),
    (["Did anyone argue the existing legal framework on cultural property was insufficient?"],
     "did anyone push back?", "16"),
    (["was online drug trafficking discussed at all?"], "which region was that talk focused on?", "11"),
    (["any practical ideas for getting stolen heritage back to its country?"],
     "did anyone say why it matters long-term?", "22"),  # "it" with nothing in the question to stand for
])
def test_a_follow_up_about_the_previous_answer_stays_in_its_paragraph(assistant, history, question,
                                                                      expected):
    previous = assistant.answer(history[-1], history[:-1])
    assert previous.citations[0] == f"{SYMBOL}#{expected}"
    assert _turn(assistant, question, *history).on_previous_answer
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#{expected}"


def test_who_else_and_what_about_do_not_lean_on_the_previous_answer(assistant):
    first = "Which panellist said international and regional cooperation was key against cybercrime?"
    assert not _turn(assistant, "who else stressed cooperation?", first).on_previous_answer
    assert not _turn(assistant, "what about cultural property?", first).on_previous_answer
    assert _turn(assistant, "who else stressed cooperation?", first).besides_previous_answer


@pytest.mark.parametrize(("first", "follow_up", "expected"), [
    ("Was there disagreement over whether a new binding treaty on trafficking in cultural property is "
     "needed?", "Which existing instruments did the skeptics want implemented instead?", "16"),
    ("was there disagreement about a new UN treaty on cybercrime?",
     "what did the ones against it point to instead?", "12"),
])
def test_the_skeptics_or_the_ones_against_it_are_people_of_the_previous_answer(assistant, first, follow_up,
                                                                               expected):
    assert _turn(assistant, follow_up, first).on_previous_answer
    assert assistant.answer(follow_up, [first]).citations[0] == f"{SYMBOL}#{expected}"


def test_the_named_one_is_one_of_the_things_the_previous_question_asked_about(assistant):
    first = ("Which cultural property conventions did the conclusions urge Member States to join and "
             "implement?")
    turn = _turn(assistant, "which year is the Unidroit one from?", first)
    assert turn.kind == FOLLOW_UP and turn.resolved == "which year is the Unidroit convention from?"
    assert assistant.answer(turn.text, [first]).citations[0] == f"{SYMBOL}#23(c)"  # "... of 1995"


def test_the_topic_of_a_question_ends_at_its_verb(assistant):
    turn = _turn(assistant, "which of its conventions came up in the debate?",
                 "What did the Council of Europe do at the workshop?")
    assert turn.resolved == "which of the Council of Europe's conventions came up in the debate?"


def test_who_else_besides_x_sets_aside_x_not_the_previous_answer(assistant):
    history = ["conclusion (d)"]  # "... as well as the importance of working with civil society"
    question = "who else besides international organizations should States work with?"
    assert not _turn(assistant, question, *history).besides_previous_answer
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#23(d)"


def test_after_the_nth_panel_is_the_discussion_that_followed_it(assistant):
    history = ["What was discussed after the second panel?"]
    assert assistant.answer(history[0]).citations[0] == f"{SYMBOL}#12"
    for question, paragraphs in (("and after the third?", {"16"}), ("and after the fourth?", {"21", "22"})):
        answer = assistant.answer(question, history)
        assert answer.citations[0].rsplit("#", 1)[1] in paragraphs, (question, answer.citations)
        history.append(question)


def test_an_ellipsis_can_change_the_panel_and_the_topic_at_once(assistant):
    first = "What did speakers after the second panel say about awareness-raising?"
    turn = _turn(assistant, "and after the third panel, about research?", first)
    assert turn.resolved == "What did speakers after the third panel say about research?"
    assert assistant.answer(turn.text, [first]).citations[0] == f"{SYMBOL}#16"


def test_a_bare_item_letter_continues_the_list_looked_at(assistant):
    assert assistant.answer("and (d)?", ["conclusion (c)"]).citations == (f"{SYMBOL}#23(d)",)
    assert _turn(assistant, "and (b)?", "para 1").resolved == "1(b)"


def test_that_panellist_and_what_for_point_at_the_previous_answer(assistant):
    first = "Did anyone propose that countries keep national registers of their cultural objects?"
    assert assistant.answer(first).citations[0] == f"{SYMBOL}#22"
    answer = assistant.answer("what for?", [first])
    assert answer.kind == "extractive" and answer.citations[0] == f"{SYMBOL}#22"
    assert _turn(assistant, "did that panellist mention technology?", first).on_previous_answer


def test_that_representative_is_the_one_of_the_organization_named_before(assistant):
    first = "Was the World Bank's work on asset recovery mentioned?"
    turn = _turn(assistant, "what is the name of that representative?", first)
    assert turn.resolved == "what is the name of the representative of World Bank?"
    assert turn.person and turn.person.name == "Jinyong Chung" and not turn.on_previous_answer
    answer = assistant.answer(turn.text, [first])
    assert answer.citations[0] == f"{SYMBOL}#2" and "Jinyong Chung" in answer.quotes[0].text


def test_the_x_one_replaces_the_organization_of_the_previous_question(assistant):
    turn = _turn(assistant, "and the World Bank one?", "What did the GCC panellist talk about?")
    assert turn.resolved == "What did the World Bank panellist talk about?"
    answer = assistant.answer(turn.text, ["What did the GCC panellist talk about?"])
    assert answer.citations[0] == f"{SYMBOL}#17"


def test_a_part_of_the_report_after_a_question_narrows_it(assistant):
    first = "What did the report say about data collection?"
    narrowed = _turn(assistant, "and in the conclusions?", first)
    assert narrowed.kind == FOLLOW_UP
    assert narrowed.resolved == "What did the report say about data collection in the conclusions?"
    assert assistant.answer(narrowed.text, [first]).citations[0] == f"{SYMBOL}#23(d)"
    assert _turn(assistant, "only in the cybercrime panel", first).resolved == (
        "What did the report say about data collection in the cybercrime panel?")
    assert _turn(assistant, "and in the conclusions?", "para 16").kind == REFERENCE


def test_the_conclusions_asked_for_are_the_whole_list_and_an_item_of_it_continues_it(assistant):
    answer = assistant.answer("What are the conclusions?", ["What did the GCC panellist talk about?"])
    assert answer.kind == "reference" and answer.citations == tuple(
        f"{SYMBOL}#23{item}" for item in ("", "(a)", "(b)", "(c)", "(d)"))
    assert assistant.answer("tell me more about (d)", ["What are the conclusions?"]).citations == (
        f"{SYMBOL}#23(d)",)


def test_where_someone_teaches_is_answered_where_the_report_names_them(assistant):
    answer = assistant.answer("where does he teach?", ["Who moderated the workshop?"])
    assert answer.citations[0] == f"{SYMBOL}#2" and "Virginia Commonwealth University" in answer.text


def test_by_whom_quotes_the_sentence_of_the_previous_answer(assistant):
    first = "What was said about e-commerce?"
    turn = _turn(assistant, "by whom?", first)
    assert turn.on_previous_answer and turn.focus == turn.resolved
    answer = assistant.answer("by whom?", [first])
    assert answer.kind == "partial" and answer.citations == (f"{SYMBOL}#13",)
    assert "e-commerce transactions" in answer.quotes[0].text


def test_that_one_after_a_lookup_is_what_was_looked_up(assistant):
    turn = _turn(assistant, "was that one only about cybercrime?", "Who moderated the workshop?",
                 "and the last panel?")
    assert turn.resolved == "was the last panel only about cybercrime?"


def test_who_or_which_asked_of_that_is_about_the_previous_answer(assistant):
    first = "Which panellist proposed the follow-the-money approach?"
    assert _turn(assistant, "whose idea was that", first).on_previous_answer
    assert _turn(assistant, "which para says that?", first).on_previous_answer
    previous = assistant.answer(first).citations[0]
    assert assistant.answer("which para says that?", [first]).citations[0] == previous


def test_it_or_there_after_a_lookup_is_the_paragraph_looked_up(assistant):
    turn = _turn(assistant, "what's the poverty point there?", "para 9")
    assert turn.on_previous_answer
    assert assistant.answer(turn.text, ["para 9"]).citations[0] == f"{SYMBOL}#9"


def test_who_else_sets_the_previous_answer_aside(assistant):
    first = "Which panellist said international and regional cooperation was key against cybercrime?"
    assert assistant.answer(first).citations[0] == f"{SYMBOL}#8"
    assert _turn(assistant, "who else stressed cooperation?", first).besides_previous_answer
    answer = assistant.answer("who else stressed cooperation on cybercrime?", [first])
    assert answer.citations and answer.citations[0] != f"{SYMBOL}#8"


def test_a_question_for_who_held_a_role_is_standalone_after_anything(assistant):
    turn = _turn(assistant, "Who were the panellists?", "para 16", "and after the fourth panel?")
    assert turn.kind == STANDALONE and turn.resolved == "Who were the panellists?"
    assert _turn(assistant, "and after the fourth panel?", "para 16").resolved == (
        "What was said after the fourth panel?")


def test_the_other_panellist_is_one_of_the_previous_answer(assistant):
    history = ["Which panellist said the Guidelines showed the UN could deliver concrete tools?"]
    question = "and what did the other panellist on the Guidelines add?"
    assert _turn(assistant, question, *history).on_previous_answer
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#20"



def test_a_chain_of_follow_ups_about_the_previous_answer_stays_in_its_paragraph(assistant):
    history = ["Did anyone argue the existing legal framework on cultural property was insufficient?",
               "did anyone push back?"]
    pushed = assistant.answer(history[1], history[:1])
    assert pushed.citations[0] == f"{SYMBOL}#16"
    assert "full implementation of existing instruments" in pushed.text
    instead = assistant.answer("what did they point to instead?", history)
    assert instead.citations[0] == f"{SYMBOL}#16"
    assert "full implementation of existing instruments" in instead.text


def test_which_conclusion_is_searched_in_the_conclusions_and_the_one_on_x_changes_its_topic(assistant):
    first = "which conclusion is about capacity building?"
    assert assistant.answer(first).citations[0] == f"{SYMBOL}#23(b)"
    turn = _turn(assistant, "and the one on data collection?", first)
    assert turn.kind == FOLLOW_UP and turn.resolved == "which conclusion is about data collection?"
    assert assistant.answer(turn.text, [first]).citations[0] == f"{SYMBOL}#23(d)"


def test_who_else_said_that_asks_the_previous_question_again_besides_its_answer(assistant):
    first = "Which panellist said international cooperation was key to strengthening responses to cybercrime?"
    assert assistant.answer(first).citations[0] == f"{SYMBOL}#8"
    turn = _turn(assistant, "who else said that?", first)
    assert turn.resolved == first and turn.besides_previous_answer
    assert assistant.answer(turn.text, [first]).citations[0] == f"{SYMBOL}#17"


def test_also_carries_the_meeting_of_the_previous_question(assistant):
    first = "Which countries made statements at the 4th meeting?"
    turn = _turn(assistant, "was any international organization also given the floor?", first)
    assert turn.kind == FOLLOW_UP and turn.resolved.endswith("at the 4th meeting?")
    assert assistant.answer(turn.text, [first]).citations[0] == f"{SYMBOL}#4"


@pytest.mark.parametrize("follow_up", ["who was that?", "who said that?"])
def test_who_said_that_names_the_one_panellist_whose_talk_the_previous_answer_reports(assistant, follow_up):
    first = "What did the panellist say about terrorism?"  # para. 19, the UNESCO panellist's talk
    turn = _turn(assistant, follow_up, first)
    assert turn.on_previous_answer and turn.resolved == f"{follow_up[:-1]}, about terrorism?"
    answer = assistant.answer(follow_up, [first])
    assert answer.citations[:1] == (f"{SYMBOL}#2",) and answer.quotes[0].text.startswith("Anna Paolini")
    after_lookup = assistant.answer(follow_up, ["para 19"])  # "that" is the paragraph looked up
    assert after_lookup.citations[:1] == (f"{SYMBOL}#2",) and "Anna Paolini" in after_lookup.quotes[0].text
    # Para. 17 reports several talks: which of them "that" was is not known, so no one is named.
    several = assistant.answer(follow_up, ["Which country's recent cybercrime law was presented?"])
    assert several.kind == "partial" and "Jinyong Chung" not in several.text


def test_who_presented_that_names_the_panellist_whose_talk_was_the_previous_answer(assistant):
    first = "What is the World Bank doing to help emerging economies fight cybercrime?"
    assert assistant.answer(first).citations[0] == f"{SYMBOL}#17"
    answer = assistant.answer("who presented that?", [first])
    assert answer.kind == "extractive" and answer.citations[0] == f"{SYMBOL}#2"
    assert "Jinyong Chung" in answer.text


def test_it_is_the_thing_asked_about_not_a_name_inside_it(assistant):
    first = "was there disagreement about a new UN treaty on cybercrime?"
    second = "what did the ones against it point to instead?"
    assert _turn(assistant, second, first).resolved == (
        "what did the ones against a new UN treaty on cybercrime point to instead?")
    third = _turn(assistant, "did anyone say what it should cover?", first, second)
    assert third.resolved == "did anyone say what a new UN treaty on cybercrime should cover?"
    assert assistant.answer(third.text, [first, second]).citations[0] == f"{SYMBOL}#21"
    same = _turn(assistant, "same fight over cultural property?", first)
    assert same.resolved == "was there disagreement about a new UN treaty on cultural property?"


def test_their_rep_is_the_representative_of_the_organization_named_before(assistant):
    history = ["what role did UNESCO play according to the panellists?",
               "which countries is it working with?"]
    turn = _turn(assistant, "who was their rep on the panel", *history)
    assert turn.resolved == "who was the representative of UNESCO on the panel"
    answer = assistant.answer(turn.text, history)
    assert answer.citations[0] == f"{SYMBOL}#2" and "Anna Paolini" in answer.text


@pytest.mark.parametrize(("history", "question", "expected"), [
    (["what does conclusion (c) say?", "what do they mean by serious crime there?"], "and the next one?",
     "23(d)"),
    (["conclusion (c)", "and the next one?"], "and the previous one?", "23(c)"),
    (["para 16"], "the next paragraph", "17"),
    (["what happened at the 5th meeting?"], "and the next?", "6"),
])
def test_the_next_or_previous_one_moves_from_what_was_last_looked_up(assistant, history, question, expected):
    answer = assistant.answer(question, history)
    assert answer.kind == "reference" and answer.citations[0] == f"{SYMBOL}#{expected}"


@pytest.mark.parametrize("question", ["and the other two?", "and the later ones?",
                                      "and the remaining meetings?"])
def test_the_other_two_after_a_meeting_are_the_other_meetings(assistant, question):
    turn = _turn(assistant, question, "who chaired the 4th meeting?")
    assert turn.resolved == "who chaired the other meetings?"
    answer = assistant.answer(turn.text, ["who chaired the 4th meeting?"])
    assert answer.citations == (f"{SYMBOL}#3",) and "Luis Alfonso de Alba" in answer.text


def test_a_follow_up_after_a_refusal_is_not_answered_from_the_closest_passage(assistant):
    first = "What did the workshop say about maritime piracy off Somalia?"
    assert assistant.answer(first).kind == "refusal"
    assert assistant.answer("who raised that?", [first]).kind == "refusal"


POLNER = "Which organization did Mariya Polner represent?"


@pytest.mark.parametrize(("question", "earlier"), [
    ("who was that?", POLNER), ("what did she say?", POLNER), ("who else?", POLNER),
    ("what about it?", POLNER),
    ("and the 6th?", "Which countries spoke at the 5th meeting?"), ("the next one", "conclusion (b)"),
    ("the other side?", "who supported a new treaty on cybercrime?"),
    ("where is she based?", POLNER),  # words of its own, but "she" is no one yet
])
def test_a_first_turn_that_only_points_back_says_there_is_nothing_to_point_to(assistant, question, earlier):
    with pytest.raises(QueryError, match="points back to an earlier answer"):
        assistant.answer(question)
    assert assistant.answer(question, [earlier]).citations


def test_a_first_turn_with_a_pronoun_and_words_of_its_own_is_searched(assistant):
    answer = assistant.answer("who said that about terrorism?")
    assert answer.citations and answer.citations[0] == f"{SYMBOL}#19"


@pytest.mark.parametrize(("history", "question", "paragraph"), [
    (["who moderated this workshop?"], "and who chaired the meetings?", "3"),  # a role, after "and"
    (["4th meeting - which delegations took the floor?"], "and at the 6th?", "6"),  # who spoke, not chaired
    (["what did the UNESCO rep say?"], "what's her full title?", "2"),  # who she is, where she is named
    ([], "what did the GCC guy present on?", "11"),  # "guy", "rep": a person of the body
    ([], "was there a panellist from the World Customs Organization?", "2"),  # who, not what she said
    ([], "did the World Bank have anyone on the panels?", "2"),
])
def test_turns_written_as_people_chat_find_their_paragraph(assistant, history, question, paragraph):
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#{paragraph}"


def test_the_other_side_asks_for_the_opposite_stance_on_the_same_topic(assistant):
    history = ["was there a split over a new UN cybercrime treaty?", "who was pushing for it and why?"]
    pushing = assistant.answer(history[1], history[:1])
    assert "does not mention a pushing" not in pushing.text  # a verb, not a role
    assert "it was necessary to create a new international" in pushing.quotes[0].text
    for other_side in ("and the other side?", "what did the other side argue?"):
        turn = _turn(assistant, other_side, *history)
        assert turn.resolved == "who opposed a new UN cybercrime treaty?"
        answer = assistant.answer(other_side, history)
        assert answer.citations[0] == f"{SYMBOL}#12" and "was not necessary" in answer.quotes[0].text


def test_what_was_agreed_on_x_makes_x_the_topic_it_stands_for(assistant):
    turn = _turn(assistant, "who stressed it?", "What was agreed on mutual legal assistance?")
    assert turn.resolved == "who stressed mutual legal assistance?"
    answer = assistant.answer("who stressed it?", ["What was agreed on mutual legal assistance?"])
    assert "mutual legal assistance" in answer.quotes[0].text


def test_a_bare_fragment_is_about_both_the_body_and_the_topic_before_it(assistant):
    history = ["What did the WCO do about cultural property?"]
    assert _turn(assistant, "which platform?", *history).resolved == (
        "which platform, regarding WCO and cultural property?")
    answer = assistant.answer("which platform?", history)
    assert answer.citations[0] == f"{SYMBOL}#18" and "Archeo" in answer.quotes[0].text


def test_he_after_the_presenter_of_a_looked_up_talk_is_that_presenter(assistant):
    presenter = assistant.answer("who presented it?", ["para 11"])
    assert presenter.citations[0] == f"{SYMBOL}#2" and "Khalid Had Al Mohannadi" in presenter.quotes[0].text
    answer = assistant.answer("what did he say about legislation?", ["para 11", "who presented it?"])
    assert answer.citations[0] == f"{SYMBOL}#11" and "legislation" in answer.quotes[0].text


def test_the_moderators_presentation_is_his_talk_not_the_conclusions_he_summarized(assistant):
    answer = assistant.answer("what was his own presentation about", ["who moderated?"])
    assert answer.citations[0] == f"{SYMBOL}#7"
    assert assistant.answer("What did the moderator conclude?").citations[0] == f"{SYMBOL}#23"


@pytest.mark.parametrize("question", ["did mexico take the floor at the 5th meeting?",  # typed in lower case
                                      "did Mexico speak at the 5th meeting?"])
def test_whether_a_delegation_spoke_at_a_meeting_is_that_meetings_list(assistant, question):
    answer = assistant.answer(question)
    assert answer.citations[0] == f"{SYMBOL}#5" and "Mexico" in answer.quotes[0].text


def test_did_that_come_up_again_later_looks_for_the_topic_beyond_the_previous_answer(assistant):
    history = ["Who argued that a new global cybercrime treaty wasn't needed?",
               "which convention did they point to?"]
    turn = _turn(assistant, "Did that argument come up again later in the workshop?", *history)
    assert turn.besides_previous_answer and "a new global cybercrime treaty" in turn.resolved
    answer = assistant.answer(turn.text, history)
    assert answer.citations[0] == f"{SYMBOL}#21"  # "many speakers reiterated the points ..."
    later_one = _turn(assistant, "is the later one mentioned anywhere else in the report?", history[0])
    assert "regarding" not in later_one.resolved  # "the later one" is not "later in the workshop"


def test_a_topic_ends_at_its_verb_give_or_make(assistant):
    turn = _turn(assistant, "what reasons did the pro-treaty camp give?")
    assert turn.topic == "the pro-treaty camp"


def test_it_as_the_subject_after_a_lookup_is_the_paragraph_looked_up(assistant):
    # A name before "it" ("Security Council") is not what "it" stands for when "it" is the subject.
    turn = _turn(assistant, "which Security Council resolutions does it cite?", "para 16")
    assert turn.kind == FOLLOW_UP and "para 16" in turn.resolved
    assert assistant.answer(turn.text, ["para 16"]).citations[0] == f"{SYMBOL}#16"


def test_at_it_after_a_meeting_question_is_that_meeting_not_the_previous_answer(assistant):
    history = ["Who chaired the 4th meeting?"]
    turn = _turn(assistant, "which delegations spoke at it?", *history)
    assert turn.resolved == "which delegations spoke at the 4th meeting?" and not turn.on_previous_answer
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#4"


def test_them_after_a_preposition_is_the_things_asked_about_even_through_a_lookup(assistant):
    guidelines = "What does the report say about the International Guidelines on trafficking in cultural " \
                 "property?"
    turn = _turn(assistant, "did anyone have doubts about them?", guidelines, "ok show me para 20")
    assert "about the International Guidelines on trafficking in cultural property" in turn.resolved
    assert not turn.on_previous_answer
    people = _turn(assistant, "what did they point to instead?", "who opposed a new treaty on cybercrime?")
    assert people.on_previous_answer  # "they" as the subject is the people of the previous answer


def test_a_bare_follow_up_after_a_meeting_question_is_about_that_meeting(assistant):
    history = ["the 6th meeting - who took the floor?"]
    turn = _turn(assistant, "who was chairing?", *history)
    assert turn.resolved == "who was chairing at the 6th meeting?"
    answer = assistant.answer(turn.text, history)
    assert answer.citations == (f"{SYMBOL}#3",) and "5th and 6th meetings" in answer.quotes[0].text


def test_anywhere_else_sets_the_previous_answer_aside_but_what_else_did_she_stress_does_not(assistant):
    history = ["who spoke for the World Customs Organization on the panel?", "what did she present?"]
    assert _turn(assistant, "was WCO brought up anywhere else?", *history).besides_previous_answer
    answer = assistant.answer("was WCO brought up anywhere else?", history)
    assert answer.citations[0] == f"{SYMBOL}#16"  # the discussion, not her talk (para. 18)
    qatar = ["was Qatar's cybercrime law discussed?"]
    more = _turn(assistant, "what else did that panellist stress?", *qatar)
    assert not more.besides_previous_answer and "of Qatar" not in more.resolved
    assert assistant.answer(more.text, qatar).citations[0] == f"{SYMBOL}#17"


@pytest.mark.parametrize(("question", "history", "quoted"), [
    ("was he also one of the panellists?", ["who chaired the 5th and 6th meetings"], "following panellists"),
    ("Was Anna Paolini among the panellists?", [], "Anna Paolini"),
    ("is Mariya Polner a panellist?", [], "Mariya Polner"),
    ("is he also listed as a panellist?", [], "following panellists"),
])
def test_whether_someone_was_a_panellist_is_answered_by_the_list_of_panellists(assistant, question, history,
                                                                                quoted):
    answer = assistant.answer(question, history)
    assert answer.citations[0] == f"{SYMBOL}#2" and quoted in answer.quotes[0].text


@pytest.mark.parametrize(("question", "history", "resolved"), [
    ("same fight on cultural property?",
     ["who argued a new cybercrime treaty was needed?", "and the other side?"],
     "who opposed a new treaty on cultural property?"),
    ("did the same split come up for cultural property?",
     ["Was there disagreement about whether a new global cybercrime treaty is needed?"],
     "Was there disagreement about whether a new treaty on cultural property is needed?"),
])
def test_the_same_question_about_another_subject_moves_the_instrument_to_it(assistant, question, history,
                                                                             resolved):
    turn = _turn(assistant, question, *history)
    assert turn.kind == FOLLOW_UP and turn.resolved == resolved
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#16"


@pytest.mark.parametrize(("question", "history", "para"), [
    ("did speakers from the floor say anything about its role?",
     ["What did UNESCO's representative on the panel talk about?"], "22"),  # not her talk (para. 19)
    ("did delegates in the discussion also link cyber and drugs?", [], "12"),  # not the GCC talk (para. 11)
])
def test_what_was_said_from_the_floor_is_the_discussion_not_a_panellists_talk(assistant, question, history,
                                                                              para):
    answer = assistant.answer(question, history)
    assert answer.citations[0] == f"{SYMBOL}#{para}"
    assert f"{SYMBOL}#2" not in answer.citations  # no panellist named for what the floor said


def test_a_bare_ordinal_of_its_own_is_the_meeting_of_the_previous_question(assistant):
    history = ["which delegations spoke at the 5th meeting?"]
    turn = _turn(assistant, "did Japan also speak at the 6th?", *history)
    assert turn.resolved == "did Japan also speak at the 6th meeting?"
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#6"
    that_one = _turn(assistant, "which delegations spoke at that one?", "Who chaired the 5th meeting?")
    assert that_one.resolved == "which delegations spoke at the 5th meeting?"


def test_who_was_chairing_it_is_the_chair_of_that_meeting(assistant):
    history = ["Which delegations made statements at the 4th meeting?"]
    answer = assistant.answer("who was chairing it?", history)
    assert answer.citations[0] == f"{SYMBOL}#3"


def test_that_country_is_the_country_named_before_and_a_delegation_by_its_adjective(assistant):
    history = ["Who was the panellist from China University of Political Science and Law?"]
    turn = _turn(assistant, "did any panellist use that country's legal regime as an example?", *history)
    assert turn.resolved == "did any panellist use China's legal regime as an example?"
    assert not turn.on_previous_answer  # the country, once named, is not the list of panellists
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#14"
    answer = assistant.answer("did the Chinese delegation speak at every meeting?")
    assert answer.citations == tuple(f"{SYMBOL}#{n}" for n in (4, 5, 6))


def test_had_before_it_is_the_body_itself_not_the_previous_topic(assistant):
    history = ["what's the agenda item for this report?"]
    turn = _turn(assistant, "what documents did the workshop have before it?", *history)
    assert turn.resolved == "what documents did the workshop have before it?"
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#1"


def test_anything_about_x_asks_the_previous_question_about_x(assistant):
    history = ["what did people say about getting stolen cultural objects back to their home countries?"]
    turn = _turn(assistant, "anything about registers?", *history)
    assert turn.resolved == "what did people say about registers?"
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#22"


def test_did_one_of_them_say_x_is_searched_by_what_was_said_not_the_previous_answer(assistant):
    history = ["How many panellists were on the cybercrime panel?"]
    assert not _turn(assistant, "did one of them say poverty matters?", *history).on_previous_answer
    answer = assistant.answer("did one of them say poverty matters?", history)
    assert answer.citations[0] == f"{SYMBOL}#9"  # "proximity to poverty was a risk factor"
    listed = ["how many panellists did the workshop have overall?"]
    assert _turn(assistant, "any of them from Chinese universities?", *listed).on_previous_answer


def test_a_question_of_its_own_after_and_in_x_is_not_the_previous_question_in_x(assistant):
    history = ["Did speakers disagree on whether a new cybercrime treaty is needed?",
               "what did the ones against it point to?"]
    question = "and in the later discussion, what did one speaker say such a treaty should focus on?"
    turn = _turn(assistant, question, *history)
    assert turn.resolved.startswith("and in the later discussion, what did one speaker say")
    assert "new cybercrime treaty" in turn.resolved  # "such a treaty", not "the ones against it point to"
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#21"


@pytest.mark.parametrize("question", ["is it fair to say the report supports involving civil society?",
                                      "it seems the report backs civil society, right?"])
def test_an_it_that_points_at_nothing_is_left_alone(assistant, question):
    history = ["What did the workshop say about trafficking in cultural property?"]
    assert _turn(assistant, question, *history).resolved == question
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#23(d)"


@pytest.mark.parametrize(("question", "meeting"), [("which delegations spoke at the latter meeting?", 6),
                                                   ("who spoke at the earlier of those two meetings?", 5)])
def test_the_latter_meeting_is_one_of_the_meetings_named_before(assistant, question, meeting):
    # Named two turns back: the turn between them is about a person.
    history = ["who chaired the 5th and 6th meetings", "was he also one of the panellists?"]
    turn = _turn(assistant, question, *history)
    assert f"the {meeting}th meeting" in turn.resolved and turn.text == question
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#{meeting}"
    assert _turn(assistant, "and in the later discussion, what did one speaker say?", *history).resolved \
        .startswith("and in the later discussion")


def test_the_organization_is_the_body_named_before(assistant):
    history = ["What did the UNESCO panellist say about terrorism?"]
    turn = _turn(assistant, "which countries is the organization working with?", *history)
    assert turn.resolved == "which countries is UNESCO working with?"
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#19"  # Iraq, Libya, Syria
    history.append(turn.text)
    assert assistant.answer("who represented it on the panel?", history).citations[0] == f"{SYMBOL}#2"
    # "the organization of ..." is another one.
    assert "UNESCO" not in _turn(assistant, "what did the organization of the workshop involve?",
                                 *history[:1]).resolved


def test_its_after_a_name_in_the_same_question_belongs_to_that_name(assistant):
    history = ["which intergovernmental organizations were encouraged to collaborate on cultural property?",
               "what does the customs one do on that?"]
    question = "did anyone ask UNODC to step up its work there?"
    assert "step up its work" in _turn(assistant, question, *history).resolved
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#16"
    # An "its" with no name before it is still the previous subject's.
    assert "its" not in _turn(assistant, "what is its role?", "What did the UNESCO panellist say?") \
        .resolved.split()


def test_it_is_the_thing_asked_about_not_the_part_of_the_report_it_was_looked_for_in(assistant):
    history = ["what was said about the internet and drug trafficking in the gulf countries",
               "was that cyber-drugs link picked up in the conclusions?"]
    turn = _turn(assistant, "did delegates in the floor discussion raise it too?", *history)
    assert "cyber-drugs link" in turn.resolved and "conclusions" not in turn.resolved
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#12"


def test_and_another_panellist_asks_the_previous_question_of_them(assistant):
    history = ["what was said about qatar's new cybercrime law?",
               "what kind of institution did he suggest countries set up?"]
    turn = _turn(assistant, "and the chinese panellist on that panel?", *history)
    assert turn.resolved == ("what kind of institution did the chinese panellist on that panel suggest "
                             "countries set up?")
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#17"


def test_what_else_did_they_recommend_stays_in_the_previous_answer(assistant):
    history = ["what was said about organized criminal groups using cyberspace"]
    assert assistant.answer(history[0]).citations[0] == f"{SYMBOL}#9"
    turn = _turn(assistant, "besides new laws what else did they recommend?", *history)
    assert turn.on_previous_answer and not turn.besides_previous_answer
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#9"


def test_using_them_is_the_things_asked_about_not_the_people_of_the_previous_answer(assistant):
    history = ["what role did panellists see for the international guidelines on trafficking in cultural "
               "property?", "did any delegation have reservations about them?"]
    turn = _turn(assistant, "and what do the conclusions say about using them?", *history)
    assert turn.resolved.endswith("using the international guidelines on trafficking in cultural property?")
    assert not turn.on_previous_answer
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#23(c)"


@pytest.mark.parametrize(("question", "item"), [("what was the first conclusion?", "a"),
                                                ("what's the last conclusion about?", "d"),
                                                ("what's the first thing they concluded?", "a")])
def test_the_nth_conclusion_is_that_lettered_item_even_after_the_lead_in(assistant, question, item):
    assert assistant.answer(question).citations[0] == f"{SYMBOL}#23({item})"
    history = ["who summarized the conclusions of the workshop?"]  # answered by para. 23, the lead-in
    assert assistant.answer(question, history).citations[0] == f"{SYMBOL}#23({item})"


@pytest.mark.parametrize(("history", "question", "named", "paragraph"), [
    (["Which national legal regimes on cultural property were given as examples?"],
     "were there panellists from those countries?", "from China, Ecuador and Italy?", "2"),
    (["show me para 16", "which security council resolutions does it cite?"],
     "what did the customs panellist say about the second of those?", "about resolution 2199 (2015)?", "18"),
    (["what did the WCO panellist present?", "which Security Council resolution did she mention?"],
     "where else in the report does that resolution come up?", "does resolution 2199 (2015) come up?", "19"),
])
def test_things_the_previous_answer_listed_are_named(assistant, history, question, named, paragraph):
    answer = assistant.answer(question, history)
    assert answer.resolved_question.endswith(named)
    assert answer.question == question  # as typed; "Understood as" shows what was searched
    assert answer.citations[0] == f"{SYMBOL}#{paragraph}"
    # "that country" is the one the previous question named, not every country of the answer.
    assert not points_into_answer("did that country also speak in its own name?")


def test_they_that_can_be_applied_are_the_things_asked_about(assistant):
    history = ["what was said about the International Guidelines on trafficking in cultural property?"]
    turn = _turn(assistant, "did anyone say they can't be fully applied everywhere?", *history)
    assert "International Guidelines" in turn.resolved and not turn.on_previous_answer
    assert assistant.answer(turn.text, history).citations[0] == f"{SYMBOL}#22"  # "not feasible in all"
    # "they" who do something are people.
    assert "they" in _turn(assistant, "what did they point to instead?", *history).resolved.split()


def test_a_short_follow_up_naming_a_body_in_lower_case_is_about_that_body(assistant):
    history = ["which intergovernmental organizations were encouraged to collaborate on cultural property?"]
    turn = _turn(assistant, "is interpol mentioned anywhere else?", *history)
    assert turn.resolved == "is interpol mentioned anywhere else?" and turn.besides_previous_answer
    answer = assistant.answer(turn.text, history)
    assert answer.citations[0] != f"{SYMBOL}#16" and "INTERPOL" in answer.text
    # A short follow-up naming nothing is still about the previous question.
    assert "regarding WCO and cultural property" in _turn(
        assistant, "which platform?", "What did the WCO do about cultural property?").resolved


def test_naming_what_earlier_answers_listed_looks_back_a_bounded_number_of_turns(assistant, monkeypatch):
    # A spy on the real retriever counts the searches: each turn that points into the answer before
    # it looked that answer up again, and turns that also lean on it doubled the work per turn.
    history = ["show me para 16", "which security council resolutions does it cite?"] + \
        ["what did they say about the second of those?", "and who said those resolutions matter?"] * 10
    searches = []
    search = assistant.retriever.search
    monkeypatch.setattr(assistant.retriever, "search",
                        lambda *args, **kw: searches.append(args) or search(*args, **kw))
    answer = assistant.answer("what did they say about the second of those?", history)
    assert answer.resolved_question == "what did they say about resolution 2199 (2015)?"
    assert len(searches) < 40


TREATY = "Was a new binding cybercrime instrument called for?"  # para. 12 records both sides


def test_which_paragraph_is_that_names_the_unit_the_previous_answer_cited(assistant):
    before = assistant.answer(TREATY)
    answer = assistant.answer("ok, which para was that?", [TREATY])
    assert answer.kind == "reference" and answer.citations == before.citations
    assert "para. 12" in answer.text and before.quotes[0].text in answer.text


def test_who_made_that_point_gives_the_reports_own_words_when_it_names_no_one(assistant):
    answer = assistant.answer("and who made that point?", [TREATY])
    assert answer.kind == "partial" and answer.citations == (f"{SYMBOL}#12",)
    assert 'attributes this to "several speakers"' in answer.text


def test_based_on_what_quotes_the_passage_the_previous_answer_rests_on(assistant):
    before = assistant.answer("What did the World Bank panellist present?")
    answer = assistant.answer("based on what?", [before])
    assert answer.citations[:1] == before.citations[:1]
    assert answer.quotes[0].text == answer.hits[0].passage.text


def test_earlier_answers_given_as_history_count_as_their_questions(assistant):
    questions = ["Who spoke for the World Customs Organization?", "para 12"]
    answers = []
    for question in questions:
        answers.append(assistant.answer(question, answers))
    by_answers = assistant.answer("what did she present?", answers)
    by_questions = assistant.answer("what did she present?", questions)
    assert by_answers.citations == by_questions.citations
    assert by_answers.citations[0] == f"{SYMBOL}#18"  # her talk, though a lookup came between


def test_asking_only_for_the_other_side_quotes_it_from_the_passage_before(assistant):
    answer = assistant.answer("did anyone disagree?", [TREATY])
    assert answer.citations[0] == f"{SYMBOL}#12"
    assert any("not necessary" in quote.text or "other speakers" in quote.text.lower()
               for quote in answer.quotes)


def test_a_question_of_its_own_after_and_is_a_new_topic(assistant):
    history = ["What did the World Bank panellist present?"]
    turn, result = assistant.search("and, who chaired the 5th meeting?", history)
    assert turn.kind == STANDALONE and result.hits[0].passage.id == f"{SYMBOL}#3"


def test_a_question_whether_a_view_pointed_at_was_shared_is_answered_from_the_answer_pointed_at(assistant):
    looked_up = assistant.answer("show me conclusion (a)")
    answer = assistant.answer("Was that a unanimous view?", [looked_up])
    assert answer.citations[0] == f"{SYMBOL}#23(a)"
    assert "general agreement" in answer.quotes[0].text


def test_a_view_asked_of_the_floor_is_not_taken_from_a_panellist_s_talk(assistant):
    talk = assistant.answer("What was the World Bank panellist's talk about?")
    answer = assistant.answer("did delegates support that project?", [talk])
    assert not answer.text.startswith("Yes")


def test_a_topic_switch_by_a_bare_phrase_is_about_that_phrase_not_the_names_before(assistant):
    history = ["What did the UNESCO panellist say about resolution 2199?", "and resolution 1483?"]
    turn = _turn(assistant, history[1], history[0])
    assert turn.kind == STANDALONE and turn.topic == "resolution 1483" and turn.name != "UNESCO"
    assert "resolution 1483" in assistant.answer("from what year is that one?", history).resolved_question


def test_going_back_after_a_lookup_points_to_what_was_asked_before_it(assistant):
    history = ["What did the conclusions say about data collection?", "para 8"]
    turn = _turn(assistant, "going back, who does it say should be worked with?", *history)
    assert "data collection" in turn.resolved and "para 8" not in turn.resolved
    answer = assistant.answer("going back, who does it say should be worked with?", history)
    assert answer.citations[0] == f"{SYMBOL}#23(d)"


def test_her_organization_is_that_body_not_a_search_for_her(assistant):
    history = ["Who is Anna Paolini?"]
    turn = _turn(assistant, "which countries is her organization working with?", *history)
    assert "UNESCO" in turn.resolved
    assert "Paolini" not in turn.resolved


def test_an_ordinal_alone_is_a_meeting_when_the_conversation_looked_one_up(assistant):
    history = ["the 5th meeting", "was Brazil on that list?"]
    turn = _turn(assistant, "how about the 4th?", *history)
    assert "the 4th meeting" in turn.resolved
    found = assistant.search("how about the 4th?", history)[1]
    assert f"{SYMBOL}#4" in [hit.passage.id for hit in found.hits[:2]]


def test_a_narrowing_context_keeps_the_topic_it_narrows(assistant):
    turn = _turn(assistant, "and in the context of a new treaty?", "what was said about digital evidence?")
    assert turn.resolved.startswith("what was said about digital evidence")
    assert turn.resolved.endswith("in the context of a new treaty?")


def test_a_leading_also_opens_a_question_of_its_own_not_one_at_the_same_place(assistant):
    turn = _turn(assistant, "also, did anyone talk about registers of stolen art?",
                 "What did the first panel say about the growth of online fraud?")
    assert "panel" not in turn.resolved


def test_those_two_things_are_the_two_an_answer_named_before_a_lookup(assistant):
    history = ["Which resolutions did a speaker cite on Iraqi and Syrian heritage?", "para 18"]
    turn = _turn(assistant, "which of those two resolutions is the older one?", *history)
    assert "resolution 1483 (2003) and resolution 2199 (2015)" in turn.resolved


@pytest.mark.parametrize(("history", "question", "paragraph"), [
    (["Was there support for a legally binding instrument against cybercrime?"],
     "who was against the new instrument?", 12),
    (["Did delegations want a new convention on trafficking in cultural property?"],
     "did anyone argue the treaties we already have are enough?", 16),
])
def test_an_instrument_named_bare_is_the_one_the_conversation_is_about(assistant, history, question,
                                                                       paragraph):
    turn, result = assistant.search(question, history)
    assert turn.kind == FOLLOW_UP and result.hits[0].passage.id == f"{SYMBOL}#{paragraph}"


def test_an_instrument_named_with_its_subject_is_a_question_of_its_own(assistant):
    _, result = assistant.search("was anyone against a new treaty on cultural property?",
                                 ["Did speakers want a new treaty on cybercrime?"])
    assert result.hits[0].passage.id == f"{SYMBOL}#16"


def test_that_discussion_is_the_discussion_after_the_panel_of_the_previous_answer(assistant):
    history = ["What did the World Customs Organization panellist talk about?"]
    turn, result = assistant.search("and did anyone in that same discussion mention the Guidelines?", history)
    assert "the discussion that followed the fourth panel" in turn.resolved
    assert result.hits[0].passage.id in (f"{SYMBOL}#21", f"{SYMBOL}#22")


def test_they_after_a_question_about_a_delegation_is_that_delegation(assistant):
    history = ["Did Nigeria take the floor at the 5th meeting?"]
    turn = _turn(assistant, "what did they argue about a new treaty?", *history)
    assert "Nigeria" in turn.resolved and turn.on_previous_answer is False
    answer = assistant.answer("what did they argue about a new treaty?", history)
    assert answer.kind in ("refusal", "partial")  # the report never says what Nigeria argued
    # After an answer quoting speakers, "they" are those speakers, as before.
    turn = _turn(assistant, "what did they point to instead?", "Who was against a new cybercrime treaty?")
    assert "Nigeria" not in turn.resolved and turn.on_previous_answer


def test_a_fragment_asks_its_words_of_the_previous_topic(assistant):
    earlier = "Did anyone say police struggle with the volume of digital evidence?"
    turn = _turn(assistant, "possible remedies?", earlier)
    assert turn.kind == FOLLOW_UP and "digital evidence" in turn.resolved


def test_which_of_those_picks_among_the_units_the_previous_answer_cited(assistant):
    history = ["Which Security Council resolutions are named in the report?"]
    first = assistant.answer(history[0])
    assert len(first.citations) > 1
    answer = assistant.answer("which of those paragraphs also mentions the 2003 resolution?", history)
    assert answer.citations[0] == f"{SYMBOL}#16" and answer.citations[0] in first.citations


def test_an_identifier_the_previous_answer_lacks_outranks_that_answer(assistant):
    history = ["What did Mariya Polner mention about resolution 2199?"]
    first = assistant.answer(history[0])
    assert "1483" not in assistant.retriever.passage(first.citations[0]).text
    answer = assistant.answer("does either of those paragraphs name resolution 1483 as well?", history)
    assert answer.citations[0] == f"{SYMBOL}#16"


def test_what_a_conclusion_is_based_on_is_the_discussion_nearest_it_said_as_such(assistant):
    answer = assistant.answer("what is that based on?", ["conclusion (a)"])
    assert answer.kind == "partial"
    assert answer.text.startswith("The report does not say which part of the discussion para. 23 (a) "
                                  "draws on")
    cited = assistant.retriever.passage(answer.citations[0])
    assert cited.section != "Conclusions" and cited.panel is not None
    # Of a passage of the discussion itself, the basis is that passage, as before.
    answer = assistant.answer("based on what?", ["Did speakers want a new treaty on cybercrime?"])
    assert answer.text.startswith("The previous answer rests on")


def test_who_made_the_points_of_a_two_sided_answer_names_each_side_s_speakers(assistant):
    history = ["Did speakers want a new treaty on cybercrime?"]
    answer = assistant.answer("says who?", history)
    assert answer.text.startswith('The report does not name them: it attributes this to "several speakers" '
                                  'and "several other speakers".')
    assert len(answer.quotes) == 2 and list(answer.citations) == [f"{SYMBOL}#12"]


def test_he_after_an_answer_naming_no_one_is_the_panellist_of_the_talk_before_it(assistant):
    history = ["What was said about drugs sold online in the Gulf?", "Did Peru speak at the 5th meeting?"]
    answer = assistant.answer("what did he think the region should create?", history)
    assert answer.citations[0] == assistant.answer(history[0]).citations[0] == f"{SYMBOL}#11"


def test_that_agency_after_a_lookup_is_the_body_named_before_the_lookup(assistant):
    history = ["What does UNESCO do against trafficking in cultural property?", "para 3"]
    turn = _turn(assistant, "who was the panellist from that agency?", *history)
    assert "UNESCO" in turn.resolved
    assert "Anna Paolini" in assistant.answer("who was the panellist from that agency?", history).text


def test_who_made_the_points_of_an_answer_citing_several_paragraphs_is_told_for_each(assistant):
    history = ["Which Security Council resolutions are named in the report?"]
    cited = assistant.answer(history[0]).citations
    answer = assistant.answer("who made those points?", history)
    lines = answer.text.splitlines()
    assert len(lines) == len(cited) >= 3
    assert any('"one speaker"' in line for line in lines) and any("Mariya Polner" in line for line in lines)


def test_a_subject_put_before_its_question_is_what_its_pronoun_stands_for(assistant):
    history = ["at which meetings did Peru make statements?"]
    turn = _turn(assistant, "and the African Group, did it speak?", *history)
    assert turn.resolved == "and did the African Group speak?"
    answer = assistant.answer("and the African Group, did it speak?", history)
    assert answer.citations[:2] == (f"{SYMBOL}#4", f"{SYMBOL}#5")


def test_the_debate_after_that_panel_is_the_panel_of_the_last_answer_from_a_panel(assistant):
    history = ["What did the panellists say about national inventories of cultural objects?",
               "who's Marc-André Renold?"]
    panel = assistant.retriever.passage(assistant.answer(history[0]).citations[0]).panel
    question = "and in the open debate following that panel, did anyone bring up restitution?"
    turn = _turn(assistant, question, *history)
    assert f"the discussion that followed the {ORDINALS[panel - 1]} panel" in turn.resolved


def test_another_part_of_the_report_named_after_the_conclusions_replaces_them(assistant):
    turn = _turn(assistant, "what about in the cybercrime panel?",
                 "Do the conclusions say anything about restitution?")
    assert "conclusions" not in turn.resolved and "the cybercrime panel" in turn.resolved
    assert turn.resolved.endswith("about restitution?")
