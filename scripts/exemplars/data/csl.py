"""The list's references as CSL-JSON items: references.bib converted once by pandoc.

CSL-JSON is what citeproc and Zotero read, and the one form from which every format readers take
away is made (the CSL-JSON and RIS downloads, the COinS on the post), so all of them say what
the bibliography says. Pandoc converts the whole file in one run (`pandoc -f bibtex -t
csljson`), a fraction of a second for a thousand entries; it is never run once per entry.

Two gaps of the conversion are filled from the row, the list's own record of the work:
- an entry pandoc cannot type (`@misc`) gets the CSL type of the row's kind, since a CSL item
  without a type is not valid CSL;
- an entry without a DOI or a URL gets the row's, or its arXiv address, so that every reader
  can find the work from the item alone.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exemplars.data.schema import Exemplar
from exemplars.textio import write_text_atomically

CslItem = dict[str, Any]

ARXIV_ABS = "https://arxiv.org/abs/"
# The CSL type of each kind of the list, for entries that do not say (CSL 1.0.2's types:
# https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types; a preprint is
# an `article`, a tutorial and a talk a `speech`).
KIND_TYPES = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "book": "book",
    "chapter": "chapter",
    "tutorial": "speech",
    "talk": "speech",
    "video": "motion_picture",
    "post": "post-weblog",
    "preprint": "article",
}


class CslUnavailable(RuntimeError):
    """Pandoc could not convert the bibliography; the message holds what it said."""


@dataclass(frozen=True)
class ListItems:
    """The CSL items of the list's rows, in list order, and the keys the bibliography lacks."""

    items: list[CslItem]
    missing: list[str]

    def by_key(self) -> dict[str, CslItem]:
        return {item["id"]: item for item in self.items}


def bibliography_items(
    bibliography: Path, pandoc: str, cache: Path | None = None
) -> dict[str, CslItem]:
    """Every entry of a BibTeX file as a CSL-JSON item, by key, from one run of `pandoc`.

    With a `cache` file, the conversion is kept there with a fingerprint of the bibliography's
    bytes and of the pandoc binary, and reused while both are unchanged: the post's cell and
    `exemplars export` convert the same file once per render, and a preview's save that leaves
    the bibliography alone converts nothing.
    """
    text = bibliography.read_bytes()
    fingerprint = _fingerprint(text, pandoc)
    if cache is not None and (kept := _cached(cache, fingerprint)) is not None:
        return kept
    command = [pandoc, "--from=bibtex", "--to=csljson", str(bibliography)]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}"
        raise CslUnavailable(f"pandoc could not convert {bibliography} to CSL-JSON: {said}")
    items = {str(item["id"]): item for item in json.loads(result.stdout)}
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(cache, json.dumps({"fingerprint": fingerprint, "items": items}))
    return items


def _fingerprint(text: bytes, pandoc: str) -> str:
    binary = Path(pandoc).stat()
    digest = hashlib.sha256(text)
    digest.update(f"{pandoc}:{binary.st_size}:{binary.st_mtime_ns}".encode())
    return digest.hexdigest()


def _cached(cache: Path, fingerprint: str) -> dict[str, CslItem] | None:
    try:
        kept = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # none yet, or unreadable: converted again and rewritten
    if not isinstance(kept, dict) or kept.get("fingerprint") != fingerprint:
        return None
    return kept.get("items")


def list_items(rows: Sequence[Exemplar], entries: Mapping[str, CslItem]) -> ListItems:
    """The item of each row, with the gaps the row can fill filled (see the module's notes)."""
    items, missing = [], []
    for row in rows:
        entry = entries.get(row.key)
        if entry is None:
            missing.append(row.key)
        else:
            items.append(completed(entry, row))
    return ListItems(items, missing)


def completed(entry: CslItem, row: Exemplar) -> CslItem:
    """A copy of `entry` with its id the row's key, and a type and locators from the row where
    the entry has none."""
    item = dict(entry, id=row.key)
    if not item.get("type"):
        item["type"] = KIND_TYPES[row.kind]
    if not item.get("DOI") and row.doi:
        item["DOI"] = row.doi
    if not item.get("URL") and (row.url or row.arxiv):
        item["URL"] = row.url or ARXIV_ABS + row.arxiv
    return item


# The rich-text markup CSL-JSON allows in a field (italics, bold, super- and subscript, small
# capitals, text protected from case changes); a plain-text format keeps the words only.
# https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html#html-like-formatting-tags
_MARKUP = re.compile(r"</?(?:i|b|sup|sub)>|<span (?:class=\"nocase\"|style=\"[^\"]*\")>|</span>")
_PAGE_RANGE = re.compile(r"\s*[-\u2013\u2014]+\s*")


def plain_text(value: object) -> str:
    """A CSL field as plain text: markup removed, whitespace runs made one space."""
    return " ".join(_MARKUP.sub("", str(value)).split())


@dataclass(frozen=True)
class Name:
    """A CSL name: a person's family name (its particles included) and given names, or an
    organisation's or a single name as `literal`."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def inverted(self) -> str:
        """`Family, Given`, the form reference managers split without guessing."""
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def natural(self) -> str:
        """`Given Family`, as a reader writes the name."""
        return self.literal or " ".join(part for part in (self.given, self.family) if part)


def names(item: CslItem, role: str = "author") -> list[Name]:
    """The item's names in a role (`author`, `editor`), in order."""
    found = []
    for name in item.get(role) or []:
        if name.get("literal"):
            found.append(Name(literal=plain_text(name["literal"])))
            continue
        particles = [name.get(part, "") for part in ("dropping-particle", "non-dropping-particle")]
        family = " ".join(plain_text(part) for part in (*particles, name.get("family", "")) if part)
        found.append(Name(family=family, given=plain_text(name.get("given", ""))))
    return found


def issued(item: CslItem) -> str:
    """The date of issue as ISO 8601 to the precision known (`2018`, `2018-09`, `2018-09-03`),
    or "" when the item has none."""
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    numbers = [int(part) for part in parts[0][:3] if str(part).lstrip("-").isdigit()]
    if not numbers:
        return ""
    return "-".join([f"{numbers[0]:04d}", *(f"{part:02d}" for part in numbers[1:])])


def page_range(item: CslItem) -> tuple[str, str]:
    """The first and last page (`("538", "558")`); the last is "" for a single page."""
    pages = plain_text(item.get("page", ""))
    if not pages:
        return "", ""
    first, _, last = _PAGE_RANGE.sub("-", pages).partition("-")
    return first, last
