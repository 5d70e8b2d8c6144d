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
from workshop_qa.app.guards import MAX_UPLOADS_PER_HOUR
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
def app_log(tmp_path_factory):
    return tmp_path_factory.mktemp("app") / "app.log"


@pytest.fixture(scope="module")
def url(cli_env, app_log):
    with running_app(cli_env, log=app_log) as address:
        yield address


@pytest.fixture
def auth_url(cli_env, tmp_path):
    with running_app(cli_env, "--auth", "delegate:s3cret", log=tmp_path / "app.log") as address:
        yield address


def ask_directly(url: str, question: str) -> dict:
    response = httpx.post(f"{url}gradio_api/run/ask", json={"data": [question, []]}, timeout=60)
    response.raise_for_status()
    return response.json()["data"][0]


def _same_but_id(answer: dict) -> dict:
    """The answer without its id, which every answer has of its own."""
    return {key: value for key, value in answer.items() if key != "answer_id"}


def test_concurrent_requests_are_answered_as_one_client_alone_is(url):
    """Eight clients at once through the queue, and 48 direct requests at once.

    Each client asks its questions in turn: one client's concurrent submissions share one event
    stream, whose bookkeeping in gradio_client can drop a finished job under load.
    """
    def ask_in_turn(questions: list[str]) -> list[dict]:
        client = Client(url, verbose=False)
        return [_same_but_id(client.predict(q, [], api_name="/ask")) for q in questions]

    alone = dict(zip(QUESTIONS, ask_in_turn(QUESTIONS), strict=True))
    many = QUESTIONS * 8

    with ThreadPoolExecutor(16) as pool:
        direct = list(pool.map(lambda q: _same_but_id(ask_directly(url, q)), many))
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
    assert locked.json()["detail"].startswith("Too many failed logins: try again")
    with pytest.raises(Exception, match="Could not login"):  # gradio_client drops the reason
        Client(auth_url, auth=("delegate", "s3cret"), verbose=False)


def test_the_api_description_stays_behind_the_login(auth_url):
    with httpx.Client(base_url=auth_url) as browser:
        assert browser.get("openapi.json").status_code == 404
        assert browser.get("gradio_api/openapi.json").status_code == 401
        assert browser.post("gradio_api/run/ask", json={"data": ["para 12", []]}).status_code == 401
        assert browser.post("login", data={"username": "delegate", "password": "s3cret"}).is_success
        assert "/ask" in json.dumps(browser.get("gradio_api/openapi.json").json())


def test_forged_forwarded_addresses_do_not_dodge_the_login_limit(auth_url):
    """Each guess claims another client address; the server believes no forwarded header."""
    login = f"{auth_url}login"
    for n in range(5):
        forged = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert httpx.post(login, data={"username": "delegate", "password": "guess"},
                          headers=forged).status_code == 400
    sixth = httpx.post(login, data={"username": "delegate", "password": "s3cret"},
                       headers={"X-Forwarded-For": "203.0.113.99"})
    assert sixth.status_code == 429


def test_failed_logins_are_limited_per_user_name_from_any_address(auth_url):
    """Guesses for one user name from five loopback addresses lock that name, not others."""
    login = f"{auth_url}login"

    def post(source: str, user: str, password: str) -> int:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=source)) as client:
            return client.post(login, data={"username": user, "password": password}).status_code

    assert [post(f"127.0.0.{n}", "delegate", "guess") for n in range(2, 7)] == [400] * 5
    assert post("127.0.0.7", "delegate", "s3cret") == 429
    assert post("127.0.0.8", "someone", "guess") == 400


def test_a_callers_mistake_is_a_400_with_its_message_and_one_log_line(url, app_log):
    """Wrong inputs to the direct JSON route: HTTP 400 and the reason, no traceback."""
    run = f"{url}gradio_api/run/"
    cases = [
        ("search", {"data": []}, "/search needs query"),
        ("search", {"data": ["customs", 99, None]}, "k must be from 1 to 50"),
        ("search", {"data": ["customs", 5, None, 1]}, "/search takes 3 inputs"),
        ("search", {"data": ["customs", 2, {"panel": 99}]}, "There is no panel 99"),
        ("ask", {"data": []}, "/ask needs question"),
        ("ask", {"question": "para 12"}, "Send {\"data\": [...]}"),
    ]
    for name, body, message in cases:
        response = httpx.post(run + name, json=body, timeout=60)
        assert response.status_code == 400 and message in response.json()["error"], (name, body)
    default_k = httpx.post(run + "search", json={"data": ["customs"]}, timeout=60)
    assert default_k.status_code == 200 and len(default_k.json()["data"][0]["hits"]) == 5
    log = app_log.read_text()
    assert "Traceback" not in log and log.count("HTTP 400") == len(cases)


def test_raw_uploads_are_capped_per_client(url):
    """Gradio's upload route stores any file; each client may send MAX_UPLOADS_PER_HOUR an hour."""
    statuses = [httpx.post(f"{url}gradio_api/upload", files={"files": ("a.txt", b"x")}).status_code
                for _ in range(MAX_UPLOADS_PER_HOUR + 1)]
    assert statuses == [200] * MAX_UPLOADS_PER_HOUR + [429]


def test_with_logins_every_api_route_needs_one(auth_url):
    """Gradio's cancel, reset and heartbeat routes answer no one who has not logged in."""
    with httpx.Client(base_url=auth_url, timeout=10) as stranger:
        for route in ("gradio_api/cancel", "gradio_api/reset", "gradio_api/heartbeat/x",
                      "gradio_api/upload"):
            method = stranger.get if "heartbeat" in route else stranger.post
            assert method(route).status_code == 401, route
