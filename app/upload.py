"""Reports added in the chat app: checked at once, kept for their owner, indexed in the background.

A report added in the app belongs to the login that added it (to the browser session when there is
no login): it is searched and shown to its owner only, who can list and remove it. A file is checked
before anything is kept (its size, its format told by its content, what it inflates to, a text
layer, numbered paragraphs, a text and a symbol its owner cannot search yet), then kept in the
owner's folder (``Settings.for_owner(...).added_dir``), then the owner's index (the shared corpus
and their reports) is built by one background worker. Reading the file and building the index run
in child processes with a time limit (and, for reading, a memory limit), so that no file can hold
the server. When the owner's index is ready the library serves them a new assistant; a request
already running keeps the assistant it started with.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.app.isolated import IsolatedError, run_isolated
from workshop_qa.app.settings import Settings
from workshop_qa.index.corpus import CorpusError, ReportSummary, summarize_report
from workshop_qa.index.readers import detect_format
from workshop_qa.index.store import default_index_dir, open_index
from workshop_qa.retriever.search import Retriever

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
CHECK_SECONDS = 60.0
CHECK_MEMORY_BYTES = 2**30
INDEX_SECONDS = 900.0
_SUFFIXES = {"pdf": ".pdf", "word": ".docx", "text": ".txt"}
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadError(ValueError):
    """A file that cannot be added; the message says why and what to give instead."""


@dataclass
class Job:
    """One report being added: where it stands, told as a sentence for the page."""

    name: str
    symbol: str
    title: str
    passages: int
    queued_at: float = field(default_factory=time.monotonic)
    started_at: float | None = None
    seconds: float | None = None
    error: str | None = None
    removal: bool = False

    @property
    def done(self) -> bool:
        """Whether the report is searchable or has failed."""
        return self.seconds is not None or self.error is not None

    def status(self) -> str:
        """Where the job stands, in one or two sentences."""
        if self.error:
            return self.error
        if self.seconds is not None and self.removal:
            return f"{self.symbol} is removed: it is no longer searched nor shown."
        if self.seconds is not None:
            return (f"{self.symbol} is indexed and searchable: {self.passages} passages, in "
                    f"{self.seconds:.0f} s.")
        if self.started_at is None:
            return f"{self.symbol} is checked and waits for the report before it to be indexed."
        elapsed = time.monotonic() - self.started_at
        return (f"Indexing {self.symbol} ({self.passages} passages): {elapsed:.0f} s so far. "
                "It becomes searchable when this is done; questions are answered meanwhile.")


SESSION_OWNER = "session:"
"""How an owner that is a browser session, not a login, is named: a login name holds no colon."""
KEPT_IN_MEMORY = 8
"""How many owners' assistants are kept open; others are opened again from their index on disk."""


def owner_key(owner: str) -> str:
    """A file-name-safe key for a login or browser session that owns reports."""
    return hashlib.sha256(owner.encode()).hexdigest()[:16]


