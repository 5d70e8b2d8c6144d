"""Several reports in one index: references across documents, the document filter, reports added
in the running app, and cross-document confusions; real model, real indexes, a real server."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from fpdf import FPDF
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from tests.conftest import FIXTURES, REPORT, SYMBOL, run_cli
from tests.test_browser import ARTIFACTS, BOT, CHROMIUM_ARGS, TIMEOUT_MS, chromium  # noqa: F401
from tests.test_limits import inflating_docx
from tests.test_readers import CONGRESS
from tests.un_pdf import Masthead, write_un_pdf
from workshop_qa.app import validate
from workshop_qa.app.answer import Assistant
from workshop_qa.app.render import sources_message
from workshop_qa.app.server import uploads_allowed
from workshop_qa.app.settings import Settings
from workshop_qa.app.upload import SESSION_OWNER, Library, owner_key
from workshop_qa.eval.data import write_corpus
from workshop_qa.eval.multidoc import MULTIDOC_DIR, evaluate_documents, format_documents
from workshop_qa.eval.server import running_app
from workshop_qa.index.corpus import load_corpus
from workshop_qa.index.store import IndexSpec, open_index
from workshop_qa.retriever.search import Filters, Retriever

SECOND = "A/CONF.222/L.3/Add.9"
WORKSHOP9 = FIXTURES / "workshop9.pdf"
THIRD = "A/CONF.222/L.3/Add.7"
WORKSHOP7 = FIXTURES / "workshop7.txt"
BOTH = IndexSpec((REPORT, WORKSHOP9))


def ids(result) -> list[str]:
    return [hit.passage.id for hit in result.hits]


@pytest.fixture(scope="module")
def both_dir(index_dir, tmp_path_factory) -> Path:
    """A real index of the bundled report and the Add.9 fixture, grown from the session's index."""
    directory = tmp_path_factory.mktemp("both") / "index"
    shutil.copytree(index_dir, directory)
    open_index(BOTH, directory, notify=lambda _: None, progress=False)
    return directory


@pytest.fixture(scope="module")
def both(both_dir) -> Retriever:
    return Retriever.open(BOTH, both_dir, notify=lambda _: None)


@pytest.fixture(scope="module")
def both_env(cli_env, both_dir) -> dict[str, str]:
    return {**cli_env, "WORKSHOP_QA_INDEX": str(both_dir),
            "WORKSHOP_QA_CORPUS": f"{REPORT}:{WORKSHOP9}"}


def test_a_bare_paragraph_is_that_paragraph_of_each_document(both):
    result = both.search("para 2")
    assert result.direct_reference
    assert ids(result) == [f"{SYMBOL}#2", f"{SECOND}#2"]


@pytest.mark.parametrize(("query", "expected"), [
    ("Add.9 para 2", [f"{SECOND}#2"]),
    ("Add.1 para 16", [f"{SYMBOL}#16"]),
    ("A/CONF.222/L.3/Add.1, para. 16", [f"{SYMBOL}#16"]),
    ("add. 9, 6 (b)", [f"{SECOND}#6(b)"]),
    ("Add.9 conclusions", [f"{SECOND}#6", f"{SECOND}#6(a)", f"{SECOND}#6(b)"]),
])
def test_a_reference_naming_its_document_returns_only_that_documents_passages(both, query, expected):
    result = both.search(query)
    assert result.direct_reference and ids(result) == expected


def test_a_question_naming_a_document_is_answered_from_it(both):
    result = both.search("What did speakers in Add.9 say about the Organized Crime Convention?", k=3)
    assert not result.direct_reference
    assert {hit.passage.doc for hit in result.hits} == {SECOND}


def test_the_document_filter_takes_a_symbol_or_a_short_form(both):
    passages = both.index.passages
    assert validate.filters({"document": "Add.9"}, passages) == Filters(document=SECOND)
    assert validate.filters({"document": SYMBOL.lower()}, passages) == Filters(document=SYMBOL)
    result = both.search("Who moderated the workshop?", filters=validate.filters({"document": "Add.9"},
                                                                                  passages))
    assert ids(result)[0] == f"{SECOND}#2" and {h.passage.doc for h in result.hits} == {SECOND}
    with pytest.raises(validate.InputError, match=f"There is no document 'Add.5'.*{SECOND}"):
        validate.filters({"document": "Add.5"}, passages)


