"""The chat app in a real Chromium page: answers, citations, reset, export, escaping, the report."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import SYMBOL
from workshop_qa.eval.server import running_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
USER = "#chat [data-testid='user']"  # Gradio 6's chatbot marks each message by its role
BOT = "#chat [data-testid='bot']:not(:has(.thought-group))"  # an answer, not its folded sources
TIMEOUT_MS = 60_000  # an answer on a 2-core machine, plus Gradio's queue


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's Chromium (Playwright cannot download its own here); skipped if missing, except in CI."""
    executable = shutil.which("chromium")
    if executable is None:
        reason = "Chromium is missing: install it with 'apt-get install chromium' (or 'make browser')."
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="module")
def app_url(cli_env, tmp_path_factory) -> str:
    """The real ``workshop-qa chat`` in a subprocess on a free loopback port."""
    with running_app(cli_env, log=tmp_path_factory.mktemp("browser-app") / "app.log") as url:
        yield url


@pytest.fixture
def page(chromium, app_url):
    """A fresh page on the app, in its own browser (so its own Gradio session)."""
    with _opened(chromium, app_url) as page:
        yield page


@contextlib.contextmanager
def _opened(chromium: str, url: str) -> Iterator:
    """A page on ``url`` in a browser of its own, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url, wait_until="load")
            page.locator("#question textarea").wait_for(state="visible")
            yield page
        finally:
            browser.close()


def _ask(page, question: str) -> None:
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")


def test_an_answer_cites_its_paragraph_and_the_link_flashes_the_source(page):
    from playwright.sync_api import expect

    _ask(page, "Who moderated the workshop?")
    answer = page.locator(BOT).filter(has_text="Jay Albanese")
    expect(answer).to_have_count(1, timeout=TIMEOUT_MS)
    link = answer.locator("a[href='#source-2']")
    expect(link).to_have_text("[para. 2]")
    expect(page.locator(USER)).to_have_text("Who moderated the workshop?")

    card = page.locator("#sources .source#source-2")
    expect(card).to_be_visible()
    expect(card.locator("mark").filter(has_text="moderated by Jay Albanese")).to_have_count(1)
    expect(card.locator(".citation")).to_have_text(f"{SYMBOL}, para. 2")
    expect(card.locator(".copy-citation")).to_have_attribute("data-citation", f"{SYMBOL}, para. 2")
    expect(card).not_to_have_class("source flash")

    url_before = page.url
    link.click()
    expect(card).to_have_class("source flash")
    assert page.url == url_before, "the citation link navigated instead of flashing its source"
    page.wait_for_timeout(800)  # let the smooth scroll settle before the screenshot
    expect(card).to_be_in_viewport()
    expect(card.locator("mark")).to_have_count(1)  # only the sentence the answer quotes
    assert "\\" not in answer.get_attribute("aria-label"), "a screen reader would hear escapes"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-answer.png"), full_page=True)

    page.get_by_role("tab", name="Report").click()
    paragraph = page.locator("#report #report-2")
    expect(paragraph).to_have_class("para marked")
    expect(paragraph).to_be_in_viewport()
    assert paragraph.bounding_box()["y"] >= 0, "the marked paragraph starts above the window"


def test_an_empty_or_over_long_question_is_explained_and_not_asked(page):
    from playwright.sync_api import expect

    box = page.locator("#question textarea")
    box.press("Enter")
    expect(page.locator("#status")).to_contain_text("The question is empty")
    too_long = "cybercrime " * 300
    box.fill(too_long)
    page.get_by_role("button", name="Ask", exact=True).click()
    expect(page.locator("#status")).to_contain_text("characters long")
    expect(box).to_have_value(too_long)
    expect(page.locator(USER)).to_have_count(0)
    expect(page.locator(BOT)).to_have_count(0)


def test_the_trash_icon_forgets_the_conversation(page):
    from playwright.sync_api import expect

    _ask(page, "Did speakers want a new treaty on cybercrime?")
    expect(page.locator(BOT)).to_have_count(1, timeout=TIMEOUT_MS)
    page.locator("#chat button[aria-label='Clear']").click()
    expect(page.locator(BOT)).to_have_count(0)
    expect(page.locator("#sources")).to_have_text("Sources of the answer appear here.")

    _ask(page, "what about cultural property?")
    expect(page.locator(BOT)).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator(BOT)).not_to_contain_text("Understood as")


def test_a_lookup_shows_its_start_and_the_export_has_full_citations(page):
    from playwright.sync_api import expect

    _ask(page, "para 16")
    answer = page.locator(BOT).filter(has_text="2199 (2015)")
    expect(answer).to_have_count(1, timeout=TIMEOUT_MS)
    page.wait_for_timeout(300)
    assert answer.bounding_box()["y"] >= page.locator("#chat").bounding_box()["y"], \
        "the start of the paragraph is scrolled out of view"

    for button, suffix in (("#export-markdown", ".md"), ("#export-text", ".txt")):
        with page.expect_download() as download:
            page.locator(button).click()
        assert download.value.suggested_filename.endswith(suffix)
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert "para 16" in text and f"{SYMBOL}, para. 16" in text and "2199 (2015)" in text
        assert "\\" not in text, "the export holds Markdown escapes"


def test_a_conversation_s_files_go_when_its_page_closes_and_all_go_when_the_app_stops(
        chromium, cli_env, tmp_path):
    from playwright.sync_api import expect

    env = {**cli_env, "TMPDIR": str(tmp_path)}  # where the app keeps the files to download
    with running_app(env, log=tmp_path / "app.log") as url:
        with _opened(chromium, url) as page:
            _ask(page, "para 16")
            expect(page.locator(BOT)).to_have_count(1, timeout=TIMEOUT_MS)
            expect(page.locator("#export-markdown")).to_be_enabled()
            kept = list(tmp_path.glob("workshop-qa-exports-*/*/conversation.md"))
            assert len(kept) == 1 and "2199 (2015)" in kept[0].read_text(encoding="utf-8")
        deadline = time.monotonic() + 30
        while kept[0].exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not kept[0].parent.exists(), "the closed page's conversation is still on disk"
        assert kept[0].parent.parent.exists()
    assert not list(tmp_path.glob("workshop-qa-exports-*")), "the stopped app left its folder behind"


def test_html_in_a_question_is_shown_as_text_and_never_runs(page):
    from playwright.sync_api import expect

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = "<img src=x onerror=alert(1)>"
    _ask(page, f"{payload} who chaired the 4th meeting?")

    user = page.locator(USER)
    expect(user).to_contain_text(payload, timeout=TIMEOUT_MS)
    # Wait for the reply too, so that anything the answer renders has had its chance to run.
    expect(page.locator(BOT)).to_have_count(1, timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)

    assert dialogs == []
    assert page.locator("#chat img[src='x']").count() == 0
    assert page.locator("#chat .message-content img").count() == 0, "a message holds an image"
    assert page.locator("img[src='x']").count() == 0, "the payload became an element elsewhere"
    assert payload in user.inner_text()


def test_the_report_tab_shows_every_paragraph(page):
    from playwright.sync_api import expect

    page.get_by_role("tab", name="Report").click()
    paragraph = page.locator("#report #report-16")
    expect(paragraph).to_be_visible()
    expect(paragraph).to_contain_text("2199 (2015)")
    expect(paragraph.locator("b")).to_have_text("16.")

    # The report is long: a full-page shot shrinks it past reading, so show paragraph 16 in place.
    paragraph.evaluate("element => element.scrollIntoView({block: 'center'})")
    expect(paragraph).to_be_in_viewport()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-report.png"))


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1400, 900)], ids=["phone", "desktop"])
def test_the_page_fits_the_screen_and_the_cited_passage_comes_before_the_filters(chromium, app_url,
                                                                                width, height):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(app_url, wait_until="load")
        page.locator("#question textarea").wait_for(state="visible")
        assert page.locator("#chat").bounding_box()["height"] < height / 2  # an empty chat is short
        _ask(page, "Was a new binding cybercrime instrument called for?")
        expect(page.locator("#sources .citation")).to_have_text(f"{SYMBOL}, para. 12")
        # The cited passage is folded under the answer too, its quoted sentence in bold.
        folded = page.locator("#chat .thought-group").last
        expect(folded).to_contain_text("Sources: para. 12")
        passage = "to enhance the global response to cybercrime"
        expect(folded).not_to_contain_text(passage)
        folded.get_by_text("Sources: para. 12").click()
        expect(folded.locator("strong", has_text=passage)).to_be_visible()
        assert folded.bounding_box()["y"] + folded.bounding_box()["height"] > 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"browser-{width}x{height}.png"), full_page=True)

        def top(selector: str) -> float:
            return page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().top"
                                 " + window.scrollY")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
        assert top("#sources") < top("#filters") or width > 640  # beside the chat on a wide screen
        assert top("#sources") < 2 * height
        page.get_by_role("tab", name="Participants").click()
        expect(page.locator("#participants td").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        cell = page.locator("#participants td").first
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= width
        page.screenshot(path=str(ARTIFACTS / f"browser-participants-{width}.png"), full_page=True)
        browser.close()
