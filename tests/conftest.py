"""Shared fixtures: the real model and a real index of the bundled report, built once a session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workshop_qa.index.corpus import DEFAULT_CORPUS
from workshop_qa.index.store import IndexSpec, open_index
from workshop_qa.retriever.search import Retriever

FIXTURES = Path(__file__).parent / "fixtures"
REPORT = DEFAULT_CORPUS[0]
SYMBOL = "A/CONF.222/L.3/Add.1"


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the bundled report, built with the real embedding model."""
    directory = tmp_path_factory.mktemp("index") / "report"
    open_index(IndexSpec(), directory, notify=lambda _: None, progress=False)
    return directory


@pytest.fixture(scope="session")
def retriever(index_dir: Path) -> Retriever:
    """The default retriever over the session's index."""
    return Retriever.open(IndexSpec(), index_dir, notify=lambda _: None)


@pytest.fixture(scope="session")
def cli_env(index_dir: Path) -> dict[str, str]:
    """Environment for running the installed command against the session's index."""
    return {**os.environ, "WORKSHOP_QA_INDEX": str(index_dir)}


def run_cli(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    """Run ``workshop-qa ARGS`` in a subprocess, as a user would."""
    process = subprocess.run([sys.executable, "-m", "workshop_qa.app.cli", *args], env=env,
                             capture_output=True, text=True, timeout=300)
    if check and process.returncode != 0:
        raise AssertionError(f"exit {process.returncode}\n{process.stdout}\n{process.stderr}")
    return process


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``index`` every test that needs the real index (and so the embedding models):
    ``make test-fast`` runs the others, ``make test`` all."""
    for item in items:
        if "index_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.index)
