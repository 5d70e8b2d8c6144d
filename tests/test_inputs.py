"""Bad input at every entry point: the command line, the API and the page each answer with one
sentence for a person (asserted word for word), never a traceback, a Python class name or
``{"error": null}``; the inputs that can be understood are answered.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from tests.conftest import SYMBOL, run_cli
from tests.test_browser import CHROMIUM_ARGS, TIMEOUT_MS, chromium  # noqa: F401 (a fixture)
from workshop_qa.eval.server import running_app

NOT_TEXT = "contains characters that are not valid text; type it again."
NOTHING = "Nothing to search for in '{}': ask about the report, or type 'para 12'."
EMPTY = "The question is empty: type a question about the report, or 'para 12'."
TOO_LONG = "The question is 100,000 characters long; ask in at most 2,000."
EXAMPLE = '{"_id": "q1", "text": "Who spoke for customs?"}'
LONE_SURROGATE = os.fsdecode("\ud800 who".encode("utf-8", "surrogatepass"))  # as argv carries it
FOLLOW_UPS = ["Did speakers call for a new treaty on cybercrime?"] + ["and then?"] * 1500
SECTIONS = "Conclusions, General discussion, Header, Proceedings"


def refused(*args: str, env: dict[str, str]) -> str:
    """The one line the command prints when it refuses, without its ``workshop-qa:`` prefix."""
    process = run_cli(*args, env=env, check=False)
    assert process.returncode == 1, process.stdout + process.stderr
    assert "Traceback" not in process.stderr
    lines = process.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("workshop-qa: "), process.stderr
    return lines[0].removeprefix("workshop-qa: ")


# --- The command line: refused before the index or the model loads -------------------------------

@pytest.mark.parametrize(("args", "variables", "message"), [
    (["ask", os.fsdecode(b"\xff\xfe who moderated?")], {}, f"The question {NOT_TEXT}"),
    (["ask", LONE_SURROGATE], {}, f"The question {NOT_TEXT}"),
    (["search", os.fsdecode(b"customs \xc3")], {}, f"The question {NOT_TEXT}"),
    (["ask", "what about it?", "--history", "treaty", os.fsdecode(b"\xff")], {},
     f"Turn 2 of the history {NOT_TEXT}"),
    (["ask", "what about it?", "--history", "x" * 5000], {},
     "Turn 1 of the history is 5,000 characters long; ask in at most 2,000."),
    (["ask", "-k", "0", "para 12"], {}, "k must be from 1 to 50; 0 was given."),
    (["ask", "-k", "1000", "para 12"], {}, "k must be from 1 to 50; 1000 was given."),
    (["ask", "-k", "five", "para 12"], {}, "k must be a whole number from 1 to 50, not 'five'."),
    (["search", "-k", "-1", "customs"], {}, "k must be from 1 to 50; -1 was given."),
    (["search", "--threads", "0", "customs"], {},
     "The number of threads must be from 1 to 64; 0 was given."),
    (["ask", "Who moderated the workshop?", "--llm-url", "::::"], {},
     "--llm-url must be an http:// or https:// address such as http://127.0.0.1:11434/v1, not '::::'."),
    (["ask", "Who moderated the workshop?", "--llm-url", "localhost:11434"], {},
     "--llm-url must be an http:// or https:// address such as http://127.0.0.1:11434/v1, "
     "not 'localhost:11434'."),
    (["ask", "para 12"], {"WORKSHOP_QA_LLM_URL": "ftp://example.org"},
     "WORKSHOP_QA_LLM_URL must be an http:// or https:// address such as "
     "http://127.0.0.1:11434/v1, not 'ftp://example.org'."),
    (["ask", "para 12"], {"WORKSHOP_QA_LLM_TIMEOUT": "abc"},
     "WORKSHOP_QA_LLM_TIMEOUT must be a number of seconds above 0 and at most 3600, such as 30, "
     "not 'abc'."),
    (["ask", "para 12"], {"WORKSHOP_QA_LLM_TIMEOUT": "0"},
     "WORKSHOP_QA_LLM_TIMEOUT must be a number of seconds above 0 and at most 3600, such as 30, "
     "not '0'."),
    (["ask", "para 12"], {"WORKSHOP_QA_LLM_TIMEOUT": "nan"},
     "WORKSHOP_QA_LLM_TIMEOUT must be a number of seconds above 0 and at most 3600, such as 30, "
     "not 'nan'."),
    (["chat"], {"WORKSHOP_QA_AUTH": "delegate"},
     "Malformed credentials 'delegate': write USER:PASSWORD."),
    (["chat", "--port", "99999"], {}, "The port must be from 1 to 65535; 99999 was given."),
    (["chat", "--port", "http"], {}, "The port must be a whole number from 1 to 65535, not 'http'."),
], ids=["question-not-utf8", "question-lone-surrogate", "query-not-utf8", "history-not-utf8",
        "history-too-long", "k-0", "k-1000", "k-word", "k-negative", "threads-0", "llm-url-colons",
        "llm-url-no-scheme", "llm-url-variable-ftp", "timeout-abc", "timeout-0", "timeout-nan",
        "auth-malformed", "port-99999", "port-word"])
def test_the_command_refuses_a_bad_flag_in_one_line_before_loading_anything(
        args, variables, message, cli_env, tmp_path):
    unbuilt = tmp_path / "index"
    env = {**cli_env, "WORKSHOP_QA_INDEX": str(unbuilt), **variables}
    assert refused(*args, env=env) == message
    assert not unbuilt.exists(), "the index was loaded (built) before the input was checked"


def test_a_port_in_use_is_refused_in_a_second_not_after_the_start_up(cli_env, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        message = refused("chat", "--port", str(port), "--index", str(tmp_path / "index"),
                          env=cli_env)
    assert message == (f"Cannot listen on 127.0.0.1 port {port}: Address already in use; choose "
                       "another --port or --host.")
    assert time.monotonic() - started < 15 and not (tmp_path / "index").exists()


# --- The command line: queries files ----------------------------------------------------------

@pytest.mark.parametrize(("content", "message"), [
    (b'{"_id": "q1"}\n', f'Line 1 of {{path}} has no "text": write one JSON object a line, such as '
                         f"{EXAMPLE}."),
    (b'{"text": "Who moderated the workshop?"}\n',
     f'Line 1 of {{path}} has no "_id": write one JSON object a line, such as {EXAMPLE}.'),
    (b'{"_id": "q1", "text": "para 12"}\n{"_id": "q2", "text": "caf\xe9"}\n',
     "Line 2 of {path} is not UTF-8 text: save the file as UTF-8."),
    (b"q1\tWho moderated the workshop?\n",
     f"Line 1 of {{path}} is not a JSON object: write one a line, such as {EXAMPLE}."),
    (b'["q1", "Who moderated the workshop?"]\n',
     f"Line 1 of {{path}} is not a JSON object: write one a line, such as {EXAMPLE}."),
    (b'{"_id": "q1", "text": 12}\n', "Line 1 of {path}: the question must be text, not a number."),
    (b'{"_id": "q1", "text": "\\ud800 who"}\n', f"Line 1 of {{path}}: the question {NOT_TEXT}"),
    (b'{"_id": "q1", "text": "  "}\n', 'Line 1 of {path} has an empty "text": write the question there.'),
    (b'{"_id": "q1", "text": "what about it?", "history": "treaty"}\n',
     "Line 1 of {path}: the history must be a list of earlier questions, not a single text."),
    (b'{"_id": "q1", "text": "para 12"}\n\n{"_id": "q1", "text": "para 13"}\n',
     "Line 3 of {path} repeats the _id 'q1' of line 1: give each query its own."),
    (b"\n\n", f"{{path}} holds no queries: write one JSON object a line, such as {EXAMPLE}."),
    (b"[" * 100_000 + b"\n",
     f"Line 1 of {{path}} is not a JSON object: write one a line, such as {EXAMPLE}."),
], ids=["no-text", "no-id", "not-utf8", "tsv", "json-list", "text-number", "surrogate", "blank-text",
        "history-string", "repeated-id", "empty", "deeply-nested"])
@pytest.mark.parametrize("command", ["ask", "search"])
def test_a_bad_queries_file_is_named_with_its_line(command, content, message, cli_env, tmp_path):
    path = tmp_path / "queries.jsonl"
    path.write_bytes(content)
    unbuilt = tmp_path / "index"
    args = ["--run", str(tmp_path / "run.trec")] if command == "search" else []
    assert refused(command, "--queries", str(path), *args, "--index", str(unbuilt),
                   env=cli_env) == message.replace("{path}", str(path))
    assert not unbuilt.exists()


def test_a_queries_folder_or_a_missing_file_is_refused(cli_env, tmp_path):
    assert refused("ask", "--queries", str(tmp_path), env=cli_env) == (
        f"{tmp_path} is a folder, not a queries file: give the path of a .jsonl file.")
    assert refused("ask", "--queries", str(tmp_path / "nope.jsonl"), env=cli_env) == (
        f"There is no queries file {tmp_path / 'nope.jsonl'}.")


def test_a_run_file_that_cannot_be_written_is_refused_before_searching(cli_env, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"_id": "q1", "text": "para 12"}\n')
    assert refused("search", "--queries", str(queries), "--run", str(tmp_path), env=cli_env) == (
        f"Cannot write the run file {tmp_path}: give a file name in a folder that exists, such as "
        "run.trec.")


def test_an_unsearchable_query_in_a_file_is_reported_and_the_others_answered(cli_env, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text('{"_id": "q1", "text": "?"}\n{"_id": "q2", "text": "para 12"}\n')
    process = run_cli("ask", "--queries", str(queries), env=cli_env, check=False)
    assert process.returncode == 1 and "Traceback" not in process.stderr
    assert process.stderr.splitlines() == [f"workshop-qa: query q1: {NOTHING.format('?')}"]
    assert [json.loads(line)["id"] for line in process.stdout.splitlines()] == ["q2"]


def test_the_evaluation_reads_its_queries_through_the_app_reader():
    from workshop_qa.app.queries import read_queries
    from workshop_qa.eval.data import DATA_DIR, load_queries

    read = read_queries(DATA_DIR / "queries.jsonl")
    assert [(q.id, q.text, q.history) for q in load_queries()] == [(q.id, q.text, q.history) for q in read]


# --- The command line: questions that reach the retriever -------------------------------------

STDIN_LINES = {
    "?": NOTHING.format("?"),
    "the": NOTHING.format("the"),
    "and then?": NOTHING.format("and then?"),
    "?!?...;;;": NOTHING.format("?!?...;;;"),
    "\udced\udca0\udc80 who": f"The question {NOT_TEXT}",
    "\udcff\udcfe who moderated?": f"The question {NOT_TEXT}",
    "x " * 50_000: "The question is 99,999 characters long; ask in at most 2,000.",
}


@pytest.fixture(scope="module")
def stdin_answers(cli_env) -> subprocess.CompletedProcess:
    """One ``ask`` reading every bad line, then a good one, from standard input."""
    lines = [*STDIN_LINES, "para 12"]
    data = "".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape")
    return subprocess.run([sys.executable, "-m", "workshop_qa.app.cli", "ask", "--json"],
                          env=cli_env, input=data, capture_output=True, timeout=300)


@pytest.mark.parametrize("line", list(STDIN_LINES), ids=range(len(STDIN_LINES)))
def test_each_bad_line_of_standard_input_gets_its_message(stdin_answers, line):
    errors = stdin_answers.stderr.decode().splitlines()
    assert "Traceback" not in stdin_answers.stderr.decode()
    assert errors[list(STDIN_LINES).index(line)] == f"workshop-qa: {STDIN_LINES[line]}"


def test_after_the_bad_lines_the_good_one_is_answered(stdin_answers):
    assert stdin_answers.returncode == 1
    answers = [json.loads(line) for line in stdin_answers.stdout.decode().splitlines()]
    assert [a["citations"] for a in answers] == [[f"{SYMBOL}#12"]]


@pytest.mark.parametrize("question", ["?", "\t \n"])
def test_a_question_with_nothing_to_search_is_one_line(question, cli_env):
    expected = NOTHING.format("?") if question == "?" else EMPTY
    assert refused("ask", question, env=cli_env) == expected


def test_a_history_of_1500_follow_ups_is_answered_on_the_command_line(cli_env):
    output = run_cli("ask", "what about cultural property?", "--json", "--history", *FOLLOW_UPS,
                     env=cli_env).stdout
    assert json.loads(output)["citations"]


# --- The API, called with gradio_client -----------------------------------------------------------

@pytest.fixture(scope="module")
def app_url(cli_env, tmp_path_factory) -> str:
    """One real server for the API and the page cases of this module."""
    with running_app(cli_env, log=tmp_path_factory.mktemp("inputs-app") / "app.log") as url:
        yield url


@pytest.fixture(scope="module")
def client(app_url) -> Client:
    return Client(app_url, verbose=False)


API_REFUSALS = [
    ("/ask", ("?", []), NOTHING.format("?")),
    ("/ask", ("the", []), NOTHING.format("the")),
    ("/ask", ("and then?", []), NOTHING.format("and then?")),
    ("/ask", ("?!?...;;;", []), NOTHING.format("?!?...;;;")),
    ("/ask", (5, []), "The question must be text, not a number."),
    ("/ask", (None, []), "The question must be text, not nothing."),
    ("/ask", (["Who moderated the workshop?"], []), "The question must be text, not a list."),
    ("/ask", ({"text": "para 12"}, []), "The question must be text, not an object."),
    ("/ask", ("x" * 100_000, []), TOO_LONG),
    ("/ask", (" \t\n ", []), EMPTY),
    ("/ask", ("what about it?", [1, 2]), "Turn 1 of the history must be text, not a number."),
    ("/ask", ("what about it?", ["treaty", None]), "Turn 2 of the history must be text, not nothing."),
    ("/ask", ("what about it?", 7), "The history must be a list of earlier questions, not a number."),
    ("/ask", ("what about it?", "Did speakers call for a new treaty?"),
     "The history must be a list of earlier questions, not a single text."),
    ("/ask", ("what about it?", {"0": "treaty"}),
     "The history must be a list of earlier questions, not an object."),
    ("/search", ("?", 5, None), NOTHING.format("?")),
    ("/search", ("customs", -1, None), "k must be from 1 to 50; -1 was given."),
    ("/search", ("customs", 0, None), "k must be from 1 to 50; 0 was given."),
    ("/search", ("customs", 51, None), "k must be from 1 to 50; 51 was given."),
    ("/search", ("customs", 2.5, None), "k must be a whole number from 1 to 50, not 2.5."),
    ("/search", ("customs", True, None), "k must be a whole number from 1 to 50, not True."),
    ("/search", ("customs", "five", None), "k must be a whole number from 1 to 50, not 'five'."),
    ("/search", ("customs", 3, {"colour": "red", "speaker": "Polner"}),
     "Unknown filter 'colour', 'speaker': use section, panel, meeting, document."),
    ("/search", ("customs", 3, {"section": 5}),
     f"There is no section 5 in the report: choose one of {SECTIONS}."),
    ("/search", ("customs", 3, {"section": "Annex"}),
     f"There is no section 'Annex' in the report: choose one of {SECTIONS}."),
    ("/search", ("customs", 3, {"panel": 99}),
     "There is no panel 99 in the report: choose one of 1, 2, 3, 4."),
    ("/search", ("customs", 3, {"panel": "four"}),
     "There is no panel 'four' in the report: choose one of 1, 2, 3, 4."),
    ("/search", ("customs", 3, {"meeting": 9}),
     "There is no meeting 9 in the report: choose one of 4, 5, 6."),
    ("/search", ("customs", 3, {"document": "A/70/1"}),
     f"There is no document 'A/70/1' in the index: choose one of {SYMBOL}."),
    ("/search", ("customs", 3, {"panel": 4, "section": "Conclusions"}),
     "No paragraph is in panel 4 and section Conclusions at once: those filters exclude each "
     "other, so choose one of them."),
    ("/search", ("customs", 3, "panel 4"),
     'Filters must be an object such as {"panel": 4}, not a single text.'),
]


@pytest.mark.parametrize(("api_name", "args", "message"), API_REFUSALS,
                         ids=[f"{a[0]}-{i}" for i, a in enumerate(API_REFUSALS)])
def test_the_api_refuses_with_the_message_gradio_client_shows(client, api_name, args, message):
    with pytest.raises(AppError) as refusal:
        client.predict(*args, api_name=api_name)
    assert refusal.value.message == message


@pytest.mark.parametrize(("data", "message"), [
    (["\ud800 who", []], f"The question {NOT_TEXT}"),
    (["what about it?", ["treaty \udfff"]], f"Turn 1 of the history {NOT_TEXT}"),
])
def test_a_lone_surrogate_in_json_is_refused_by_the_json_route(app_url, data, message):
    # gradio_client cannot encode a lone surrogate; a client that escapes it in JSON can send it.
    response = httpx.post(f"{app_url}gradio_api/run/ask", content=json.dumps({"data": data}),
                          headers={"Content-Type": "application/json"}, timeout=60)
    assert response.json()["error"] == message


def test_a_history_of_1500_follow_ups_is_answered_not_a_recursion_error(client):
    answer = client.predict("what about cultural property?", FOLLOW_UPS, api_name="/ask")
    assert answer["citations"] and answer["answer"]


@pytest.mark.parametrize("k", [None, "5"])
def test_k_given_as_nothing_or_as_digits_is_understood(client, k):
    result = client.predict("customs and cultural heritage", k, None, api_name="/search")
    assert len(result["hits"]) == 5 and result["hits"][0]["id"] == f"{SYMBOL}#18"


def test_a_panel_given_as_text_is_that_panel(client):
    result = client.predict("customs and cultural heritage", 3, {"panel": "4"}, api_name="/search")
    assert [hit["panel"] for hit in result["hits"]] == [4, 4, 4]


# --- The page, in Chromium ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def page(chromium, app_url):  # noqa: F811 (the fixture imported above)
    """One Chromium page on the module's server, for every page case."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(app_url, wait_until="load")
            page.locator("#question textarea").wait_for(state="visible")
            yield page
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize("question", ["?", "and then?", "?!?...;;;"])
def test_the_page_explains_a_question_with_nothing_to_search(page, question):
    from playwright.sync_api import expect

    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    expect(page.locator("#status")).to_have_text(NOTHING.format(question))
    expect(box).to_have_value(question)
    expect(page.locator("#chat [data-testid='user']")).to_have_count(0)
