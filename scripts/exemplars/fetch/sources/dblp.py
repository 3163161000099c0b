"""DBLP's publication search API (`/search/publ/api?q=...&format=json`).

Shape (https://dblp.org/faq/How+to+use+the+dblp+search+API.html): `result.hits.hit` is a list of
hits, absent when nothing matched; each hit's `info.authors.author` is a list of
`{"@pid", "text"}` objects, or a single such object when the work has one author; `venue` and
`ee` may be a string or a list. Titles end with a full stop; homonymous authors carry a
four-digit number ("Wei Wang 0001").
"""

from __future__ import annotations

import json
import re
from typing import Any

from exemplars.fetch.sources import Record, person, plain
from exemplars.http import HttpClient

SOURCE = "dblp"
ENTRY_TYPES = {
    "Journal Articles": "article",
    "Conference and Workshop Papers": "inproceedings",
    "Parts in Books or Collections": "incollection",
    "Books and Theses": "book",
    "Informal and Other Publications": "misc",
    "Informal Publications": "misc",
}
HOMONYM_NUMBER = re.compile(r"\s+\d{4}$")
ARXIV_LINK = re.compile(r"arxiv\.org/abs/([^\s?#]+?)(v\d+)?$")


def search(client: HttpClient, title: str) -> list[Record]:
    """The top publications whose title matches `title`."""
    params = {"q": title, "format": "json", "h": "10"}
    return client.get(SOURCE, "/search/publ/api", params, parse=_parse) or []


def _parse(body: str) -> list[Record]:
    hits = json.loads(body)["result"]["hits"]
    found = hits.get("hit", [])
    found = [found] if isinstance(found, dict) else found
    records = (record(hit["info"]) for hit in found)
    return [r for r in records if r is not None]


def record(info: dict[str, Any]) -> Record | None:
    """A Record from one hit's `info`; None for editorships and other non-works."""
    entry_type = ENTRY_TYPES.get(info.get("type", ""))
    if entry_type is None:
        return None
    authors = info.get("authors", {}).get("author", [])
    authors = [authors] if isinstance(authors, dict) else authors
    venue = _one(info.get("venue"))
    links = info.get("ee", [])
    links = [links] if isinstance(links, str) else links
    arxiv = next((m.group(1) for link in links if (m := ARXIV_LINK.search(link))), "")
    preprint = venue == "CoRR"
    return Record(
        source=SOURCE,
        entry_type="misc" if preprint else entry_type,
        title=plain(info.get("title", "")).removesuffix("."),
        authors=tuple(person(HOMONYM_NUMBER.sub("", plain(_one(a)))) for a in authors),
        year=int(info["year"]) if info.get("year") else None,
        preprint=preprint,
        venue="" if preprint else venue,
        volume="" if preprint else str(info.get("volume", "")),
        number=str(info.get("number", "")),
        pages=str(info.get("pages", "")),
        doi=info.get("doi", ""),
        url=next((link for link in links if "doi.org" not in link and "arxiv.org" not in link), ""),
        eprint=arxiv,
    )


def _one(value: Any) -> str:
    """A string, the text of an `{"text": ...}` object, or the first of a list of either."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("text", "")
    return str(value or "")
