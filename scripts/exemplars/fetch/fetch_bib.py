"""`exemplars fetch-bib`: fetch, verify and merge an entry for each row that lacks one.

The bibliography is saved after every entry, atomically, so an interruption at any moment
leaves references.bib valid with everything fetched so far; a rerun picks up the remaining rows
and answers the finished ones from the response cache.

Finding codes (stable): FET001 row unresolved (with the best candidate and why it was
rejected), FET002 a service could not be asked, FET003 no stored answer under --offline, FET004
a row given by key was left alone, FET005 an entry could not be built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from exemplars.config import load_settings
from exemplars.data.bibliography import Bibliography, load_bibliography, parse_bibliography
from exemplars.data.reading_list import ListedRow, load_reading_list
from exemplars.data.schema import Exemplar
from exemplars.fetch.bibtex_writer import entry_text
from exemplars.fetch.merge import BibFile
from exemplars.fetch.resolve import Lookups, resolve
from exemplars.findings import Finding, Severity, finding
from exemplars.http import FetchError, HttpClient, NotCached
from exemplars.project import Project


@dataclass(frozen=True)
class FetchOptions:
    keys: tuple[str, ...] = ()  # rows to fetch; default: every row without an entry
    offline: bool = False  # answer from the response cache alone
    dry_run: bool = False  # leave references.bib as it is
    refresh: bool = False  # also rebuild entries marked x-fetched, asking the services again


@dataclass
class FetchReport:
    findings: list[Finding] = field(default_factory=list)
    entries: dict[str, str] = field(default_factory=dict)  # key -> entry written (or would be)
    requests: int = 0


class UnknownKeys(ValueError):
    """Keys given on the command line that no row has."""


class UnusableBibliography(Exception):
    """references.bib has errors: nothing is merged into a file that does not parse."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} problems")
        self.findings = findings


def fetch_bib(
    project: Project,
    options: FetchOptions,
    notify: Callable[[str], None] = lambda message: None,
    today: dt.date | None = None,
) -> FetchReport:
    """Fetch and merge entries as `options` say; progress goes to `notify`.

    Raises UnreadableInput (a file cannot be read), UnknownKeys, UnusableBibliography, and
    MissingContact when a request is due and no contact address is configured.
    """
    reading_list = load_reading_list(project)
    bibliography = existing_bibliography(project)
    selected, report = _select(reading_list.exemplars, bibliography, options, project)
    settings = load_settings(project.root)
    client = HttpClient(
        settings,
        project.root / settings.fetch_bib.cache,
        offline=options.offline,
        refresh=options.refresh,
        notify=lambda message: notify(f"  {message}"),
    )
    bib_file, lookups = BibFile(bibliography), Lookups(client)
    try:
        for number, item in enumerate(selected, 1):
            notify(f"[{number}/{len(selected)}] {item.row.key}")
            entry, outcome = _fetch_one(
                item, lookups, project.exemplars_csv, today or dt.date.today()
            )
            if isinstance(outcome, Finding):
                report.findings.append(outcome)
                notify(f"  {outcome.message}")
                continue
            report.entries[item.row.key] = entry
            if not options.dry_run:
                bib_file.put(item.row.key, entry)
                bib_file.save()
            notify(f"  {'built' if options.dry_run else 'saved'} {outcome}")
    finally:
        report.requests = client.requests_sent
        client.close()
    return report


def existing_bibliography(project: Project) -> Bibliography:
    """references.bib read (empty when absent); UnusableBibliography when it has errors."""
    if not project.bibliography.exists():
        return Bibliography(project.bibliography, "")
    bibliography = load_bibliography(project)
    if any(f.severity is Severity.ERROR for f in bibliography.findings):
        raise UnusableBibliography(bibliography.findings)
    return bibliography


def _select(
    rows: list[ListedRow[Exemplar]],
    bibliography: Bibliography,
    options: FetchOptions,
    project: Project,
) -> tuple[list[ListedRow[Exemplar]], FetchReport]:
    """The rows to fetch, and a report holding a warning for each named row left alone."""
    by_key = {item.row.key: item for item in rows}
    unknown = [key for key in options.keys if key not in by_key]
    if unknown:
        csv_shown = project.shown(project.exemplars_csv)
        raise UnknownKeys(f"no row of {csv_shown} has the key {', '.join(unknown)}")
    report = FetchReport()
    selected = []
    # pybtex and BibTeX treat keys case-insensitively: "Kingma2014" already is "kingma2014".
    existing = {key.lower(): entry for key, entry in bibliography.entries.items()}
    for item in [by_key[key] for key in options.keys] if options.keys else rows:
        entry = existing.get(item.row.key)
        if entry is None or (entry.fetched and options.refresh):
            selected.append(item)
        elif options.keys:
            why = (
                "is curated (x-curated): fetch-bib never replaces it"
                if entry.curated
                else "was fetched before; --refresh rebuilds it"
                if entry.fetched
                else "is not marked x-fetched (written by hand?): fetch-bib leaves it alone"
            )
            message = f"{item.row.key}: the entry {why}"
            report.findings.append(finding(project.exemplars_csv, item.line, "FET004", message))
    return selected, report


def _fetch_one(
    item: ListedRow[Exemplar], lookups: Lookups, csv: Path, today: dt.date
) -> tuple[str, Finding | str]:
    """The entry for one row and what it was built from, or the finding that says why none."""
    row = item.row
    try:
        resolution = resolve(row, lookups)
    except NotCached as exc:
        return "", finding(csv, item.line, "FET003", f"{row.key}: {exc}")
    except FetchError as exc:
        return "", finding(csv, item.line, "FET002", f"{row.key}: {exc}")
    if resolution.chosen is None:
        return "", finding(csv, item.line, "FET001", f"{row.key}: {resolution.reason}")
    entry = entry_text(row, resolution.chosen, today, resolution.preprint)
    problems = parse_bibliography(entry, Path("entry.bib")).findings
    if problems:
        message = f"{row.key}: the entry built from {resolution.chosen.describe()} does not parse"
        return "", finding(csv, item.line, "FET005", f"{message} ({problems[0].message})")
    return entry, f"@{resolution.chosen.entry_type} from {resolution.chosen.describe()}"
