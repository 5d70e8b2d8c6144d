"""What the chat window shows and exports: literal text, exact highlights, full citations."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SYMBOL
from workshop_qa.app.answer import Assistant
from workshop_qa.app.export import transcript_markdown, transcript_text
from workshop_qa.app.render import answer_message, literal, sources_html, sources_message
from workshop_qa.app.settings import Settings


@pytest.fixture(scope="module")
def assistant(retriever) -> Assistant:
    return Assistant(retriever, Settings())


def test_ordinary_text_is_left_as_it_is_and_markup_is_neutralised():
    assert literal("It was noted that 2199 (2015) applies. [para. 16]") == \
        "It was noted that 2199 (2015) applies. [para. 16]"
    assert literal("<img src=x> *bold* 16. item") == "\\<img src=x> \\*bold\\* 16. item"
    assert literal("16. item\n# heading") == "16\\. item\n\\# heading"


def test_a_message_holds_no_escapes_and_sources_mark_only_the_quotes(assistant):
    answer = assistant.answer("Who moderated the workshop?")
    assert "\\" not in answer_message(answer) and "[para. 2]" in answer_message(answer)
    panel = sources_html(answer)
    assert panel.count("<mark>") == len([q for q in answer.quotes if q.passage.para == 2])
    assert "href='#report-2'" in panel


def test_the_sources_folded_under_an_answer_bold_exactly_its_quotes(assistant):
    answer = assistant.answer("Was a new binding cybercrime instrument called for?")
    folded = sources_message(answer)
    cited = [h.passage for h in answer.hits if h.passage.id in answer.citations]
    assert folded["metadata"]["title"] == "Sources: " + "; ".join(p.label for p in cited)
    bold = re.findall(r"\*\*(.+?)\*\*", folded["content"])
    assert bold[0] == literal(cited[0].citation)
    assert bold[1:] == [literal(q.text.strip()) for q in sorted(answer.quotes, key=lambda q: q.start)]
    assert sources_message(assistant.answer("What is a good recipe for lasagne?")) is None


def test_a_refusal_lists_linked_closest_passages_without_highlights(assistant):
    answer = assistant.answer("What is a good recipe for lasagne?")
    panel = sources_html(answer)
    assert "Closest passages" in panel and "<mark>" not in panel
    assert panel.count("class='show-in-report'") == len(answer.hits)


def test_exports_follow_each_answer_with_its_full_citations(assistant):
    answers = [assistant.answer("Who moderated the workshop?"), assistant.answer("para 16")]
    for export in (transcript_markdown(answers, "Conversation"),
                   transcript_text(answers, "Conversation")):
        assert f"{SYMBOL}, para. 2" in export and f"{SYMBOL}, para. 16" in export
        assert "\\" not in export
        assert export.index(f"{SYMBOL}, para. 2") < export.index("para 16")


def test_the_markdown_export_shows_markup_from_questions_and_reports_as_text(assistant):
    hostile = "<img src=x onerror=alert(1)> who moderated the *workshop*?"
    markdown = transcript_markdown([assistant.answer(hostile)], "Conversation")
    assert re.search(r"(?<!\\)<img", markdown) is None
    assert "\\<img src=x onerror=alert(1)>" in markdown
    assert "\\*workshop\\*" in markdown
