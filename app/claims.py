"""Check a generated sentence against the passages it cites: meaning, words, numbers, negation.

A sentence is kept only when it is close in meaning to a sentence of its passages, every number
and content word it uses is in them (words compared by stem), and it does not flip the negation
of the sentence it is closest to.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import Stemmer

from workshop_qa.index.passage import Passage
from workshop_qa.index.sentences import split_sentences

Embed = Callable[[list[str]], np.ndarray]
"""Texts to unit vectors in the index's embedding space."""

SUPPORT_THRESHOLD = 0.55
_WORD = re.compile(r"[^\W_]+")
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|nothing|nobody|cannot|without)\b|n't\b",
                       re.IGNORECASE)
_SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_FUNCTION_WORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "although", "am", "an",
    "and", "any", "are", "as", "at", "be", "because", "been", "before", "being", "below",
    "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
    "each", "either", "else", "etc", "even", "ever", "every", "for", "from", "further", "had",
    "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his",
    "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me",
    "might", "more", "most", "much", "must", "my", "myself", "neither", "no", "nor", "not", "of",
    "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
    "same", "she", "should", "since", "so", "some", "such", "than", "that", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through",
    "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what",
    "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with",
    "within", "would", "yet", "you", "your", "yours", "t", "s", "didn", "doesn", "isn", "wasn",
    "weren", "aren", "hasn", "haven", "hadn", "won", "wouldn", "shouldn", "couldn",
})
# Words that frame a claim about the report without adding to it.
_FRAMING = frozenset({
    "report", "reported", "workshop", "paragraph", "para", "panel", "panellist", "panelist",
    "speaker", "participant", "delegate", "say", "said", "state", "stated", "note", "noted",
    "mention", "mentioned", "according", "describe", "described", "explain", "explained",
    "highlight", "highlighted", "discuss", "discussed", "emphasize", "emphasized", "emphasise",
    "emphasised", "indicate", "indicated", "talk", "talked", "speak", "spoke", "point", "pointed",
    "present", "presented", "address", "addressed",
})


class ClaimChecker:
    """Judges generated sentences against passages, encoding each passage's sentences once."""

    def __init__(self, embed: Embed) -> None:
        self._embed = embed
        self._stemmer = Stemmer.Stemmer("english")  # one per checker: stemmers are not thread-safe
        self._sentences: dict[str, tuple[list[str], np.ndarray]] = {}

    def flaw(self, claim: str, vector: np.ndarray, passages: list[Passage]) -> str | None:
        """Why ``claim`` (embedded as ``vector``) is not supported by ``passages``; None if it is."""
        sentences, vectors = self._passage_sentences(passages)
        similarities = vectors @ vector
        best = int(np.argmax(similarities))
        if float(similarities[best]) < SUPPORT_THRESHOLD:
            return "not close to its paragraph"
        missing = self._missing_words(claim, passages)
        if missing:
            return f"uses words its paragraph lacks ({', '.join(missing)})"
        if bool(_NEGATION.search(claim)) != bool(_NEGATION.search(sentences[best])):
            return "contradicts its paragraph"
        return None

    def _passage_sentences(self, passages: list[Passage]) -> tuple[list[str], np.ndarray]:
        for passage in passages:
            if passage.id not in self._sentences:
                texts = [passage.text[s:e] for s, e in split_sentences(passage.text)]
                self._sentences[passage.id] = (texts, self._embed(texts))
        found = [self._sentences[p.id] for p in passages]
        return [t for texts, _ in found for t in texts], np.vstack([v for _, v in found])

    def _missing_words(self, claim: str, passages: list[Passage]) -> list[str]:
        source = " ".join(f"{p.context} {p.section} {p.text}" for p in passages)
        known = {w.lower() for w in _WORD.findall(source)}
        known_stems = set(self._stemmer.stemWords(sorted(known))) | set(
            self._stemmer.stemWords(sorted(_FRAMING)))
        missing = []
        for word in dict.fromkeys(_WORD.findall(claim)):
            lower = word.lower()
            if lower in known or lower in _FUNCTION_WORDS or _NEGATION.fullmatch(lower):
                continue
            if any(c.isdigit() for c in lower) or self._stemmer.stemWord(lower) not in known_stems:
                missing.append(word)
        return missing


def neutralised(text: str) -> str:
    """Model output with HTML tags removed and no angle bracket left, so that no field can carry
    markup or script from the model."""
    text = _SCRIPT.sub(" ", text)
    text = re.sub(r"<!--.*?-->|<[a-zA-Z/!?][^<>]*>", " ", text, flags=re.DOTALL)
    return " ".join(text.replace("<", " ").replace(">", " ").split())
