"""The chat app: conversation, sources with the quoted sentences, the report, and a JSON API."""

from __future__ import annotations

import hashlib
import html
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import gradio as gr

from workshop_qa.app import validate
from workshop_qa.app.answer import Answer, Assistant, hit_json, participant_json
from workshop_qa.app.export import write_transcripts
from workshop_qa.app.render import (
    answer_message,
    literal,
    participants_html,
    report_html,
    sources_html,
    sources_message,
)
from workshop_qa.app.upload import MAX_UPLOAD_BYTES, SESSION_OWNER, Library, UploadError
from workshop_qa.index.parse import panel_topic
from workshop_qa.index.passage import Passage
from workshop_qa.retriever.search import QueryError

EXAMPLES = [
    "Which Security Council resolutions are named in the report?",
    "Was a new convention on cultural property trafficking supported?",
    "and for cybercrime?",
    "who made that point?",
    "What does the report say about early warning systems for new drugs?",
    "para 17",
]
EMPTY_QUESTION = "The question is empty: type a question about the report, or a paragraph such as para 12."
_ALL = "All"
# Gradio's own Source Sans Pro at weight 600 is a subset without lower-case letters: bold headings
# mixed it with the fallback font (their capital "A" stood apart). Its regular and bold are whole.
THEME = gr.themes.Default(font=(gr.themes.LocalFont("Source Sans Pro", weights=(400, 700)),
                                "ui-sans-serif", "system-ui", "sans-serif"))
