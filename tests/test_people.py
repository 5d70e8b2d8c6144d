"""Who's who read from a report's own sentences: the list of panellists cut at its separators, and
each panellist tied to the talk the report attributes to "one panellist" (no model needed)."""

from __future__ import annotations

import pytest

from workshop_qa.index.passage import Passage
from workshop_qa.index.people import Link, Participant, find_participants, list_entries, organization_names
from workshop_qa.retriever.participants import about_a_person, asks_who, mentioned

_PORTS = ("During the first panel, three panellists spoke about ports. One panellist described the rise "
          "of crime in harbours. Another panellist spoke about customs controls at sea. Another panellist "
          "presented the work of TRA on ship registers.")
_LIST = ("The workshop was moderated by Ada Lovel, a professor at Example University (Norway). "
         "Presentations were made by the following panellists: Bo Kim, Harbour Institute; Cy Ruiz, "
         "Port Authority of Chile; Di Osei, Tide Registry Agency (TRA); Ed Park, Museum Network; Flo Abe, "
         "Permanent Mission of Peru to the United Nations and Gus Ito, Lantern College.")


def _passage(para: int, text: str, panel: int | None = None) -> Passage:
    return Passage("A/TEST/2", para, None, "Discussion", panel, (), text, (0, len(text)))


def _people(*panels: str) -> dict[str, object]:
    passages = [_passage(2, _LIST), *(_passage(3 + i, text, panel=i + 1) for i, text in enumerate(panels))]
    return {p.name: p for p in find_participants(passages)}


def test_the_last_entry_of_a_list_is_cut_at_its_and_not_run_into_the_next():
    entries = [_LIST[s:e] for s, e in list_entries(_LIST, _LIST.index(": ") + 2)]
    assert entries[-2:] == ["Flo Abe, Permanent Mission of Peru to the United Nations",
                            "Gus Ito, Lantern College"]
    assert entries[0] == "Bo Kim, Harbour Institute"


def test_talks_told_in_the_order_of_the_list_are_tied_between_a_talk_naming_its_organization():
    people = _people(_PORTS)
    assert people["Di Osei"].linked_by == Link.ORGANIZATION
    kim, ruiz = people["Bo Kim"], people["Cy Ruiz"]
    assert kim.linked_by == ruiz.linked_by == Link.ORDER
    assert kim.presented_in == ruiz.presented_in == ("A/TEST/2#3",)
    assert 0 < kim.talk_starts[0] < ruiz.talk_starts[0] < people["Di Osei"].talk_starts[0]


def test_no_talk_is_tied_by_order_when_the_panel_has_more_panellists_than_talks_told():
    people = _people("During the first panel, three panellists spoke about ports. One panellist described "
                     "the rise of crime in harbours. Another panellist presented the work of TRA on ship "
                     "registers.")
    assert people["Bo Kim"].presented_in == () and people["Cy Ruiz"].presented_in == ()


def test_no_talk_is_tied_by_order_against_a_talk_that_names_its_organization_out_of_order():
    # The second talk names the third panellist's organization: the list is not in the talks' order.
    people = _people("During the first panel, three panellists spoke about ports. One panellist described "
                     "the rise of crime in harbours. Another panellist presented the work of TRA on ship "
                     "registers. Another panellist spoke about customs controls at sea.")
    assert people["Bo Kim"].presented_in == () and people["Cy Ruiz"].presented_in == ()


def test_a_panellist_is_tied_to_a_sentence_on_panellists_of_their_panel_naming_their_country():
    people = _people("During the first panel, three panellists spoke about ports.",
                     "During the second panel, three panellists spoke about museums. Some panellists gave "
                     "examples of national law, notably that of Peru. Others spoke about Chile.")
    abe = people["Flo Abe"]
    assert abe.linked_by == Link.COUNTRY and abe.presented_in == ("A/TEST/2#4",)
    # Cy Ruiz (Chile) spoke on the first panel, by the list's order and the panels' sizes: a sentence of
    # the second panel naming Chile, and attributed to no panellist, is not his.
    assert people["Cy Ruiz"].presented_in == ()


def test_the_attribution_of_a_tied_talk_keeps_the_reports_own_words():
    people = _people(_PORTS)
    said = people["Cy Ruiz"].attribution(_passage(3, _PORTS, panel=1))
    assert said.startswith('The report attributes this to "another panellist", tied to Cy Ruiz')
    assert "order" in said
    assert people["Ada Lovel"].attribution(_passage(3, _PORTS, panel=1)).startswith(
        "The report attributes this to Ada Lovel")


@pytest.mark.parametrize(("question", "asks"), [
    ("so, and who presented the customs tools?", True),  # a lead word or two before "who"
    ("which Dutch scholar was on the panel?", True),  # "which" and a person, with an adjective
    ("were there experts from Brazil?", True),  # without an article
    ("what's Ann Lee's home university?", True),  # the body a person belongs to
    ("what is her institute called?", True),
    ("what role did she give her organization in the fight?", False),  # her body, not who it is
    ("were there speakers who disagreed?", False),
])
def test_a_question_asking_who_someone_is_or_whom_they_represent(question, asks):
    assert asks_who(question) is asks


@pytest.mark.parametrize(("question", "about"), [("who was that?", True), ("what did she add?", True),
                                                  ("which country was the case in?", False)])
def test_a_question_speaking_of_a_person(question, about):
    assert about_a_person(question) is about


def test_a_bodys_names_hold_its_short_name_and_not_the_place_in_brackets():
    names = organization_names("Harbour Research Centre, Lantern University (Oslo)")
    assert "Lantern" not in names  # a one-word short name would be any word
    assert {"Harbour Research", "Lantern University", "Harbour Research Centre"} <= set(names)
    assert "Oslo" not in names
    assert "Tide Registry Agency" in organization_names("Permanent Mission of Peru (Tide Registry Agency)")


def test_a_body_named_beside_speakers_from_the_floor_points_to_no_panellist():
    people = [Participant("Ann Lee", "panellist", "Tide Registry Agency", "D#2", ("D#9",))]
    assert mentioned("What did the Tide Registry Agency panellist present?", people) == people[0]
    assert mentioned("what did the Tide Registry Agency speaker say?", people) == people[0]
    assert mentioned("Which Tide Registry Agency rules did some speakers want applied?", people) is None