class Library:
    """The shared assistant, and for each login (or browser session) that added reports in the
    app, an assistant over the shared corpus and that owner's reports, which no one else sees.

    The reports of a browser session last as long as the session: those a stopped server left
    behind (its sessions ended with it) are removed when the next one starts. The ``kept`` owners
    used last keep their assistant open; the others' are opened again from disk when they return.
    """

    def __init__(self, assistant: Assistant, settings: Settings,
                 notify: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
                 kept: int = KEPT_IN_MEMORY) -> None:
        self._shared = assistant
        self._settings = settings
        self._notify = notify
        self._kept = kept
        self._owned: OrderedDict[str, Assistant] = OrderedDict()
        self._lock = threading.Lock()
        self._waiting: set[tuple[str, str]] = set()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workshop-qa-index")
        for key in self._sessions():
            self._remove_files(key)

    @property
    def shared(self) -> Assistant:
        """The assistant over the shared corpus, which every user sees."""
        return self._shared

    def assistant(self, owner: str) -> Assistant:
        """The assistant to answer ``owner`` with: over their reports too, if they added any
        (an index kept from an earlier run is opened on first use); read it once per request."""
        key = owner_key(owner)
        with self._lock:
            found = self._owned.get(key)
            if found is not None:
                self._owned.move_to_end(key)
        if found is None and self._files(key):
            found = self._keep(key, Assistant(reindex(self._settings.for_owner(key), self._notify),
                                              self._settings), replacing=False)
        return found or self._shared

    def _keep(self, key: str, assistant: Assistant, replacing: bool = True) -> Assistant:
        """Keep ``assistant`` open for the owner ``key`` (unless one is open and not ``replacing``d),
        closing the one used longest ago beyond the ``kept`` owners; the assistant kept."""
        with self._lock:
            if replacing or key not in self._owned:
                self._owned[key] = assistant
            self._owned.move_to_end(key)
            while len(self._owned) > self._kept:
                self._owned.popitem(last=False)
            return self._owned[key]

    def reports(self, owner: str) -> list[dict[str, str]]:
        """The reports ``owner`` added: symbol, title and file, in the order they were indexed."""
        key = owner_key(owner)
        titles = self.assistant(owner).retriever.index.manifest.get("document_titles", {})
        shared = self._shared.retriever.index.manifest.get("document_titles", {})
        kept = {path.stem: path.name for path in self._files(key)}
        return [{"symbol": symbol, "title": title, "file": kept.get(_safe(symbol), "")}
                for symbol, title in titles.items() if symbol not in shared]

    def add(self, upload: Path, name: str, owner: str) -> Job:
        """Check ``upload`` (a file the user named ``name``), keep it among ``owner``'s reports
        and queue the indexing of their index.

        Raises :class:`UploadError` with a sentence for the user when the file cannot be added:
        unreadable, or the same text as a report ``owner`` can already search (whatever its format
        or file name), or a symbol already in it.
        """
        key = owner_key(owner)
        settings = self._settings.for_owner(key)
        folder = settings.added_dir
        folder.mkdir(parents=True, exist_ok=True)
        if owner.startswith(SESSION_OWNER):  # to be removed if the server stops before the session
            self._sessions_dir.mkdir(parents=True, exist_ok=True)
            (self._sessions_dir / key).touch()
        searched = self.assistant(owner).retriever
        with tempfile.TemporaryDirectory(prefix=".incoming-", dir=folder) as scratch:
            report = check_upload(Path(upload), name, Path(scratch))
            with self._lock:
                copy_of = searched.fingerprints.get(report.fingerprint)
                if copy_of:
                    raise UploadError(f"{Path(name).name} has the same text as {copy_of}, which is "
                                      "already searched: it was not added.")
                indexed = set(searched.index.manifest.get("document_titles", {}))
                if report.symbol in indexed or (key, report.symbol) in self._waiting:
                    raise UploadError(f"{report.symbol} is already in the index: its passages are "
                                      "searchable as they are.")
                kept = folder / kept_name(report)
                if kept.exists():
                    raise UploadError(f"A report kept as {kept.name} is waiting to be indexed; try "
                                      "again when it is done.")
                shutil.move(report.path, kept)
                self._waiting.add((key, report.symbol))
        job = Job(name, report.symbol, report.title, report.passages)
        self._worker.submit(self._index, job, key, kept)
        return job

    def remove(self, symbol: str, owner: str) -> Job:
        """Remove the report ``symbol`` that ``owner`` added, and queue the indexing of what is
        left; raises :class:`UploadError` when ``owner`` added no such report."""
        key = owner_key(owner)
        kept = next((path for path in self._files(key) if path.stem == _safe(symbol)), None)
        if kept is None:
            raise UploadError(f"You have added no report {symbol}; the reports you added are listed "
                              "under /reports.")
        kept.unlink()
        job = Job(kept.name, symbol, "", 0, removal=True)
        self._worker.submit(self._index, job, key, None)
        return job

    def forget(self, owner: str) -> None:
        """Remove every report ``owner`` added, and their index (a browser session that ended)."""
        key = owner_key(owner)
        with self._lock:
            self._owned.pop(key, None)
        self._remove_files(key)

    @property
    def _sessions_dir(self) -> Path:
        """The folder naming (by key) each browser session that has reports on disk."""
        index = Path(self._settings.index_dir or default_index_dir())
        return index.with_name(f"{index.name}.sessions")

    def _sessions(self) -> list[str]:
        folder = self._sessions_dir
        return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []

    def _remove_files(self, key: str) -> None:
        """Remove the reports and the index of the owner ``key``."""
        settings = self._settings.for_owner(key)
        shutil.rmtree(settings.added_dir, ignore_errors=True)
        shutil.rmtree(Path(settings.index_dir), ignore_errors=True)
        (self._sessions_dir / key).unlink(missing_ok=True)

    def _files(self, key: str) -> list[Path]:
        folder = self._settings.for_owner(key).added_dir
        return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def _index(self, job: Job, key: str, kept: Path | None) -> None:
        """Index the owner's corpus as it now is, then serve it to them; on failure forget the
        added file."""
        job.started_at = time.monotonic()
        settings = self._settings.for_owner(key)
        try:
            if self._files(key):
                run_isolated(build_index, settings, seconds=INDEX_SECONDS)
                retriever = reindex(settings, self._notify)
                retriever.search("warm up the new index")
                self._keep(key, Assistant(retriever, self._settings))
            else:  # the owner's last report went: the shared index serves them again
                with self._lock:
                    self._owned.pop(key, None)
                shutil.rmtree(Path(settings.index_dir), ignore_errors=True)
            job.seconds = time.monotonic() - job.started_at
            self._notify(f"{'Removed' if job.removal else 'Added'} {job.symbol} in {job.seconds:.1f} s.")
        except Exception as error:  # the worker must report every failure to the page
            traceback.print_exc()
            if kept is not None:
                kept.unlink(missing_ok=True)
            job.error = f"Indexing {job.name} failed ({error}); the report was not added."
        finally:
            with self._lock:
                self._waiting.discard((key, job.symbol))


