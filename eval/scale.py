"""How the assistant scales from 10^3 to 10^6 passages on this machine (a script, not a test).

    python -m workshop_qa.eval.scale                    # 10^3, 10^4, 10^5 passages
    python -m workshop_qa.eval.scale --largest          # and 10^6 (about 20 min on 2 cores)

Synthetic corpora are made from the bundled report, since nothing else may be downloaded and
embedding 10^6 real passages would take days here. Each synthetic document copies the report's
layout (its 28 passages with their sections, panels, meetings and number of sentences). Every
sentence is a splice of two sentences of the report drawn at random: the words before a random cut
of one, then the words after the same relative cut of the other (a sentence that names people's
roles, such as "The workshop was moderated by ...", is kept whole and, as in the report, ends its
passage, so that every synthetic document has the report's people, not fragments of names). Its
vector is the word-weighted mean of the two sentences' real MiniLM vectors plus isotropic Gaussian
noise of norm :data:`NOISE`, renormalised; a passage's vector is the normalised mean of its
sentences'. Questions
are the evaluation set's, encoded by the real query encoder and answered end to end by
``Assistant.answer``.

For each size it reports the time to write the index (SQLite, arrays, FAISS training, BM25,
checksums; the synthetic vectors themselves are not timed), its size on disk, the resident memory
of a fresh process after opening it, warm ``ask`` latency (p50, p95), and recall@10 against exact
search: of each FAISS index on the questions' vectors (its own top 10, and its top 100 rescored with
the exact vectors, as a search uses it), and of the final top 10 passages of a search against the
same search with every inverted list probed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from numpy.lib.format import open_memmap

SIZES = (1_000, 10_000, 100_000)
LARGEST = 1_000_000
NOISE = 0.3
_SEED = 2015
_CHUNK = 1 << 17
_WORD = re.compile(r"\S+")
_ROLES = re.compile(r"moderated by|panellists:|chaired by|made by the representative")


def main() -> None:
    """Build each synthetic corpus in a scratch folder and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="passages per corpus")
    parser.add_argument("--largest", action="store_true", help=f"add {LARGEST:,} passages (about 20 min)")
    parser.add_argument("--scratch", type=Path,
                        help="folder for the synthetic indexes (default: a temporary one)")
    parser.add_argument("--output", type=Path, default=Path("eval/results"), metavar="DIR")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)  # the measuring subprocess
    args = parser.parse_args()
    if args.probe:
        _probe(args.probe)
        return
    sizes = sorted(set(args.sizes + ([LARGEST] if args.largest else [])))
    args.output.mkdir(parents=True, exist_ok=True)
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="workshop-qa-scale-"))
    report = _report_index(scratch / "report")
    rows = []
    try:
        for size in sizes:
            directory = scratch / f"synthetic-{size}"
            started = time.perf_counter()
            corpus = synthetic_corpus(report, size, scratch)
            generated = time.perf_counter() - started
            print(f"{size:,} passages: corpus made in {generated:.0f} s; writing the index", flush=True)
            from workshop_qa.index.store import write_index

            seconds = write_index(directory, *corpus, encoder_from=report)
            del corpus
            row = {"passages": size, "build_s": round(seconds, 1), "size_mb": round(_size(directory) / 1e6),
                   **_measure(directory)}
            rows.append(row)
            print(json.dumps(row), flush=True)
            shutil.rmtree(directory)
    finally:
        if not args.scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    table = format_table(rows)
    print(table)
    (args.output / "scale.md").write_text(table + "\n", encoding="utf-8")
    (args.output / "scale.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    plot(rows, args.output / "scale.png")
    print(f"\nWrote {args.output}/scale.md, scale.json and scale.png")


def synthetic_corpus(report: Path, size: int, work: Path) -> tuple:
    """``(passages, sentences, passage vectors, sentence vectors, manifest)`` of ``size`` passages
    recombined from the report indexed in ``report`` (see the module docstring); the vectors are
    memory-mapped files in ``work``."""
    from workshop_qa.index.store import load_index

    index = load_index(report)
    layout = list(index.passages)
    spans = np.asarray(index.sentences.spans)
    words = [_WORD.findall(layout[p].text[s:e]) for p, s, e in spans]
    whole = {n for n, w in enumerate(words) if _ROLES.search(" ".join(w))}
    vectors = np.asarray(index.sentence_matrix)
    per_passage = np.diff(np.asarray(index.sentences.offsets))
    rng = np.random.default_rng(_SEED + size)
    passages, rows, counts = [], [], []
    for number in range(size):
        template = layout[number % len(layout)]
        doc = f"SYN/{number // len(layout) + 1}"
        count = max(1, int(per_passage[number % len(layout)]))
        first = rng.integers(len(words), size=count)
        second = rng.integers(len(words), size=count)
        cut = rng.uniform(0.2, 0.8, size=count)
        texts, offset, sentence_rows = [], 0, []
        pairs = [(a, a, share) if a in whole else (b, b, share) if b in whole else (a, b, share)
                 for a, b, share in zip(first, second, cut, strict=True)]
        for a, b, share in sorted(pairs, key=lambda pair: pair[0] in whole):
            head = words[a][: max(1, round(share * len(words[a])))]
            tail = words[b][round(share * len(words[b])) :] or words[b][-1:]
            text = " ".join(head + tail)
            weight = len(head) / (len(head) + len(tail))
            sentence_rows.append((number, offset, offset + len(text), a, b, weight))
            texts.append(text)
            offset += len(text) + 1
        passages.append(replace(template, doc=doc, text=" ".join(texts), span=(0, offset - 1)))
        rows.extend(sentence_rows)
        counts.append(count)
    table = np.array(rows, dtype=np.float64)
    sentences = table[:, :3].astype(np.int32)
    dimension = vectors.shape[1]
    sentence_vectors = open_memmap(work / "sentence_vectors.npy", "w+", np.float32, (len(table), dimension))
    for start in range(0, len(table), _CHUNK):
        part = table[start : start + _CHUNK]
        a, b, weight = part[:, 3].astype(int), part[:, 4].astype(int), part[:, 5:6].astype(np.float32)
        mixed = weight * vectors[a] + (1 - weight) * vectors[b]
        noise = rng.standard_normal(mixed.shape).astype(np.float32)
        mixed += NOISE * noise / np.linalg.norm(noise, axis=1, keepdims=True)
        sentence_vectors[start : start + _CHUNK] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    starts = np.concatenate([[0], np.cumsum(counts)])
    passage_vectors = open_memmap(work / "passage_vectors.npy", "w+", np.float32, (size, dimension))
    for first in range(0, size, _CHUNK):
        last = min(size, first + _CHUNK)
        block = np.add.reduceat(sentence_vectors[starts[first] : starts[last]],
                                starts[first:last] - starts[first])
        passage_vectors[first:last] = block / np.linalg.norm(block, axis=1, keepdims=True)
    titles = {p.doc: f"Synthetic report {p.doc}" for p in passages[:: len(layout)]}
    manifest = {key: index.manifest[key] for key in ("model", "embed_context")}
    manifest |= {"documents": {"synthetic": f"{size} passages, seed {_SEED + size}"},
                 "document_titles": titles}
    return passages, sentences, passage_vectors, sentence_vectors, manifest


def _measure(directory: Path) -> dict:
    """Open ``directory`` in a fresh process and time warm answers there (see :func:`_probe`)."""
    process = subprocess.run([sys.executable, "-m", "workshop_qa.eval.scale", "--probe", str(directory)],
                             capture_output=True, text=True, check=True)
    return json.loads(process.stdout.strip().splitlines()[-1])


def _probe(directory: Path) -> None:
    """In this process: open the index, then print RSS, open time, warm ask p50/p95 and recall as JSON."""
    started = time.perf_counter()
    from workshop_qa.app.answer import Assistant
    from workshop_qa.app.settings import Settings
    from workshop_qa.eval.data import load_queries
    from workshop_qa.index.store import load_index
    from workshop_qa.index.vectors import exact_top_k, recall_at, top_k
    from workshop_qa.retriever.search import RetrievalConfig, Retriever

    index = load_index(directory)
    retriever = Retriever(index, RetrievalConfig())
    assistant = Assistant(retriever, Settings())
    opened = time.perf_counter() - started
    rss_open = _rss_mb()
    queries = load_queries()
    began = time.perf_counter()
    assistant.answer(queries[0].text, list(queries[0].history))  # loads the encoder, reads the vocabulary
    first = time.perf_counter() - began
    times = []
    for query in queries:
        began = time.perf_counter()
        assistant.answer(query.text, list(query.history))
        times.append(time.perf_counter() - began)
    rss_asked = _rss_mb()  # before the exact scans below map whole matrices in
    vectors = retriever.embed([q.text for q in queries])
    recall = {}
    for name, faiss_index, matrix in (("passages", index.passage_vectors, index.passage_matrix),
                                      ("sentences", index.sentence_vectors, index.sentence_matrix)):
        exact = exact_top_k(matrix, vectors, 10)
        found = np.array([np.pad(top_k(faiss_index, v, 10)[1], (0, 10), constant_values=-1)[:10]
                          for v in vectors])
        recall[name] = round(recall_at(found, exact), 3)
        recall[f"{name}_rescored"] = round(recall_at(np.array([_rescored_top_10(faiss_index, matrix, v)
                                                               for v in vectors]), exact), 3)
    exhaustive = Retriever(index, RetrievalConfig(nprobe=1 << 30))
    overlap = []
    for query in queries:
        approximate = {h.passage.id for h in retriever.search(query.text, k=10).hits}
        exact = {h.passage.id for h in exhaustive.search(query.text, k=10).hits}
        overlap.append(len(approximate & exact) / max(len(exact), 1))
    ordered = sorted(times)
    print(json.dumps({
        "index": f"{index.manifest['faiss_index']['passages']['type']} / "
                 f"{index.manifest['faiss_index']['sentences']['type']}",
        "nprobe": [index.manifest["faiss_index"][n].get("nprobe") for n in ("passages", "sentences")],
        "open_s": round(opened, 2), "first_ask_s": round(first, 2), "rss_open_mb": rss_open,
        "rss_after_mb": rss_asked,
        "ask_p50_ms": round(statistics.median(ordered) * 1000, 1),
        "ask_p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1),
        "recall10_passages": recall["passages"], "recall10_sentences": recall["sentences"],
        "recall10_passages_rescored": recall["passages_rescored"],
        "recall10_sentences_rescored": recall["sentences_rescored"],
        "recall10_search": round(float(np.mean(overlap)), 3), "questions": len(queries)}))


def _rescored_top_10(faiss_index, matrix, vector: np.ndarray) -> np.ndarray:
    """The top 10 of the index's :data:`CANDIDATES` candidates by exact score, as a search ranks them."""
    from workshop_qa.index.vectors import CANDIDATES, top_k

    found = top_k(faiss_index, vector, CANDIDATES)[1]
    best = found[np.argsort(-(np.asarray(matrix[found]) @ vector), kind="stable")[:10]]
    return np.pad(best, (0, 10 - len(best)), constant_values=-1)


def format_table(rows: list[dict]) -> str:
    """The figures as one Markdown table."""
    header = ("| passages | FAISS index (passages / sentences) | nprobe | build s | size MB "
              "| open / first ask s | RSS after open / after asking MB | ask p50 ms | ask p95 ms "
              "| recall@10 passages / sentences: index | rescored | recall@10 search |")
    lines = [header, "|" + "---|" * (header.count("|") - 1)]
    for r in rows:
        nprobe = ", ".join(str(n) for n in r["nprobe"] if n) or "–"
        lines.append(f"| {r['passages']:,} | {r['index']} | {nprobe} | {r['build_s']} "
                     f"| {r['size_mb']:,} "
                     f"| {r['open_s']} / {r['first_ask_s']} | {r['rss_open_mb']:,} / {r['rss_after_mb']:,} "
                     f"| {r['ask_p50_ms']} | {r['ask_p95_ms']} "
                     f"| {r['recall10_passages']} / {r['recall10_sentences']} "
                     f"| {r['recall10_passages_rescored']} / {r['recall10_sentences_rescored']} "
                     f"| {r['recall10_search']} |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    """Warm ask latency and memory against corpus size, log-scaled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["passages"] for r in rows]
    figure, (latency, memory) = plt.subplots(1, 2, figsize=(10, 4))
    latency.plot(sizes, [r["ask_p50_ms"] for r in rows], marker="o", label="p50")
    latency.plot(sizes, [r["ask_p95_ms"] for r in rows], marker="o", label="p95")
    latency.set(xscale="log", xlabel="passages", ylabel="warm ask (ms)", title="Answer latency")
    memory.plot(sizes, [r["rss_open_mb"] for r in rows], marker="o", label="RSS after open")
    memory.plot(sizes, [r["rss_after_mb"] for r in rows], marker="o", label="RSS after asking")
    memory.plot(sizes, [r["size_mb"] for r in rows], marker="o", label="index on disk")
    memory.set(xscale="log", yscale="log", xlabel="passages", ylabel="MB", title="Memory and disk")
    for axes in (latency, memory):
        axes.grid(alpha=0.3)
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def _report_index(directory: Path) -> Path:
    """A real index of the bundled report: its sentences, vectors and query encoder seed the corpora."""
    from workshop_qa.index.store import IndexSpec, open_index

    open_index(IndexSpec(), directory, notify=lambda line: print(line, flush=True), progress=False)
    return directory


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _rss_mb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024


if __name__ == "__main__":
    main()
