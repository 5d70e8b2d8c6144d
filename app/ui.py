"""The chat app: conversation, sources with highlighted evidence, the report, and a JSON API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import gradio as gr

from workshop_qa.app import validate
from workshop_qa.app.answer import Assistant, hit_json
from workshop_qa.app.conversation import Conversation
from workshop_qa.app.render import answer_markdown, as_text, report_html, sources_html
from workshop_qa.retriever.search import Filters, QueryError

EXAMPLES = [
    "Who moderated the workshop?",
    "Did speakers want a new treaty on cybercrime?",
    "what about cultural property?",
    "What did the World Customs Organization panellist talk about?",
    "conclusion (c)",
    "para 16",
]
_ALL = "All"
_CSS = """
.sources .source { border: 1px solid var(--border-color-primary); border-radius: 8px;
  padding: 10px 12px; margin-bottom: 10px; }
.sources .source.flash { outline: 3px solid var(--color-accent); }
.source-head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.citation { font-weight: 600; }
.where { font-size: 0.85em; opacity: 0.75; margin: 2px 0 6px; }
.passage mark { background: #fff3a3; color: inherit; padding: 0 1px; }
.copy-citation { font-size: 0.8em; padding: 2px 8px; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); }
.report p.item { margin-left: 2em; }
"""
# Citation links scroll their passage into view and flash it; copy buttons copy the citation.
_HEAD = """
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href*='#source-']");
  if (link) {
    event.preventDefault();
    event.stopPropagation();
    const target = document.getElementById(link.getAttribute("href").split("#")[1]);
    if (target) {
      target.scrollIntoView({behavior: "smooth", block: "center"});
      document.querySelectorAll(".source.flash").forEach((e) => e.classList.remove("flash"));
      target.classList.add("flash");
    }
    return;
  }
  const copy = event.target.closest(".copy-citation");
  if (copy) {
    navigator.clipboard?.writeText(copy.dataset.citation);
    copy.textContent = "Copied";
    setTimeout(() => { copy.textContent = "Copy"; }, 1500);
  }
}, true);
</script>
"""


def _filters(section: str | None, panel: str | None) -> Filters:
    return Filters(section=None if section in (None, _ALL) else section,
                   panel=None if panel in (None, _ALL) else int(panel.split()[-1]))


def build_app(assistant: Assistant) -> gr.Blocks:
    """The Gradio app over one assistant; each browser session keeps its own conversation."""
    retriever = assistant.retriever
    passages = retriever.index.passages
    sections = list(dict.fromkeys(p.section for p in passages if p.section))
    panels = sorted({p.panel for p in passages if p.panel})
    titles = retriever.index.manifest.get("document_titles", {})

    def respond(message: str, chat: list, conversation: Conversation | None, section: str,
                panel: str):
        conversation = conversation or Conversation()
        chat = list(chat or [])
        chat.append({"role": "user", "content": as_text(message or "")})
        try:
            answer = assistant.answer(message, conversation.questions, _filters(section, panel))
        except QueryError as error:
            chat.append({"role": "assistant", "content": as_text(str(error))})
            return "", chat, conversation, gr.skip()
        conversation.add(message)
        chat.append({"role": "assistant", "content": answer_markdown(answer)})
        return "", chat, conversation, sources_html(answer)

    def clear():
        return [], Conversation(), sources_html(None)

    def ask(question: str, history: list[str] | None = None) -> dict:
        """Answer a question given the earlier user questions of the conversation."""
        with _user_errors():
            return assistant.answer(validate.question(question), validate.history(history)).to_json()

    def search(query: str, k: int = 5, filters: dict | None = None) -> dict:
        """Ranked passages for a query; filters may set section, panel, meeting, document."""
        with _user_errors():
            result = retriever.search(validate.question(query), k=validate.k(k),
                                      filters=validate.filters(filters, passages))
        return {"query": result.query, "answerable": result.answerable,
                "hits": [hit_json(hit) for hit in result.hits]}

    with gr.Blocks(title="workshop-qa: A/CONF.222/L.3/Add.1") as app:
        gr.Markdown("## Ask the report of workshop 3 (A/CONF.222/L.3/Add.1)\n"
                    "Answers quote the report and cite its paragraphs. Type a question, "
                    "or a paragraph such as *para 16* or *conclusion (c)*.")
        conversation = gr.State(None)
        with gr.Tab("Ask"), gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Conversation", height=520, elem_id="chat",
                                  sanitize_html=True)
                question = gr.Textbox(label="Question", elem_id="question", lines=1,
                                      placeholder="e.g. Who moderated the workshop?",
                                      max_length=4000)
                with gr.Row():
                    send = gr.Button("Ask", variant="primary")
                    reset = gr.Button("New conversation")
                with gr.Row():
                    section = gr.Dropdown([_ALL, *sections], value=_ALL, label="Section")
                    panel = gr.Dropdown([_ALL, *[f"Panel {n}" for n in panels]], value=_ALL,
                                        label="Panel")
                gr.Examples(EXAMPLES, inputs=question, label="Try")
            with gr.Column(scale=2):
                sources = gr.HTML(sources_html(None), elem_id="sources")
        with gr.Tab("Report"):
            gr.HTML(report_html(passages, titles), elem_id="report")
        inputs = [question, chat, conversation, section, panel]
        outputs = [question, chat, conversation, sources]
        question.submit(respond, inputs, outputs, api_visibility="private")
        send.click(respond, inputs, outputs, api_visibility="private")
        reset.click(clear, None, [chat, conversation, sources], api_visibility="private")
        gr.api(ask, api_name="ask")
        gr.api(search, api_name="search")
    return app


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn an error a user caused into a message the API client and the page show."""
    try:
        yield
    except (QueryError, validate.InputError) as error:
        raise gr.Error(str(error)) from None
