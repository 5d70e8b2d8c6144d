"""Milvus as the search store, beyond one machine: the same client code for Milvus Lite and a cluster.

``pymilvus``'s ``MilvusClient`` opens Milvus Lite for a local ``.db`` path and a Milvus Standalone
or Distributed server for an ``http(s)://HOST:19530`` address (with a token). An index folder is
copied into two collections named after its checksums, so that every replica of the app that opens
the same folder uses the same collections and a rebuilt folder never reads stale ones: passages
(dense vector, Milvus's own BM25 over the text, section, panel, meetings, document) and sentences
(dense vector and the scalar fields of their passage). Collections are filled under a temporary
name and renamed when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from workshop_qa.index.metadata import NO_PANEL

if TYPE_CHECKING:
    from workshop_qa.index.store import LoadedIndex

_PREFIX = "workshop_qa_"
_BATCH = 2000
_TIMEOUT = 30.0
_MAX_TEXT = 65535
_ANALYZER = {"tokenizer": "standard",
             "filter": ["lowercase", {"type": "stop", "stop_words": ["_english_"]},
                        {"type": "stemmer", "language": "english"}]}


class StoreUnavailable(RuntimeError):
    """Milvus cannot be opened or used; the message says why and what to do."""


class MilvusStore:
    """Top-k candidates from Milvus for one index folder: dense, BM25 full text, and both fused."""

    def __init__(self, uri: str, token: str | None = None) -> None:
        try:
            from pymilvus import MilvusClient
        except ImportError:
            raise StoreUnavailable("The Milvus store needs the optional packages of workshop-qa[milvus]: "
                                   "pip install 'workshop-qa[milvus]'.") from None
        self.uri = uri
        try:
            self._client = MilvusClient(uri=uri, token=token or "", timeout=_TIMEOUT)
        except Exception as error:  # pymilvus raises its own kinds, and gRPC and OS errors
            raise StoreUnavailable(
                f"Cannot open the Milvus store {uri} ({_reason(error)}): check the address and the "
                "token (WORKSHOP_QA_MILVUS_TOKEN), or leave --store unset to use the embedded FAISS "
                "index.") from None
        self._passages = self._sentences = ""

    def attach(self, index: LoadedIndex, notify: Callable[[str], None] = print) -> None:
        """Use the collections of ``index``, copying it into Milvus first when they are missing."""
        build = _build_id(index.manifest)
        self._passages, self._sentences = f"{_PREFIX}{build}_passages", f"{_PREFIX}{build}_sentences"
        existing = set(self._call(self._client.list_collections))
        if not {self._passages, self._sentences} <= existing:
            notify(f"Copying the index in {index.directory} into the Milvus store {self.uri}.")
            self._copy(index, existing)
        for name in (self._passages, self._sentences):
            self._call(self._client.load_collection, name)

    def _copy(self, index: LoadedIndex, existing: set[str]) -> None:
        """Fill each missing collection under a temporary name, then rename it."""
        for name, fill in ((self._passages, self._fill_passages), (self._sentences, self._fill_sentences)):
            if name in existing:
                continue
            staging = f"{name}_{os.getpid()}_loading"
            if staging in existing:
                self._call(self._client.drop_collection, staging)
            fill(staging, index)
            self._call(self._client.flush, staging)
            try:
                self._client.rename_collection(staging, name)
            except Exception:  # another process finished the same collection first
                self._call(self._client.drop_collection, staging)
                if name not in set(self._call(self._client.list_collections)):
                    raise StoreUnavailable(
                        f"Could not complete the collection {name} in {self.uri}.") from None

    def passages(self, vector: np.ndarray, k: int,
                 filters: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Scores and positions of the ``k`` passages nearest to ``vector``."""
        return self._search(self._passages, [_floats(vector)], "dense", "IP", k, filters)

    def sentences(self, vector: np.ndarray, k: int,
                  filters: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Scores and positions of the ``k`` sentences nearest to ``vector``."""
        return self._search(self._sentences, [_floats(vector)], "dense", "IP", k, filters)

    def lexical(self, text: str, k: int, filters: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
        """BM25 scores (Milvus's full-text search) and positions of the ``k`` best passages."""
        return self._search(self._passages, [text], "sparse", "BM25", k, filters)

    def hybrid(self, vector: np.ndarray, text: str, k: int, filters: dict | None = None,
               rrf_k: float = 60.0) -> tuple[np.ndarray, np.ndarray]:
        """Dense and BM25 rankings of passages fused by Milvus with reciprocal rank fusion."""
        from pymilvus import AnnSearchRequest, RRFRanker

        expression = filter_expression(filters)
        requests = [AnnSearchRequest(data=[_floats(vector)], anns_field="dense", param={"metric_type": "IP"},
                                     limit=k, expr=expression),
                    AnnSearchRequest(data=[text], anns_field="sparse", param={"metric_type": "BM25"},
                                     limit=k, expr=expression)]
        found = self._call(self._client.hybrid_search, self._passages, requests, RRFRanker(int(rrf_k)),
                           limit=k, output_fields=[])
        return _scores_and_ids(found)

    def _search(self, collection: str, data: list, field: str, metric: str, k: int,
                filters: dict | None) -> tuple[np.ndarray, np.ndarray]:
        found = self._call(self._client.search, collection, data=data, anns_field=field, limit=k,
                           filter=filter_expression(filters), search_params={"metric_type": metric},
                           output_fields=[])
        return _scores_and_ids(found)

    def _fill_passages(self, name: str, index: LoadedIndex) -> None:
        from pymilvus import DataType, Function, FunctionType, MilvusClient

        schema = MilvusClient.create_schema(auto_id=False)
        schema.add_field("position", DataType.INT64, is_primary=True)
        _scalar_fields(schema)
        schema.add_field("para", DataType.INT64)
        schema.add_field("text", DataType.VARCHAR, max_length=_MAX_TEXT, enable_analyzer=True,
                         analyzer_params=_ANALYZER)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=int(index.manifest["dimension"]))
        schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25,
                                     input_field_names=["text"], output_field_names=["sparse"]))
        self._create(name, schema, sparse=True)
        meetings = _meetings_by_passage(index)
        for start in range(0, len(index.passages), _BATCH):
            stop = min(len(index.passages), start + _BATCH)
            rows = [{"position": i, **_scalars(index, i, meetings), "para": int(index.metadata.para[i]),
                     "text": p.text[:_MAX_TEXT // 4], "dense": _floats(index.passage_matrix[i])}
                    for i, p in zip(range(start, stop), index.passages.many(range(start, stop)), strict=True)]
            self._call(self._client.insert, name, rows)

    def _fill_sentences(self, name: str, index: LoadedIndex) -> None:
        from pymilvus import DataType, MilvusClient

        schema = MilvusClient.create_schema(auto_id=False)
        schema.add_field("position", DataType.INT64, is_primary=True)
        schema.add_field("passage", DataType.INT64)
        _scalar_fields(schema)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=int(index.manifest["dimension"]))
        self._create(name, schema, sparse=False)
        meetings = _meetings_by_passage(index)
        owners = index.sentences.owners
        for start in range(0, len(owners), _BATCH):
            stop = min(len(owners), start + _BATCH)
            rows = [{"position": i, "passage": int(owners[i]), **_scalars(index, int(owners[i]), meetings),
                     "dense": _floats(index.sentence_matrix[i])} for i in range(start, stop)]
            self._call(self._client.insert, name, rows)

    def _create(self, name: str, schema, sparse: bool) -> None:
        params = self._client.prepare_index_params()
        params.add_index("dense", index_type="AUTOINDEX", metric_type="IP")
        if sparse:
            params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        self._call(self._client.create_collection, name, schema=schema, index_params=params)

    def _call(self, method: Callable, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except StoreUnavailable:
            raise
        except Exception as error:  # pymilvus raises its own kinds, and gRPC and OS errors
            raise StoreUnavailable(f"The Milvus store {self.uri} failed ({_reason(error)}).") from None


def filter_expression(filters: dict | None) -> str:
    """A Milvus boolean expression for the filters that are set (section, panel, meeting, document)."""
    filters = filters or {}
    terms = []
    if filters.get("section") is not None:
        terms.append(f"section_key == {_literal(str(filters['section']).lower())}")
    if filters.get("panel") is not None:
        terms.append(f"panel == {int(filters['panel'])}")
    if filters.get("meeting") is not None:
        terms.append(f"ARRAY_CONTAINS(meetings, {int(filters['meeting'])})")
    if filters.get("document") is not None:
        terms.append(f"doc == {_literal(str(filters['document']))}")
    return " and ".join(terms)


def _scalar_fields(schema) -> None:
    from pymilvus import DataType

    schema.add_field("doc", DataType.VARCHAR, max_length=512)
    schema.add_field("section_key", DataType.VARCHAR, max_length=512)
    schema.add_field("panel", DataType.INT64)
    schema.add_field("meetings", DataType.ARRAY, element_type=DataType.INT64, max_capacity=64)


def _scalars(index: LoadedIndex, passage: int, meetings: dict[int, list[int]]) -> dict:
    metadata = index.metadata
    return {"doc": metadata.documents[int(metadata.document[passage])],
            "section_key": metadata.sections[int(metadata.section[passage])].lower(),
            "panel": int(metadata.panel[passage]) if metadata.panel[passage] != NO_PANEL else NO_PANEL,
            "meetings": meetings.get(passage, [])[:64]}


def _meetings_by_passage(index: LoadedIndex) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    metadata = index.metadata
    pairs = zip(metadata.meeting_passage.tolist(), metadata.meeting_number.tolist(), strict=True)
    for passage, number in pairs:
        found.setdefault(passage, []).append(number)
    return found


def _build_id(manifest: dict) -> str:
    """A short id of the exact files of an index build."""
    return hashlib.sha256(json.dumps(manifest["files"], sort_keys=True).encode()).hexdigest()[:16]


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _floats(vector: np.ndarray) -> list[float]:
    return np.asarray(vector, dtype=np.float32).reshape(-1).tolist()


def _scores_and_ids(found) -> tuple[np.ndarray, np.ndarray]:
    hits = list(found[0]) if found else []
    return (np.array([h["distance"] for h in hits], dtype=np.float32),
            np.array([h["id"] if "id" in h else h["position"] for h in hits], dtype=np.int64))


def _reason(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return " ".join(message.split())[:200]