_CSS = """
.sources .source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px 12px; margin-bottom: 10px; }
.sources .source.flash { outline: 3px solid var(--color-accent); }
.source-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.citation { font-weight: 600; }
.where { font-size: 0.85em; opacity: 0.75; margin: 2px 0 6px; }
.passage mark { background: #fff3a3; color: inherit; padding: 0 1px; }
.copy-citation, .show-in-report { font-size: 0.8em; padding: 2px 8px; border-radius: 6px;
  cursor: pointer; border: 1px solid var(--border-color-primary); text-decoration: none; }
.report p { scroll-margin-top: 16px; }
.report p.item { margin-left: 2em; }
.report p.marked { outline: 3px solid var(--color-accent); border-radius: 4px; background: #fff8d0;
  color: #111; }
#status .notice, #upload-status .notice { color: var(--error-text-color, #b91c1c); margin: 0; }
#chat .scroll-down-button-container { display: none; }
/* The sources folded under an answer read as the answer does, not as Gradio's faded small print. */
#chat .thought-group .content :is(.message-content, .prose, p, strong) { font-size: var(--text-md) !important;
  opacity: 1 !important; }
/* A phone: the answer, then its sources, before the filters and examples; no sideways scrolling;
   the participants as one card each. */
@media (max-width: 640px) {
  #ask-row { flex-direction: column; }
  #ask-main { display: contents; }
  #chat { order: 1; } #ask-main > .form, #status { order: 2; } #ask-buttons { order: 4; }
  #ask-sources { order: 5; min-width: 0 !important; } #filters { order: 6; } #exports { order: 7; }
  #examples { order: 8; }
  #ask-buttons, #filters, #exports { flex-wrap: nowrap; }
  #ask-buttons > *, #filters > *, #exports > * { min-width: 0 !important; }
  .sources, .report, .participants { overflow-wrap: anywhere; }
  table.participants, table.participants tbody, table.participants tr, table.participants td {
    display: block; width: 100%; }
  table.participants thead { display: none; }
  table.participants tr { border: 1px solid var(--border-color-primary); border-radius: 8px;
    margin-bottom: 8px; padding: 6px 10px; }
  table.participants td { border: none; padding: 2px 0; }
  table.participants td::before { content: attr(data-label) ": "; font-weight: 600; }
}
"""
# The page's only script. Messages stay plain text ("... [para. 16]"), which is what "Copy
# conversation" and screen readers get; here each citation becomes a link that flashes its source
# and marks the paragraph for the Report tab. A new answer is scrolled to its start, not its end.
_HEAD = """
<script>
(() => {
  const CITATION = /\\[?para\\. (\\d+)(?: \\(([a-z])\\))?\\]?/g;
  let marked = null, answers = 0;
  const reportTab = () => [...document.querySelectorAll("[role='tab']")]
    .find((tab) => tab.textContent.trim() === "Report");
  const whenShown = (id, then, tries = 40) => {
    const element = document.getElementById(id);
    if (element && element.offsetParent) then(element);
    else if (tries) setTimeout(() => whenShown(id, then, tries - 1), 50);
  };
  const showInReport = (key) => {
    marked = key;
    whenShown("report-" + key, (paragraph) => {
      document.querySelectorAll("#report .marked").forEach((e) => e.classList.remove("marked"));
      paragraph.classList.add("marked");
      paragraph.scrollIntoView({block: "start"});
    });
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#source-'], a[href^='#report-']");
    if (link) {
      event.preventDefault();
      event.stopPropagation();
      const [kind, key] = link.getAttribute("href").slice(1).split(/-(.*)/);
      const card = document.getElementById("source-" + key);
      if (kind === "report" || !card) {
        reportTab()?.click();
        showInReport(key);
        return;
      }
      card.scrollIntoView({behavior: "smooth", block: "nearest"});
      document.querySelectorAll(".source.flash").forEach((e) => e.classList.remove("flash"));
      card.classList.add("flash");
      marked = key;
      return;
    }
    if (marked && event.target.closest("[role='tab']") === reportTab()) showInReport(marked);
    const copy = event.target.closest(".copy-citation");
    if (copy) {
      navigator.clipboard?.writeText(copy.dataset.citation);
      copy.textContent = "Copied";
      setTimeout(() => { copy.textContent = "Copy"; }, 1500);
    }
  }, true);
  const linkify = (message) => {
    const walker = document.createTreeWalker(message, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) {
      const node = walker.currentNode;
      // The sources folded under an answer (Gradio's thought box) are passages, not citations.
      const skipped = node.parentElement.closest("a, button, .thought-group");
      if (!skipped && /para\\. \\d/.test(node.data)) nodes.push(node);
    }
    for (const node of nodes) {
      const pieces = [];
      let last = 0;
      for (const match of node.data.matchAll(CITATION)) {
        const link = document.createElement("a");
        link.href = "#source-" + match[1] + (match[2] || "");
        link.textContent = match[0];
        pieces.push(node.data.slice(last, match.index), link);
        last = match.index + match[0].length;
      }
      node.replaceWith(...pieces, node.data.slice(last));
    }
  };
  const scrollToStart = (element) => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && box.scrollHeight > box.clientHeight) {
        box.scrollTop += element.getBoundingClientRect().top - box.getBoundingClientRect().top - 48;
        return;
      }
    }
  };
  let pending = false;
  new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const bots = document.querySelectorAll("#chat [data-testid='bot']");
      bots.forEach(linkify);
      if (bots.length > answers) {
        const questions = document.querySelectorAll("#chat [data-testid='user']");
        if (questions.length) scrollToStart(questions[questions.length - 1]);
      }
      answers = bots.length;
    });
  }).observe(document.body, {childList: true, subtree: true});
})();
</script>
"""


def _notice(message: str = "") -> str:
    return f"<p class='notice' role='alert'>{html.escape(message)}</p>" if message else ""


