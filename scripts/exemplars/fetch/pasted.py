"""A BibTeX entry pasted from a search engine's "cite" box, read with pybtex.

Such entries are where a work is found, not what the list keeps: they lowercase titles, cut
names to initials, date a preprint by its first version, and put an arXiv id in the journal
field (`journal = {arXiv preprint arXiv:1312.6114}`). So the entry only says which work is meant;
the record of a service says what it is, and each field where the two disagree is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from exemplars.data.bibliography import parse_bibliography
from exemplars.data.schema import ARXIV_PATTERN, DOI_PATTERN, Exemplar
from exemplars.findings import Finding, UnreadableInput, finding
from exemplars.normalise import fold, latex_to_text, normalise_title
from pybtex.database import Person

ARXIV_IN_TEXT = re.compile(r"arxiv:\s*(\S+?)(v\d+)?(?=[\s,;}]|$)", re.IGNORECASE)
KINDS = {
    "article": "article",
    "inproceedings": "inproceedings",
    "conference": "inproceedings",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
}


class UnusableEntry(ValueError):
    """Pasted text that is not one BibTeX entry naming a work."""


@dataclass(frozen=True)
class PastedEntry:
    path: Path  # where it came from, for findings: the file as named, or <stdin>
    line: int
    kind: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str
    doi: str
    arxiv: str
    url: str

    @property
    def complete(self) -> bool:
        """Title, authors and year: enough to judge a record against."""
        return bool(self.title and self.authors and self.year)

    def as_row(self) -> Exemplar:
        """The entry as an (unvalidated) row, for fetch-bib's resolver to judge records by."""
        return Exemplar.model_construct(
            key="pasted",
            title=self.title,
            authors=list(self.authors),
            year=self.year,
            kind=self.kind,
            doi=self.doi,
            arxiv=self.arxiv,
            url=self.url,
        )


def read_pasted(text: str, path: Path) -> PastedEntry:
    """The one entry of `text`; UnreadableInput when pybtex cannot read it, UnusableEntry when
    there is not exactly one entry."""
    bibliography = parse_bibliography(text, path)
    if bibliography.findings:
        raise UnreadableInput(bibliography.findings[0])
    if len(bibliography.entries) != 1:
        count = len(bibliography.entries)
        raise UnusableEntry(f"{path}: expected one BibTeX entry, found {count}")
    entry = next(iter(bibliography.entries.values()))
    fields = {name: latex_to_text(value) for name, value in entry.fields.items()}
    venue = fields.get("journal") or fields.get("booktitle") or ""
    arxiv = _arxiv_id(fields, venue)
    year = fields.get("year", "")
    return PastedEntry(
        path=path,
        line=entry.line,
        kind=KINDS.get(entry.type, "preprint" if arxiv else "article"),
        title=fields.get("title", ""),
        authors=tuple(_full_name(person) for person in entry.persons.get("author", [])),
        year=int(year) if re.fullmatch(r"\d{4}", year) else None,
        venue=venue,
        doi=_doi(fields.get("doi", "")),
        arxiv=arxiv,
        url=fields.get("url", ""),
    )


def disagreements(pasted: PastedEntry, row: Exemplar, source: str) -> list[Finding]:
    """A warning for each field where the pasted entry and the row built from `source`'s
    record differ, case, accents and punctuation aside."""
    compared = [
        ("title", pasted.title, row.title, normalise_title),
        ("authors", "; ".join(pasted.authors), "; ".join(row.authors), fold),
        ("year", str(pasted.year or ""), str(row.year), str),
        ("DOI", pasted.doi, row.doi, str.lower),
        ("arXiv id", pasted.arxiv, row.arxiv, str),
    ]
    return [
        finding(
            pasted.path,
            pasted.line,
            "ADD004",
            f'{what}: the pasted entry says "{given}", {source} says "{found}"; '
            f"the record's is kept",
        )
        for what, given, found, same in compared
        if given and same(given) != same(found)
    ]


def _full_name(person: Person) -> str:
    """A person as the list writes names: given names first, all of it plain text."""
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    return latex_to_text(" ".join(parts + person.lineage_names))


def _doi(text: str) -> str:
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", text.strip(), flags=re.IGNORECASE)
    return doi if re.fullmatch(DOI_PATTERN, doi) else ""


def _arxiv_id(fields: dict[str, str], venue: str) -> str:
    """The arXiv id in `eprint`, or in a journal or note written as "arXiv preprint arXiv:X"."""
    eprint = fields.get("eprint", "").strip()
    candidates = [eprint] if eprint else []
    for text in (venue, fields.get("note", ""), fields.get("journal", "")):
        candidates += [match.group(1) for match in ARXIV_IN_TEXT.finditer(text)]
    for candidate in candidates:
        bare = re.sub(r"v\d+$", "", candidate)
        if re.fullmatch(ARXIV_PATTERN, bare):
            return bare
    return ""
