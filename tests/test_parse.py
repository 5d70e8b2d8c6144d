"""The parser on the bundled report and on other texts in the same layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPORT, SYMBOL
from workshop_qa.index.corpus import CorpusError, load_document
from workshop_qa.index.parse import clean, parse_report


@pytest.fixture(scope="module")
def passages():
    return load_document(REPORT).passages


def test_report_has_paragraphs_1_to_23_and_conclusions_a_to_d(passages):
    assert len(passages) == 28
    assert passages[0].id == f"{SYMBOL}#header" and passages[0].citation == f"{SYMBOL}, header"
    assert passages[0].text.startswith("Agenda item 5 Comprehensive and balanced approaches")
    assert passages[0].text.endswith("including lessons learned and international cooperation")
    assert [p.para for p in passages if p.item is None][1:] == list(range(1, 24))
    assert [p.id for p in passages if p.item] == [f"{SYMBOL}#23({x})" for x in "abcd"]
    assert passages[2].id == f"{SYMBOL}#2"
    assert passages[-2].citation == f"{SYMBOL}, para. 23 (c)"


def test_sections_panels_and_meetings_follow_the_text(passages):
    by_id = {p.id.split("#")[1]: p for p in passages}
    assert {by_id[str(n)].section for n in range(1, 7)} == {"Proceedings"}
    assert {by_id[str(n)].section for n in range(7, 23)} == {"General discussion"}
    assert {p.section for p in passages if p.para == 23} == {"Conclusions"}
    panels = {n: by_id[str(n)].panel for n in range(7, 23)}
    assert panels == {7: 1, **dict.fromkeys(range(8, 13), 2), **dict.fromkeys(range(13, 17), 3),
                      **dict.fromkeys(range(17, 23), 4)}
    assert by_id["4"].meetings == (4,) and by_id["6"].meetings == (6,)
    assert by_id["1"].meetings == (4, 5, 6) and by_id["3"].meetings == (4, 5, 6)
    assert "Fourth panel" in by_id["18"].context


def test_spans_point_at_the_passage_text_in_the_source(passages):
    source = REPORT.read_text(encoding="utf-8")
    previous_end = 0
    for passage in passages:
        start, end = passage.span
        assert start >= previous_end
        assert clean(source[start:end]) == passage.text
        previous_end = end


def test_passages_reproduce_the_report_body_nothing_dropped_or_duplicated(passages):
    source = REPORT.read_text(encoding="utf-8")
    body = clean(source[source.index("Proceedings") :])
    pieces, section = [], None
    for p in passages[1:]:
        if p.section != section:
            pieces.append(p.section)
            section = p.section
        pieces.append(f"({p.item}) {p.text}" if p.item else f"{p.para}. {p.text}")
    assert " ".join(pieces) == body


def test_traps_of_the_extracted_text(passages):
    by_para = {p.para: p for p in passages if p.item is None}
    assert by_para[2].text.endswith("Permanent Representative of Mexico to the United Nations (Vienna).")
    assert "(Canada); Khalid" in by_para[2].text
    assert "(a) Background paper" in by_para[1].text and "A/CONF.222/RPM.4/1)." in by_para[1].text
    assert by_para[22].text.startswith("Several speakers emphasized")
    assert by_para[21].text.endswith("further supporting the Programme.")
    assert "actors — individuals and groups — to markets" in by_para[7].text
    assert "  " not in "".join(p.text for p in passages)


def test_another_report_in_the_same_layout_parses():
    document = load_document(FIXTURES / "mini_report.txt")
    assert document.symbol == "TEST/MINI/1"
    header, *paragraphs = document.passages
    assert header.id == "TEST/MINI/1#header" and header.text.startswith("Agenda item 9 Test matters")
    assert [p.id for p in paragraphs] == [f"TEST/MINI/1#{n}" for n in range(1, 5)]
    assert [p.section for p in paragraphs] == ["Opening", "Opening", "Discussion", "Discussion"]
    assert "(b) A working paper (A/TEST/1)." in paragraphs[1].text
    assert paragraphs[2].text.endswith("prosecution of pirates (Kenya).")
    assert [p.panel for p in paragraphs] == [None, None, 1, 1]


def test_a_text_that_is_not_a_report_gets_a_clear_error():
    path = FIXTURES / "not_a_report.txt"
    with pytest.raises(CorpusError, match="not_a_report.txt: no numbered paragraphs"):
        load_document(path)


def test_a_missing_corpus_file_is_named():
    with pytest.raises(CorpusError, match="Corpus file not found: .*nowhere.txt"):
        load_document(Path("nowhere.txt"))


def test_numbering_out_of_sequence_is_not_a_paragraph():
    text = "Heading\n\n1. First paragraph ends with a number\n5. that is not a paragraph.\n\n2. Second."
    passages = parse_report(text, "X")
    assert [p.para for p in passages] == [1, 2]
    assert passages[0].text == "First paragraph ends with a number 5. that is not a paragraph."