def build_app(assistant: Assistant, exports: Path, library: Library | None = None) -> gr.Blocks:
    """The Gradio app over one assistant; each browser session keeps its own conversation.

    Each session's conversation is written for download into its own folder of ``exports``,
    removed when the session's page is closed. With a ``library``, reports can be added in the
    Upload tab, and each request is answered by the library's assistant of the moment (the one it
    starts with, to its end).
    """
    retriever = assistant.retriever
    passages = retriever.index.passages
    sections = list(dict.fromkeys(p.section for p in passages if p.section))
    panels_in = {s: sorted({p.panel for p in passages if p.section == s and p.panel}) for s in sections}
    all_panels = sorted({p.panel for p in passages if p.panel})
    titles = retriever.index.manifest.get("document_titles", {})
    # "Panel 2: cybercrime as an evolving form of crime", from the panel's opening; numbers alone
    # when the index holds several documents, whose panels share numbers
    openings: dict[int, str] = {}
    for passage in passages if len(titles) <= 1 else ():
        if passage.panel:
            openings.setdefault(passage.panel, passage.text)
    topics = {n: panel_topic(openings.get(n, "")) for n in all_panels}

    def panel_choices(numbers: list[int]) -> list[tuple[str, str]]:
        """The panels as (label, value) pairs: the label says what a panel was about, if known."""
        return [(_ALL, _ALL), *((f"Panel {n}: {topics[n]}" if topics[n] else f"Panel {n}", f"Panel {n}")
                               for n in numbers)]
    title = "Conversation with " + ", ".join(dict.fromkeys(p.doc for p in passages))

    def current(request: gr.Request | None = None) -> Assistant:
        """The assistant of the user of ``request``: over the reports they added too, if any."""
        if library is None:
            return assistant
        owner = owner_of(request)
        return library.assistant(owner) if owner else library.shared

    def participants(request: gr.Request = None) -> list[dict]:
        """Who's who read from the report: name, role, organization, and where it says so."""
        found = current(request).retriever
        return [participant_json(person, found) for person in found.participants]

    def panel_menu(section: str | None, panel: str | None = None) -> tuple[gr.Dropdown, str]:
        """The panel choices of ``section``, keeping ``panel`` if it is one, and why not if not."""
        numbers = all_panels if section in (None, _ALL) else panels_in.get(section, [])
        choices = panel_choices(numbers)
        kept = panel if panel in [value for _, value in choices] else _ALL
        note = "" if kept == (panel or _ALL) else (
            f"{panel} is not part of '{section}', so the panel filter is now {_ALL}.")
        menu = gr.Dropdown(choices=choices, value=kept, interactive=len(choices) > 1,
                           info=None if numbers else "This section has no panels.")
        return menu, note

    def follow_section(section: str, panel: str) -> tuple[gr.Dropdown, str]:
        menu, note = panel_menu(section, panel)
        return menu, _notice(note)

    def respond(message: str, chat: list, answers: list[Answer] | None, section: str, panel: str,
                document: str, request: gr.Request):
        answers = list(answers or [])
        now = current(request)
        try:
            text = validate.question(message)
            if not text.strip():
                raise validate.InputError(EMPTY_QUESTION)
            chosen = {"section": None if section == _ALL else section,
                      "panel": None if panel in (None, _ALL) else panel.split()[-1],
                      "document": None if document in (None, _ALL) else document}
            filters = validate.filters(chosen, now.retriever.index.passages)
            answer = now.answer(text, answers[-validate.MAX_HISTORY_TURNS:], filters)
        except (QueryError, validate.InputError) as error:
            # The question stays in the box to be corrected; nothing else changes.
            return (gr.skip(), gr.skip(), gr.skip(), gr.skip(), _notice(str(error)), gr.skip(),
                    gr.skip())
        answers.append(answer)
        sources_folded = sources_message(answer, several=now.several)
        chat = [*(chat or []), {"role": "user", "content": literal(text)},
                {"role": "assistant", "content": answer_message(answer)},
                *([sources_folded] if sources_folded else [])]
        markdown, plain = write_transcripts(answers, title, session_exports(request))
        return ("", chat, answers, sources_html(answer), _notice(),
                gr.DownloadButton(value=str(markdown), interactive=True),
                gr.DownloadButton(value=str(plain), interactive=True))

    def session_exports(request: gr.Request) -> Path:
        return exports / hashlib.sha256((request.session_hash or "").encode()).hexdigest()[:16]

    def forget_exports(request: gr.Request) -> None:
        """The page was closed: its conversation's files go, and without logins the reports its
        session added."""
        shutil.rmtree(session_exports(request), ignore_errors=True)
        if library is not None and not request.username and request.session_hash:
            library.forget(owner_of(request))

    def new_conversation():
        menu, _ = panel_menu(_ALL)
        return ([], [], sources_html(None), _ALL, menu, _notice(),
                gr.DownloadButton(value=None, interactive=False),
                gr.DownloadButton(value=None, interactive=False), _ALL)

    def ask(question: str, history: list[str] | None = None, request: gr.Request = None) -> dict:
        """Answer a question given the earlier user questions of the conversation."""
        with _user_errors():
            return current(request).answer(validate.question(question), validate.history(history)).to_json()

    def search(query: str, k: int = 5, filters: dict | None = None, request: gr.Request = None) -> dict:
        """Ranked passages for a query; filters may set section, panel, meeting, document."""
        now = current(request).retriever
        with _user_errors():
            result = now.search(validate.question(query), k=validate.k(k),
                                filters=validate.filters(filters, now.index.passages))
        return {"query": result.query, "answerable": result.answerable,
                "hits": [hit_json(hit) for hit in result.hits]}

    # Gradio's copies of uploads and downloads: checked every 10 minutes, removed after an hour
    # and when the app stops.
    with gr.Blocks(title="workshop-qa: A/CONF.222/L.3/Add.1", delete_cache=(600, 3600)) as app:
        heading = gr.Markdown(_heading(titles))
        answers = gr.State([])
        with gr.Tab("Ask"), gr.Row(elem_id="ask-row"):
            with gr.Column(scale=3, elem_id="ask-main"):
                chat = gr.Chatbot(label="Conversation", height=None, min_height=180, max_height=520,
                                  elem_id="chat",
                                  sanitize_html=True, autoscroll=False, latex_delimiters=[],
                                  buttons=["copy", "copy_all"])
                question = gr.Textbox(label="Question", elem_id="question", lines=1,
                                      placeholder="e.g. Who spoke for customs?",
                                      max_length=4000)
                status = gr.HTML("", elem_id="status")
                with gr.Row(elem_id="ask-buttons"):
                    send = gr.Button("Ask", variant="primary")
                    reset = gr.Button("New conversation", elem_id="new-conversation")
                with gr.Row(elem_id="filters"):
                    section = gr.Dropdown([_ALL, *sections], value=_ALL, label="Section")
                    panel = gr.Dropdown(panel_choices(all_panels), value=_ALL,
                                        label="Panel")
                    document = _document_menu(titles, elem_id="document-filter", scale=2)
                with gr.Row(elem_id="exports"):
                    markdown = gr.DownloadButton("Download conversation (Markdown)",
                                                 interactive=False, elem_id="export-markdown")
                    plain = gr.DownloadButton("Download conversation (text)", interactive=False,
                                              elem_id="export-text")
                examples = gr.Examples(EXAMPLES, inputs=question, label="Try", elem_id="examples")
            with gr.Column(scale=2, elem_id="ask-sources"):
                sources = gr.HTML(sources_html(None), elem_id="sources")
        with gr.Tab("Participants"):
            gr.HTML(participants_html(participants()), elem_id="participants")
        with gr.Tab("Report"):
            shown = _document_menu(titles, with_all=False, elem_id="report-document")
            report = gr.HTML(_report(passages, titles, next(iter(titles), None)), elem_id="report")
        documents = [heading, document, shown, report]
        if library:
            _add_report_tab(library, documents, current)
        inputs = [question, chat, answers, section, panel, document]
        outputs = [question, chat, answers, sources, status, markdown, plain]
        cleared = [chat, answers, sources, section, panel, status, markdown, plain, document]
        question.submit(respond, inputs, outputs, api_name="turn", api_visibility="undocumented")
        send.click(respond, inputs, outputs, api_visibility="private")
        examples.load_input_event.then(respond, inputs, outputs, api_visibility="private")
        reset.click(new_conversation, None, cleared, api_name="new_conversation",
                    api_visibility="undocumented")
        chat.clear(new_conversation, None, cleared, api_name="clear_conversation",
                   api_visibility="undocumented")
        section.change(follow_section, [section, panel], [panel, status], api_visibility="private")
        def show(symbol: str, request: gr.Request) -> str:
            now = current(request)
            return _report(now.retriever.index.passages, _titles(now), symbol)

        def follow(kept: list[Answer] | None, symbol: str | None, request: gr.Request):
            return _follow_answer(current(request), kept, symbol)

        def refresh(request: gr.Request) -> tuple:
            return _documents(current(request))

        shown.input(show, shown, report, api_visibility="private")
        answers.change(follow, [answers, shown], [shown, report], api_visibility="private")
        app.load(refresh, None, documents, api_visibility="private")
        app.unload(forget_exports)
        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")
        gr.api(participants, api_name="participants")
    return app


