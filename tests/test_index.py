"""The index folder: built with the real model, rebuilt when stale or corrupt, never truncating."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPORT, SYMBOL
from workshop_qa.index.corpus import load_document
from workshop_qa.index.embed import ModelError, load_encoder, passage_windows
from workshop_qa.index.store import (
    IndexLocationError,
    IndexSpec,
    IndexUnusable,
    build_index,
    load_index,
    open_index,
)

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
    assert manifest["faiss_index"]["passages"] == {"type": "IndexFlatIP", "count": 28}
    assert manifest["documents"] == {REPORT.name: IndexSpec().expected_manifest()["documents"][REPORT.name]}
    assert index.passage_vectors.ntotal == len(index.passages) == 28
    assert index.sentence_vectors.ntotal == len(index.sentences) > 27
    assert sorted(p.name for p in index_dir.parent.iterdir()) == [".report.lock", "report"]


def test_a_stale_manifest_triggers_a_rebuild(mini_index, tmp_path):
    directory = _copy(mini_index, tmp_path)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["documents"] = {"mini_report.txt": "0" * 64}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    notices: list[str] = []
    index = open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("does not match the documents asked for; rebuilding" in n for n in notices)
    assert index.manifest["documents"] == MINI.expected_manifest()["documents"]


def test_a_changed_model_setting_triggers_a_rebuild_notice(mini_index, tmp_path):
    directory = _copy(mini_index, tmp_path)
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["model"] = "some-other-model"
    (directory / "manifest.json").write_text(json.dumps(manifest))
    notices: list[str] = []
    open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("does not match the model asked for" in n for n in notices)


@pytest.mark.parametrize(
    "victim", ["passages.faiss", "passages.sqlite", "manifest.json", "bm25/vocab.index.json",
               "arrays/sentences.npy"])
def test_a_truncated_file_is_reported_and_rebuilt(mini_index, tmp_path, victim):
    directory = _copy(mini_index, tmp_path)
    path = directory / victim
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
    with pytest.raises(IndexUnusable):
        load_index(directory)
    notices: list[str] = []
    index = open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("rebuilding" in n for n in notices)
    assert len(index.passages) == 5


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


def test_a_folder_of_other_files_is_refused_and_left_as_it_was(tmp_path):
    folder = tmp_path / "thesis"
    (folder / "src").mkdir(parents=True)
    (folder / "thesis.txt").write_text("chapter one")
    (folder / "src" / "main.c").write_text("int main(void) { return 0; }")
    for action in (lambda: open_index(MINI, folder, notify=lambda _: None, progress=False),
                   lambda: build_index(MINI, folder, progress=False)):
        with pytest.raises(IndexLocationError, match="holds files that are not a workshop-qa index"):
            action()
    assert (folder / "thesis.txt").read_text() == "chapter one"
    assert (folder / "src" / "main.c").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_a_file_given_as_the_index_is_refused_and_not_renamed(tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("my notes")
    with pytest.raises(IndexLocationError, match="is a file, not an index folder"):
        open_index(MINI, notes, notify=lambda _: None, progress=False)
    assert notes.read_text() == "my notes" and [p.name for p in tmp_path.iterdir()] == ["notes.md"]


def test_an_unwritable_location_fails_before_any_embedding_work(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    # A bogus model proves the order: the location error comes before the model is even loaded.
    with pytest.raises(IndexLocationError, match="Cannot write the index"):
        build_index(IndexSpec(MINI.corpus, model=str(tmp_path / "no-model")), blocker / "index",
                    progress=False)


@pytest.mark.parametrize("victim", ["passages.faiss", "bm25/params.index.json", "bm25/data.csc.index.npy"])
def test_an_altered_file_of_the_same_size_is_detected_and_rebuilt(mini_index, tmp_path, victim):
    directory = _copy(mini_index, tmp_path)
    path = directory / victim
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(255 - b for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))
    with pytest.raises(IndexUnusable, match="damaged"):
        load_index(directory)
    notices: list[str] = []
    index = open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("damaged" in n and "rebuilding" in n for n in notices)
    assert len(index.passages) == 5


def test_an_empty_bm25_array_is_rebuilt_not_a_traceback(mini_index, tmp_path):
    directory = _copy(mini_index, tmp_path)
    (directory / "bm25" / "data.csc.index.npy").write_bytes(b"")
    notices: list[str] = []
    open_index(MINI, directory, notify=notices.append, progress=False)
    assert any("rebuilding" in n for n in notices)
    assert load_index(directory).passages


def test_leftovers_of_an_interrupted_build_are_cleaned_but_foreign_folders_kept(mini_index, tmp_path):
    directory = _copy(mini_index, tmp_path)
    shutil.copytree(directory, tmp_path / ".copy.old-999")          # ours: replaced index
    staging = tmp_path / ".copy.building-998"
    shutil.copytree(directory, staging)                              # ours: staging folder
    foreign = tmp_path / ".copy.building-997"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("not ours")
    shutil.rmtree(directory)                                         # killed between the renames
    open_index(MINI, directory, notify=lambda _: None, progress=False)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".copy.building-997", ".copy.lock", "copy"]
    assert (foreign / "keep.txt").read_text() == "not ours"


def test_two_builds_at_once_leave_one_index_and_no_leftovers(tmp_path):
    script = ("import sys; from workshop_qa.index.store import IndexSpec, build_index; "
              "from pathlib import Path; build_index(IndexSpec(corpus=(Path(sys.argv[1]),)), "
              "Path(sys.argv[2]), progress=False)")
    target = tmp_path / "index"
    runs = [subprocess.Popen([sys.executable, "-c", script, str(MINI.corpus[0]), str(target)],
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [run.communicate(timeout=300)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert sorted(p.name for p in tmp_path.iterdir()) == [".index.lock", "index"]
    assert len(load_index(target).passages) == 5


def test_the_query_side_bm25_reproduces_bm25s_tokens_and_scores(retriever):
    import bm25s
    import numpy as np
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN

    from workshop_qa.eval.data import load_queries
    from workshop_qa.index.lexical import STOPWORDS, tokenize

    assert frozenset(STOPWORDS_EN) == STOPWORDS
    texts = [p.text for p in retriever.index.passages] + [q.text for q in load_queries()]
    expected = bm25s.tokenize(texts, token_pattern=r"(?u)\b\w+\b", stopwords="en",
                              stemmer=Stemmer.Stemmer("english").stemWords, return_ids=False,
                              show_progress=False)
    assert tokenize(texts) == expected
    model = bm25s.BM25.load(str(retriever.index.directory / "bm25"), mmap=True, show_progress=False)
    for tokens in expected:
        known = [t for t in tokens if t in retriever.index.lexical.vocab_dict]
        if known:
            assert np.allclose(retriever.index.lexical.get_scores(known), model.get_scores(known), atol=1e-5)


def test_the_words_of_the_passages_are_counted_when_the_index_is_built(retriever):
    counts = retriever.index.passages.word_counts()
    assert counts["cybercrime"] >= 20 and counts["workshop"] >= 3
    assert retriever.search("What did the worshop say about terorism?").searched_for == (
        "What did the workshop say about terrorism?")
    # British and American spellings become the report's: "organized", "programme".
    assert retriever.search("Is organised crime behind the UNODC Global Program?").searched_for == (
        "Is organized crime behind the UNODC Global Programme?")
    assert retriever.search("Was the organized crime convention mentioned?").searched_for == ""
    # A question word mistyped is that question word, not the report's nearest word ("with").
    assert retriever.search("wich panellist spoke about drones?").searched_for == (
        "which panellist spoke about drones?")


def test_each_delegation_is_stored_with_the_paragraphs_that_list_it(retriever):
    passages = retriever.index.passages
    assert "Iran" in passages.delegations() and "Italy" not in passages.delegations()
    assert passages.lists("Iran") == (f"{SYMBOL}#5",)  # "Iran (Islamic Republic of)" as asked
    assert passages.lists("Nigeria") == (f"{SYMBOL}#4", f"{SYMBOL}#5", f"{SYMBOL}#6")
    assert passages.lists("Nigeria", 2) == (f"{SYMBOL}#4", f"{SYMBOL}#5")
    assert passages.lists("Council of Europe") == (f"{SYMBOL}#4",)  # an observer
    assert passages.lists("African Group") == (f"{SYMBOL}#4", f"{SYMBOL}#5")  # spoken for by Nigeria
    assert passages.lists(None) == (f"{SYMBOL}#4", f"{SYMBOL}#5", f"{SYMBOL}#6")
    assert not passages.lists("Italy")
