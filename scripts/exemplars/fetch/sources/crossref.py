"""Crossref's REST API: a work by DOI (`/works/{doi}`) and bibliographic search (`/works`).

Response shapes: https://api.crossref.org/swagger-ui/index.html and
https://github.com/CrossRef/rest-api-doc (a work's `title` and `subtitle` are lists, dates are
`date-parts`, people have `given`/`family` or, for organisations, `name`).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from exemplars.fetch.sources import Record, csl_author, date_parts_year, first_text, plain
from exemplars.http import HttpClient

SOURCE = "crossref"
# Crossref's work types that are citable works; peer reviews, components, datasets are not.
ENTRY_TYPES = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book-chapter": "incollection",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "posted-content": "misc",
    "report": "misc",
}
FIELDS = "DOI,title,subtitle,author,issued,type,container-title,volume,issue,page,publisher"


def work(client: HttpClient, doi: str) -> Record | None:
    """The work registered under `doi`, or None when Crossref does not know it."""
    params = {"mailto": client.contact}
    return client.get(SOURCE, f"/works/{quote(doi, safe='/()')}", params, parse=_parse_work)


def search(client: HttpClient, title: str, surname: str) -> list[Record]:
    """The top works for a title and a first author's surname."""
    params = {
        "query.bibliographic": f"{title} {surname}".strip(),
        "rows": "5",
        "select": FIELDS,
        "mailto": client.contact,
    }
    return client.get(SOURCE, "/works", params, parse=_parse_search) or []


def _parse_work(body: str) -> Record | None:
    document = json.loads(body)
    if document.get("status") != "ok" or document.get("message-type") != "work":
        raise ValueError("not a Crossref work")
    return record(document["message"])


def _parse_search(body: str) -> list[Record]:
    document = json.loads(body)
    if document.get("status") != "ok" or document.get("message-type") != "work-list":
        raise ValueError("not a Crossref work list")
    found = (record(item) for item in document["message"]["items"])
    return [r for r in found if r is not None]


def record(item: dict[str, Any]) -> Record | None:
    """A Record from one Crossref work; None for a type that is not a citable work."""
    kind = item.get("type", "")
    if kind not in ENTRY_TYPES:
        return None
    title, subtitle = first_text(item.get("title")), first_text(item.get("subtitle"))
    full_title = f"{title}: {subtitle}" if subtitle else title
    return Record(
        source=SOURCE,
        entry_type=ENTRY_TYPES[kind],
        title=full_title,
        short_title=title if subtitle else "",
        authors=tuple(csl_author(person) for person in item.get("author", [])),
        year=date_parts_year(item.get("issued", {})),
        preprint=kind == "posted-content",
        venue=first_text(item.get("container-title")),
        publisher=plain(item.get("publisher", "")),
        volume=str(item.get("volume", "")),
        number=str(item.get("issue", "")),
        pages=str(item.get("page", "")),
        doi=item.get("DOI", ""),
    )
