"""The index at scale: FAISS type by size, nothing parsed on open, incremental builds, and the same
answers from an approximate index; real model, real FAISS, synthetic corpora from the report."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from tests.conftest import FIXTURES
from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import Settings
from workshop_qa.eval.data import load_queries
from workshop_qa.eval.scale import synthetic_corpus
from workshop_qa.index import disk_array, vectors
from workshop_qa.index.disk_array import DiskArray
from workshop_qa.index.store import IndexSpec, build_index, load_index, write_index
from workshop_qa.retriever.language import Language, identify
from workshop_qa.retriever.search import Filters, Retriever

SYNTHETIC = 3000
MINI = FIXTURES / "mini_report.txt"
SECOND = FIXTURES / "workshop9.txt"


def _copy_as_ivf(index_dir: Path, target: Path) -> Path:
    """The session's index of the report written again, its vectors reused, with IVF indexes."""
    index = load_index(index_dir)
    fields = {k: index.manifest[k] for k in ("model", "embed_context", "documents", "document_titles")}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vectors, "EXACT_LIMIT", 0)
        write_index(target, list(index.passages), np.asarray(index.sentences.spans), index.passage_matrix,
                    index.sentence_matrix, fields, encoder_from=index_dir)
    return target


@pytest.fixture(scope="module")
def synthetic_dir(index_dir, tmp_path_factory) -> Path:
    """A synthetic corpus of 3,000 passages, indexed with IVF (the exact limit lowered to 1,000)."""
    work = tmp_path_factory.mktemp("synthetic")
    corpus = synthetic_corpus(index_dir, SYNTHETIC, work)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(vectors, "EXACT_LIMIT", 1000)
        write_index(work / "index", *corpus, encoder_from=index_dir)
    return work / "index"


def test_the_index_is_exact_below_the_measured_limit_and_an_inverted_file_above():
    assert vectors.index_type_for(vectors.EXACT_LIMIT - 1) == "IndexFlatIP"
    assert vectors.index_type_for(100_000) == "IVF256_HNSW32,SQ8"
    assert vectors.index_type_for(1_000_000) == "IVF1024_HNSW32,SQ8"


def test_a_large_index_is_trained_on_its_corpus_and_records_type_and_nprobe(synthetic_dir):
    manifest = load_index(synthetic_dir).manifest
    for name, count in (("passages", SYNTHETIC), ("sentences", manifest["sentences"])):
        entry = manifest["faiss_index"][name]
        assert entry["type"] == f"IVF{entry['nlist']}_HNSW32,SQ8" and entry["count"] == count
        assert 1 <= entry["nprobe"] <= entry["nlist"]
        assert entry["calibration_recall_10_at_100"] >= vectors.TARGET_RECALL


def test_opening_an_index_parses_no_passage_and_reads_its_vectors_by_rows(synthetic_dir):
    index = load_index(synthetic_dir)
    assert index.passages.cached() == 0
    assert isinstance(index.sentence_matrix, DiskArray) and isinstance(index.passage_matrix, DiskArray)
    passage = index.passages[1234]
    assert passage.id.startswith("SYN/") and index.passages.position(passage.id) == 1234
    assert index.passages.cached() == 1


def test_filters_are_masks_over_the_metadata_arrays(synthetic_dir):
    index = load_index(synthetic_dir)
    passages = list(index.passages)
    for filters in (Filters(section="conclusions"), Filters(panel=2), Filters(meeting=5),
                    Filters(document="SYN/7"), Filters(section="General discussion", panel=3)):
        mask = index.metadata.mask(filters.section, filters.panel, filters.meeting, filters.document)
        assert mask.tolist() == [filters.admits(p) for p in passages] and mask.any()


def test_search_on_an_ivf_index_keeps_to_its_filters(synthetic_dir):
    retriever = Retriever(load_index(synthetic_dir))
    result = retriever.search("customs and cultural heritage", k=10, filters=Filters(document="SYN/7"))
    assert result.hits and {h.passage.doc for h in result.hits} == {"SYN/7"}


