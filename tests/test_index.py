"""The index folder: built with the real model, rebuilt when stale or corrupt, never truncating."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from workshop_qa.index.corpus import load_document
from workshop_qa.index.embed import ModelError, load_encoder, passage_windows
from workshop_qa.index.store import IndexSpec, IndexUnusable, load_index, open_index

from tests.conftest import FIXTURES, REPORT

MINI = IndexSpec(corpus=(FIXTURES / "mini_report.txt",))


@pytest.fixture(scope="module")
def mini_index(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("mini") / "index"
    open_index(MINI, directory, notify=lambda _: None, progress=False)
    return directory


def _copy(directory: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(directory, target)
    return target


def test_index_folder_holds_vectors_lexical_passages_and_manifest(index_dir):
    index = load_index(index_dir)
    manifest = index.manifest
    assert manifest["model"] == "all-MiniLM-L6-v2" and manifest["dimension"] == 384
    assert manifest["faiss_index_type"] == "IndexFlatIP"
    assert manifest["documents"] == {REPORT.name: IndexSpec().expected_manifest()["documents"][REPORT.name]}
    assert index.passage_vectors.ntotal == len(index.passages) == 27
    assert index.sentence_vectors.ntotal == len(index.sentences) > 27
    assert not any(p.name.startswith(".") for p in index_dir.parent.iterdir())


def test_a_stale_manifest_triggers_a_rebuild(mini_index, tmp_path):
    directory = _copy(mini_index, tmp_path)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["documents"] = {"mini_report.txt": "0" * 64}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    notices: list[str] = []
    index = open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("built from another documents; rebuilding" in n for n in notices)
    assert index.manifest["documents"] == MINI.expected_manifest()["documents"]


def test_a_changed_model_setting_triggers_a_rebuild_notice(mini_index, tmp_path):
    directory = _copy(mini_index, tmp_path)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["model"] = "some-other-model"
    (directory / "manifest.json").write_text(json.dumps(manifest))
    notices: list[str] = []
    open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("another model" in n for n in notices)


@pytest.mark.parametrize(
    "victim", ["passages.faiss", "passages.jsonl", "manifest.json", "bm25/vocab.index.json"])
def test_a_truncated_file_is_reported_and_rebuilt(mini_index, tmp_path, victim):
    directory = _copy(mini_index, tmp_path)
    path = directory / victim
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
    with pytest.raises(IndexUnusable):
        load_index(directory)
    notices: list[str] = []
    index = open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("rebuilding" in n for n in notices)
    assert len(index.passages) == 4


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="Could not load the embedding model '.*no-such-model'"):
        load_encoder(str(tmp_path / "no-such-model"))


def test_a_failed_build_leaves_the_old_index_untouched(mini_index, tmp_path):
    directory = _copy(mini_index, tmp_path)
    before = (directory / "manifest.json").read_text()
    with pytest.raises(ModelError):
        open_index(IndexSpec(MINI.corpus, model=str(tmp_path / "missing")), directory,
                   notify=lambda _: None, progress=False)
    assert (directory / "manifest.json").read_text() == before
    assert load_index(directory).passages


def test_long_paragraphs_are_embedded_in_windows_that_fit_the_model(retriever):
    encoder = retriever.encoder
    para16 = next(p for p in load_document(REPORT).passages if p.para == 16)
    windows = passage_windows(encoder, para16, with_context=True)
    assert len(windows) > 1
    limit = encoder.max_seq_length - 2
    assert all(len(encoder.tokenizer(w, add_special_tokens=False)["input_ids"]) <= limit for w in windows)
    covered = " ".join(windows)
    for sentence in ("pursuant to Security Council resolutions 1483 (2003) and 2199 (2015).",
                     "should be further assessed and revised."):
        assert sentence in covered
