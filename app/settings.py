"""One settings object: defaults, then ``WORKSHOP_QA_*`` environment variables, then flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from workshop_qa.index.corpus import DEFAULT_CORPUS, expand_corpus
from workshop_qa.index.embed import DEFAULT_MODEL
from workshop_qa.index.store import IndexSpec
from workshop_qa.retriever.search import RetrievalConfig


@dataclass(frozen=True)
class Settings:
    """Everything that can be set; passed down explicitly from the edge."""

    corpus: tuple[Path, ...] = DEFAULT_CORPUS
    index_dir: Path | None = None
    model: str = DEFAULT_MODEL
    embed_context: bool = True
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    k: int = 5
    answer_sentences: int = 4
    llm_url: str | None = None
    llm_model: str = "llama3.1"
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    llm_context_tokens: int = 8192
    auth: tuple[tuple[str, str], ...] = ()

    @property
    def index_spec(self) -> IndexSpec:
        """What the index is built from; a corpus folder stands for the report files in it."""
        return IndexSpec(expand_corpus(self.corpus), self.model, self.embed_context)

    def with_overrides(self, **values: object) -> Settings:
        """A copy with every given value that is not None; retrieval fields may be given by name."""
        retrieval_names = {f.name for f in fields(RetrievalConfig)}
        retrieval = {k: v for k, v in values.items() if k in retrieval_names and v is not None}
        own = {k: v for k, v in values.items() if k not in retrieval_names and v is not None}
        return replace(self, retrieval=replace(self.retrieval, **retrieval), **own)


def parse_auth(text: str) -> tuple[tuple[str, str], ...]:
    """``"user:password,user2:password2"`` as pairs; a malformed entry raises ValueError."""
    pairs = []
    for entry in filter(None, (e.strip() for e in text.split(","))):
        user, sep, password = entry.partition(":")
        if not sep or not user or not password:
            raise ValueError(f"Malformed credentials '{entry}': write USER:PASSWORD.")
        pairs.append((user, password))
    return tuple(pairs)


def from_environment(env: Mapping[str, str] = os.environ) -> Settings:
    """Defaults overridden by the ``WORKSHOP_QA_*`` variables that are set."""
    def get(name: str) -> str | None:
        return env.get(f"WORKSHOP_QA_{name}") or None

    corpus = get("CORPUS")
    return Settings().with_overrides(
        corpus=tuple(Path(p) for p in corpus.split(os.pathsep)) if corpus else None,
        index_dir=Path(get("INDEX")) if get("INDEX") else None,
        model=get("MODEL"),
        reranker=get("RERANKER"),
        llm_url=get("LLM_URL"),
        llm_model=get("LLM_MODEL"),
        llm_api_key=get("LLM_API_KEY"),
        llm_timeout=float(get("LLM_TIMEOUT")) if get("LLM_TIMEOUT") else None,
        auth=parse_auth(get("AUTH")) if get("AUTH") else None,
    )
