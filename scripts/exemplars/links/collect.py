"""Every link of the post, the list and the bibliography, with the file and line it is written on.

Markdown links come from pandoc's AST (`quarto.markdown`), the list's `doi`, `arxiv` and `url`
columns from the CSV reader, and the bibliography's `doi`, `url` and `eprint` fields from pybtex.
A DOI becomes https://doi.org/<doi> and an arXiv id the abstract page, so every link is a URL a
reader could click. The same link written in several places is one target with several sources.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from exemplars.data.fields import ARXIV_PATTERN, DOI_PATTERN
from exemplars.data.table import read_table
from exemplars.links.documents import MarkdownReader
from exemplars.project import Project
from exemplars.quarto.pages import PAGE_SUFFIXES, project_pages
from exemplars.textio import read_text

SUFFIXES = (".qmd", ".md", ".csv", ".bib")
DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")
_DOI_PREFIX = re.compile(r"^(doi:\s*|https?://(dx\.|www\.)?doi\.org/)", re.IGNORECASE)
# A URL httpx reads as a web link to its host: http(s), a host that is a DNS name or an IPv4
# address (no user info, no punycode), then printable ASCII. Recognised without httpx, whose import
# costs more than a whole run answered from the cache; httpx parses every other URL.
_PLAIN_WEB_URL = re.compile(
    r"https?://(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::[0-9]+)?(?:[/?#][!-~]*)?",
    re.IGNORECASE | re.ASCII,
)
_PLAIN_URL_LENGTH = 8192  # far below httpx's limit
_IPV4_STYLE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")  # as httpx tells an IPv4 host
# Escapes that BibTeX users write inside DOIs and URLs; the link itself has the plain character.
_BIB_ESCAPES = re.compile(r"\\([_%&#$])")


class Kind(StrEnum):
    WEB = "web"  # an http(s) URL, checked over HTTP
    DOI = "doi"  # checked through the DOI handle service
    INTERNAL = "internal"  # a path or #anchor inside the project
    OTHER = "other"  # mailto:, ftp: and the like: listed, not checked
    INVALID = "invalid"  # not a link at all: reported as broken without a request


@dataclass(frozen=True, order=True)
class Place:
    """Where a link is written: the file as the command read it, and the line."""

    file: Path
    line: int


@dataclass
class Target:
    """One link to check and every place it is written."""

    url: str
    kind: Kind
    sources: list[Place] = field(default_factory=list)
    doi: str = ""
    problem: str = ""  # why an INVALID link is not a link
    document: Path | None = None  # for INTERNAL links: the file they are relative to


@dataclass(frozen=True)
class _Found:
    target: Target
    source: Place


def collect_links(files: Iterable[Path], arxiv_abs: str, reader: MarkdownReader) -> list[Target]:
    """The links of `files`, one target per distinct link, in order of first appearance."""
    targets: dict[tuple[str, str], Target] = {}
    for path in files:
        for found in _links_in(path, arxiv_abs, reader):
            target = found.target
            key = (str(target.document or ""), target.url)
            targets.setdefault(key, target).sources.append(found.source)
    return list(targets.values())


def project_files(project: Project) -> list[Path]:
    """What `exemplars links` checks by default: every page Quarto renders (the pages
    `exemplars check` reads), the list and the bibliography."""
    data = [p for p in (project.exemplars_csv, project.bibliography) if p.exists()]
    return project_pages(project) + data


def _links_in(path: Path, arxiv_abs: str, reader: MarkdownReader) -> Iterator[_Found]:
    if path.suffix.lower() in PAGE_SUFFIXES:
        yield from _markdown_links(path, reader)
    elif path.suffix == ".csv":
        yield from _csv_links(path, arxiv_abs)
    elif path.suffix == ".bib":
        yield from _bib_links(path, arxiv_abs)


def _markdown_links(path: Path, reader: MarkdownReader) -> Iterator[_Found]:
    for address, line in reader.links(path):
        target = _markdown_target(address.strip(), path)
        if target is not None:
            yield _Found(target, Place(path, line))


def _markdown_target(address: str, document: Path) -> Target | None:
    if not address or "{{<" in address:  # empty, or a Quarto shortcode filled in at render time
        return None
    if _plain_web_url(address):  # most links: http(s), known without splitting the URL
        return Target(address, Kind.WEB)
    scheme = urlsplit(address).scheme.lower()
    if scheme in ("http", "https"):
        return web_target(address)
    if scheme and not re.fullmatch(r"[a-z]", scheme):  # a one-letter scheme is a Windows drive
        return Target(address, Kind.OTHER)
    return Target(address, Kind.INTERNAL, document=document)


def web_target(url: str) -> Target:
    """A target for an http(s) URL: a DOI link goes to the handle service, a bad URL is INVALID."""
    if _plain_web_url(url):
        return Target(url, Kind.WEB)
    import httpx

    try:
        parsed = httpx.URL(url)
        host = parsed.host  # decodes a punycode host, which may fail
    except (httpx.InvalidURL, ValueError) as exc:
        return Target(url, Kind.INVALID, problem=f"not a valid URL: {exc}")
    if not host:
        return Target(url, Kind.INVALID, problem="not a valid URL: no host")
    if host.lower() in DOI_HOSTS and parsed.path.startswith("/10."):
        return doi_target(unquote(parsed.path[1:]))
    return Target(url, Kind.WEB)


def _plain_web_url(url: str) -> bool:
    """True for a URL of `_PLAIN_WEB_URL`'s form that httpx would take as a web link."""
    found = _PLAIN_WEB_URL.fullmatch(url) if len(url) <= _PLAIN_URL_LENGTH else None
    if found is None:
        return False
    host = found["host"].lower()
    # httpx takes an IPv4-style host only as an IPv4 address; "xn--" is punycode, which httpx
    # decodes; a DOI's host makes a DOI target.
    if _IPV4_STYLE.fullmatch(host) and not _ipv4_address(host):
        return False
    return "xn--" not in host and host not in DOI_HOSTS