def build_index(settings: Settings) -> None:
    """Bring the index of ``settings``' corpus up to date with its files (run in a child process)."""
    open_index(settings.index_spec, settings.index_dir,
               notify=lambda line: print(line, file=sys.stderr), progress=False)


def reindex(settings: Settings, notify: Callable[[str], None]) -> Retriever:
    """The retriever over the index of ``settings``' corpus, brought up to date with its files."""
    return Retriever.open(settings.index_spec, settings.index_dir, settings.retrieval, notify=notify,
                          progress=False)


def check_upload(upload: Path, name: str, scratch: Path) -> ReportSummary:
    """Read ``upload`` as a report, from a copy in ``scratch`` named after ``name``, in a child
    process bounded in time and memory.

    The format is told by the file's content (:func:`detect_format`), never by ``name``.
    """
    name = Path(name or upload.name).name
    size = upload.stat().st_size
    if size == 0:
        raise UploadError(f"{name} is empty: choose the report's PDF, Word or text file.")
    if size > MAX_UPLOAD_BYTES:
        raise UploadError(f"{name} is {size / 2**20:.1f} MB; a report of at most "
                          f"{MAX_UPLOAD_BYTES // 2**20} MB can be added.")
    data = upload.read_bytes()
    stem = _UNSAFE.sub("_", Path(name).stem).strip("._-")[:80] or "report"
    # Named after the user's file, which gives a plain-text report without a symbol its symbol.
    copy = scratch / (stem + _SUFFIXES[detect_format(data)])
    copy.write_bytes(data)
    try:
        return run_isolated(summarize_report, copy, seconds=CHECK_SECONDS,
                            memory_bytes=CHECK_MEMORY_BYTES)
    except CorpusError as error:
        raise UploadError(str(error).replace(str(copy), name)) from None
    except IsolatedError as error:
        raise UploadError(f"{name} could not be read as a report: {error}. Is it a report?") from None


def kept_name(report: ReportSummary) -> str:
    """The file name a report is kept under: its symbol made safe for a file name."""
    return _safe(report.symbol) + report.path.suffix


def _safe(symbol: str) -> str:
    return _UNSAFE.sub("_", symbol.replace("/", "_")).strip("._-")[:120]