def test_ask_and_search_take_a_document_from_the_command_line(both_env):
    answer = json.loads(run_cli("ask", "Who moderated the workshop?", "--document", "Add.9", "--json",
                                env=both_env).stdout)
    assert answer["citations"] == [f"{SECOND}#2"] and "Okafor-Lindqvist" in answer["answer"]
    found = json.loads(run_cli("search", "moderated", "--document", SYMBOL, "--json",
                               env=both_env).stdout)
    assert found["hits"] and {hit["id"].split("#")[0] for hit in found["hits"]} == {SYMBOL}
    refused = run_cli("ask", "para 2", "--document", "Add.5", env=both_env, check=False)
    assert refused.returncode == 1 and "There is no document 'Add.5'" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_answers_cite_the_document_that_answers(both):
    scores = evaluate_documents(Assistant(both, Settings()), "test")
    second = scores["multi-document"]
    assert second["asked"] == 5 and second["answered"] >= 4
    assert second["right_document"] >= 0.8 and second["confusions"] <= 0.2
    assert scores["main"]["confusions"] <= 0.1
    assert scores["main"]["of_each"] <= 0.1  # "who led the workshop?": each report's answer
    assert "| multi-document | 5 |" in format_documents(scores, "test", 2)


def test_with_several_reports_each_quote_names_the_report_it_comes_from(both, retriever):
    answer = Assistant(both, Settings()).answer("Who moderated the workshop on fisheries crime?")
    assert answer.citations and all(f"[{citation.split('#')[0]}, para. " in answer.text
                                    for citation in answer.citations)
    assert "[para. 2]" in Assistant(retriever, Settings()).answer("Who moderated the workshop?").text
    folded = sources_message(answer, several=True)["metadata"]["title"]  # the sources under the answer
    assert all(f"{citation.split('#')[0]}, para. " in folded for citation in answer.citations)


def test_the_multi_document_set_is_judged_on_its_corpus(tmp_path):
    fresh = tmp_path / "corpus.jsonl"
    write_corpus([p for document in load_corpus((REPORT, WORKSHOP9)) for p in document.passages], fresh)
    assert fresh.read_text() == (MULTIDOC_DIR / "corpus.jsonl").read_text()
    rows = [json.loads(line) for line in fresh.read_text().splitlines()]
    assert {row["doc"] for row in rows} == {SYMBOL, SECOND}
    judged = {line.split("\t")[1] for split in ("dev", "test")
              for line in (MULTIDOC_DIR / "qrels" / f"{split}.tsv").read_text().splitlines()[1:]}
    assert judged <= {row["_id"] for row in rows}


@pytest.mark.parametrize(("choice", "auth", "host", "allowed"), [
    (None, False, "127.0.0.1", True), (None, False, "0.0.0.0", False), (None, True, "0.0.0.0", True),
    (True, False, "0.0.0.0", True), (False, False, "127.0.0.1", False),
])
def test_uploads_are_off_by_default_beyond_this_machine_without_a_login(choice, auth, host, allowed):
    assert uploads_allowed(choice, auth, host) is allowed


@pytest.fixture(scope="module")
def upload_env(cli_env, index_dir, tmp_path_factory) -> dict[str, str]:
    """A copy of the session's one-report index that the app may add reports to."""
    directory = tmp_path_factory.mktemp("uploads") / "index"
    shutil.copytree(index_dir, directory)
    return {**cli_env, "WORKSHOP_QA_INDEX": str(directory)}


@pytest.fixture(scope="module")
def app_client(upload_env, tmp_path_factory):
    with running_app(upload_env, log=tmp_path_factory.mktemp("upload-app") / "app.log") as url:
        yield Client(url, verbose=False)


def add(client: Client, path: Path) -> str:
    """Upload ``path`` in the Upload tab; the final status message, or the error it was refused with."""
    try:
        status, *_ = client.predict(handle_file(str(path)), api_name="/add_report")
    except AppError as error:
        return f"refused: {error}"
    return status


