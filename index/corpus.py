"""The documents an index is built from: report text files with optional JSON metadata."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from workshop_qa.index.parse import ParseError, parse_file
from workshop_qa.index.passage import Passage

DEFAULT_CORPUS: tuple[Path, ...] = (Path(__file__).parent / "corpus" / "A_CONF.222_L.3_Add.1.txt",)


class CorpusError(ValueError):
    """A corpus file is missing or is not a report."""


@dataclass(frozen=True)
class Document:
    """One report: its symbol, title, source file and passages."""

    symbol: str
    title: str
    path: Path
    sha256: str
    passages: tuple[Passage, ...]


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_document(path: Path) -> Document:
    """Read a report file and the ``.json`` metadata beside it (symbol, title), if any."""
    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"Corpus file not found: {path}. Give the path of a plain-text report.")
    metadata_path = path.with_suffix(".json")
    metadata = json.loads(metadata_path.read_text(encoding="utf-8")) if metadata_path.is_file() else {}
    symbol = metadata.get("symbol") or path.stem
    try:
        passages = parse_file(path, symbol)
    except ParseError as error:
        raise CorpusError(str(error)) from None
    return Document(symbol, metadata.get("title", symbol), path, sha256_of(path), tuple(passages))


def load_corpus(paths: tuple[Path, ...] = DEFAULT_CORPUS) -> list[Document]:
    """Load every report of a corpus; symbols must be unique."""
    documents = [load_document(path) for path in paths]
    symbols = [d.symbol for d in documents]
    duplicated = {s for s in symbols if symbols.count(s) > 1}
    if duplicated:
        raise CorpusError(f"Two corpus files share the document symbol {sorted(duplicated)}.")
    return documents
