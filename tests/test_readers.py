"""Readers: the bundled report printed as a UN-layout PDF reads back to the text version's passages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from tests.conftest import REPORT
from tests.un_pdf import FONT, Masthead, write_un_pdf
from workshop_qa.index.corpus import CorpusError, expand_corpus, load_corpus, load_document
from workshop_qa.index.parse import parse_report
from workshop_qa.index.readers import ReaderError, detect_format, read_document
from workshop_qa.index.readers.hyphens import join_hyphenated

FIXTURES = Path(__file__).parent / "fixtures"
CONGRESS = ("Thirteenth United Nations Congress on", "Crime Prevention and Criminal Justice",
            "Doha, 12-19 April 2015")
SYMBOL = "A/CONF.222/L.3/Add.1"
SECOND = "A/CONF.222/L.3/Add.9"


def _comparable(passage) -> tuple:
    """Everything a passage says except its character span, which differs between sources."""
    return (passage.id, passage.item, passage.text, passage.section, passage.panel, passage.meetings,
            passage.context)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The bundled report printed as a UN document: its PDF path and what the printer did."""
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    layout = write_un_pdf(REPORT.read_text(encoding="utf-8"), Masthead(SYMBOL, CONGRESS), path)
    return path, layout


def test_the_printed_report_has_page_breaks_inside_paragraphs_and_hyphens(printed):
    _, layout = printed
    assert layout.pages >= 4 and layout.broken_paragraphs >= 3
    assert len(layout.hyphenated) >= 20
    assert FONT.is_file()


def test_every_passage_of_the_pdf_equals_the_text_versions(printed):
    path, _ = printed
    from_text = load_document(REPORT).passages
    from_pdf = load_document(path).passages
    assert len(from_pdf) == len(from_text) == 28
    assert [_comparable(p) for p in from_pdf] == [_comparable(p) for p in from_text]


def test_the_pdf_states_its_symbol_title_date_and_distribution(printed):
    path, _ = printed
    document = load_document(path)
    sidecar = json.loads(REPORT.with_suffix(".json").read_text(encoding="utf-8"))
    assert document.symbol == SYMBOL and document.title == sidecar["title"]
    assert document.metadata["date"] == "16 April 2015"
    assert document.metadata["distribution"] == "Limited"
    assert document.metadata["original"] == "English"
    assert document.metadata["job_number"] == "GE.15-07631 (E)"
    assert document.metadata["body"].startswith("Thirteenth United Nations Congress")


def test_page_furniture_and_masthead_are_not_in_the_text(printed):
    path, _ = printed
    text = read_document(path.read_bytes(), str(path)).text
    assert text.startswith("Agenda item 5\n")
    for furniture in ("GE.15-07631", "Distr.", "Original:", "*1507631*", "/5\n", SYMBOL + "\n"):
        assert furniture not in text


def test_the_sidecar_overrides_what_the_pdf_says(printed, tmp_path):
    path = tmp_path / "report.pdf"
    shutil.copy(printed[0], path)
    path.with_suffix(".json").write_text(json.dumps({"symbol": "X/TEST/1", "title": "Given"}))
    document = load_document(path)
    assert (document.symbol, document.title) == ("X/TEST/1", "Given")
    assert document.passages[1].id == "X/TEST/1#1"
    assert document.metadata["date"] == "16 April 2015"


def test_the_second_report_is_cited_with_its_own_symbol():
    document = load_document(FIXTURES / "workshop9.pdf")
    assert document.symbol == SECOND
    assert document.title.startswith("Report of Committee II: workshop 9")
    assert document.passages[2].citation == f"{SECOND}, para. 2"
    assert [p.id for p in document.passages][-2:] == [f"{SECOND}#6(a)", f"{SECOND}#6(b)"]
    assert "Łukasz Wróblewski" in document.passages[2].text