@cache  # a page links to a few hosts many times
def _ipv4_address(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


def doi_target(doi: str) -> Target:
    """A target for a DOI, bare or written as a doi.org link."""
    doi = _DOI_PREFIX.sub("", doi.strip())
    url = "https://doi.org/" + doi
    if not re.fullmatch(DOI_PATTERN, doi):
        return Target(url, Kind.INVALID, problem="not a DOI (10.NNNN/suffix)")
    return Target(url, Kind.DOI, doi=doi)


def arxiv_target(arxiv_id: str, arxiv_abs: str) -> Target:
    """A target for an arXiv identifier: its abstract page."""
    arxiv_id = re.sub(r"^arxiv:", "", arxiv_id.strip(), flags=re.IGNORECASE)
    url = arxiv_abs + arxiv_id
    if not re.fullmatch(ARXIV_PATTERN, arxiv_id):
        return Target(url, Kind.INVALID, problem="not an arXiv id (2103.03123 or hep-th/9901001)")
    return Target(url, Kind.WEB)


def _csv_links(path: Path, arxiv_abs: str) -> Iterator[_Found]:
    text = read_text(path)
    header = [name.strip() for name in next(csv.reader(io.StringIO(text, newline="")), [])]
    for record in read_table(path, header).records:
        source = Place(path, record.line)
        if doi := record.values.get("doi"):
            yield _Found(doi_target(doi), source)
        if arxiv := record.values.get("arxiv"):
            yield _Found(arxiv_target(arxiv, arxiv_abs), source)
        if url := record.values.get("url"):
            yield _Found(web_target(url), source)


def _bib_links(path: Path, arxiv_abs: str) -> Iterator[_Found]:
    from exemplars.data.bibliography import parse_bibliography  # pybtex is only loaded for a .bib

    text = read_text(path)
    # Entries pybtex cannot read are `exemplars check`'s to report; the rest are checked here.
    for entry in parse_bibliography(text, path).entries.values():
        span, fields = (entry.start, entry.end), entry.fields
        if doi := fields.get("doi"):
            yield _Found(doi_target(_unescape(doi)), Place(path, _field_line(text, span, "doi")))
        if url := fields.get("url"):
            yield _Found(web_target(_unescape(url)), Place(path, _field_line(text, span, "url")))
        eprint = fields.get("eprint")
        archive = (fields.get("archiveprefix") or fields.get("eprinttype") or "arxiv").lower()
        if eprint and archive == "arxiv":
            line = _field_line(text, span, "eprint")
            yield _Found(arxiv_target(eprint, arxiv_abs), Place(path, line))


def _unescape(value: str) -> str:
    return _BIB_ESCAPES.sub(r"\1", value.strip().strip("{}"))


def _field_line(text: str, span: tuple[int, int], name: str) -> int:
    """The line of `name = ...` within an entry, or the entry's first line."""
    begin, end = span
    found = re.compile(rf"[\s,{{(]{name}\s*=", re.IGNORECASE).search(text, begin, end)
    return text.count("\n", 0, found.start() + 1 if found else begin) + 1
