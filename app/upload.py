"""Reports added in the chat app: checked at once, kept beside the index, indexed in the background.

A file is checked before anything is kept (its size, its format told by its content, what it
inflates to, a text layer, numbered paragraphs, a symbol not yet indexed), then kept in the folder
beside the index that every later start includes in the corpus (``Settings.added_dir``), then
indexed by one background worker. Reading the file and building the index run in child processes
with a time limit (and, for reading, a memory limit), so that no file can hold the server. When the
new index is ready the library serves a new assistant; a request already running keeps the
assistant it started with.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from workshop_qa.app.answer import Assistant
from workshop_qa.app.isolated import IsolatedError, run_isolated
from workshop_qa.app.settings import Settings
from workshop_qa.index.corpus import CorpusError, ReportSummary, summarize_report
from workshop_qa.index.readers import detect_format
from workshop_qa.index.store import open_index
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

    @property
    def done(self) -> bool:
        """Whether the report is searchable or has failed."""
        return self.seconds is not None or self.error is not None

    def status(self) -> str:
        """Where the job stands, in one or two sentences."""
        if self.error:
            return self.error
        if self.seconds is not None:
            return (f"{self.symbol} is indexed and searchable: {self.passages} passages, in "
                    f"{self.seconds:.0f} s.")
        if self.started_at is None:
            return f"{self.symbol} is checked and waits for the report before it to be indexed."
        elapsed = time.monotonic() - self.started_at
        return (f"Indexing {self.symbol} ({self.passages} passages): {elapsed:.0f} s so far. "
                "It becomes searchable when this is done; questions are answered meanwhile.")


class Library:
    """The assistant serving now, and the reports added to it while the app runs."""

    def __init__(self, assistant: Assistant, settings: Settings,
                 notify: Callable[[str], None] = lambda line: print(line, file=sys.stderr)) -> None:
        self._assistant = assistant
        self._settings = settings
        self._notify = notify
        self._lock = threading.Lock()
        self._waiting: set[str] = set()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workshop-qa-index")

    @property
    def assistant(self) -> Assistant:
        """The assistant to answer with; read it once per request."""
        return self._assistant

    def add(self, upload: Path, name: str) -> Job:
        """Check ``upload`` (a file the user named ``name``), keep it and queue its indexing.

        Raises :class:`UploadError` with a sentence for the user when the file cannot be added.
        """
        folder = self._settings.added_dir
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".incoming-", dir=folder) as scratch:
            report = check_upload(Path(upload), name, Path(scratch))
            with self._lock:
                indexed = set(self._assistant.retriever.index.manifest.get("document_titles", {}))
                if report.symbol in indexed | self._waiting:
                    raise UploadError(f"{report.symbol} is already in the index: its passages are "
                                      "searchable as they are.")
                kept = folder / kept_name(report)
                if kept.exists():
                    raise UploadError(f"A report kept as {kept.name} is waiting to be indexed; try "
                                      "again when it is done.")
                shutil.move(report.path, kept)
                self._waiting.add(report.symbol)
        job = Job(name, report.symbol, report.title, report.passages)
        self._worker.submit(self._index, job, kept)
        return job

    def _index(self, job: Job, kept: Path) -> None:
        """Index the corpus with the kept file, then serve the new index; on failure forget the file."""
        job.started_at = time.monotonic()
        try:
            run_isolated(build_index, self._settings, seconds=INDEX_SECONDS)
            retriever = reindex(self._settings, self._notify)
            retriever.search("warm up the new index")
            self._assistant = Assistant(retriever, self._settings)
            job.seconds = time.monotonic() - job.started_at
            self._notify(f"Added {job.symbol} to the index in {job.seconds:.1f} s.")
        except Exception as error:  # the worker must report every failure to the page
            traceback.print_exc()
            kept.unlink(missing_ok=True)
            job.error = f"Indexing {job.name} failed ({error}); the report was not added."
        finally:
            with self._lock:
                self._waiting.discard(job.symbol)


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
    return _UNSAFE.sub("_", report.symbol.replace("/", "_")).strip("._-")[:120] + report.path.suffix
