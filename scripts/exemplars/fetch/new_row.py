"""The new row's columns, built from the accepted record of its work.

The record decides everything it knows (title, authors as full names, year, venue, kind, DOI);
the author gives the place, the note and the date. The venue is spelled as the list spells it, or
is new, and then comes with a row for data/venues.csv.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from exemplars.data.bibliography import Bibliography
from exemplars.data.reading_list import ReadingList
from exemplars.data.schema import DOI_PATTERN, Exemplar, Venue
from exemplars.fetch.resolve import Resolution
from exemplars.fetch.sources import Record
from exemplars.fetch.venue_names import list_spelling, new_venue, venue_name

# The list's kind for each BibTeX type of a record; a `misc` is a preprint or needs --kind.
KINDS = {
    "article": "article",
    "inproceedings": "inproceedings",
    "incollection": "chapter",
    "book": "book",
}


class UnknownKind(ValueError):
    """A record whose type says nothing of the kind of work (a report, a dataset)."""


@dataclass(frozen=True)
class Placement:
    """What the author says about the new row: where it goes, the note, the date, the kind."""

    section: str
    subsection: str
    note: str
    added: dt.date
    kind: str = ""  # default: from the record


def identified_row(record: Record, doi: str = "", arxiv: str = "") -> Exemplar:
    """The work as its own record describes it, as an unvalidated row: what fetch-bib's resolver
    judges the records of the other services by (the published version of a preprint)."""
    return Exemplar.model_construct(
        key="identified",
        title=record.title,
        authors=[author.name for author in record.authors],
        year=record.year,
        kind="preprint" if record.preprint else KINDS.get(record.entry_type, "article"),
        doi=doi,
        arxiv=arxiv,
    )


def row_values(
    resolution: Resolution,
    given: Exemplar,
    placement: Placement,
    reading_list: ReadingList,
    bibliography: Bibliography,
) -> tuple[dict[str, str], Venue | None]:
    """The new row's columns (all but the key) and, for a venue new to the list, its row.

    `given` is the work as the identifier or the pasted entry gave it: its DOI's spelling, its
    arXiv id and its URL are kept when the record has none of its own.
    """
    record = resolution.chosen
    assert record is not None, "a row is built from an accepted record"
    preprint = resolution.preprint
    arxiv = given.arxiv or record.eprint or (preprint.eprint if preprint else "")
    doi = _doi(given.doi, record)
    name = venue_name(record)
    spelling = list_spelling(name, reading_list, bibliography)
    values = {
        "key": "",
        "section": placement.section,
        "subsection": placement.subsection,
        "title": record.title,
        "authors": "; ".join(author.name for author in record.authors),
        "year": str(record.year),
        "venue": spelling or name,
        "kind": placement.kind or _kind(record),
        "doi": doi,
        "arxiv": arxiv,
        "url": "" if doi or arxiv else record.url or given.url,
        "note": placement.note.strip(),
        "added": placement.added.isoformat(),
    }
    return values, None if spelling else new_venue(name, record)


def _doi(given: str, record: Record) -> str:
    """The DOI as given when it is the record's (DataCite capitalises), else the record's."""
    if given and given.lower() == record.doi.lower():
        return given
    return record.doi if re.fullmatch(DOI_PATTERN, record.doi) else ""


def _kind(record: Record) -> str:
    if record.preprint:
        return "preprint"
    if record.entry_type not in KINDS:
        raise UnknownKind(
            f"{record.describe()} is a {record.entry_type} record: say what kind of work it "
            "is with --kind"
        )
    return KINDS[record.entry_type]
