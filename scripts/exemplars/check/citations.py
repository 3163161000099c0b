"""Citations in prose: every `@key` a page cites is in the bibliography that page uses.

Citations come from pandoc's AST (quarto.markdown); the bibliography a page uses is its
`bibliography` metadata, inherited as Quarto inherits it (quarto.pages), read by the one
bibliography reader (data.bibliography). Keys are compared as pandoc compares them:
case-sensitively.
"""

from __future__ import annotations

from pathlib import Path

from exemplars.data.bibliography import (
    BIBTEX_SUFFIXES,
    CSL_SUFFIXES,
    BibliographyKeys,
    read_keys,
)
from exemplars.findings import Finding, finding
from exemplars.quarto.pages import DeclaredPath, Page, Site


class Bibliographies:
    """The keys of each bibliography file the pages use, each file read once."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self._read: dict[Path, BibliographyKeys | None] = {}
        self._checked_elsewhere: set[Path] = set()

    def keys(self, path: Path) -> BibliographyKeys | None:
        """The file's keys; None when it is missing or in a format we do not read (both
        reported elsewhere)."""
        path = path.resolve()
        if path not in self._read:
            self._read[path] = read_keys(path) if path.is_file() else None
        return self._read[path]

    def add(self, path: Path, keys: BibliographyKeys) -> None:
        """Keys of a file already read and checked elsewhere, so it is not read twice."""
        self._read[path.resolve()] = keys
        self._checked_elsewhere.add(path.resolve())

    def read_all(self) -> None:
        """Read every page's bibliography now (pages need only their front matter for this)."""
        for page in self.site.pages:
            for item in page.paths("bibliography"):
                self.keys(item.path)

    def syntax_errors(self) -> list[Finding]:
        return [
            problem
            for path, bib in self._read.items()
            if bib and path not in self._checked_elsewhere
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
                page.path,
                c.line,
                "CIT002",
                f"@{c.value} is cited but the page has no bibliography",
            )
            for c in page.citations
        ]
    bibs = [bibliographies.keys(item.path) for item in declared]
    if any(bib is None for bib in bibs):
        # A missing bibliography, or one in a format we do not read, is reported by itself;
        # its keys are unknown.
        return _unread(declared)
    keys = frozenset().union(*(bib.keys for bib in bibs if bib))
    folded = {key.lower(): key for key in keys}
    names = ", ".join(item.written for item in declared)
    return [
        finding(page.path, c.line, "CIT001", _unknown(c.value, names, folded))
        for c in page.citations
        if c.value not in keys
    ]


def _unknown(key: str, names: str, folded: dict[str, str]) -> str:
    message = f"@{key} is not in the bibliography ({names})"
    if key.lower() in folded:
        message += f'; keys are case-sensitive: did you mean "{folded[key.lower()]}"?'
    return message


def _unread(declared: list[DeclaredPath]) -> list[Finding]:
    readable = (*BIBTEX_SUFFIXES, *CSL_SUFFIXES)
    return [
        finding(
            item.named_in,
            item.line,
            "CIT003",
            f"bibliography {item.written} is not BibTeX, CSL-JSON or CSL-YAML: "
            "its citations are not checked",
        )
        for item in declared
        if item.path.is_file() and item.path.suffix.lower() not in readable
    ]