def test_the_second_reports_pdf_equals_its_text(tmp_path):
    text = (FIXTURES / "workshop9.txt").read_text(encoding="utf-8")
    masthead = Masthead(SECOND, CONGRESS, date="18 April 2015", job_number="GE.15-07702")
    printed = write_un_pdf(text, masthead, tmp_path / "workshop9.pdf")
    assert printed.pages == 2
    for pdf in (tmp_path / "workshop9.pdf", FIXTURES / "workshop9.pdf"):
        from_pdf = load_document(pdf).passages
        assert [_comparable(p) for p in from_pdf] == [_comparable(p) for p in parse_report(text, SECOND)]


def test_the_format_is_told_by_content_not_by_name(printed, tmp_path):
    disguised = tmp_path / "report.txt"
    shutil.copy(printed[0], disguised)
    assert detect_format(disguised.read_bytes()) == "pdf"
    assert load_document(disguised).symbol == SYMBOL
    text_named_pdf = tmp_path / "mini.pdf"
    shutil.copy(FIXTURES / "mini_report.txt", text_named_pdf)
    assert len(load_document(text_named_pdf).passages) == 5


def test_a_pdf_without_a_text_layer_is_called_a_scan(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 150, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(CorpusError, match=r"scan.pdf has no text layer \(a scanned PDF\?\)"):
        load_document(path)


def test_a_truncated_pdf_is_named(printed):
    data = printed[0].read_bytes()[:200]
    with pytest.raises(ReaderError, match="cut.pdf is not a readable PDF"):
        read_document(data, "cut.pdf")


def test_a_file_that_is_neither_text_nor_pdf_is_named():
    with pytest.raises(ReaderError, match="photo.jpg: not UTF-8 text"):
        read_document(b"\xff\xd8\xff\xe0JFIF", "photo.jpg")


def test_a_line_end_hyphen_is_undone_only_for_a_word_printed_whole_elsewhere():
    lines = ["the cyber-", "crime rate and information-", "sharing on", "cybercrime by Marc-", "André."]
    assert join_hyphenated(lines) == [
        "the cybercrime", "rate and information-sharing", "on", "cybercrime by Marc-André.",
    ]


def test_a_hyphen_before_a_number_or_list_item_is_left_alone():
    lines = ["pre-", "(a) item", "the 1990s-", "2. Next"]
    assert join_hyphenated(lines) == lines


def test_a_word_report_gives_the_same_passages_and_its_header_symbol(tmp_path):
    text = (FIXTURES / "workshop9.txt").read_text(encoding="utf-8")
    word = docx.Document()
    word.sections[0].header.paragraphs[0].text = SECOND
    for block in text.split("\n\n"):
        word.add_paragraph(" ".join(block.split()))
    path = tmp_path / "workshop9"  # no extension: the content tells the format
    word.save(str(path))
    document = load_document(path)
    assert document.symbol == SECOND
    assert document.title.startswith("Report of Committee II: workshop 9")
    assert [_comparable(p) for p in document.passages] == [
        _comparable(p) for p in parse_report(text, SECOND)
    ]


def test_a_corpus_of_a_pdf_and_a_text_cites_each_by_its_own_symbol(tmp_path):
    shutil.copy(FIXTURES / "workshop9.pdf", tmp_path / "workshop9.pdf")
    shutil.copy(REPORT, tmp_path / REPORT.name)
    shutil.copy(REPORT.with_suffix(".json"), tmp_path / REPORT.with_suffix(".json").name)
    files = expand_corpus((tmp_path,))
    assert [f.name for f in files] == [REPORT.name, "workshop9.pdf"]
    documents = load_corpus(files)
    ids = [p.id for d in documents for p in d.passages]
    assert len(ids) == len(set(ids)) == 28 + 9
    assert {d.symbol for d in documents} == {SYMBOL, SECOND}
    assert f"{SECOND}, para. 5" in {p.citation for d in documents for p in d.passages}


def test_an_empty_corpus_folder_is_named(tmp_path):
    with pytest.raises(CorpusError, match="holds no report files"):
        expand_corpus((tmp_path,))
