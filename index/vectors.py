"""FAISS indexes over passage or sentence vectors: exact when small, IVF when large, chosen by size.

Below :data:`EXACT_LIMIT` vectors an exact inner-product scan costs a few milliseconds on one core
(4.3 ms at 50,000 vectors of 384 dimensions, measured here with ``python -m workshop_qa.eval.scale``),
so the index is ``IndexFlatIP``. Above it the index is an inverted file over about sqrt(n) k-means
lists with an HNSW coarse quantizer and 8-bit scalar codes (``IVF{nlist}_HNSW32,SQ8``), trained on
the corpus itself. Its ``nprobe`` is the smallest power of two whose top :data:`CANDIDATES` (the
candidates a search rescores exactly) hold :data:`TARGET_RECALL` of the exact top 10, for queries
made of the corpus: the normalised sum of two random vectors of the other kind (sentences for the
passage index, passages for the sentence one), which lie as far from any one vector as questions
do. On the scaling benchmark's 10^5 passages, sentences alone as queries chose an ``nprobe`` that
found 0.87 of the exact top 10 for the evaluation questions; these mixtures found 0.98 and more.
Scores that rank passages are recomputed exactly from the stored float vectors, so the
approximation only decides candidates.
"""

from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

EXACT_LIMIT = 50_000
TARGET_RECALL = 0.97
CANDIDATES = 100
EXACT_TYPE = "IndexFlatIP"
_CALIBRATION_QUERIES = 256
_TRAINING_POINTS_PER_LIST = 48
_CHUNK = 1 << 16
_SEED = 13


def index_type_for(count: int) -> str:
    """The FAISS index type (factory string) for ``count`` vectors."""
    if count < EXACT_LIMIT:
        return EXACT_TYPE
    nlist = 2 ** round(math.log2(math.sqrt(count)))
    return f"IVF{nlist}_HNSW32,SQ8"


def build_vector_index(vectors: np.ndarray, queries: np.ndarray) -> tuple[faiss.Index, dict]:
    """An index over ``vectors`` (rows may be memory-mapped) and its manifest entry.

    ``queries`` are vectors like those the index will be searched with (for passages, sentences),
    used to choose ``nprobe`` for an IVF index.
    """
    count, dimension = vectors.shape
    kind = index_type_for(count)
    if kind == EXACT_TYPE:
        index = faiss.IndexFlatIP(dimension)
        _add(index, vectors)
        return index, {"type": kind, "count": count}
    index = faiss.index_factory(dimension, kind, faiss.METRIC_INNER_PRODUCT)
    ivf = faiss.extract_index_ivf(index)
    rng = np.random.default_rng(_SEED)
    sample = np.sort(rng.choice(count, min(count, ivf.nlist * _TRAINING_POINTS_PER_LIST), replace=False))
    ivf.cp.niter = 10
    ivf.cp.max_points_per_centroid = _TRAINING_POINTS_PER_LIST
    index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
    _add(index, vectors)
    nprobe, recall = calibrate_nprobe(index, vectors, _mixtures(queries, rng))
    return index, {"type": kind, "count": count, "nlist": ivf.nlist, "nprobe": nprobe,
                   "calibration_recall_10_at_100": round(recall, 4)}


def calibrate_nprobe(index: faiss.Index, vectors: np.ndarray, queries: np.ndarray,
                     target: float = TARGET_RECALL) -> tuple[int, float]:
    """The smallest power-of-two ``nprobe`` whose top :data:`CANDIDATES` hold ``target`` of the
    exact top 10, and that share."""
    exact = exact_top_k(vectors, queries, 10)
    nlist = faiss.extract_index_ivf(index).nlist
    nprobe, found = 1, 0.0
    while True:
        _, ids = index.search(queries, CANDIDATES, params=_ivf_parameters(index, nprobe))
        found = recall_at(ids, exact)
        if found >= target or nprobe >= nlist:
            return nprobe, found
        nprobe *= 2


