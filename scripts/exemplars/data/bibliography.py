"""Read references.bib with pybtex, keeping where each entry sits in the file.

The convention for who wrote an entry:
- `x-curated = {...}`: written or corrected by hand; the value says what it was confirmed
  against. fetch-bib never replaces such an entry.
- `x-fetched = {<source> <YYYY-MM-DD>}`: built by `exemplars fetch-bib` from that source's record
  on that day; `fetch-bib --refresh` may rebuild it.
BibTeX and citeproc ignore fields they do not know, so the markers cost nothing downstream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, Person
from pybtex.database.input.bibtex import LowLevelParser, Parser
from pybtex.scanner import PybtexError, PybtexSyntaxError

from exemplars.data.reading_list import ListedRow
from exemplars.data.schema import Exemplar
from exemplars.findings import Finding, finding
from exemplars.normalise import latex_to_text, normalise_title
from exemplars.project import Project
from exemplars.textio import read_text

CURATED = "x-curated"
FETCHED = "x-fetched"
# An entry field recording that the list's year may differ from the entry's by one, and why:
# `x-year-accepted = {2018: published online in 2018, in an issue of 2019}`. BibTeX and citeproc
# ignore it, as they ignore x-curated.
YEAR_ACCEPTED = "x-year-accepted"
_ACCEPTED = re.compile(r"\s*(\d{4})\s*:")


@dataclass(frozen=True)
class BibEntry:
    """One entry as pybtex read it, with its place in the file's text."""

    key: str
    type: str
    fields: dict[str, str]  # LaTeX as written, whitespace normalised; persons excluded
    persons: dict[str, list[Person]]
    line: int
    start: int  # offset of the `@`
    end: int  # offset just past the closing brace

    @property
    def curated(self) -> bool:
        return CURATED in self.fields

    @property
    def fetched(self) -> bool:
        return FETCHED in self.fields and not self.curated

    @property
    def title(self) -> str:
        """The title as plain text ('' when absent)."""
        return latex_to_text(self.fields.get("title", ""))

    @property
    def doi(self) -> str:
        return self.fields.get("doi", "")


@dataclass
class Bibliography:
    path: Path
    shown: str
    text: str
    entries: dict[str, BibEntry] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def source(self, key: str) -> str:
        """An entry's text exactly as written in the file, from its `@` to its closing brace."""
        entry = self.entries[key]
        return self.text[entry.start : entry.end]


def load_bibliography(project: Project) -> Bibliography:
    """references.bib parsed; UnreadableInput if the file is missing or not UTF-8."""
    shown = project.shown(project.bibliography)
    return parse_bibliography(read_text(project.bibliography, shown), project.bibliography, shown)


def parse_bibliography(text: str, path: Path, shown: str) -> Bibliography:
    """Entries of BibTeX text; each problem pybtex reports becomes a finding, not an exception."""
    parser = _LocatingParser(shown)
    with pybtex.errors.capture() as captured:
        parser.parse_text(text)
    bibliography = Bibliography(path, shown, text, findings=parser.findings)
    for key, entry in parser.data.entries.items():
        line, start, end = parser.places[key]
        fields = {name.lower(): value for name, value in entry.fields.items()}
        persons = {role.lower(): list(people) for role, people in entry.persons.items()}
        bibliography.entries[key] = BibEntry(
            key, entry.type.lower(), fields, persons, line, start, end
        )
    leftover = [exc for exc in captured if id(exc) not in parser.seen]
    bibliography.findings += [_data_finding(shown, 1, exc) for exc in leftover]
    return bibliography


