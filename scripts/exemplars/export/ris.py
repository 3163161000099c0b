"""The list as RIS, the tagged format EndNote, Mendeley and Zotero import, written by rispy.

Each CSL-JSON item becomes one record: its key as `ID`, so a reader's library keeps the list's
keys. The reference types are the RIS ones Zotero's RIS translator reads back as the same kind
of item (a conference paper `CPAPER`, a talk `SLIDE`); a preprint is an unpublished work.
"""

from __future__ import annotations

from collections.abc import Sequence

import rispy

from exemplars.data.csl import CslItem, issued, names, page_range, plain_text

RIS_TYPES = {
    "article-journal": "JOUR",
    "article": "UNPB",
    "paper-conference": "CPAPER",
    "book": "BOOK",
    "chapter": "CHAP",
    "speech": "SLIDE",
    "motion_picture": "VIDEO",
    "post-weblog": "BLOG",
    "webpage": "ELEC",
}
# rispy's names for the RIS tags filled from one CSL field each.
_FIELDS = {
    "title": "title",
    "container-title": "secondary_title",
    "title-short": "short_title",
    "volume": "volume",
    "issue": "number",
    "publisher": "publisher",
    "publisher-place": "place_published",
    "DOI": "doi",
    "ISBN": "issn",  # RIS keeps ISBN and ISSN in the one tag SN
    "ISSN": "issn",
}


def ris_record(item: CslItem) -> dict[str, object]:
    """One CSL-JSON item as a rispy record (tag names as rispy spells them)."""
    record: dict[str, object] = {
        "type_of_reference": RIS_TYPES.get(str(item.get("type", "")), "GEN"),
        "id": item["id"],
    }
    for field, name in _FIELDS.items():
        if item.get(field) and name not in record:
            record[name] = plain_text(item[field])
    authors = [name.inverted for name in names(item)]
    if authors:
        record["authors"] = authors
    date = issued(item)
    if date:
        record["year"] = date[:4]
        record["date"] = date.replace("-", "/")
    first, last = page_range(item)
    if first:
        record["start_page"] = first
    if last:
        record["end_page"] = last
    if item.get("URL"):
        record["urls"] = [plain_text(item["URL"])]
    return record


class _RisWriter(rispy.RisWriter):
    """rispy's RIS writer without the `1.`, `2.` line it puts before each record: that line is
    no RIS tag (rispy's documented way to drop it is an empty header)."""

    def set_header(self, count: int) -> str:
        return ""


def ris_text(items: Sequence[CslItem]) -> str:
    """Every item as one RIS file, in the order given."""
    return rispy.dumps([ris_record(item) for item in items], implementation=_RisWriter)