def _titles(assistant: Assistant) -> dict[str, str]:
    """Each indexed document's title, by symbol, in corpus order."""
    return assistant.retriever.index.manifest.get("document_titles", {})


def _short(title: str) -> str:
    """A title's first sentence ("Report of Committee I: workshop 3")."""
    return title.split(". ")[0]


def _heading(titles: Mapping[str, str]) -> str:
    """The page's heading: the document, or the documents, asked."""
    if len(titles) == 1:
        symbol, title = next(iter(titles.items()))
        asked = f"## Ask the report {symbol}\n{_short(title)}. Answers quote the report and cite its "
    else:
        asked = (f"## Ask {len(titles)} reports: {', '.join(titles)}\n"
                 "Answers quote the reports and cite their ")
    return asked + "paragraphs. Type a question, or a paragraph such as *para 16* or *conclusion (c)*."


def _document_menu(titles: Mapping[str, str], with_all: bool = True, **kwargs) -> gr.Dropdown:
    """A menu of the indexed documents with their titles, shown only when there are several."""
    choices = [(f"{symbol}: {_short(title)}", symbol) for symbol, title in titles.items()]
    if with_all:
        choices.insert(0, ("All documents", _ALL))
    return gr.Dropdown(choices, value=choices[0][1] if choices else None, label="Document",
                       visible=len(titles) > 1, **kwargs)


