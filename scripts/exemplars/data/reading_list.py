"""Load and validate the list (data/exemplars.csv) and its venue map (data/venues.csv)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from exemplars.data.schema import EXEMPLAR_COLUMNS, VENUE_COLUMNS, Exemplar, Venue
from exemplars.data.table import CsvRow, read_table
from exemplars.findings import Finding, finding
from exemplars.project import Project

Model = TypeVar("Model", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class ListedRow(Generic[T]):
    """A validated row and the line it starts on."""

    line: int
    row: T


@dataclass(frozen=True)
class ReadingList:
    exemplars: list[ListedRow[Exemplar]]
    venues: list[ListedRow[Venue]]
    findings: list[Finding]

    @property
    def rows(self) -> list[Exemplar]:
        return [item.row for item in self.exemplars]

    @property
    def venue_map(self) -> dict[str, Venue]:
        return {item.row.venue: item.row for item in self.venues}


def validate_rows(
    path: Path, records: Iterable[CsvRow], model: type[Model]
) -> tuple[list[ListedRow[Model]], list[Finding]]:
    """Rows that pass the schema, and one finding per field that does not."""
    rows: list[ListedRow[Model]] = []
    findings: list[Finding] = []
    for record in records:
        try:
            rows.append(ListedRow(record.line, model.model_validate(record.values)))
        except ValidationError as exc:
            findings += [_schema_finding(path, record, problem) for problem in exc.errors()]
    return rows, findings


def _schema_finding(path: Path, record: CsvRow, problem: dict) -> Finding:
    field = str(problem["loc"][0]) if problem["loc"] else "row"
    reason = str(problem["msg"]).removeprefix("Value error, ")
    value = record.values.get(field, "")
    if value == "":
        return finding(path, record.line, "CSV004", f"{field} is empty")
    return finding(path, record.line, "CSV004", f'{field} "{value}" {reason}')


def duplicates(
    path: Path, rows: list[ListedRow[T]], field: str, code: str, what: str
) -> list[Finding]:
    """A finding for each repeat of a field's value, pointing back at its first line."""
    first: dict[str, int] = {}
    findings = []
    for item in rows:
        value = getattr(item.row, field)
        if value in first:
            findings.append(
                finding(path, item.line, code, f'{what} "{value}" already on line {first[value]}')
            )
        else:
            first[value] = item.line
    return findings


def load_venues(project: Project) -> tuple[list[ListedRow[Venue]], list[Finding]]:
    path = project.venues_csv
    table = read_table(path, VENUE_COLUMNS)
    venues, findings = validate_rows(path, table.records, Venue)
    findings += duplicates(path, venues, "venue", "VEN001", "venue")
    return venues, table.findings + findings


def load_reading_list(project: Project) -> ReadingList:
    """The list and the venue map, validated; raises UnreadableInput for unreadable files."""
    path = project.exemplars_csv
    table = read_table(path, EXEMPLAR_COLUMNS)
    exemplars, findings = validate_rows(path, table.records, Exemplar)
    findings = table.findings + findings + duplicates(path, exemplars, "key", "CSV005", "key")
    venues, venue_findings = load_venues(project)
    findings += venue_findings + _venue_coverage(project, exemplars, venues)
    return ReadingList(exemplars, venues, findings)


def _venue_coverage(
    project: Project, exemplars: list[ListedRow[Exemplar]], venues: list[ListedRow[Venue]]
) -> list[Finding]:
    mapped = {item.row.venue for item in venues}
    used = {item.row.venue for item in exemplars}
    findings = [
        finding(
            project.exemplars_csv,
            item.line,
            "CSV007",
            f'venue "{item.row.venue}" is not in data/venues.csv',
        )
        for item in exemplars
        if item.row.venue not in mapped
    ]
    findings += [
        finding(
            project.venues_csv,
            item.line,
            "VEN002",
            f'venue "{item.row.venue}" is not used by any exemplar',
        )
        for item in venues
        if item.row.venue not in used
    ]
    return findings


class InvalidList(ValueError):
    """The list has errors; the message lists them as `exemplars check` prints them."""


def load_valid_list(root: Path | str = ".") -> ReadingList:
    """The list and venue map, for the post and the figures; refuses a list with errors."""
    project = Project(Path(root))
    reading_list = load_reading_list(project)
    errors = [f.text(project.root) for f in reading_list.findings if f.severity == "error"]
    if errors:
        raise InvalidList("\n".join(errors))
    return reading_list
