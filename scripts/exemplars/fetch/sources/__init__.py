"""Bibliographic services, one module each, all answering with the same `Record`.

Each module turns one service's response into Records and nothing else: no matching, no BibTeX.
The services: Crossref (works by DOI, bibliographic search), DBLP (publication search), arXiv
(Atom API by identifier), doi.org (content negotiation for CSL-JSON, which also covers DataCite
DOIs such as arXiv's).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from exemplars.normalise import fold
from pybtex.database import Person


@dataclass(frozen=True)
class Author:
    """A person, or an organisation (`organisation=True`, the whole name in `name`)."""

    name: str  # the full name, given names first
    family: str = ""  # when the service separates it
    given: str = ""
    organisation: bool = False

    @property
    def folded(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class Record:
    """One service's description of one work, as plain Unicode text."""

    source: str  # crossref, dblp, arxiv, doi.org
    entry_type: str  # the BibTeX type: article, inproceedings, incollection, book, misc
    title: str
    authors: tuple[Author, ...]
    year: int | None
    preprint: bool = False
    short_title: str = ""  # the title without its subtitle, when the service separates them
    venue: str = ""  # journal or proceedings or book title
    publisher: str = ""
    volume: str = ""
    number: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    eprint: str = ""  # arXiv identifier without version
    primary_class: str = ""
    linked_doi: str = ""  # a published version the preprint service links to

    def describe(self) -> str:
        """A one-line description for reports: source, title, year, first authors."""
        names = ", ".join(a.family or a.name for a in self.authors[:3])
        more = " et al." if len(self.authors) > 3 else ""
        return f'{self.source} "{self.title}" ({self.year or "no year"}; {names}{more})'


def person(name: str) -> Author:
    """An Author from a full name such as DBLP and arXiv give ("Diederik P. Kingma")."""
    name = " ".join(name.split())
    parsed = Person(name)
    family = " ".join(parsed.prelast_names + parsed.last_names)
    given = " ".join(parsed.first_names + parsed.middle_names)
    return Author(name=name, family=family, given=given)


def plain(text: str) -> str:
    """Service text as plain Unicode: inline markup such as <i> or <sub> dropped, entities read.

    Crossref titles carry JATS/HTML inline tags; nothing else in a title looks like a tag, so
    dropping anything between angle brackets is safe here.
    """
    return " ".join(html.unescape(re.sub(r"<[^<>]+>", "", text)).split())


def first_text(value: list[str] | str | None) -> str:
    """The first of a list of strings (Crossref) or the string itself (CSL-JSON), as plain text."""
    if isinstance(value, list):
        return plain(value[0]) if value else ""
    return plain(value or "")


def csl_author(person: dict) -> Author:
    """A person in Crossref's or CSL-JSON's shape: `given`/`family`, or a `name`/`literal`."""
    if "family" in person:
        family, given = plain(person["family"]), plain(person.get("given", ""))
        return Author(name=f"{given} {family}".strip(), family=family, given=given)
    organisation = person.get("name") or person.get("literal")
    if organisation:
        return Author(name=plain(organisation), organisation=True)
    return Author(name=plain(person.get("given", "")))


def date_parts_year(date: dict) -> int | None:
    """The year of a `{"date-parts": [[2018, 9, 1]]}` date; None when absent."""
    parts = date.get("date-parts") or [[None]]
    year = parts[0][0] if parts[0] else None
    return int(year) if year else None