def _report(passages: Sequence[Passage], titles: Mapping[str, str], symbol: str | None) -> str:
    """The Report tab: the document ``symbol`` alone, paragraph by paragraph."""
    return report_html([p for p in passages if p.doc == symbol], titles)


def _follow_answer(assistant: Assistant, answers: list[Answer] | None, shown: str | None):
    """Show in the Report tab the document the latest answer cites first, if it is not shown."""
    latest = answers[-1] if answers else None
    cited = [h.passage.doc for c in (latest.citations if latest else ()) for h in latest.hits
             if h.passage.id == c]
    if not cited or cited[0] == shown:
        return gr.skip(), gr.skip()
    return cited[0], _report(assistant.retriever.index.passages, _titles(assistant), cited[0])


def _documents(assistant: Assistant) -> tuple:
    """The heading, the document filter, and the Report tab, for the documents indexed now."""
    titles = _titles(assistant)
    first = next(iter(titles), None)
    return (_heading(titles), _document_menu(titles), _document_menu(titles, with_all=False),
            _report(assistant.retriever.index.passages, titles, first))


def owner_of(request: gr.Request | None) -> str:
    """Whose reports a request may see: its login, else its browser session."""
    if request is None:
        return ""
    if request.username:
        return request.username
    return f"{SESSION_OWNER}{request.session_hash}" if request.session_hash else ""


