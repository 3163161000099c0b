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
from exemplars.data.schema import EXEMPLAR_COLUMNS, Exemplar, Venue
from exemplars.data.table import CsvRow, read_text
from exemplars.fetch import pasted as pasted_entry
from exemplars.fetch import transaction
from exemplars.fetch.bibtex_writer import entry_text
from exemplars.fetch.fetch_bib import existing_bibliography
from exemplars.fetch.identifiers import VERSION, Identifier
from exemplars.fetch.keys import checked_key, citation_key
from exemplars.fetch.merge import BibFile
from exemplars.fetch.new_row import Placement, UnknownKind, identified_row, row_values
from exemplars.fetch.pasted import PastedEntry
from exemplars.fetch.placement import (
    UnknownGroup,
    appended_row,
    csv_line,
    insertion_line,
    with_row,
)
from exemplars.fetch.resolve import Lookups, Resolution, resolve
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

    def placement(self) -> Placement:
        added = self.added or dt.date.today()
        return Placement(self.section, self.subsection, self.note, added, self.kind)


@dataclass
class Addition:
    """What was added (or, under --dry-run, would be) and what was found about it."""

    row: Exemplar
    row_text: str  # the CSV line as written
    line: int  # of the row in data/exemplars.csv
    entry: str
    venue: Venue | None  # the new venues.csv row, if any
    findings: list[Finding] = field(default_factory=list)
    requests: int = 0
    texts: dict[Path, str] = field(default_factory=dict, repr=False)  # each file's new text
    venue_line: int = 0
    entry_line: int = 0


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

    One run at a time: while another holds the project's lock, Refused (ADD006) at once, with
    nothing read or written. A run interrupted while writing is undone first; a dry run changes
    nothing, so it only says that one is pending.

    Raises Refused, AddUsageError, UnreadableInput, UnusableBibliography, MissingContact.
    """
    try:
        with transaction.one_run_at_a_time(project.root, create=not options.dry_run):
            _undo_interrupted(project, options.dry_run, notify)
            return _add(project, source, options, ask_note, notify)
    except transaction.Busy as busy:
        message = (
            "another `exemplars add` is running on this project and holds this lock; nothing "
            "was written: run again once it has finished"
        )
        raise Refused(finding(busy.lock, 1, "ADD006", message)) from None


def _undo_interrupted(project: Project, dry_run: bool, notify: Callable[[str], None]) -> None:
    """Put back what a run killed while writing left half done; under --dry-run, say so only."""
    targets = [project.exemplars_csv, project.venues_csv, project.bibliography]
    if not dry_run:
        if transaction.recover(project.root, targets):
            notify("an interrupted `exemplars add` was undone: the list is as it was before it")
        return
    changed = transaction.pending(project.root)
    if changed is not None:
        files = ", ".join(project.shown(path) for path in changed)
        notify(
            f"an interrupted `exemplars add` is pending ({transaction.JOURNAL}"
            f"{'; it changed ' + files if files else ''}): the next `exemplars add` without "
            "--dry-run undoes it first. This dry run changes nothing and reads the files as "
            "they are now."
        )


def _add(
    project: Project,
    source: Identifier | PastedEntry,
    options: AddOptions,
    ask_note: NoteAsker | None,
    notify: Callable[[str], None],
) -> Addition:
    reading_list = load_reading_list(project)
    bibliography = existing_bibliography(project)
    csv_text = _raw_text(project.exemplars_csv, project)
    line = _line_for(project, reading_list, csv_text, options)
    taken = [row.key for row in reading_list.rows] + list(bibliography.entries)
    if options.key:
        checked_key(options.key, taken)
    if not (options.note or ask_note or options.dry_run):
        raise AddUsageError("no note: give one with --note (on a terminal, add asks for it)")
    if isinstance(source, PastedEntry):
        _refuse_duplicates(project, reading_list, source.doi, source.arxiv, source.title)
    else:
        _refuse_duplicates(project, reading_list, *_doi_and_arxiv(source))
    resolution, given, requests = _resolved(project, source, options.offline, line, notify)
    try:
        values, venue = row_values(
            resolution, given, options.placement(), reading_list, bibliography
        )
    except UnknownKind as exc:
        raise AddUsageError(str(exc)) from None
    _refuse_duplicates(project, reading_list, values["doi"], values["arxiv"], values["title"])
    record = resolution.chosen
    values["key"] = options.key or citation_key(
        record.authors[0] if record.authors else None, record.year, record.title, taken
    )
    if not values["note"] and ask_note and not options.dry_run:
        values["note"] = ask_note(values["title"]).strip()
    row = _validated(project, values, line, options.dry_run)
    entry = _entry(project, row, resolution, line)
    addition = _compose(project, row, values, line, entry, venue, csv_text, bibliography)
    addition.requests = requests
    if isinstance(source, PastedEntry):
        addition.findings += pasted_entry.disagreements(source, row, record.describe())
    if not options.dry_run:
        transaction.write_all(project.root, addition.texts)
        addition.findings += _checks_of(project, addition)
    return addition


def _bom(path: Path) -> str:
    """The file's byte-order mark, if it has one: it is written back as it was."""
    try:
        with path.open("rb") as stream:
            return BOM if stream.read(3) == BOM.encode() else ""
    except FileNotFoundError:
        return ""


