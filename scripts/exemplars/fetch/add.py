"""`exemplars add`: one new exemplar from a DOI, an arXiv id, a URL or a pasted BibTeX entry.

The work is found and verified as fetch-bib finds and verifies a row's (`fetch.resolve`, the same
services, the same rules, a published version preferred to a preprint); the row, a venues.csv row
when the venue is new, and the BibTeX entry are all built from the accepted record, then written
together or not at all (`fetch.transaction`). Nothing is written when the work is already on the
list or no record can be verified.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exemplars.config import load_settings
from exemplars.data.bibliography import (
    Bibliography,
    disagreements,
    load_bibliography,
    parse_bibliography,
)
from exemplars.data.reading_list import ReadingList, load_reading_list, validate_rows
from exemplars.data.schema import DOI_PATTERN, EXEMPLAR_COLUMNS, Exemplar, Venue
from exemplars.data.table import Record as CsvRecord
from exemplars.data.table import read_text
from exemplars.fetch import pasted as pasted_entry
from exemplars.fetch import transaction
from exemplars.fetch.bibtex_writer import entry_text
from exemplars.fetch.fetch_bib import existing_bibliography
from exemplars.fetch.identifiers import Identifier
from exemplars.fetch.keys import checked_key, citation_key
from exemplars.fetch.merge import BibFile
from exemplars.fetch.pasted import PastedEntry
from exemplars.fetch.placement import (
    UnknownGroup,
    appended_row,
    csv_line,
    insertion_line,
    with_row,
)
from exemplars.fetch.resolve import Lookups, Resolution, resolve
from exemplars.fetch.sources import Record
from exemplars.fetch.venue_names import list_spelling, new_venue, venue_name
from exemplars.findings import Finding, finding
from exemplars.http import FetchError, HttpClient, NotCached
from exemplars.normalise import normalise_title
from exemplars.project import Project

BOM = "\ufeff"
# A cell of the post that shows one group: `sections.markdown("Section", "Subsection")`.
GROUP_CELL = re.compile(
    r"""sections\.markdown\(\s*(["'])(?P<section>.*?)\1\s*"""
    r"""(?:,\s*(["'])(?P<subsection>.*?)\3\s*)?\)"""
)
# The list's kind for each BibTeX type of a record; a `misc` is a preprint or needs --kind.
KINDS = {
    "article": "article",
    "inproceedings": "inproceedings",
    "incollection": "chapter",
    "book": "book",
}


@dataclass(frozen=True)
class AddOptions:
    section: str
    subsection: str = ""
    note: str = ""
    key: str = ""
    kind: str = ""
    added: dt.date | None = None  # default: today
    dry_run: bool = False
    offline: bool = False


@dataclass
class Addition:
    """What was added (or, under --dry-run, would be) and what was found about it."""

    row: Exemplar
    row_text: str  # the CSV line(s) as written
    line: int  # of the row in data/exemplars.csv
    entry: str
    venue: Venue | None  # the new venues.csv row, if any
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0


class Refused(Exception):
    """The work is already on the list, or no record of it could be verified (exit 1)."""

    def __init__(self, found: Finding) -> None:
        super().__init__(found.message)
        self.finding = found


class AddUsageError(ValueError):
    """Options that do not make an addition: a bad --key, no note, an unusable entry (exit 2)."""


NoteAsker = Callable[[str], str]  # the work's title -> the note the author types


def add_exemplar(
    project: Project,
    source: Identifier | PastedEntry,
    options: AddOptions,
    ask_note: NoteAsker | None = None,
    notify: Callable[[str], None] = lambda message: None,
) -> Addition:
    """Find, verify and add one work as `options` say; progress goes to `notify`.

    Raises Refused, AddUsageError, UnreadableInput, UnusableBibliography, MissingContact.
    """
    targets = [project.exemplars_csv, project.venues_csv, project.bibliography]
    if transaction.recover(project.root, targets):
        notify("an interrupted `exemplars add` was undone: the list is as it was before it")
    reading_list = load_reading_list(project)
    bibliography = existing_bibliography(project)
    csv_text = _raw_text(project, project.exemplars_csv)
    try:
        group = (options.section, options.subsection)
        line = insertion_line(reading_list.exemplars, csv_text, group, *_post(project))
    except UnknownGroup as exc:
        raise Refused(
            finding(project.shown(project.exemplars_csv), 1, "ADD002", str(exc))
        ) from None
    taken = [row.key for row in reading_list.rows] + list(bibliography.entries)
    if options.key:
        checked_key(options.key, taken)
    if not (options.note or ask_note or options.dry_run):
        raise AddUsageError("no note: give one with --note (on a terminal, add asks for it)")
    _refuse_duplicates(project, reading_list, _identifiers_of(source))
    resolution, arxiv, requests = _resolved(project, source, options, line, notify)
    row_values, venue = _row_values(resolution, source, arxiv, options, reading_list, bibliography)
    _refuse_duplicates(project, reading_list, row_values)
    row_values["key"] = options.key or citation_key(
        resolution.chosen.authors[0] if resolution.chosen.authors else None,
        int(row_values["year"]),
        row_values["title"],
        taken,
    )
    if not row_values["note"] and ask_note and not options.dry_run:
        row_values["note"] = ask_note(row_values["title"]).strip()
    row = _validated(project, row_values, line, options.dry_run)
    entry = _entry(project, row, resolution, line)
    addition = _compose(project, row, row_values, line, entry, venue, csv_text, bibliography)
    addition.requests = requests
    if isinstance(source, PastedEntry):
        addition.findings += pasted_entry.disagreements(source, row, resolution.chosen.describe())
    if not options.dry_run:
        transaction.write_all(project.root, addition.texts)
        addition.findings += _checks_of(project, addition)
    return addition


def _raw_text(project: Project, path: Path) -> str:
    """A file's text with its byte-order mark, if any, so that it is written back as it was."""
    text = read_text(path, project.shown(path))
    return BOM + text if path.read_bytes().startswith(BOM.encode()) else text


def _post(project: Project) -> tuple[str, list[tuple[str, str]]]:
    """The post that shows the list, and the groups its cells ask for, in its order."""
    for page in sorted(project.posts.rglob("*.qmd")):
        text = page.read_text(encoding="utf-8", errors="replace")
        cells = [(m["section"], m["subsection"] or "") for m in GROUP_CELL.finditer(text)]
        if cells:
            return project.shown(page), cells
    return "the post", []


def _identifiers_of(source: Identifier | PastedEntry) -> dict[str, str]:
    if isinstance(source, PastedEntry):
        return {"doi": source.doi, "arxiv": source.arxiv, "title": source.title}
    return {source.kind: source.value}


def _refuse_duplicates(project: Project, reading_list: ReadingList, wanted: dict[str, str]) -> None:
    """Refused when a row has the same DOI, arXiv id or title (case and punctuation aside)."""
    same = {
        "doi": lambda row: bool(wanted.get("doi")) and row.doi.lower() == wanted["doi"].lower(),
        "arxiv": lambda row: bool(wanted.get("arxiv")) and row.arxiv == wanted["arxiv"],
        "title": lambda row: (
            bool(wanted.get("title"))
            and normalise_title(row.title) == normalise_title(wanted["title"])
        ),
    }
    what = {"doi": "DOI", "arxiv": "arXiv id", "title": "title"}
    for item in reading_list.exemplars:
        for name, test in same.items():
            if test(item.row):
                message = (
                    f'already on the list: row {item.row.key} ("{item.row.title}") has the same '
                    f"{what[name]}; nothing was written"
                )
                shown = project.shown(project.exemplars_csv)
                raise Refused(finding(shown, item.line, "ADD001", message))


def _resolved(
    project: Project,
    source: Identifier | PastedEntry,
    options: AddOptions,
    line: int,
    notify: Callable[[str], None],
) -> tuple[Resolution, str, int]:
    """The accepted record, the work's arXiv id, and how many requests were sent."""
    settings = load_settings(project.root / "pyproject.toml", "pyproject.toml")
    client = HttpClient(
        settings,
        project.root / settings.fetch_bib.cache,
        offline=options.offline,
        notify=lambda message: notify(f"  {message}"),
    )
    shown = project.shown(project.exemplars_csv)
    try:
        row, arxiv = _provisional_row(source, Lookups(client), shown, line)
        notify(f"verifying {row.title!r} ({row.year})")
        resolution = resolve(row, Lookups(client))
    except NotCached as exc:
        raise Refused(finding(shown, line, "FET003", str(exc))) from None
    except FetchError as exc:
        raise Refused(finding(shown, line, "FET002", str(exc))) from None
    finally:
        client.close()
    if resolution.chosen is None:
        message = f"no verified record, nothing was written: {resolution.reason}"
        raise Refused(finding(shown, line, "ADD003", message))
    return resolution, arxiv, client.requests_sent


def _provisional_row(
    source: Identifier | PastedEntry, lookups: Lookups, shown: str, line: int
) -> tuple[Exemplar, str]:
    """What the work is said to be, for the resolver to judge records by; and its arXiv id.

    An identifier's own record says it (so it is verified against itself, and an arXiv id's
    published version against it); a pasted entry says it itself, or gives a DOI or an arXiv id
    that does.
    """
    if isinstance(source, PastedEntry):
        if source.complete:
            return source.as_row(), source.arxiv
        if not (source.doi or source.arxiv):
            raise AddUsageError(
                f"{source.shown}: the entry needs a title, an author and a year, or a DOI or "
                "an arXiv id, to find its work by"
            )
        kind, value = ("doi", source.doi) if source.doi else ("arxiv", source.arxiv)
        source = Identifier(kind, value)
    if source.kind == "doi":
        found = lookups.by_doi(source.value)
        nothing = f"DOI {source.value} is registered with no agency (Crossref, doi.org)"
    else:
        found = lookups.by_arxiv(source.value)
        nothing = f"arXiv has no {source.value}"
    if not found or found[0].year is None:
        why = nothing if not found else f"the record {found[0].describe()} has no year"
        raise Refused(finding(shown, line, "ADD003", f"no verified record: {why}"))
    record = found[0]
    arxiv = source.value if source.kind == "arxiv" else ""
    row = Exemplar.model_construct(
        key="identified",
        title=record.title,
        authors=[author.name for author in record.authors],
        year=record.year,
        kind="preprint" if record.preprint else KINDS.get(record.entry_type, "article"),
        doi=source.value if source.kind == "doi" else "",
        arxiv=arxiv,
    )
    return row, arxiv


def _row_values(
    resolution: Resolution,
    source: Identifier | PastedEntry,
    arxiv: str,
    options: AddOptions,
    reading_list: ReadingList,
    bibliography: Bibliography,
) -> tuple[dict[str, str], Venue | None]:
    """The new row's columns (all but the key) from the accepted record, and a new venue."""
    record = resolution.chosen
    assert record is not None
    preprint = resolution.preprint
    arxiv = arxiv or record.eprint or (preprint.eprint if preprint else "")
    doi = _doi(source, record)
    name = venue_name(record)
    spelling = list_spelling(name, reading_list, bibliography)
    pasted_url = source.url if isinstance(source, PastedEntry) else ""
    values = {
        "key": "",
        "section": options.section,
        "subsection": options.subsection,
        "title": record.title,
        "authors": "; ".join(author.name for author in record.authors),
        "year": str(record.year),
        "venue": spelling or name,
        "kind": options.kind or _kind(record),
        "doi": doi,
        "arxiv": arxiv,
        "url": "" if doi or arxiv else record.url or pasted_url,
        "note": options.note.strip(),
        "added": (options.added or dt.date.today()).isoformat(),
    }
    return values, None if spelling else new_venue(name, record)


def _doi(source: Identifier | PastedEntry, record: Record) -> str:
    """The DOI as given when it is the record's (DataCite capitalises), else the record's."""
    given = source.value if isinstance(source, Identifier) and source.kind == "doi" else ""
    if given and given.lower() == record.doi.lower():
        return given
    return record.doi if re.fullmatch(DOI_PATTERN, record.doi) else ""


def _kind(record: Record) -> str:
    if record.preprint:
        return "preprint"
    if record.entry_type not in KINDS:
        raise AddUsageError(
            f"{record.describe()} is a {record.entry_type} record: say what kind of work it "
            "is with --kind"
        )
    return KINDS[record.entry_type]


def _validated(project: Project, values: dict[str, str], line: int, dry_run: bool) -> Exemplar:
    """The row, if the schema accepts it; Refused with the schema's finding if not.

    A dry run may go without a note: the row is shown with its note column empty.
    """
    checked = values | {"note": values["note"] or "(none yet)"} if dry_run else values
    shown = project.shown(project.exemplars_csv)
    rows, problems = validate_rows(shown, [CsvRecord(line, checked)], Exemplar)
    if problems:
        raise Refused(problems[0])
    return rows[0].row.model_copy(update={"note": values["note"]})


def _entry(project: Project, row: Exemplar, resolution: Resolution, line: int) -> str:
    assert resolution.chosen is not None
    entry = entry_text(row, resolution.chosen, dt.date.today(), resolution.preprint)
    problems = parse_bibliography(entry, Path("entry.bib"), "entry").findings
    if problems:
        message = (
            f"the entry built from {resolution.chosen.describe()} does not parse "
            f"({problems[0].message}); nothing was written"
        )
        raise Refused(finding(project.shown(project.exemplars_csv), line, "FET005", message))
    return entry


@dataclass
class _Composed(Addition):
    texts: dict[Path, str] = field(default_factory=dict)  # each file's new text
    venue_line: int = 0
    entry_line: int = 0


def _compose(
    project: Project,
    row: Exemplar,
    values: dict[str, str],
    line: int,
    entry: str,
    venue: Venue | None,
    csv_text: str,
    bibliography: Bibliography,
) -> _Composed:
    """The three files' new texts: every existing byte kept, the new lines inserted."""
    cells = [values[column] for column in EXEMPLAR_COLUMNS]
    composed = _Composed(row, csv_line(cells), line, entry, venue)
    csv_new = with_row(csv_text, line, cells)
    composed.texts[project.exemplars_csv] = csv_new
    if venue is not None:
        venues_text = _raw_text(project, project.venues_csv)
        venues_new, composed.venue_line = appended_row(
            venues_text, [venue.venue, venue.label, venue.type]
        )
        composed.texts[project.venues_csv] = venues_new
        message = (
            f'new venue "{venue.venue}": label "{venue.label}", type {venue.type}; '
            "edit the row if they are not right"
        )
        composed.findings.append(
            finding(project.shown(project.venues_csv), composed.venue_line, "ADD005", message)
        )
    bib_file = BibFile(bibliography)
    bib_file.put(row.key, entry)
    start = bib_file.spans[row.key][0]
    composed.entry_line = bib_file.text.count("\n", 0, start) + 1
    has_bom = project.bibliography.exists() and project.bibliography.read_bytes().startswith(
        BOM.encode()
    )
    composed.texts[project.bibliography] = (BOM if has_bom else "") + bib_file.text
    return composed


def _checks_of(project: Project, addition: _Composed) -> list[Finding]:
    """What `exemplars check`'s list and bibliography checks say about the new row, its venue
    and its entry, read back from the files as written."""
    reading_list = load_reading_list(project)
    bibliography = load_bibliography(project)
    places = {
        (project.shown(project.exemplars_csv), addition.line),
        (project.shown(project.venues_csv), addition.venue_line),
        (bibliography.shown, addition.entry_line),
    }
    findings = [
        f for f in reading_list.findings + bibliography.findings if (f.file, f.line) in places
    ]
    item = next((i for i in reading_list.exemplars if i.line == addition.line), None)
    entry = bibliography.entries.get(item.row.key) if item else None
    if item and entry:
        where = f"{bibliography.shown}:{entry.line}"
        findings += disagreements(project.shown(project.exemplars_csv), item, entry, where)
    return findings
