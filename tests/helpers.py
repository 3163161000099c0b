"""Helpers the tests share: the project's root, a model row and entry, and small writers of
throwaway projects. Fixtures that use them live in conftest.py."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from exemplars.data.schema import Exemplar
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
# The quotation marks pandoc curls, straightened: what a reader sees, compared with the CSV.
CURLED = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
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


class HtmlItems(HTMLParser):
    """The list's items in HTML the post prints (exemplars.post.list_html), as dicts:
    `id`, `data` (the item's data attributes), `group` (its group's), `title`, `cites` (keys of
    its citations), `reference_id`, `reference` (text), `note`, `permalink`, `bibtex` (hrefs),
    `coins` (the titles of its COinS spans).
    Texts are single-spaced, with character references decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, Any]] = []
        self.group: dict[str, str] = {}
        self._into: list[str | None] = []  # per open element: the item field its text goes to

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        data = {k.removeprefix("data-"): v for k, v in attributes.items() if k.startswith("data-")}
        into = self._into[-1] if self._into else None
        if "exemplar-group" in classes:
            self.group = data
        elif "exemplar" in classes:
            fields = dict.fromkeys(("title", "reference", "note"), "")
            self.items.append({"id": attributes["id"], "data": data, "group": self.group})
            self.items[-1] |= fields | {"cites": [], "permalink": None, "bibtex": None, "coins": []}
            self.items[-1]["reference_id"] = None
        elif self.items and "exemplar-reference" in classes:
            self.items[-1]["reference_id"] = attributes.get("id")
            into = "reference"
        elif self.items and tag == "strong" and into is None:
            into = "title"
        elif self.items and tag == "p" and into is None and self.items[-1]["title"]:
            into = "note"  # the paragraph after the title's
        elif self.items and "citation" in classes:
            self.items[-1]["cites"] += attributes.get("data-cites", "").split()
            into = "citation"
        elif self.items and "exemplar-permalink" in classes:
            self.items[-1]["permalink"] = attributes.get("href")
        elif self.items and "Z3988" in classes:
            self.items[-1]["coins"].append(attributes.get("title", ""))
        elif self.items and "exemplar-bibtex" in classes:
            into = "bibtex"
        elif into == "bibtex" and tag == "a":
            self.items[-1]["bibtex"] = attributes.get("href")
        if tag not in VOID_ELEMENTS:
            self._into.append(into)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self._into:
            self._into.pop()

    def handle_data(self, data: str) -> None:
        into = self._into[-1] if self._into else None
        if self.items and into in ("title", "reference", "note"):
            self.items[-1][into] += data

    def close(self) -> None:
        super().close()
        for item in self.items:
            for name in ("title", "reference", "note"):
                item[name] = " ".join(item[name].split())


VOID_ELEMENTS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source"})


def html_items(html: str) -> list[dict[str, Any]]:
    """The items of the list's HTML (see HtmlItems)."""
    parser = HtmlItems()
    parser.feed(html)
    parser.close()
    return parser.items


class _EntryText(HTMLParser):
    """The text of each `ref-KEY` div of citeproc's HTML, by key."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, str] = {}
        self.key: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        ids = dict(attrs).get("id") or ""
        if tag == "div" and ids.startswith("ref-"):
            self.key = ids.removeprefix("ref-")
            self.entries[self.key] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self.key = None

    def handle_data(self, data: str) -> None:
        if self.key:
            self.entries[self.key] += data


def reference_entries(html: str) -> dict[str, str]:
    """Key -> the single-spaced text of each `ref-KEY` entry of citeproc's HTML."""
    parser = _EntryText()
    parser.feed(html)
    return {key: " ".join(text.split()) for key, text in parser.entries.items()}