def _add_report_tab(library: Library, documents: list,
                    current: Callable[[gr.Request | None], Assistant]) -> None:
    """The Upload tab ("Add a report"): check, index in the background, then refresh ``documents``;
    the reports the user added, which they can remove."""
    limit = MAX_UPLOAD_BYTES // 2**20
    # Not "Add a report": the Report tab is found by its name, which this one would contain.
    with gr.Tab("Upload"):
        gr.Markdown(f"### Add a report\nA UN report as PDF, Word (.docx) or plain text, at most "
                    f"{limit} MB. It is checked at once, then indexed while questions go on being "
                    "answered. It is yours: searched and shown to you only (with a login, it is "
                    "kept for your next visit; without one, until this page is closed).")
        upload = gr.File(label="Report", file_types=[".pdf", ".docx", ".txt"], type="filepath",
                         elem_id="report-upload")
        status = gr.HTML("", elem_id="upload-status")
        with gr.Row():
            mine = gr.Dropdown([], label="Reports you added", elem_id="my-reports", scale=3,
                               allow_custom_value=True)
            remove = gr.Button("Remove", elem_id="remove-report", scale=1)

    def reports(request: gr.Request) -> list[dict]:
        """The reports you added: symbol, title and file."""
        return library.reports(owner_of(request))

    def menu(request: gr.Request) -> gr.Dropdown:
        choices = [(f"{r['symbol']}: {_short(r['title'])}", r["symbol"]) for r in reports(request)]
        return gr.Dropdown(choices, value=choices[0][1] if choices else None)

    def follow(job, request: gr.Request):
        """Yield the job's progress until it is done, then the documents and the reports menu."""
        unchanged = (gr.skip(),) * (len(documents) + 1)
        while not job.done:
            yield _progress(job.status()), gr.skip(), *unchanged
            time.sleep(1)
        if job.error:
            yield _notice(job.error), None, *unchanged
            raise gr.Error(job.error, print_exception=False)
        yield _progress(job.status()), gr.skip(), *_documents(current(request)), menu(request)

    def add_report(path: str | None, request: gr.Request):
        """Add the report at ``path`` for you; yields the progress, then the documents. A refusal
        is shown in the page and raised as ``gr.Error``, so that API clients can tell it.

        Gradio's stored copy of the upload is removed once checked: a report that is added is
        kept as its own copy, and one that is refused is not kept at all."""
        unchanged = (gr.skip(),) * (len(documents) + 1)
        if not path:
            yield _notice("Choose a PDF, Word or text file of a report."), gr.skip(), *unchanged
            return
        try:
            job = library.add(Path(path), Path(path).name, owner_of(request))
        except UploadError as error:
            yield _notice(str(error)), None, *unchanged
            raise gr.Error(str(error), print_exception=False) from None
        finally:
            Path(path).unlink(missing_ok=True)
        yield from follow(job, request)

    def remove_report(symbol: str | None, request: gr.Request):
        """Remove a report you added: it is no longer searched nor shown."""
        unchanged = (gr.skip(),) * (len(documents) + 1)
        try:
            job = library.remove(symbol or "", owner_of(request))
        except UploadError as error:
            yield _notice(str(error)), gr.skip(), *unchanged
            raise gr.Error(str(error), print_exception=False) from None
        yield from follow(job, request)

    outputs = [status, upload, *documents, mine]
    upload.upload(add_report, upload, outputs, api_name="add_report", concurrency_limit=4)
    remove.click(remove_report, mine, outputs, api_name="remove_report", concurrency_limit=4)
    gr.api(reports, api_name="reports")
    mine.focus(menu, None, mine, api_visibility="private")


def _progress(message: str) -> str:
    return f"<p class='progress' role='status'>{html.escape(message)}</p>"


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn an error a user caused into a message the API client and the page show."""
    try:
        yield
    except (QueryError, validate.InputError) as error:
        raise gr.Error(str(error), print_exception=False) from None
