"""The served app under concurrent use and attack: real servers on loopback, called with
gradio_client and httpx.

The only stand-in is the language model: a small OpenAI-compatible ``http.server`` thread started
here, which answers slowly and with markup, since no model can run here.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from gradio_client import Client

from tests.conftest import SYMBOL
from workshop_qa.eval.server import running_app

QUESTIONS = [
    "Who moderated the workshop?",
    "Did speakers call for a new treaty on cybercrime?",
    "What did the World Customs Organization panellist talk about?",
    "What is a good recipe for lasagne?",
    "para 16",
    "conclusion (c)",
]
HOSTILE = ("<script>alert('owned')</script>Jay Albanese, a criminologist and professor at Virginia "
           "Commonwealth University, moderated the workshop [para. 2].")
SLOW_SECONDS = 6.0


@pytest.fixture(scope="module")
def url(cli_env, tmp_path_factory):
    with running_app(cli_env, log=tmp_path_factory.mktemp("app") / "app.log") as address:
        yield address


@pytest.fixture
def auth_url(cli_env, tmp_path):
    with running_app(cli_env, "--auth", "delegate:s3cret", log=tmp_path / "app.log") as address:
        yield address


def ask_directly(url: str, question: str) -> dict:
    response = httpx.post(f"{url}gradio_api/run/ask", json={"data": [question, []]}, timeout=60)
    response.raise_for_status()
    return response.json()["data"][0]


def test_concurrent_requests_are_answered_as_one_client_alone_is(url):
    """Eight clients at once through the queue, and 48 direct requests at once.

    Each client asks its questions in turn: one client's concurrent submissions share one event
    stream, whose bookkeeping in gradio_client can drop a finished job under load.
    """
    def ask_in_turn(questions: list[str]) -> list[dict]:
        client = Client(url, verbose=False)
        return [client.predict(q, [], api_name="/ask") for q in questions]

    alone = dict(zip(QUESTIONS, ask_in_turn(QUESTIONS), strict=True))
    many = QUESTIONS * 8

    with ThreadPoolExecutor(16) as pool:
        direct = list(pool.map(lambda q: ask_directly(url, q), many))
        queued = [a for answers in pool.map(ask_in_turn, [QUESTIONS] * 8) for a in answers]
    assert direct == [alone[q] for q in many]
    assert queued == [alone[q] for q in many]


def test_the_direct_json_route_answers_in_one_request(url):
    answer = ask_directly(url, "para 12")
    assert answer["kind"] == "reference" and answer["citations"] == [f"{SYMBOL}#12"]


class SlowHostileModel(BaseHTTPRequestHandler):
    """Takes SLOW_SECONDS to answer, with a script before a supported sentence."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(SLOW_SECONDS)
        body = json.dumps({"choices": [{"message": {"content": HOSTILE}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def llm_url(cli_env, tmp_path_factory):
    model = ThreadingHTTPServer(("127.0.0.1", 0), SlowHostileModel)
    model.daemon_threads = True
    threading.Thread(target=model.serve_forever, daemon=True).start()
    env = {**cli_env, "WORKSHOP_QA_LLM_URL": f"http://127.0.0.1:{model.server_port}/v1",
           "WORKSHOP_QA_LLM_TIMEOUT": str(SLOW_SECONDS + 20)}
    try:
        with running_app(env, log=tmp_path_factory.mktemp("llm-app") / "app.log") as address:
            yield address
    finally:
        model.shutdown()


def test_a_slow_language_model_does_not_hold_other_users(llm_url):
    client = Client(llm_url, verbose=False)
    slow = client.submit("Who moderated the workshop?", [], api_name="/ask")
    time.sleep(0.5)
    for question in ("para 12", "conclusion (c)"):  # direct lookups never ask the model
        assert Client(llm_url, verbose=False).predict(question, [], api_name="/ask")["citations"]
    assert not slow.done(), "the other users waited for the slow model"
    assert slow.result(timeout=60)["kind"] == "generated"


def test_script_from_the_model_never_reaches_the_api(llm_url):
    answer = Client(llm_url, verbose=False).predict("Who moderated the workshop?", [],
                                                    api_name="/ask")
    assert answer["kind"] == "generated" and "Jay Albanese" in answer["answer"]
    assert "<" not in json.dumps(answer["answer"]) and "alert" not in answer["answer"]


def test_failed_logins_are_limited_per_client(auth_url):
    login = f"{auth_url}login"
    for _ in range(5):
        refused = httpx.post(login, data={"username": "delegate", "password": "guess"})
        assert refused.status_code == 400
    locked = httpx.post(login, data={"username": "delegate", "password": "s3cret"})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert locked.json()["detail"].startswith("Too many failed logins from this address: try again")
    with pytest.raises(Exception, match="Could not login"):  # gradio_client drops the reason
        Client(auth_url, auth=("delegate", "s3cret"), verbose=False)


def test_the_api_description_stays_behind_the_login(auth_url):
    with httpx.Client(base_url=auth_url) as browser:
        assert browser.get("openapi.json").status_code == 404
        assert browser.get("gradio_api/openapi.json").status_code == 401
        assert browser.post("gradio_api/run/ask", json={"data": ["para 12", []]}).status_code == 401
        assert browser.post("login", data={"username": "delegate", "password": "s3cret"}).is_success
        assert "/ask" in json.dumps(browser.get("gradio_api/openapi.json").json())
