"""The chat app's API: a real server on loopback, called with gradio_client."""

from __future__ import annotations

import io
import json
import re
import string
import urllib.request

import pytest
from fontTools.ttLib import TTFont
from gradio_client import Client
from gradio_client.exceptions import AppError

from tests.conftest import SYMBOL
from workshop_qa.eval.server import running_app


@pytest.fixture(scope="module")
def client(cli_env, tmp_path_factory):
    log = tmp_path_factory.mktemp("app") / "app.log"
    with running_app(cli_env, log=log) as url:
        yield Client(url, verbose=False)


def test_ask_answers_with_citations(client):
    answer = client.predict("Who moderated the workshop?", [], api_name="/ask")
    assert "Jay Albanese" in answer["answer"] and "[para. 2]" in answer["answer"]
    assert answer["citations"] == [f"{SYMBOL}#2"] and answer["answerable"] is True
    assert answer["hits"][0]["citation"] == f"{SYMBOL}, para. 2"


def test_a_follow_up_may_give_the_earlier_answer_by_its_id(client):
    first = client.predict("Was a new binding cybercrime instrument called for?", [], api_name="/ask")
    assert first["answer_id"].startswith("answer-") and first["citable"] == [f"{SYMBOL}, para. 12"]
    answer = client.predict("and who made that point?", [first["answer_id"]], api_name="/ask")
    assert answer["citations"] == [f"{SYMBOL}#12"] and '"several speakers"' in answer["answer"]
    with pytest.raises(AppError, match="is not known here"):
        client.predict("who made that point?", ["answer-0000000000000000"], api_name="/ask")


def test_a_follow_up_in_the_same_conversation_is_resolved(client):
    history = ["Did speakers call for a new treaty on cybercrime?"]
    answer = client.predict("what about cultural property?", history, api_name="/ask")
    assert answer["resolved_question"] == "Did speakers call for a new treaty on cultural property?"
    assert f"{SYMBOL}#16" in [hit["id"] for hit in answer["hits"][:3]]


def test_a_question_the_report_does_not_answer_is_refused(client):
    answer = client.predict("What is a good recipe for lasagne?", [], api_name="/ask")
    assert answer["answerable"] is False and answer["citations"] == []
    assert answer["answer"].startswith("The report does not address this question.")


def test_a_direct_lookup_returns_the_paragraph(client):
    answer = client.predict("para 16", [], api_name="/ask")
    assert answer["kind"] == "reference" and answer["citations"] == [f"{SYMBOL}#16"]
    assert "2199 (2015)" in answer["answer"]


def test_a_lookup_mid_conversation_returns_exactly_that_passage(client):
    history = ["What did speakers say about a new international instrument on cybercrime?",
               "who opposed it?"]
    assert client.predict("para 16", history, api_name="/ask")["citations"] == [f"{SYMBOL}#16"]
    item = client.predict("conclusion (c)", history, api_name="/ask")
    assert item["citations"] == [f"{SYMBOL}#23(c)"] and item["kind"] == "reference"


def test_search_with_a_filter(client):
    result = client.predict("customs and cultural heritage", 3, {"panel": 4}, api_name="/search")
    assert len(result["hits"]) == 3 and {hit["panel"] for hit in result["hits"]} == {4}
    assert result["hits"][0]["id"] == f"{SYMBOL}#18"


def test_an_empty_question_gets_a_clear_message(client):
    with pytest.raises(Exception, match="The question is empty"):
        client.predict("  ", [], api_name="/ask")


def test_with_auth_the_api_refuses_a_client_without_credentials(cli_env, tmp_path):
    with running_app(cli_env, "--auth", "delegate:s3cret", log=tmp_path / "app.log") as url:
        with pytest.raises(Exception):  # noqa: B017 (gradio_client raises several kinds)
            Client(url, verbose=False).predict("para 12", [], api_name="/ask")
        answer = Client(url, auth=("delegate", "s3cret"), verbose=False).predict(
            "para 12", [], api_name="/ask")
        assert answer["citations"] == [f"{SYMBOL}#12"]


@pytest.mark.parametrize("reset", ["/new_conversation", "/clear_conversation"])
def test_after_a_reset_a_follow_up_is_not_resolved_against_the_old_conversation(client, reset):
    page = Client(client.src, verbose=False)  # a session of its own, as a browser tab has
    # The page sends the question, the conversation, and the section, panel and document filters.
    _, chat, *_ = page.predict("Did speakers call for a new treaty on cybercrime?", [], "All",
                               "All", "All", api_name="/turn")
    _, chat, *_ = page.predict("what about cultural property?", chat, "All", "All", "All",
                               api_name="/turn")
    assert _text(_answer(chat)).startswith("Understood as: Did speakers call for a new treaty on "
                                      "cultural property?")

    chat, sources, section, panel, *_ = page.predict(api_name=reset)
    assert chat == [] and "Sources of the answer appear here" in sources
    assert section == "All" and panel["value"] == "All"

    _, chat, *_ = page.predict("what about cultural property?", [], "All", "All", "All",
                               api_name="/turn")
    assert [m["role"] for m in chat].count("user") == 1
    assert "Understood as" not in _text(_answer(chat))


def _answer(chat: list[dict]) -> dict:
    """The last answer of a chat, not the sources folded under it."""
    return [m for m in chat if m["role"] == "assistant" and not (m.get("metadata") or {}).get("title")][-1]


def _text(message: dict) -> str:
    content = message["content"]
    return content if isinstance(content, str) else "".join(block["text"] for block in content)


def test_participants_are_read_from_the_report_with_where_it_says_so(client):
    people = {p["name"]: p for p in client.predict(api_name="/participants")}
    assert people["Jay Albanese"]["role"] == "moderator"
    polner = people["Mariya Polner"]
    assert polner["organization"] == "World Customs Organization"
    assert polner["named_in"] == [f"{SYMBOL}, para. 2"] and polner["presented_in"] == [f"{SYMBOL}, para. 18"]
    assert people["Roberto Rafael Campa Cifrián"]["role"] == "chair of the 4th meeting"


def test_every_text_font_the_page_loads_has_the_whole_alphabet(client):
    """A subset font (Gradio's Source Sans Pro at 600 has no lower case) mixes two fonts in a word."""
    root = client.src.rstrip("/")
    css = urllib.request.urlopen(f"{root}/theme.css").read().decode()
    fonts = [url for url in re.findall(r"url\('([^']+\.woff2)'\)", css) if "Mono" not in url]
    assert fonts
    for url in fonts:
        cmap = TTFont(io.BytesIO(urllib.request.urlopen(f"{root}/{url}").read())).getBestCmap()
        assert all(ord(letter) in cmap for letter in string.ascii_letters), url


def test_the_panel_filter_says_what_each_panel_was_about(client):
    config = json.loads(urllib.request.urlopen(client.src.rstrip("/") + "/config").read())
    menu = next(c["props"] for c in config["components"] if c.get("props", {}).get("label") == "Panel")
    assert ["Panel 2: cybercrime as an evolving form of crime", "Panel 2"] in menu["choices"]
    third = "Panel 3: trafficking in cultural property as an emerging form of crime"
    assert [third, "Panel 3"] in menu["choices"]
