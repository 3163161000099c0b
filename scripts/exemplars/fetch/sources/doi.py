"""doi.org content negotiation: CSL-JSON for any DOI, Crossref's or DataCite's (arXiv, Zenodo).

`GET https://doi.org/<doi>` with `Accept: application/vnd.citationstyles.csl+json` redirects to
the registration agency, which answers with CSL-JSON (https://citation.crosscite.org/docs.html).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from exemplars.fetch.sources import Record, csl_author, date_parts_year, first_text
from exemplars.http import HttpClient

SOURCE = "doi"
CSL_JSON = "application/vnd.citationstyles.csl+json"
ENTRY_TYPES = {
    "article-journal": "article",
    "paper-conference": "inproceedings",
    "chapter": "incollection",
    "book": "book",
}
ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)


def csl(client: HttpClient, doi: str) -> Record | None:
    """The work registered under `doi`, or None when doi.org does not know it."""
    return client.get(SOURCE, f"/{quote(doi, safe='/()')}", accept=CSL_JSON, parse=_parse)


def _parse(body: str) -> Record:
    item: dict[str, Any] = json.loads(body)
    if not isinstance(item, dict) or "title" not in item:
        raise ValueError("not CSL-JSON")
    doi = item.get("DOI", "")
    arxiv = ARXIV_DOI.match(doi)
    return Record(
        source="doi.org",
        entry_type=ENTRY_TYPES.get(item.get("type", ""), "misc"),
        title=first_text(item.get("title")),
        authors=tuple(csl_author(person) for person in item.get("author", [])),
        year=date_parts_year(item.get("issued", {})),
        preprint=bool(arxiv) or item.get("publisher") == "arXiv",
        venue=first_text(item.get("container-title")),
        publisher=first_text(item.get("publisher")),
        volume=str(item.get("volume", "")),
        number=str(item.get("issue", "")),
        pages=str(item.get("page", "")),
        doi=doi,
        eprint=arxiv.group(1) if arxiv else "",
    )
