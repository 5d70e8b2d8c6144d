"""Milvus as the store: Milvus Lite run for real (no mock) on the bundled report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SYMBOL, run_cli
from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import Settings
from workshop_qa.eval.data import load_queries
from workshop_qa.index.milvus import MilvusStore, StoreUnavailable, filter_expression
from workshop_qa.index.vectors import top_k
from workshop_qa.retriever.search import Filters, RetrievalConfig, Retriever

QUESTION = "Who moderated the workshop?"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("milvus") / "store.db"


@pytest.fixture(scope="module")
def store(retriever, store_path) -> MilvusStore:
    store = MilvusStore(str(store_path))
    store.attach(retriever.index, notify=lambda _: None)
    return store


def _ids(retriever: Retriever, positions) -> list[str]:
    return [retriever.index.passages[int(i)].id for i in positions]


def test_dense_full_text_and_hybrid_search_find_the_moderator(store, retriever):
    vector = retriever.embed([QUESTION])[0]
    owners = retriever.index.sentences.owners
    assert _ids(retriever, [owners[store.sentences(vector, 1)[1][0]]]) == [f"{SYMBOL}#2"]
    assert f"{SYMBOL}#2" in _ids(retriever, store.lexical("moderated by", 3)[1])
    assert f"{SYMBOL}#2" in _ids(retriever, store.hybrid(vector, QUESTION, 5)[1])
    exact = top_k(retriever.index.passage_vectors, vector, 10)[1]
    assert store.passages(vector, 10)[1].tolist() == exact.tolist()


@pytest.mark.parametrize("filters", [
    Filters(section="CONCLUSIONS"), Filters(panel=2), Filters(meeting=5), Filters(document=SYMBOL),
    Filters(section="General discussion", panel=3)])
def test_scalar_filters_restrict_every_kind_of_search(store, retriever, filters):
    vector = retriever.embed(["cybercrime and cultural property"])[0]
    as_dict = {"section": filters.section, "panel": filters.panel, "meeting": filters.meeting,
               "document": filters.document}
    admitted = {p.id for p in retriever.index.passages if filters.admits(p)}
    for found in (store.passages(vector, 30, as_dict), store.lexical("cybercrime property", 30, as_dict),
                  store.hybrid(vector, "cybercrime property", 30, as_dict)):
        assert set(_ids(retriever, found[1])) <= admitted and len(found[1])
    owners = retriever.index.sentences.owners
    assert set(_ids(retriever, [owners[i] for i in store.sentences(vector, 30, as_dict)[1]])) <= admitted


def test_a_filter_value_cannot_change_the_expression():
    expression = filter_expression({"document": 'X" or doc != "', "section": "a\\b"})
    assert expression == 'section_key == "a\\\\b" and doc == "X\\" or doc != \\""'


def test_a_second_replica_reuses_the_collections(store, retriever, store_path):
    notices: list[str] = []
    MilvusStore(str(store_path)).attach(retriever.index, notify=notices.append)
    assert notices == []


def test_the_evaluation_set_gets_the_same_top_5_through_milvus_lite_as_through_faiss(retriever, store_path):
    config = RetrievalConfig(store=str(store_path))
    through_milvus = Assistant(Retriever(retriever.index, config), Settings())
    through_faiss = Assistant(retriever, Settings())
    for query in load_queries():
        expected = through_faiss.search(query.text, query.history, k=5)[1]
        found = through_milvus.search(query.text, query.history, k=5)[1]
        assert [h.passage.id for h in found.hits] == [h.passage.id for h in expected.hits], query.text


def test_the_command_line_asks_through_a_milvus_lite_store(cli_env, tmp_path):
    store = tmp_path / "cli.db"
    process = run_cli("ask", QUESTION, "--store", str(store), env=cli_env)
    assert "Jay Albanese" in process.stdout
    assert "into the Milvus store" in process.stderr
    again = run_cli("ask", QUESTION, env={**cli_env, "WORKSHOP_QA_STORE": str(store)})
    assert "Jay Albanese" in again.stdout and again.stderr == ""


def test_an_unreachable_server_is_one_clear_sentence(cli_env):
    with pytest.raises(StoreUnavailable, match=r"^Cannot open the Milvus store http://127\.0\.0\.1:9 .*"
                                                r"leave --store unset"):
        MilvusStore("http://127.0.0.1:9")
    process = run_cli("ask", QUESTION, "--store", "http://127.0.0.1:9", env=cli_env, check=False)
    assert process.returncode == 1 and process.stderr.startswith("workshop-qa: Cannot open the Milvus store")
    assert "Traceback" not in process.stderr
