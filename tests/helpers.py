"""Helpers the tests share: the project's root, a model row and entry, and small writers of
throwaway projects. Fixtures that use them live in conftest.py."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exemplars.data.schema import Exemplar
from pydantic import ValidationError

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
# The entries of the two rows of `small_project`, in the curated style of references.bib.
BIB = """@inproceedings{kingma2014autoencoding,
  author = {Kingma, Diederik P. and Welling, Max},
  title = {Auto-Encoding Variational {Bayes}},
  year = {2014},
  booktitle = {International Conference on Learning Representations ({ICLR})},
  eprint = {1312.6114},
  archiveprefix = {arXiv},
  x-curated = {arxiv.org/abs/1312.6114}
}

@misc{b2020x,
  author = {Doe, Jane},
  title = {B},
  year = {2014},
  x-curated = {made up for the tests}
}
"""


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]], **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=options.pop("encoding", "utf-8")) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, **options)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**changes: str) -> dict[str, str]:
    return ROW | changes


def write_bib(root: Path, rows: list[dict[str, str]]) -> Path:
    """An entry for each row that passes the schema, so a test sees only the list's problems."""
    entries: dict[str, str] = {}
    for values in rows:
        try:
            Exemplar.model_validate(values)
        except ValidationError:
            continue
        entries.setdefault(
            values["key"],
            f"@misc{{{values['key']},\n  title = {{{values['title']}}},\n"
            f"  year = {{{values['year']}}},\n  x-curated = {{made up for the tests}}\n}}\n",
        )
    path = root / "references.bib"
    path.write_text("\n".join(entries.values()), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Content hashes of every file under a folder, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# Per module, not per session: Playwright's sync API keeps an event loop running while it is
# open, and tests that call asyncio.run() (the link checker's) fail inside a running loop.


def ast_nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every element of a pandoc JSON AST (or part of one), depth first."""
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from ast_nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from ast_nodes(item)
