"""Checks between the list and references.bib: coverage, duplicates, agreement, citations.

Codes (stable): BIB001 syntax error, BIB002 other parse problem (both from
`exemplars.data.bibliography`), BIB003 row without an entry, BIB004 shared DOI, BIB005 shared title,
BIB006 title differs from the row's, BIB007 year one from the row's and not accepted, BIB008 entry
cited by no row or post, BIB009 entry marked neither curated nor fetched, BIB010 year more than one
from the row's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from exemplars.data.bibliography import (
    CURATED,
    FETCHED,
    BibEntry,
    Bibliography,
    disagreements,
)
from exemplars.data.reading_list import ListedRow, ReadingList
from exemplars.data.schema import Exemplar
from exemplars.findings import Finding, finding
from exemplars.normalise import fold
from exemplars.project import Project


def check_bibliography(
    project: Project,
    reading_list: ReadingList,
    bibliography: Bibliography,
    cited_in_pages: set[str],
) -> list[Finding]:
    """Every finding about the bibliography beyond what parsing it reported.

    `cited_in_pages` holds the keys the site's pages cite in their prose.
    """
    csv, bib, entries = project.exemplars_csv, bibliography.path, bibliography.entries
    csv_shown, bib_shown = project.shown(csv), project.shown(bib)  # as messages name them
    findings: list[Finding] = []
    for item in reading_list.exemplars:
        entry = entries.get(item.row.key)
        if entry is None:
            findings.append(_missing(csv, item, bibliography, bib_shown))
        else:
            findings += disagreements(csv, item, entry, f"{bib_shown}:{entry.line}")
    findings += _shared(bib, entries.values(), _doi_of, "BIB004", "DOI")
    findings += _shared(bib, entries.values(), _title_of, "BIB005", "title")
    cited = {row.key for row in reading_list.rows} | cited_in_pages
    for entry in entries.values():
        if entry.key not in cited:
            message = f"entry {entry.key} is cited by no row of {csv_shown} and no post"
            findings.append(finding(bib, entry.line, "BIB008", message))
        if CURATED not in entry.fields and FETCHED not in entry.fields:
            message = (
                f"entry {entry.key} is marked neither {CURATED} (checked by hand) "
                f"nor {FETCHED} (built by fetch-bib)"
            )
            findings.append(finding(bib, entry.line, "BIB009", message))
    return findings


def _missing(
    csv: Path, item: ListedRow[Exemplar], bibliography: Bibliography, bib_shown: str
) -> Finding:
    key = item.row.key
    near = next((e for e in bibliography.entries.values() if e.key.lower() == key), None)
    if near is not None:
        message = (
            f'key "{key}" has no entry in {bib_shown}: entry {near.key} on line '
            f"{near.line} differs only in case (citation keys are case-sensitive)"
        )
    else:
        message = (
            f'key "{key}" has no entry in {bib_shown}; `exemplars fetch-bib {key}` fetches one'
        )
    return finding(csv, item.line, "BIB003", message)


def _doi_of(entry: BibEntry) -> str:
    doi = entry.doi.strip().lower()
    for prefix in ("https://doi.org/", "http://dx.doi.org/", "doi:"):
        doi = doi.removeprefix(prefix)
    return doi


def _title_of(entry: BibEntry) -> str:
    return fold(entry.title)


def _shared(
    bib: Path,
    entries: Iterable[BibEntry],
    value_of: Callable[[BibEntry], str],
    code: str,
    what: str,
) -> list[Finding]:
    """An error for each entry whose value an earlier entry already has."""
    first: dict[str, BibEntry] = {}
    findings = []
    for entry in entries:
        value = value_of(entry)
        if value and value in first:
            earlier = first[value]
            message = (
                f"entry {entry.key} has the same {what} as entry {earlier.key} "
                f"on line {earlier.line}"
            )
            findings.append(finding(bib, entry.line, code, message))
        elif value:
            first[value] = entry
    return findings
