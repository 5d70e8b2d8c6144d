"""The documents an index is built from: report files with optional JSON metadata beside them."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workshop_qa.index.parse import ParseError, parse_report
from workshop_qa.index.passage import HEADER_PARA, Passage
from workshop_qa.index.readers import ReaderError, read_document
from workshop_qa.index.readers.limits import check_passages

DEFAULT_CORPUS: tuple[Path, ...] = (Path(__file__).parent / "corpus" / "A_CONF.222_L.3_Add.1.txt",)


_WORD = re.compile(r"\w+")


class CorpusError(ValueError):
    """A corpus file is missing or is not a report."""


@dataclass(frozen=True)
class Document:
    """One report: its symbol, title, source file, passages and what else it says about itself."""

    symbol: str
    title: str
    path: Path
    sha256: str
    passages: tuple[Passage, ...]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportSummary:
    """What a check of a report file tells: its symbol, title, number of passages, and the
    fingerprint of its text."""

    path: Path
    symbol: str
    title: str
    passages: int
    fingerprint: str = ""


def summarize_report(path: Path) -> ReportSummary:
    """Read and parse a report file, keeping only its summary (cheap to send between processes)."""
    document = load_document(path)
    return ReportSummary(document.path, document.symbol, document.title, len(document.passages),
                         text_fingerprint(document.passages))


def text_fingerprint(passages: Sequence[Passage]) -> str:
    """The sha256 of a report's numbered paragraphs, lower-cased, as words only: the same for the
    same text whatever its format, file name or symbol (the header, which holds the symbol, is
    left out)."""
    words = (" ".join(_WORD.findall(p.text.lower())) for p in passages if p.para != HEADER_PARA)
    return hashlib.sha256("\n".join(words).encode()).hexdigest()


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_document(path: Path) -> Document:
    """Read a report file and the ``.json`` metadata beside it, which overrides what the file says."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"Corpus file not found: {path}. Give the path of a report (text, PDF or Word).")
    data = path.read_bytes()
    try:
        sidecar = _sidecar(path)
        document = read_document(data, str(path))
        symbol = sidecar.get("symbol") or document.symbol or path.stem
        passages = parse_report(document.text, symbol, source=str(path))
        check_passages(len(passages), str(path))
    except (ReaderError, ParseError) as error:
        raise CorpusError(str(error)) from None
    metadata = {**document.metadata, **{k: v for k, v in sidecar.items() if isinstance(v, str)}}
    title = sidecar.get("title") or document.title or symbol
    return Document(symbol, title, path, hashlib.sha256(data).hexdigest(), tuple(passages), metadata)


def expand_corpus(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """The corpus files: each file as given, each folder as the report files in it (not the ``.json``)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir()
                       if p.is_file() and p.suffix != ".json" and not p.name.startswith("."))
        if not found:
            raise CorpusError(f"The corpus folder {path} holds no report files; add PDF, Word or text ones.")
        files.extend(found)
    return tuple(dict.fromkeys(files))


def load_corpus(paths: tuple[Path, ...] = DEFAULT_CORPUS) -> list[Document]:
    """Load every report of a corpus; symbols must be unique."""
    documents = [load_document(path) for path in paths]
    symbols = [d.symbol for d in documents]
    duplicated = {s for s in symbols if symbols.count(s) > 1}
    if duplicated:
        raise CorpusError(f"Two corpus files share the document symbol {sorted(duplicated)}.")
    return documents


def _sidecar(path: Path) -> dict:
    """The ``.json`` metadata beside a report file, or nothing."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        metadata = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReaderError(f"{sidecar}: not a JSON object of metadata (symbol, title).") from None
    if not isinstance(metadata, dict):
        raise ReaderError(f"{sidecar}: not a JSON object of metadata (symbol, title).")
    return metadata