def test_an_added_report_is_searchable_by_its_owner_only_who_can_list_and_remove_it(app_client, upload_env):
    assert f"{SECOND}#2" not in app_client.predict("Add.9 para 2", [], api_name="/ask")["citations"]
    adding = app_client.submit(handle_file(str(WORKSHOP9)), api_name="/add_report")
    while not adding.outputs():
        time.sleep(0.1)
    # Indexing goes on in the background: questions are answered meanwhile, from the old index.
    assert app_client.predict("para 16", [], api_name="/ask")["citations"] == [f"{SYMBOL}#16"]
    progress = adding.outputs()[-1][0]  # "checked and waits", then "Indexing ... N s so far"
    assert not adding.done() and SECOND in progress and "is indexed" not in progress
    status, *_ = adding.result(timeout=300)
    assert f"{SECOND} is indexed and searchable: 9 passages" in status
    answer = app_client.predict("Add.9 para 2", [], api_name="/ask")
    assert answer["citations"] == [f"{SECOND}#2"] and "Okafor-Lindqvist" in answer["answer"]
    assert app_client.predict("para 2", [], api_name="/ask")["citations"] == [f"{SYMBOL}#2",
                                                                               f"{SECOND}#2"]
    found = app_client.predict("fisheries", 3, {"document": "Add.9"}, api_name="/search")
    assert {hit["id"].split("#")[0] for hit in found["hits"]} == {SECOND}
    assert [r["symbol"] for r in app_client.predict(api_name="/reports")] == [SECOND]
    assert f"workshop9.pdf has the same text as {SECOND}" in add(app_client, WORKSHOP9)

    # Another user (another browser session here) neither searches nor lists it.
    other = Client(app_client.src, verbose=False)
    assert other.predict("para 2", [], api_name="/ask")["citations"] == [f"{SYMBOL}#2"]
    assert other.predict(api_name="/reports") == []
    with pytest.raises(AppError, match="You have added no report"):
        other.predict(SECOND, api_name="/remove_report")
    shared = run_cli("ask", "Add.9 para 2", "--json", env=upload_env)  # nor does the shared index
    assert f"{SECOND}#2" not in json.loads(shared.stdout)["citations"]

    status, *_ = app_client.predict(SECOND, api_name="/remove_report")
    assert f"{SECOND} is removed" in status
    assert app_client.predict("para 2", [], api_name="/ask")["citations"] == [f"{SYMBOL}#2"]
    assert app_client.predict(api_name="/reports") == []


def test_a_copy_of_a_searched_report_is_refused_whatever_its_format_or_name(app_client, tmp_path):
    copy = tmp_path / "draft-v2.txt"
    copy.write_bytes(REPORT.read_bytes())
    assert f"draft-v2.txt has the same text as {SYMBOL}" in add(app_client, copy)
    assert app_client.predict(api_name="/reports") == []


def test_a_file_that_is_not_a_report_is_refused_with_the_reason(app_client, tmp_path):
    fake = tmp_path / "minutes.pdf"
    fake.write_bytes(b"\xff\xd8\xff\xe0JFIF photo, not a PDF")
    assert add(app_client, fake).startswith("refused: ")  # an error to API clients, not a status
    assert "minutes.pdf: not UTF-8 text" in add(app_client, fake)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n")
    assert "broken.pdf is not a readable PDF" in add(app_client, broken)
    assert "not_a_report.txt: no numbered paragraphs found" in add(app_client,
                                                                  FIXTURES / "not_a_report.txt")
    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 100, 150, style="F")  # an image of a page, without a text layer
    scan.output(str(tmp_path / "scan.pdf"))
    assert "scan.pdf has no text layer (a scanned PDF?)" in add(app_client, tmp_path / "scan.pdf")


