"""Coverage questions: "Where does the report talk about X?" asks for every paragraph, not the best.

The topic is taken from the question's own phrasing; a passage covers it when it holds every
content word of the topic (stemmed), or another name of it (UNTOC for the Organized Crime
Convention); the passages come back in report order.
"""

from __future__ import annotations

import re

from workshop_qa.index.names import other_names

_ASKS = (
    re.compile(r"^\s*(?:where|in which (?:parts?|paragraphs?|places?|sections?))\b.*?\b(?:talk(?:s|ed)? "
               r"about|discuss(?:es|ed)?|mention(?:s|ed)?|address(?:es|ed)?|refer(?:s|red)? to|"
               r"cover(?:s|ed)?|deal(?:s|t)? with|come(?:s)? up|appear(?:s)?|is|are)\s+(?P<topic>.*)$",
               re.IGNORECASE),
    re.compile(r"^\s*(?:which|what) (?:paragraphs?|parts?|passages?|sections?|places?)\b.*?"
               r"\b(?:mention(?:s|ed)?|discuss(?:es|ed)?|talk about|refer to|address|cover|deal with)\s+"
               r"(?P<topic>.*)$", re.IGNORECASE),
    re.compile(r"^\s*(?:list|find|show|give)(?: me)? (?:all|every|each)\b.*?\b(?:mention(?:s|ed)?|"
               r"discuss(?:es|ed)?|talk(?:s)? about|refer(?:s|red)? to|address(?:es)?|cover(?:s)?|"
               r"deal(?:s)? with)\s+(?P<topic>.*)$", re.IGNORECASE),
)
# "Where does terrorism come up in the report?": the topic stands before the verb.
_TOPIC_FIRST = re.compile(r"^\s*(?:where (?:does|do|is|are|did)|(?:list|find|show)(?: me)? (?:all|every)"
                          r"(?: the)? (?:places|parts|paragraphs) where) (?P<topic>.+?) (?:come up|appears?|"
                          r"(?:is |are )?(?:mentioned|discussed|referred to))\b", re.IGNORECASE)
_TRAILING = re.compile(r"\s*(?:\bin (?:the|this) report\b)?\s*(?:\b(?:is |are )?(?:referred to|"
                       r"mentioned|discussed|covered)\b)?[\s?.!]*$", re.IGNORECASE)


def coverage_topic(question: str) -> str | None:
    """The topic a coverage question asks about ("terrorism"), or None for other questions."""
    first = _TOPIC_FIRST.match(question)
    if first:
        return _clean(first.group("topic"))
    for pattern in _ASKS:
        match = pattern.match(question)
        if match:
            topic = _clean(match.group("topic"))
            return topic or None
    return None


def _clean(topic: str) -> str:
    topic = re.sub(r"^(?:the report\s+(?:talk about|mention|discuss)\s+)", "", topic.strip(),
                   flags=re.IGNORECASE)
    return _TRAILING.sub("", topic).strip()


def topic_names(topic: str) -> list[str]:
    """The alternatives a topic names ("X or Y"), each with its other names (aliases)."""
    names: list[str] = []
    for alternative in re.split(r"\s+or\s+|,\s*", topic):
        alternative = re.sub(r"^(?:the|a|an)\s+", "", alternative.strip(), flags=re.IGNORECASE)
        if alternative:
            names += [n for n in other_names(alternative) if n not in names]
    return names
