"""Read bibliographies: references.bib in full with pybtex, keeping where each entry sits in the
file, and any bibliography a page uses for its keys only.

One scanner (pybtex's low-level BibTeX parser) reads every BibTeX file, so a syntax error reads
the same wherever it is found. Pandoc also takes CSL-JSON and CSL-YAML bibliographies; their
keys are the `id` of each item, read as data.

The convention for who wrote an entry:
- `x-curated = {...}`: written or corrected by hand; the value says what it was confirmed
  against. fetch-bib never replaces such an entry.
- `x-fetched = {<source> <YYYY-MM-DD>}`: built by `exemplars fetch-bib` from that source's record
  on that day; `fetch-bib --refresh` may rebuild it.
BibTeX and citeproc ignore fields they do not know, so the markers cost nothing downstream.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
import yaml
from pybtex.database import BibliographyData, Person
from pybtex.database.input.bibtex import LowLevelParser, Parser, month_names
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
# The bibliography formats pandoc reads whose keys we read too.
# https://quarto.org/docs/authoring/citations.html#bibliography-files
BIBTEX_SUFFIXES = (".bib", ".bibtex")
CSL_SUFFIXES = (".json", ".yaml", ".yml")


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
    # Offsets of each project field (`x-...`), from the comma before it to the end of its value.
    bookkeeping: tuple[tuple[int, int], ...] = ()

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
    text: str
    entries: dict[str, BibEntry] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def source(self, key: str) -> str:
        """An entry's text exactly as written in the file, from its `@` to its closing brace."""
        entry = self.entries[key]
        return self.text[entry.start : entry.end]

    def public_source(self, key: str) -> str:
        """The entry as readers get it: as written, without the project's `x-` fields."""
        entry = self.entries[key]
        kept, position = [], entry.start
        for start, end in entry.bookkeeping:
            kept.append(self.text[position:start])
            position = end
        kept.append(self.text[position : entry.end])
        return "".join(kept)


def load_bibliography(project: Project) -> Bibliography:
    """references.bib parsed; UnreadableInput if the file is missing or not UTF-8."""
    return parse_bibliography(read_text(project.bibliography), project.bibliography)


def parse_bibliography(text: str, path: Path) -> Bibliography:
    """Entries of BibTeX text (from `path`, which findings name); each problem pybtex reports
    becomes a finding, not an exception."""
    parser = _LocatingParser(path)
    with pybtex.errors.capture() as captured:
        parser.parse_text(text)
    bibliography = Bibliography(path, text, findings=parser.findings)
    for key, entry in parser.data.entries.items():
        line, start, end, bookkeeping = parser.places[key]
        fields = {name.lower(): value for name, value in entry.fields.items()}
        persons = {role.lower(): list(people) for role, people in entry.persons.items()}
        bibliography.entries[key] = BibEntry(
            key, entry.type.lower(), fields, persons, line, start, end, bookkeeping
        )
    leftover = [exc for exc in captured if id(exc) not in parser.seen]
    bibliography.findings += [_data_finding(path, 1, exc) for exc in leftover]
    return bibliography


@dataclass(frozen=True)
class BibliographyKeys:
    """The keys of a bibliography file, and what kept any entry from being read."""

    keys: frozenset[str]
    findings: tuple[Finding, ...] = ()


def read_keys(path: Path) -> BibliographyKeys | None:
    """The keys of a BibTeX, CSL-JSON or CSL-YAML file; None for a format we do not read.

    Raises UnreadableInput for a file that is missing or not UTF-8.
    """
    suffix = path.suffix.lower()
    if suffix in BIBTEX_SUFFIXES:
        return bibtex_keys(read_text(path), path)
    if suffix == ".json":
        return _csl_json_keys(read_text(path), path)
    if suffix in CSL_SUFFIXES:
        return _csl_yaml_keys(read_text(path), path)
    return None


def bibtex_keys(text: str, path: Path) -> BibliographyKeys:
    """The keys of BibTeX text, without building each entry's fields and names: all a check of
    citations needs, in a fraction of a full parse's time."""
    scanner = _Scanner(text, path, dict(month_names))
    keys = set()
    for command, body in scanner:
        if command.lower() in ("string", "preamble"):
            continue
        if body and body[0]:
            keys.add(body[0])
        else:
            scanner.no_key(command)
    return BibliographyKeys(frozenset(keys), tuple(scanner.findings))


def _csl_json_keys(text: str, path: Path) -> BibliographyKeys:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = finding(path, exc.lineno, "BIB001", f"CSL-JSON: {exc.msg}")
        return BibliographyKeys(frozenset(), (problem,))
    return _csl_keys(items, path, "CSL-JSON")


