"""arXiv's API (`/api/query?id_list=...`), which answers in Atom.

Shape (https://info.arxiv.org/help/api/user-manual.html): one `entry` per identifier, with
`published` (the first version's date), `title` wrapped over lines, `author/name`, and in the
arXiv namespace `doi` and `journal_ref` when the authors linked a published version, and
`primary_category`. An identifier arXiv does not know gives an entry whose `id` points at
`/api/errors`, or no entry.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from exemplars.fetch.sources import Record, person
from exemplars.http import HttpClient

SOURCE = "arxiv"
NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
ABS_ID = re.compile(r"/abs/(.+?)(v\d+)?$")


def by_id(client: HttpClient, arxiv_id: str) -> Record | None:
    """The preprint with this identifier, dated by its first version; None when unknown."""
    params = {"id_list": arxiv_id, "max_results": "1"}
    return client.get(SOURCE, "/api/query", params, accept="application/atom+xml", parse=_parse)


def _parse(body: str) -> Record | None:
    try:
        feed = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if feed.tag != f"{{{NS['atom']}}}feed":
        raise ValueError("not an Atom feed")
    entry = feed.find("atom:entry", NS)
    if entry is None:
        return None
    found = ABS_ID.search(entry.findtext("atom:id", "", NS))
    if found is None:  # an error entry: /api/errors#incorrect_id_format_for_...
        return None
    primary = entry.find("arxiv:primary_category", NS)
    return Record(
        source=SOURCE,
        entry_type="misc",
        title=" ".join(entry.findtext("atom:title", "", NS).split()),
        authors=tuple(
            person(name.text or "") for name in entry.findall("atom:author/atom:name", NS)
        ),
        year=int(entry.findtext("atom:published", "", NS)[:4]),
        preprint=True,
        eprint=found.group(1),
        primary_class=primary.get("term", "") if primary is not None else "",
        linked_doi=entry.findtext("arxiv:doi", "", NS).strip(),
    )
