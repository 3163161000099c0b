"""Shared fixtures: throwaway projects built from the real files or from a few rows."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from scripts.schema import EXEMPLAR_COLUMNS, VENUE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
BLOG = ROOT / "tests" / "fixtures" / "_blog"

ROW = {
    "key": "kingma2014autoencoding",
    "section": "Probabilistic Modelling and Inference (PMI)",
    "subsection": "Inference",
    "title": "Auto-Encoding Variational Bayes",
    "authors": "Diederik P. Kingma; Max Welling",
    "year": "2014",
    "venue": "ICLR",
    "kind": "inproceedings",
    "doi": "",
    "arxiv": "1312.6114",
    "url": "",
    "note": "Introduces the reparameterisation trick for training latent-variable models.",
    "added": "2024-11-04",
}
VENUE = {"venue": "ICLR", "label": "ICLR", "type": "conference"}


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]], **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=options.pop("encoding", "utf-8")) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, **options)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**changes: str) -> dict[str, str]:
    return ROW | changes


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """A project with two valid rows; tests change one thing and look at the report."""
    write_csv(
        tmp_path / "data" / "exemplars.csv", EXEMPLAR_COLUMNS, [row(), row(key="b2020x", title="B")]
    )
    write_csv(tmp_path / "data" / "venues.csv", VENUE_COLUMNS, [VENUE])
    return tmp_path


@pytest.fixture
def blog_project(tmp_path: Path) -> Path:
    """A copy of a minimal blog (tests/fixtures/_blog): list, venues, bibliography and pages."""
    return Path(shutil.copytree(BLOG, tmp_path / "blog"))


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    """A copy of this repository's project files."""
    for name in ("data", "posts", "references.bib", "_quarto.yml", "index.qmd", "about.qmd"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.exists():
            shutil.copy2(source, tmp_path / name)
    return tmp_path


def snapshot(folder: Path) -> dict[str, str]:
    """Content hashes of every file under a folder, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