def test_the_evaluation_answers_are_the_same_from_an_ivf_index_of_the_report(retriever, tmp_path):
    ivf = Retriever(load_index(_copy_as_ivf(retriever.index.directory, tmp_path / "ivf")))
    assert ivf.index.manifest["faiss_index"]["passages"]["type"].startswith("IVF")
    exact, approximate = Assistant(retriever, Settings()), Assistant(ivf, Settings())
    # The copy holds the main model's vectors only: questions in other languages, which the second
    # (multilingual) model searches, are not compared.
    for query in (q for q in load_queries() if identify(q.text) == Language.ENGLISH):
        expected = exact.answer(query.text, list(query.history))
        found = approximate.answer(query.text, list(query.history))
        assert [h.passage.id for h in found.hits] == [h.passage.id for h in expected.hits], query.text
        assert found.text == expected.text


def test_only_new_or_changed_documents_are_embedded(tmp_path):
    directory = tmp_path / "index"
    build_index(IndexSpec((MINI,)), directory, progress=False, notify=lambda _: None)
    before = load_index(directory)
    first = np.array(before.passage_matrix)
    notices: list[str] = []
    build_index(IndexSpec((MINI, SECOND)), directory, progress=False, notify=notices.append)
    assert "Reusing the vectors of 1 unchanged document(s); embedding 1." in notices
    grown = load_index(directory)
    assert np.array_equal(grown.passage_matrix[: len(first)], first)
    fresh_dir = tmp_path / "fresh"
    build_index(IndexSpec((MINI, SECOND)), fresh_dir, progress=False, notify=lambda _: None)
    fresh = load_index(fresh_dir)
    assert [p.id for p in grown.passages] == [p.id for p in fresh.passages]
    assert np.allclose(grown.passage_matrix, fresh.passage_matrix, atol=1e-5)
    assert np.allclose(grown.sentence_matrix, fresh.sentence_matrix, atol=1e-5)
    notices.clear()
    build_index(IndexSpec((SECOND,)), directory, progress=False, notify=notices.append)
    assert "Reusing the vectors of 1 unchanged document(s); embedding 0." in notices
    second = {p.doc for p in fresh.passages} - {p.doc for p in before.passages}
    assert [p.id for p in load_index(directory).passages] == [p.id for p in fresh.passages if p.doc in second]


def test_vectors_and_postings_are_read_by_rows_as_numpy_would_index_them_and_never_mapped(
        synthetic_dir, monkeypatch):
    path = synthetic_dir / "arrays" / "sentence_vectors.npy"
    matrix, expected = DiskArray(path), np.load(path)
    assert matrix.shape == expected.shape and len(matrix) == len(expected)
    rows = np.array([7, 3, 4, 5, 5, len(expected) - 1, 0])  # unsorted, a run, a repeat, both ends
    assert np.array_equal(matrix[rows], expected[rows])
    assert np.array_equal(matrix[[2, 1]], expected[[2, 1]]) and np.array_equal(matrix[-1], expected[-1])
    assert np.array_equal(matrix[10:20], expected[10:20]) and np.array_equal(matrix[5:1], expected[5:1])
    assert np.array_equal(matrix[1:30:7], expected[1:30:7]) and np.array_equal(np.asarray(matrix), expected)
    with pytest.raises(IndexError):
        matrix[len(expected)]
    monkeypatch.setattr(disk_array, "_LOADED_BYTES", 0)  # these postings are small enough to load
    lexical = load_index(synthetic_dir).lexical
    assert isinstance(lexical.indices, DiskArray) and isinstance(lexical.weights, DiskArray)
    queries = (["cybercrim"], ["cultur", "properti", "traffick"], ["unesco", "resolut"])
    scores = [lexical.get_scores(tokens) for tokens in queries]
    mapped = Path("/proc/self/maps").read_text()
    assert str(path) not in mapped and str(synthetic_dir / "bm25") not in mapped
    model = bm25s.BM25.load(str(synthetic_dir / "bm25"), show_progress=False)
    for tokens, found in zip(queries, scores, strict=True):
        assert np.allclose(found, model.get_scores(tokens), atol=1e-5)