def test_an_inflating_word_file_is_refused_and_a_long_text_of_short_lines_indexed_within_a_minute(
        app_client, tmp_path):
    """Both are read in a child process, the second also indexed; the app answers meanwhile."""
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(inflating_docx(200 * 2**20))
    short = tmp_path / "short.txt"  # one numbered paragraph of 600 KB, made of short lines
    short.write_text("1. Start.\n\n" + "".join(f"Line {n}\n\n" for n in range(600 * 1024 // 8)))
    started = time.monotonic()
    adding = [app_client.submit(handle_file(str(path)), api_name="/add_report") for path in (bomb, short)]
    answer = Client(app_client.src, verbose=False).predict("para 16", [], api_name="/ask")
    assert answer["citations"] == [f"{SYMBOL}#16"]
    with pytest.raises(AppError, match="a report may unpack to at most 32 MB"):
        adding[0].result(timeout=60)
    status = adding[1].result(timeout=60)[0]
    assert time.monotonic() - started < 60
    assert "short is indexed and searchable: 1 passages" in status


@pytest.mark.browser
def test_a_report_added_in_the_page_gets_a_document_menu_and_its_own_report_tab(
        chromium, cli_env, index_dir, tmp_path):  # noqa: F811 (the fixture imported above)
    from playwright.sync_api import expect, sync_playwright

    shutil.copytree(index_dir, tmp_path / "index")
    env = {**cli_env, "WORKSHOP_QA_INDEX": str(tmp_path / "index")}
    with running_app(env, log=tmp_path / "app.log") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url, wait_until="load")
        expect(page.locator("#document-filter")).to_be_hidden()
        page.get_by_role("tab", name="Upload").click()
        page.locator("#report-upload input[type=file]").set_input_files(str(WORKSHOP9))
        expect(page.locator("#upload-status")).to_contain_text(f"{SECOND} is indexed and searchable",
                                                               timeout=180_000)
        expect(page.get_by_text("Ask 2 reports")).to_be_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "browser-upload.png"))

        page.get_by_role("tab", name="Ask").click()
        page.locator("#document-filter input").click()
        page.get_by_role("option", name=f"{SECOND}: Report of Committee II: workshop 9").click()
        box = page.locator("#question textarea")
        box.fill("Who moderated the workshop?")
        box.press("Enter")
        expect(page.locator(BOT).filter(has_text="Okafor-Lindqvist")).to_have_count(1)
        expect(page.locator("#sources .citation")).to_have_text(f"{SECOND}, para. 2")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(ARTIFACTS / "browser-documents.png"), full_page=True)
        page.get_by_role("tab", name="Report").click()
        expect(page.locator("#report h2")).to_have_text(SECOND)  # the document the answer cites
        expect(page.locator("#report")).not_to_contain_text("Jay Albanese")
        browser.close()


def test_with_logins_a_report_is_its_owners_across_a_restart_and_gone_once_removed(upload_env, tmp_path):
    env = {**upload_env, "WORKSHOP_QA_INDEX": str(tmp_path / "index")}
    shutil.copytree(upload_env["WORKSHOP_QA_INDEX"], tmp_path / "index")
    logins = ("--auth", "alice:correct-horse-1,bob:battery-staple-2")
    with running_app(env, *logins, log=tmp_path / "app.log") as url:
        alice = Client(url, auth=("alice", "correct-horse-1"), verbose=False)
        bob = Client(url, auth=("bob", "battery-staple-2"), verbose=False)
        status, *_ = alice.predict(handle_file(str(WORKSHOP9)), api_name="/add_report")
        assert f"{SECOND} is indexed and searchable" in status
        assert alice.predict("Add.9 para 2", [], api_name="/ask")["citations"] == [f"{SECOND}#2"]
        seen_by_bob = bob.predict("Add.9 para 2", [], api_name="/ask")
        assert SECOND not in " ".join(seen_by_bob["citations"]) + seen_by_bob["answer"]
        assert bob.predict("fisheries", 5, None, api_name="/search")["hits"][0]["id"].startswith(SYMBOL)
        assert bob.predict(api_name="/reports") == []
    with running_app(env, *logins, log=tmp_path / "again.log") as url:  # a restart
        alice = Client(url, auth=("alice", "correct-horse-1"), verbose=False)
        bob = Client(url, auth=("bob", "battery-staple-2"), verbose=False)
        assert [r["symbol"] for r in alice.predict(api_name="/reports")] == [SECOND]
        assert alice.predict("Add.9 para 2", [], api_name="/ask")["citations"] == [f"{SECOND}#2"]
        assert f"{SECOND}#2" not in bob.predict("Add.9 para 2", [], api_name="/ask")["citations"]
        status, *_ = alice.predict(SECOND, api_name="/remove_report")
        assert f"{SECOND} is removed" in status
        assert f"{SECOND}#2" not in alice.predict("Add.9 para 2", [], api_name="/ask")["citations"]
        assert alice.predict(api_name="/reports") == []


