"""One settings object: defaults, then ``WORKSHOP_QA_*`` environment variables, then flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from workshop_qa.app import validate
from workshop_qa.index.corpus import DEFAULT_CORPUS, CorpusError, expand_corpus
from workshop_qa.index.e5 import E5_SMALL
from workshop_qa.index.embed import DEFAULT_MODEL
from workshop_qa.index.store import IndexSpec, default_index_dir
from workshop_qa.retriever.search import RetrievalConfig

NO_MODEL = "none"


@dataclass(frozen=True)
class Settings:
    """Everything that can be set; passed down explicitly from the edge."""

    corpus: tuple[Path, ...] = DEFAULT_CORPUS
    index_dir: Path | None = None
    model: str = DEFAULT_MODEL
    embed_context: bool = True
    second_model: str | None = E5_SMALL
    """The multilingual model by default; ``none`` for no second model."""
    retrieval: RetrievalConfig = field(default_factory=RetrievalConfig)
    k: int = 5
    answer_sentences: int = 4
    llm_url: str | None = None
    llm_model: str = "llama3.1"
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    llm_context_tokens: int = 8192
    auth: tuple[tuple[str, str], ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    owner: str = ""
    """Whose reports the index adds to the corpus: a key of the login or browser session that
    added them in the chat app (see :meth:`for_owner`); empty for the shared index."""

    @property
    def added_dir(self) -> Path:
        """The folder beside the index that keeps the reports its owner added in the chat app."""
        index = Path(self.index_dir or default_index_dir())
        return index.with_name(f"{index.name}.documents")

    @property
    def index_spec(self) -> IndexSpec:
        """What the index is built from: the corpus (a folder stands for the report files in it),
        then, for an owner's index, the reports the owner added in the chat app."""
        corpus = expand_corpus(self.corpus)
        if self.owner and self.added_dir.is_dir():
            with suppress(CorpusError):  # a folder of no report adds none
                corpus = expand_corpus(corpus + (self.added_dir,))
        return IndexSpec(corpus, self.model, self.embed_context, self.second_model_in_use)

    def for_owner(self, owner: str) -> Settings:
        """The settings of the index that adds ``owner``'s reports to the corpus, in a folder of
        its own beside the shared index."""
        index = Path(self.index_dir or default_index_dir())
        return replace(self, index_dir=index.with_name(f"{index.name}.owner-{owner}"), owner=owner)

    @property
    def second_model_in_use(self) -> str | None:
        """The second model, or None when it is set to ``none``."""
        return None if self.second_model in (None, NO_MODEL) else self.second_model

    def with_overrides(self, **values: object) -> Settings:
        """A copy with every given value that is not None; retrieval fields may be given by name."""
        retrieval_names = {f.name for f in fields(RetrievalConfig)}
        retrieval = {k: v for k, v in values.items() if k in retrieval_names and v is not None}
        own = {k: v for k, v in values.items() if k not in retrieval_names and v is not None}
        return replace(self, retrieval=replace(self.retrieval, **retrieval), **own)


def parse_auth(text: str) -> tuple[tuple[str, str], ...]:
    """``"user:password,user2:password2"`` as pairs; a malformed entry raises InputError."""
    pairs = []
    for entry in filter(None, (e.strip() for e in text.split(","))):
        user, sep, password = entry.partition(":")
        if not sep or not user or not password:
            raise validate.InputError(f"Malformed credentials '{entry}': write USER:PASSWORD.")
        pairs.append((user, password))
    return tuple(pairs)


def from_environment(env: Mapping[str, str] = os.environ) -> Settings:
    """Defaults overridden by the ``WORKSHOP_QA_*`` variables that are set; a value that cannot
    be used raises :class:`validate.InputError` naming its variable."""
    def get(name: str) -> str | None:
        return env.get(f"WORKSHOP_QA_{name}") or None

    def checked(name: str, check) -> object:
        return check(get(name), f"WORKSHOP_QA_{name}") if get(name) else None

    corpus = get("CORPUS")
    return Settings().with_overrides(
        corpus=tuple(Path(p) for p in corpus.split(os.pathsep)) if corpus else None,
        index_dir=Path(get("INDEX")) if get("INDEX") else None,
        model=get("MODEL"),
        second_model=get("SECOND_MODEL"),
        reranker=get("RERANKER"),
        store=get("STORE"),
        store_token=get("MILVUS_TOKEN"),
        llm_url=checked("LLM_URL", validate.llm_url),
        llm_model=get("LLM_MODEL"),
        llm_api_key=get("LLM_API_KEY"),
        llm_timeout=checked("LLM_TIMEOUT", validate.seconds),
        auth=parse_auth(get("AUTH")) if get("AUTH") else None,
        trusted_proxies=checked("TRUSTED_PROXIES", validate.proxies),
    )
