"""Print, in one bounded run, how fast the assistant is on this machine (a script, not a test).

It builds a fresh index, then compares, measured alternately: a cold ``workshop-qa ask`` against
``python -c "import numpy, faiss"``, the ONNX query encoder against sentence-transformers (cold and
per query), and times warm answers over the evaluation questions, checking that both encoders give
the same answers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.app.settings import from_environment
from workshop_qa.eval.data import load_queries
from workshop_qa.index.encoder import ENCODER_FILES
from workshop_qa.index.store import build_index, load_index
from workshop_qa.retriever.search import Retriever

QUESTION = "Who moderated the workshop?"
MAX_ROUNDS = 20


def main() -> None:
    """Build an index in a scratch folder and print every figure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5,
                        help=f"cold runs of each kind (at most {MAX_ROUNDS})")
    args = parser.parse_args()
    rounds = max(1, min(args.rounds, MAX_ROUNDS))
    settings = from_environment()
    with tempfile.TemporaryDirectory() as scratch:
        onnx_dir, st_dir = Path(scratch) / "onnx", Path(scratch) / "st"
        seconds = build_index(settings.index_spec, onnx_dir, progress=False, notify=lambda _: None)
        print(f"index build (embedding, ONNX export and parity check): {seconds:.1f} s")
        _without_onnx(onnx_dir, st_dir)

        cold_ask = _cold_ask(onnx_dir)
        baseline = [sys.executable, "-c", "import numpy, faiss"]
        ask, base = _alternate(cold_ask, baseline, rounds)
        print(f"cold ask {_median(ask)}, import numpy+faiss {_median(base)}: "
              f"ratio {statistics.median(ask) / statistics.median(base):.2f} ({rounds} rounds each)")
        onnx_cold, st_cold = _alternate(cold_ask, _cold_ask(st_dir), max(1, rounds // 2))
        print(f"cold ask, ONNX {_median(onnx_cold)} vs sentence-transformers {_median(st_cold)}: "
              f"ratio {statistics.median(onnx_cold) / statistics.median(st_cold):.2f}")

        onnx = Assistant(Retriever(load_index(onnx_dir), settings.retrieval), settings)
        st = Assistant(Retriever(load_index(st_dir), settings.retrieval), settings)
        queries = load_queries()
        onnx.retriever.embed([QUESTION]), st.retriever.embed([QUESTION])  # load both encoders
        onnx_times, st_times = [], []
        for query in queries:
            onnx_times.append(_seconds(lambda q=query: onnx.retriever.embed([q.text])))
            st_times.append(_seconds(lambda q=query: st.retriever.embed([q.text])))
        print(f"warm query encoding over {len(queries)} questions, ONNX {_median(onnx_times)} vs "
              f"sentence-transformers {_median(st_times)}: ratio "
              f"{statistics.median(onnx_times) / statistics.median(st_times):.2f}")

        answer_times, same_answers, same_hits = [], 0, 0
        for query in queries:
            started = time.perf_counter()
            answer = onnx.answer(query.text, list(query.history))
            answer_times.append(time.perf_counter() - started)
            reference = st.answer(query.text, list(query.history))
            same_answers += answer.text == reference.text
            same_hits += [h.passage.id for h in answer.hits] == [h.passage.id for h in reference.hits]
        ordered = sorted(answer_times)
        print(f"warm answer over {len(queries)} questions: p50 {statistics.median(ordered) * 1000:.1f} ms, "
              f"p95 {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.1f} ms")
        print(f"ONNX vs sentence-transformers: {same_answers}/{len(queries)} identical answers, "
              f"{same_hits}/{len(queries)} identical hit orders")


def _without_onnx(source: Path, target: Path) -> None:
    """A copy of the index recorded as having no ONNX encoder: the sentence-transformers path."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*ENCODER_FILES))
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["query_encoder"] = {"skipped": "benchmark of the sentence-transformers path"}
    manifest["files"] = {k: v for k, v in manifest["files"].items() if k not in ENCODER_FILES}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _cold_ask(directory: Path) -> list[str]:
    return [sys.executable, "-m", "workshop_qa.app.cli", "ask", QUESTION, "--index", str(directory)]


def _alternate(first: list[str], second: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """Wall times of two commands run alternately, so that load on the machine hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(rounds):
        for command, samples in zip((first, second), times, strict=True):
            samples.append(_seconds(lambda c=command: subprocess.run(c, capture_output=True, check=True)))
    return times


def _seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _median(samples: list[float]) -> str:
    value = statistics.median(samples)
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.1f} ms"


if __name__ == "__main__":
    main()