def test_a_stopped_servers_session_reports_are_swept_and_the_latest_owner_kept_open(upload_env, tmp_path):
    """Two owners' reports: a login's and a browser session's, with one owner's assistant kept
    open; a new library (the next start of the server) removes the session's, as its session
    ended with the server, and keeps the login's."""
    shutil.copytree(upload_env["WORKSHOP_QA_INDEX"], tmp_path / "index")
    settings = Settings(index_dir=tmp_path / "index")
    shared = Assistant(Retriever.open(settings.index_spec, settings.index_dir, config=settings.retrieval),
                       settings)
    library = Library(shared, settings, notify=lambda line: None, kept=1)
    session = f"{SESSION_OWNER}a-browser-tab"
    for owner in ("alice", session):
        job = library.add(WORKSHOP9, "workshop9.pdf", owner)
        while not job.done:
            time.sleep(0.2)
        assert job.error is None
    opened = [library.assistant(owner) for owner in ("alice", session, "alice")]
    assert opened[2] is not opened[0]  # closed for the session's turn, opened again from disk
    for assistant in opened:
        assert assistant.answer("Add.9 para 2").citations == (f"{SECOND}#2",)
    assert library.assistant("bob") is shared
    owned = {owner: settings.for_owner(owner_key(owner)) for owner in ("alice", session)}
    assert all(Path(s.index_dir).is_dir() and s.added_dir.is_dir() for s in owned.values())

    again = Library(shared, settings, notify=lambda line: None)  # the server started again
    assert not Path(owned[session].index_dir).exists() and not owned[session].added_dir.exists()
    assert again.assistant(session) is shared
    assert [r["symbol"] for r in again.reports("alice")] == [SECOND]


def test_a_question_about_the_workshop_is_answered_from_each_report_that_answers_it(both):
    answer = Assistant(both, Settings()).answer("Who was the workshop's moderator?")
    assert {f"{SYMBOL}#2", f"{SECOND}#2"} <= set(answer.citations)
    lines = answer.text.splitlines()
    assert [line.split(":")[0] for line in lines] == [answer.citations[0].split("#")[0],
                                                      answer.citations[-1].split("#")[0]]
    assert "Jay Albanese" in answer.text and "Okafor-Lindqvist" in answer.text
    one = Assistant(both, Settings()).answer("What did speakers say about fisheries crime?")
    assert {citation.split("#")[0] for citation in one.citations} == {SECOND}


def test_two_un_reports_answer_from_the_one_that_holds_it_whether_built_or_added(upload_env, tmp_path):
    """Both reports printed as UN documents (masthead, running heads, footers): the index built from
    the two PDFs and the app's index after one is uploaded answer alike, from the second report."""
    main, wildlife = tmp_path / "workshop3.pdf", tmp_path / "workshop7.pdf"
    write_un_pdf(REPORT.read_text(encoding="utf-8"), Masthead(SYMBOL, CONGRESS), main)
    write_un_pdf(WORKSHOP7.read_text(encoding="utf-8"),
                 Masthead(THIRD, CONGRESS, date="18 April 2015", job_number="GE.15-07700"), wildlife)
    question = "Who spoke about the illegal ivory trade?"
    built = run_cli("ask", question, "--json", "--corpus", str(main), str(wildlife),
                    "--index", str(tmp_path / "both"), env=upload_env)
    assert json.loads(built.stdout)["citations"][0] == f"{THIRD}#3"
    env = {**upload_env, "WORKSHOP_QA_INDEX": str(tmp_path / "index")}
    shutil.copytree(upload_env["WORKSHOP_QA_INDEX"], tmp_path / "index")
    with running_app(env, log=tmp_path / "app.log") as url:
        client = Client(url, verbose=False)
        assert f"{THIRD} is indexed and searchable" in add(client, wildlife)
        assert client.predict(question, [], api_name="/ask")["citations"][0] == f"{THIRD}#3"
