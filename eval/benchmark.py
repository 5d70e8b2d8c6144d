"""Print start-up, warm search and warm answer times on this machine (a script, not a test)."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.app.conversation import resolve
from workshop_qa.app.settings import from_environment
from workshop_qa.eval.data import load_queries
from workshop_qa.retriever.search import Retriever


def _milliseconds(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (f"median {statistics.median(samples) * 1000:.1f} ms, mean "
            f"{statistics.mean(samples) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


def main() -> None:
    """Time every evaluation question through search and through the assistant."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, help="index folder (default: the settings')")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    settings = from_environment().with_overrides(index_dir=args.index)
    started = time.perf_counter()
    retriever = Retriever.open(settings.index_spec, settings.index_dir, settings.retrieval)
    opened = time.perf_counter()
    retriever.search("Who moderated the workshop?")
    first = time.perf_counter()
    print(f"open index {opened - started:.2f} s; first search (loads the model) {first - opened:.2f} s")
    queries = [resolve(q.text, list(q.history)) for q in load_queries()]
    assistant = Assistant(retriever, settings)
    searches, answers = [], []
    for _ in range(args.rounds):
        for query in queries:
            t = time.perf_counter()
            retriever.search(query)
            searches.append(time.perf_counter() - t)
            t = time.perf_counter()
            assistant.answer(query)
            answers.append(time.perf_counter() - t)
    print(f"warm search over {len(searches)} queries: {_milliseconds(searches)}")
    print(f"warm answer over {len(answers)} queries: {_milliseconds(answers)}")


if __name__ == "__main__":
    main()
