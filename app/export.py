"""The conversation as a file to keep: Markdown or plain text, each answer with full citations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workshop_qa.app.answer import Answer
from workshop_qa.app.render import literal


def _sources(answer: Answer) -> tuple[str, list[str]]:
    """The heading and full citations of what an answer rests on (or, refused, came closest)."""
    cited = set(answer.citations)
    hits = [h for h in answer.hits if h.passage.id in cited]
    if hits:
        return "Sources", [h.passage.citation for h in hits]
    return "Closest passages (they do not answer the question)", [h.passage.citation
                                                                   for h in answer.hits]


def transcript_markdown(answers: Sequence[Answer], title: str) -> str:
    """Every turn as a Markdown section: the question, the answer, then its citations.

    Questions and report text are escaped as the chat escapes them: a viewer shows them as typed
    and acts on none of their markup."""
    lines = [f"# {literal(title)}", ""]
    for number, answer in enumerate(answers, start=1):
        lines += [f"## {number}. {literal(answer.question)}", ""]
        if answer.resolved_question != answer.question:
            lines += [f"Understood as: {literal(answer.resolved_question)}", ""]
        lines += [literal(answer.text), ""]
        if answer.note:
            lines += [literal(answer.note), ""]
        heading, citations = _sources(answer)
        if citations:
            lines += [f"{heading}:", "", *(f"- {literal(c)}" for c in citations), ""]
    return "\n".join(lines)


def transcript_text(answers: Sequence[Answer], title: str) -> str:
    """Every turn as plain text: the question, the answer, then its citations."""
    lines = [title, ""]
    for number, answer in enumerate(answers, start=1):
        lines.append(f"Question {number}: {answer.question}")
        if answer.resolved_question != answer.question:
            lines.append(f"Understood as: {answer.resolved_question}")
        lines.append(f"Answer: {answer.text}")
        if answer.note:
            lines.append(answer.note)
        heading, citations = _sources(answer)
        if citations:
            lines += [f"{heading}:", *(f"  {c}" for c in citations)]
        lines.append("")
    return "\n".join(lines)


def write_transcripts(answers: Sequence[Answer], title: str, folder: Path) -> tuple[Path, Path]:
    """Write ``conversation.md`` and ``conversation.txt`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    markdown, text = folder / "conversation.md", folder / "conversation.txt"
    markdown.write_text(transcript_markdown(answers, title), encoding="utf-8")
    text.write_text(transcript_text(answers, title), encoding="utf-8")
    return markdown, text
