"""The evaluation commands on the real index and the bundled question set."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from workshop_qa.eval.data import DATA_DIR, load_qrels, load_queries, write_corpus
from workshop_qa.index.corpus import load_corpus


def test_the_question_set_is_split_and_judged():
    dev, test = load_queries("dev"), load_queries("test")
    assert len(dev) + len(test) >= 80 and dev and test
    for split, queries in (("dev", dev), ("test", test)):
        qrels = load_qrels(split)
        assert set(qrels) <= {q.id for q in queries}
        assert any(q.type == "unanswerable" and q.id not in qrels for q in queries)
        assert any(q.history for q in queries)
    corpus = [json.loads(line) for line in (DATA_DIR / "corpus.jsonl").read_text().splitlines()]
    judged = {doc for split in ("dev", "test") for docs in load_qrels(split).values() for doc in docs}
    assert judged <= {row["_id"] for row in corpus}


def test_search_writes_a_trec_run_with_follow_ups_resolved(cli_env, tmp_path):
    run = tmp_path / "run.trec"
    run_cli("search", "--queries", str(DATA_DIR / "queries.jsonl"), "--run", str(run), "-k", "10",
            env=cli_env)
    lines = [line.split() for line in run.read_text().splitlines()]
    assert all(len(parts) == 6 and parts[1] == "Q0" for parts in lines)
    first = {parts[0]: parts[2] for parts in lines if parts[3] == "1"}
    assert first["q117"].endswith("#18")  # "and which platform did she mention?" after WCO
    assert len({parts[0] for parts in lines}) == len(load_queries())
    by_query: dict[str, list[tuple[int, float]]] = {}
    for parts in lines:
        by_query.setdefault(parts[0], []).append((int(parts[3]), float(parts[4])))
    for query, ranked in by_query.items():  # lookups included: tools sort a run file by score
        scores = [score for _, score in sorted(ranked)]
        assert all(a > b for a, b in zip(scores, scores[1:], strict=False)), (query, scores)


def test_eval_prints_and_writes_the_table_and_curve(cli_env, tmp_path):
    process = run_cli("eval", "--split", "dev", "--output", str(tmp_path), env=cli_env)
    assert "| bm25 |" in process.stdout and "| dense |" in process.stdout
    assert "citation precision" in process.stdout
    results = json.loads((tmp_path / "eval-dev.json").read_text())
    default = results["retrieval"]["+ direct references (default)"]["overall"]
    assert set(default) == {"nDCG@10", "MRR@10", "R@1", "R@5"}
    assert default["MRR@10"] > results["retrieval"]["dense"]["overall"]["MRR@10"]
    assert (tmp_path / "recall-dev.png").read_bytes().startswith(b"\x89PNG")
    assert results["answers"]["verbatim_quotes"] == 1.0


def test_the_bundled_corpus_file_is_the_parsers_output(tmp_path):
    fresh = tmp_path / "corpus.jsonl"
    write_corpus([p for document in load_corpus() for p in document.passages], fresh)
    assert fresh.read_text() == (DATA_DIR / "corpus.jsonl").read_text()