def _raw_text(path: Path, project: Project) -> str:
    return _bom(path) + read_text(path)


def _line_for(project: Project, reading_list: ReadingList, text: str, options: AddOptions) -> int:
    """The line the new row will have in data/exemplars.csv; Refused for an unknown group."""
    group = (options.section, options.subsection)
    try:
        return insertion_line(reading_list.exemplars, text, group, *_post(project))
    except UnknownGroup as exc:
        raise Refused(finding(project.exemplars_csv, 1, "ADD002", str(exc))) from None


def _post(project: Project) -> tuple[str, list[tuple[str, str]]]:
    """The post that shows the list, and the groups its cells ask for, in its order."""
    for page in sorted(project.posts.rglob("*.qmd")):
        text = page.read_text(encoding="utf-8", errors="replace")
        cells = [(m["section"], m["subsection"] or "") for m in GROUP_CELL.finditer(text)]
        if cells:
            return project.shown(page), cells
    return "the post", []


def _doi_and_arxiv(identifier: Identifier) -> tuple[str, str]:
    return (identifier.value, "") if identifier.kind == "doi" else ("", identifier.value)


def _refuse_duplicates(
    project: Project, reading_list: ReadingList, doi: str, arxiv: str, title: str = ""
) -> None:
    """Refused when a row has the same DOI, arXiv id or title (case and punctuation aside)."""
    title = normalise_title(title) if title else ""
    for item in reading_list.exemplars:
        row = item.row
        same = (
            "DOI"
            if doi and row.doi.lower() == doi.lower()
            else "arXiv id"
            if arxiv and VERSION.sub("", row.arxiv) == arxiv
            else "title"
            if title and normalise_title(row.title) == title
            else ""
        )
        if same:
            message = (
                f'already on the list: row {row.key} ("{row.title}") has the same {same}; '
                "nothing was written"
            )
            raise Refused(finding(project.exemplars_csv, item.line, "ADD001", message))


def _resolved(
    project: Project,
    source: Identifier | PastedEntry,
    offline: bool,
    line: int,
    notify: Callable[[str], None],
) -> tuple[Resolution, Exemplar, int]:
    """The accepted record, the work as it was given, and how many requests were sent."""
    settings = load_settings(project.root)
    client = HttpClient(
        settings,
        project.root / settings.fetch_bib.cache,
        offline=offline,
        notify=lambda message: notify(f"  {message}"),
    )
    csv = project.exemplars_csv
    lookups = Lookups(client)
    try:
        given = _given_row(source, lookups, csv, line)
        notify(f"verifying {given.title!r} ({given.year})")
        resolution = resolve(given, lookups)
    except NotCached as exc:
        raise Refused(finding(csv, line, "FET003", str(exc))) from None
    except FetchError as exc:
        raise Refused(finding(csv, line, "FET002", str(exc))) from None
    finally:
        client.close()
    if resolution.chosen is None:
        message = f"no verified record, nothing was written: {resolution.reason}"
        raise Refused(finding(csv, line, "ADD003", message))
    return resolution, given, client.requests_sent


