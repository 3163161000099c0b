"""Citations in prose: every `@key` a page cites is in the bibliography that page uses.

Citations come from pandoc's AST (quarto.markdown); the bibliography a page uses is its
`bibliography` metadata, inherited as Quarto inherits it (quarto.pages). Keys are compared as
pandoc compares them: case-sensitively.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exemplars.findings import Finding, finding
from exemplars.quarto.pages import DeclaredPath, Page, Site
from exemplars.textio import read_text

BIBTEX_SUFFIXES = (".bib", ".bibtex")


@dataclass(frozen=True)
class BibKeys:
    """The entry keys of a BibTeX file, and its syntax errors."""

    keys: frozenset[str]
    findings: tuple[Finding, ...] = ()


def read_bib_keys(path: Path, shown: str) -> BibKeys:
    """The keys of every entry, read with pybtex's low-level parser.

    The low-level parser yields each entry's key and raw fields without building the
    names and field objects of a full parse, which is what a check of keys needs (it reads
    10,000 entries in well under half the time). A syntax error is reported with its line and
    the parser moves on to the next `@`, so one broken entry hides no other key.
    """
    from pybtex.database.input.bibtex import LowLevelParser, month_names
    from pybtex.scanner import PybtexSyntaxError

    text = read_text(path, shown)
    findings: list[Finding] = []

    def report(problem: PybtexSyntaxError) -> None:
        # Named at the line of the entry it breaks, which is where a person looks first.
        start = parser.command_start
        line = text.count("\n", 0, start) + 1 if start is not None else problem.lineno or 1
        reason = f"BibTeX {problem.error_type}: {problem.args[0]}"
        if problem.lineno and problem.lineno != line:
            reason += f" (found on line {problem.lineno})"
        findings.append(finding(shown, line, "BIB001", reason))

    # A copy of the month macros: the parser adds each @string to the dict it is given.
    parser = LowLevelParser(text, handle_error=report, macros=dict(month_names))
    keys = {
        body[0]
        for command, body in parser
        if command.lower() not in ("string", "preamble") and body and body[0]
    }
    return BibKeys(frozenset(keys), tuple(findings))


class Bibliographies:
    """The keys of each bibliography file the pages use, each file read once."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._read: dict[Path, BibKeys | None] = {}

    def keys(self, path: Path) -> BibKeys | None:
        """The file's keys; None when it is missing or not BibTeX (reported elsewhere)."""
        path = path.resolve()
        if path not in self._read:
            readable = path.is_file() and path.suffix.lower() in BIBTEX_SUFFIXES
            shown = self.site.project.shown(path)
            self._read[path] = read_bib_keys(path, shown) if readable else None
        return self._read[path]

    def add(self, path: Path, keys: BibKeys) -> None:
        """Keys of a file already parsed elsewhere, so it is not read twice."""
        self._read[path.resolve()] = keys

    def read_all(self) -> None:
        """Read every page's bibliography now (pages need only their front matter for this)."""
        for page in self.site.pages:
            for item in page.paths("bibliography"):
                self.keys(item.path)

    def syntax_errors(self) -> list[Finding]:
        # The project's own bibliography has its syntax checked with the rest of its checks.
        own = self.site.project.bibliography.resolve()
        return [
            problem
            for path, bib in self._read.items()
            if bib and path != own
            for problem in bib.findings
        ]


def check_citations(site: Site, bibliographies: Bibliographies | None = None) -> list[Finding]:
    """A finding for every citation whose key is not in its page's bibliography."""
    bibliographies = bibliographies or Bibliographies(site)
    findings: list[Finding] = []
    for page in site.pages:
        if page.citations:
            findings += _check_page(page, bibliographies)
    return findings + bibliographies.syntax_errors()


def _check_page(page: Page, bibliographies: Bibliographies) -> list[Finding]:
    declared = page.paths("bibliography")
    if not declared:
        return [
            finding(
                page.shown,
                c.line,
                "CIT002",
                f"@{c.value} is cited but the page has no bibliography",
            )
            for c in page.citations
        ]
    bibs = [bibliographies.keys(item.path) for item in declared]
    if any(bib is None for bib in bibs):
        # A missing or non-BibTeX bibliography is reported by itself; its keys are unknown.
        return _not_bibtex(declared)
    keys = frozenset().union(*(bib.keys for bib in bibs if bib))
    folded = {key.lower(): key for key in keys}
    names = ", ".join(item.written for item in declared)
    return [
        finding(page.shown, c.line, "CIT001", _unknown(c.value, names, folded))
        for c in page.citations
        if c.value not in keys
    ]


def _unknown(key: str, names: str, folded: dict[str, str]) -> str:
    message = f"@{key} is not in the bibliography ({names})"
    if key.lower() in folded:
        message += f'; keys are case-sensitive: did you mean "{folded[key.lower()]}"?'
    return message


def _not_bibtex(declared: list[DeclaredPath]) -> list[Finding]:
    return [
        finding(
            item.shown,
            item.line,
            "CIT003",
            f"bibliography {item.written} is not BibTeX (.bib): its citations are not checked",
        )
        for item in declared
        if item.path.is_file() and item.path.suffix.lower() not in BIBTEX_SUFFIXES
    ]
