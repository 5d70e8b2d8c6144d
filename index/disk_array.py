"""Large arrays on disk (``.npy`` files) read by rows: vector matrices and BM25 postings.

A search reads a few hundred rows of the vector matrices (the candidates it rescores exactly) and
the postings of the question's words. Read through a memory map, every row read would map the
64 KB around it into the process as well (the kernel faults pages around the one asked for,
whatever ``madvise`` says), and those pages stay: at 10^6 passages a few hundred questions grew the
process by gigabytes (``python -m workshop_qa.eval.scale``). Rows read with ``pread`` cost only the
page cache, which the system reclaims when it needs the memory. Arrays used whole, such as the
per-passage metadata that filters mask, stay memory-mapped (:mod:`workshop_qa.index.metadata`).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from numpy.lib import format as npy

_LOADED_BYTES = 1 << 20


class DiskArray:
    """A read-only C-ordered ``.npy`` array, indexed along its first axis like a numpy array (an
    int, a slice or an array of ints); every read returns a new in-memory array."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - open while the index is
        version = npy.read_magic(self._file)
        header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
        shape, fortran_order, dtype = header(self._file)
        if fortran_order or not shape:
            raise ValueError(f"{path.name} is not a C-ordered array")
        self.shape: tuple[int, ...] = shape
        self.dtype = np.dtype(dtype)
        self._offset = self._file.tell()
        self._row_bytes = int(np.prod(shape[1:], dtype=np.int64)) * self.dtype.itemsize
        self._fd = self._file.fileno()
        if os.fstat(self._fd).st_size != self._offset + shape[0] * self._row_bytes:
            raise ValueError(f"{path.name} is truncated")

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key: int | slice | np.ndarray | list[int]) -> np.ndarray:
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step == 1:
                return self._read(start, max(0, stop - start))
            key = np.arange(start, stop, step)
        if np.ndim(key) == 0:
            row = int(key) + len(self) if int(key) < 0 else int(key)
            if not 0 <= row < len(self):
                raise IndexError(f"row {key} out of range for {len(self)} rows")
            return self._read(row, 1)[0]
        rows = np.asarray(key, dtype=np.int64).ravel()
        if len(rows) and (rows.min() < 0 or rows.max() >= len(self)):
            raise IndexError(f"rows out of range for {len(self)} rows")
        block = np.empty((len(rows), *self.shape[1:]), self.dtype)
        if not len(rows):
            return block
        order = np.argsort(rows, kind="stable")
        ordered = rows[order]
        runs = np.flatnonzero(np.diff(ordered) != 1) + 1  # consecutive rows are read at once
        starts, stops = np.concatenate([[0], runs]), np.concatenate([runs, [len(rows)]])
        into, size = memoryview(block.reshape(-1).view(np.uint8)), self._row_bytes
        for first, last, row in zip(starts.tolist(), stops.tolist(), ordered[starts].tolist(), strict=True):
            self._read_into(into[first * size : last * size], self._offset + row * size)
        out = np.empty_like(block)
        out[order] = block
        return out

    def __array__(self, dtype: np.dtype | None = None, copy: bool | None = None) -> np.ndarray:
        whole = self._read(0, len(self))
        return whole if dtype is None else whole.astype(dtype, copy=False)

    def _read(self, start: int, count: int) -> np.ndarray:
        block = np.empty((count, *self.shape[1:]), self.dtype)
        self._read_into(memoryview(block.reshape(-1).view(np.uint8)), self._offset + start * self._row_bytes)
        return block

    def _read_into(self, view: memoryview, position: int) -> None:
        while len(view):
            done = os.preadv(self._fd, [view], position)
            if done <= 0:
                raise OSError(f"short read at byte {position}")
            view, position = view[done:], position + done


def open_disk_array(path: Path) -> np.ndarray | DiskArray:
    """The array in ``path``: read whole when small, else a :class:`DiskArray`."""
    if path.stat().st_size <= _LOADED_BYTES:
        return np.load(path, allow_pickle=False)
    return DiskArray(path)