def _given_row(
    source: Identifier | PastedEntry, lookups: Lookups, csv: Path, line: int
) -> Exemplar:
    """What the work is said to be, for fetch-bib's resolver to judge records by.

    A pasted entry says it itself, or gives a DOI or an arXiv id that does. An identifier's own
    record says it: a DOI's record is then verified against itself, and an arXiv preprint's
    published version against the preprint.
    """
    if isinstance(source, PastedEntry):
        if source.complete:
            return source.as_row()
        if not (source.doi or source.arxiv):
            raise AddUsageError(
                f"{source.path}: the entry needs a title, an author and a year, or a DOI or "
                "an arXiv id, to find its work by"
            )
        source = Identifier("doi", source.doi) if source.doi else Identifier("arxiv", source.arxiv)
    doi, arxiv = _doi_and_arxiv(source)
    if doi:
        found = lookups.by_doi(doi)
        nothing = f"DOI {doi} is registered with no agency (Crossref, doi.org)"
    else:
        found = lookups.by_arxiv(arxiv)
        nothing = f"arXiv has no {arxiv}"
    if not found or found[0].year is None:
        why = nothing if not found else f"the record {found[0].describe()} has no year"
        raise Refused(finding(csv, line, "ADD003", f"no verified record: {why}"))
    return identified_row(found[0], doi, arxiv)


def _validated(project: Project, values: dict[str, str], line: int, dry_run: bool) -> Exemplar:
    """The row, if the schema accepts it; Refused with the schema's finding if not.

    A dry run may go without a note: the row is shown with its note column empty.
    """
    checked = values | {"note": values["note"] or "(none yet)"} if dry_run else values
    rows, problems = validate_rows(project.exemplars_csv, [CsvRow(line, checked)], Exemplar)
    if problems:
        raise Refused(problems[0])
    return rows[0].row.model_copy(update={"note": values["note"]})


def _entry(project: Project, row: Exemplar, resolution: Resolution, line: int) -> str:
    assert resolution.chosen is not None
    entry = entry_text(row, resolution.chosen, dt.date.today(), resolution.preprint)
    problems = parse_bibliography(entry, Path("entry.bib")).findings
    if problems:
        message = (
            f"the entry built from {resolution.chosen.describe()} does not parse "
            f"({problems[0].message}); nothing was written"
        )
        raise Refused(finding(project.exemplars_csv, line, "FET005", message))
    return entry


def _compose(
    project: Project,
    row: Exemplar,
    values: dict[str, str],
    line: int,
    entry: str,
    venue: Venue | None,
    csv_text: str,
    bibliography: Bibliography,
) -> Addition:
    """The three files' new texts: every existing byte kept, the new lines inserted."""
    cells = [values[column] for column in EXEMPLAR_COLUMNS]
    composed = Addition(row, csv_line(cells), line, entry, venue)
    composed.texts[project.exemplars_csv] = with_row(csv_text, line, cells)
    if venue is not None:
        venues_text = _raw_text(project.venues_csv, project)
        venues_new, composed.venue_line = appended_row(
            venues_text, [venue.venue, venue.label, venue.type]
        )
        composed.texts[project.venues_csv] = venues_new
        message = (
            f'new venue "{venue.venue}": label "{venue.label}", type {venue.type}; '
            "edit the row if they are not right"
        )
        composed.findings.append(
            finding(project.venues_csv, composed.venue_line, "ADD005", message)
        )
    bib_file = BibFile(bibliography)
    bib_file.put(row.key, entry)
    start = bib_file.spans[row.key][0]
    composed.entry_line = bib_file.text.count("\n", 0, start) + 1
    composed.texts[project.bibliography] = _bom(project.bibliography) + bib_file.text
    return composed


def _checks_of(project: Project, addition: Addition) -> list[Finding]:
    """What `exemplars check`'s list and bibliography checks say about the new row, its venue
    and its entry, read back from the files as written."""
    reading_list = load_reading_list(project)
    bibliography = load_bibliography(project)
    places = {
        (project.exemplars_csv, addition.line),
        (project.venues_csv, addition.venue_line),
        (bibliography.path, addition.entry_line),
    }
    findings = [
        f for f in reading_list.findings + bibliography.findings if (f.file, f.line) in places
    ]
    item = next((i for i in reading_list.exemplars if i.line == addition.line), None)
    entry = bibliography.entries.get(item.row.key) if item else None
    if item and entry:
        where = f"{project.shown(bibliography.path)}:{entry.line}"
        findings += disagreements(project.exemplars_csv, item, entry, where)
    return findings