class _LocatingParser(Parser):
    """pybtex's BibTeX parser, recording the line and span of every entry it reads.

    pybtex keeps no source positions in its data; its low-level scanner knows where each command
    starts (`command_start`) and ends (`pos`), so this drives the scanner and notes both.
    """

    def __init__(self, shown: str) -> None:
        super().__init__()
        self.shown = shown
        self.places: dict[str, tuple[int, int, int]] = {}
        self.findings: list[Finding] = []
        self.seen: set[int] = set()  # errors already turned into findings
        self._scanner = LowLevelParser("")
        self._text = ""

    def parse_text(self, text: str) -> BibliographyData:
        self.unnamed_entry_counter = 1
        scanner = LowLevelParser(
            text, handle_error=self.handle_error, macros=self.macros, filename=self.shown
        )
        self._scanner, self._text = scanner, text
        self._counted_to, self._line = 0, 1
        for command, body in scanner:
            kind = command.lower()
            if kind == "preamble":
                self.process_preamble(*body)
            elif kind != "string":
                self._process_located(command, body)
        return self.data

    def _line_of_command(self) -> int:
        # Counted on from the previous command: counting from the top each time is quadratic.
        start = self._scanner.command_start
        if start < self._counted_to:
            self._counted_to, self._line = 0, 1
        self._line += self._text.count("\n", self._counted_to, start)
        self._counted_to = start
        return self._line

    def _process_located(self, command: str, body: tuple) -> None:
        key, scanner = body[0], self._scanner
        line = self._line_of_command()
        if not key:  # pybtex would file it as "unnamed-N", a key nobody can cite
            self.findings.append(
                finding(self.shown, line, "BIB001", f"@{command} entry has no key")
            )
            return
        captured = pybtex.errors.captured_errors
        before = len(captured) if captured is not None else 0
        self.process_entry(command, *body)
        if key not in self.places:
            self.places[key] = (line, scanner.command_start, scanner.pos)
        for exc in (captured or [])[before:]:
            self.seen.add(id(exc))
            self.findings.append(_data_finding(self.shown, line, exc))

    def handle_error(self, error_: PybtexError) -> None:
        if isinstance(error_, PybtexSyntaxError):
            self.findings.append(self._syntax_finding(error_))
            self.seen.add(id(error_))
        super().handle_error(error_)

    def _syntax_finding(self, exc: PybtexSyntaxError) -> Finding:
        message = f"{exc.error_type}: {exc.args[0]}"
        key = self._scanner.current_entry_key
        if key:
            message += f" (in entry {key}, which starts on line {self._line_of_command()})"
        return finding(self.shown, exc.lineno or 1, "BIB001", message)


def _data_finding(shown: str, line: int, exc: Exception) -> Finding:
    return finding(shown, line, "BIB002", str(exc.args[0] if exc.args else exc))


def disagreements(
    csv_shown: str, item: ListedRow[Exemplar], entry: BibEntry, where: str
) -> list[Finding]:
    """Title and year of a row against its entry; warnings, since either side may be right."""
    row = item.row
    findings = []
    if normalise_title(row.title) != normalise_title(entry.title):
        message = f'title "{row.title}" differs from entry {row.key} ({where}): "{entry.title}"'
        findings.append(finding(csv_shown, item.line, "BIB006", message))
    findings += _year_findings(csv_shown, item, entry, where)
    return findings


def _year_findings(
    csv_shown: str, item: ListedRow[Exemplar], entry: BibEntry, where: str
) -> list[Finding]:
    """A year more than one from the entry's is an error: one of them is wrong. One apart (a
    preprint's or an online-first year) is a warning, silent once the entry accepts it."""
    row = item.row
    year = entry.fields.get("year", "").strip()
    if year == str(row.year):
        return []
    if not year.isdigit():
        has = f'has year "{year}"' if year else "has no year"
        message = f"year {row.year} differs: entry {row.key} ({where}) {has}"
        return [finding(csv_shown, item.line, "BIB007", message)]
    apart = abs(int(year) - row.year)
    if apart > 1:
        message = (
            f"year {row.year} is {apart} years from entry {row.key} ({where}), which has year "
            f"{year}; correct the row or the entry"
        )
        return [finding(csv_shown, item.line, "BIB010", message)]
    if accepted_year(entry) == row.year:
        return []
    message = (
        f"year {row.year} differs: entry {row.key} ({where}) has year {year}; if both are right, "
        f"say why in the entry: {YEAR_ACCEPTED} = {{{row.year}: reason}}"
    )
    return [finding(csv_shown, item.line, "BIB007", message)]


def accepted_year(entry: BibEntry) -> int | None:
    """The list's year that `entry` accepts in its `x-year-accepted` field, if any."""
    match = _ACCEPTED.match(entry.fields.get(YEAR_ACCEPTED, ""))
    return int(match.group(1)) if match else None