def exact_top_k(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Ids of the exact top ``k`` rows of ``vectors`` by inner product, per query, scanning in chunks."""
    best_ids = np.empty((len(queries), 0), dtype=np.int64)
    best_scores = np.empty((len(queries), 0), dtype=np.float32)
    for start in range(0, len(vectors), _CHUNK):
        scores = queries @ np.asarray(vectors[start : start + _CHUNK], dtype=np.float32).T
        keep = np.argpartition(-scores, min(k, scores.shape[1]) - 1, axis=1)[:, :k]
        scores = np.hstack([best_scores, np.take_along_axis(scores, keep, 1)])
        ids = np.hstack([best_ids, keep + start])
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        best_scores, best_ids = np.take_along_axis(scores, order, 1), np.take_along_axis(ids, order, 1)
    return best_ids


def recall_at(found: np.ndarray, exact: np.ndarray) -> float:
    """Mean share of each row of ``exact`` that the same row of ``found`` contains."""
    shares = [len(set(f[f >= 0]) & set(e)) / len(e) for f, e in zip(found, exact, strict=True) if len(e)]
    return float(np.mean(shares)) if shares else 1.0


def write_vector_index(index: faiss.Index, path: Path) -> None:
    """Write ``index`` to ``path``."""
    faiss.write_index(index, str(path))


def read_vector_index(path: Path, entry: dict) -> faiss.Index:
    """Read an index written by :func:`write_vector_index`; IVF lists are memory-mapped."""
    if entry["type"] == EXACT_TYPE:
        return faiss.read_index(str(path))
    index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
    faiss.extract_index_ivf(index).nprobe = entry["nprobe"]
    return index


def top_k(index: faiss.Index, vector: np.ndarray, k: int, allowed: np.ndarray | None = None,
          nprobe: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Scores and ids of the ``k`` nearest vectors to one query, among ``allowed`` ids when given
    (a boolean mask over the index); ``nprobe`` overrides the index's own for an IVF index."""
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    selector = bitmap = None
    if allowed is not None:
        bitmap = np.packbits(allowed, bitorder="little")
        selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bitmap))
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        params = faiss.SearchParameters(sel=selector)
    else:
        params = _ivf_parameters(index, nprobe or ivf.nprobe, selector)
    scores, ids = index.search(np.asarray(vector, dtype=np.float32).reshape(1, -1), k, params=params)
    del bitmap
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


def _ivf_parameters(index: faiss.Index, nprobe: int, selector: faiss.IDSelector | None = None):
    """Search parameters probing ``nprobe`` lists, with an HNSW coarse quantizer searched widely
    enough to find them (its default breadth of 16 would cap what more probes can find)."""
    ivf = faiss.extract_index_ivf(index)
    nprobe = min(nprobe, ivf.nlist)
    quantizer = faiss.downcast_index(ivf.quantizer)
    wide = (faiss.SearchParametersHNSW(efSearch=max(64, 2 * nprobe))
            if isinstance(quantizer, faiss.IndexHNSW) else None)
    return faiss.SearchParametersIVF(sel=selector, nprobe=nprobe, quantizer_params=wide)


def _mixtures(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Normalised sums of two random rows of ``vectors``: question-like calibration queries."""
    if not len(vectors):
        return np.zeros((0, vectors.shape[1]), dtype=np.float32)
    first, second = np.sort(rng.integers(len(vectors), size=(2, _CALIBRATION_QUERIES)), axis=1)
    mixed = np.asarray(vectors[first], dtype=np.float32) + np.asarray(vectors[second], dtype=np.float32)
    return mixed / np.maximum(np.linalg.norm(mixed, axis=1, keepdims=True), 1e-12)


def _add(index: faiss.Index, vectors: np.ndarray) -> None:
    for start in range(0, len(vectors), _CHUNK):
        index.add(np.ascontiguousarray(vectors[start : start + _CHUNK], dtype=np.float32))