def _csl_yaml_keys(text: str, path: Path) -> BibliographyKeys:
    """Pandoc's CSL-YAML: a `references:` list, with or without `---` fences around it."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        documents = [d for d in yaml.load_all(text, Loader=loader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or "cannot be read"
        problem = finding(path, mark.line + 1 if mark else 1, "BIB001", f"CSL-YAML: {reason}")
        return BibliographyKeys(frozenset(), (problem,))
    data = documents[0] if documents else {}
    return _csl_keys(data.get("references") if isinstance(data, dict) else data, path, "CSL-YAML")


def _csl_keys(items: object, path: Path, kind: str) -> BibliographyKeys:
    if not isinstance(items, list):
        message = f"{kind}: expected a list of references"
        return BibliographyKeys(frozenset(), (finding(path, 1, "BIB001", message),))
    keys, findings = set(), []
    for number, item in enumerate(items, 1):
        key = item.get("id") if isinstance(item, dict) else None
        if key is None or str(key) == "":
            findings.append(finding(path, 1, "BIB001", f"{kind}: reference {number} has no id"))
        else:
            keys.add(str(key))
    return BibliographyKeys(frozenset(keys), tuple(findings))


class _Scanner:
    """pybtex's low-level BibTeX scanner: each command in turn, the line it starts on, and each
    syntax error as a finding (the scanner then moves on to the next `@`, so one broken entry
    hides no other)."""

    def __init__(
        self,
        text: str,
        path: Path,
        macros: dict,
        on_error: Callable[[PybtexError], None] | None = None,
    ) -> None:
        self.text, self.path = text, path
        self.findings: list[Finding] = []
        self._on_error = on_error
        self.low = _FieldLocatingParser(
            text, handle_error=self._error, macros=macros, filename=str(path)
        )
        self._counted_to, self._line = 0, 1

    def __iter__(self) -> Iterator[tuple[str, tuple]]:
        return iter(self.low)

    def line(self) -> int:
        """The line of the command being read."""
        # Counted on from the previous command: counting from the top each time is quadratic.
        start = self.low.command_start
        if start < self._counted_to:
            self._counted_to, self._line = 0, 1
        self._line += self.text.count("\n", self._counted_to, start)
        self._counted_to = start
        return self._line

    def no_key(self, command: str) -> None:
        """An entry without a key: pybtex would file it as "unnamed-N", which nobody can cite."""
        self.findings.append(
            finding(self.path, self.line(), "BIB001", f"@{command} entry has no key")
        )

    def _error(self, error: PybtexError) -> None:
        if isinstance(error, PybtexSyntaxError):
            message = f"{error.error_type}: {error.args[0]}"
            key = self.low.current_entry_key
            if key:
                message += f" (in entry {key}, which starts on line {self.line()})"
            self.findings.append(finding(self.path, error.lineno or 1, "BIB001", message))
        if self._on_error:
            self._on_error(error)


class _FieldLocatingParser(LowLevelParser):
    """pybtex's scanner, noting where each field of the current entry starts and ends."""

    def parse_command(self):
        self.field_spans: list[tuple[str, int, int]] = []
        return super().parse_command()

    def parse_field(self):
        # Called just past the comma that ends the key or the previous field.
        start = self.pos - 1
        super().parse_field()
        if self.current_field_name:
            # The value's parser has read on past the whitespace after it: leave that out.
            end = start + len(self.text[start : self.pos].rstrip())
            self.field_spans.append((self.current_field_name, start, end))


class _LocatingParser(Parser):
    """pybtex's BibTeX parser, fed by the one scanner, recording the line and span of every
    entry it reads (pybtex keeps no source positions in its data)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.places: dict[str, tuple[int, int, int, tuple[tuple[int, int], ...]]] = {}
        self.findings: list[Finding] = []
        self.seen: set[int] = set()  # errors already turned into findings

    def parse_text(self, text: str) -> BibliographyData:
        self.unnamed_entry_counter = 1
        scanner = _Scanner(text, self.path, self.macros, on_error=self._syntax_error)
        for command, body in scanner:
            kind = command.lower()
            if kind == "preamble":
                self.process_preamble(*body)
            elif kind != "string":
                self._process_located(scanner, command, body)
        self.findings[:0] = scanner.findings
        return self.data

    def _process_located(self, scanner: _Scanner, command: str, body: tuple) -> None:
        key = body[0]
        if not key:
            scanner.no_key(command)
            return
        line = scanner.line()
        captured = pybtex.errors.captured_errors
        before = len(captured) if captured is not None else 0
        self.process_entry(command, *body)
        if key not in self.places:
            bookkeeping = tuple(
                (start, end)
                for name, start, end in scanner.low.field_spans
                if name.lower().startswith("x-")
            )
            self.places[key] = (line, scanner.low.command_start, scanner.low.pos, bookkeeping)
        for exc in (captured or [])[before:]:
            self.seen.add(id(exc))
            self.findings.append(_data_finding(self.path, line, exc))

    def _syntax_error(self, error: PybtexError) -> None:
        self.seen.add(id(error))
        super().handle_error(error)


def _data_finding(path: Path, line: int, exc: Exception) -> Finding:
    return finding(path, line, "BIB002", str(exc.args[0] if exc.args else exc))


def disagreements(
    csv: Path, item: ListedRow[Exemplar], entry: BibEntry, where: str
) -> list[Finding]:
    """Title and year of a row against its entry; warnings, since either side may be right."""
    row = item.row
    findings = []
    if normalise_title(row.title) != normalise_title(entry.title):
        message = f'title "{row.title}" differs from entry {row.key} ({where}): "{entry.title}"'
        findings.append(finding(csv, item.line, "BIB006", message))
    findings += _year_findings(csv, item, entry, where)
    return findings


def _year_findings(
    csv: Path, item: ListedRow[Exemplar], entry: BibEntry, where: str
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
        return [finding(csv, item.line, "BIB007", message)]
    apart = abs(int(year) - row.year)
    if apart > 1:
        message = (
            f"year {row.year} is {apart} years from entry {row.key} ({where}), which has year "
            f"{year}; correct the row or the entry"
        )
        return [finding(csv, item.line, "BIB010", message)]
    if accepted_year(entry) == row.year:
        return []
    message = (
        f"year {row.year} differs: entry {row.key} ({where}) has year {year}; if both are right, "
        f"say why in the entry: {YEAR_ACCEPTED} = {{{row.year}: reason}}"
    )
    return [finding(csv, item.line, "BIB007", message)]


def accepted_year(entry: BibEntry) -> int | None:
    """The list's year that `entry` accepts in its `x-year-accepted` field, if any."""
    match = _ACCEPTED.match(entry.fields.get(YEAR_ACCEPTED, ""))
    return int(match.group(1)) if match else None
