"""What `exemplars add` accepts as the identifier of a work: a DOI or an arXiv id, in any of the
forms people copy them in.

- A DOI: bare (`10.1086/700070`), with a `doi:` prefix, as a doi.org (or dx.doi.org) URL, or
  inside a publisher's URL (`https://dl.acm.org/doi/pdf/10.1145/3317287.3328534`).
- An arXiv id: new style (`2005.07180`) or old (`hep-th/9901001`), with or without a version and
  an `arXiv:` prefix, or as an arxiv.org abs/pdf URL. The version is dropped: the list names the
  work, not one revision of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from exemplars.data.schema import ARXIV_PATTERN, DOI_PATTERN

ACCEPTED_FORMS = """\
accepted forms:
  10.1086/700070                          a DOI
  doi:10.1086/700070                      a DOI with its prefix
  https://doi.org/10.1086/700070          a doi.org URL
  https://dl.acm.org/doi/10.1145/3317287  a publisher's URL with a DOI in it
  2005.07180, 2005.07180v3, arXiv:2005.07180, hep-th/9901001
                                          an arXiv id, new or old style, any version
  https://arxiv.org/abs/2005.07180v3      an arXiv abs or pdf URL
  --bibtex FILE                           a BibTeX entry (`-` reads it from standard input)"""

ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
# A DOI inside a URL's path; what a publisher puts after it is cut by URL_TAIL.
DOI_INSIDE = re.compile(r"10\.\d{4,9}/\S+")
# What publishers' URLs put after a DOI: a file suffix or a view of the page.
URL_TAIL = re.compile(r"(\.pdf|/(full|abstract|abs|pdf|epdf|fulltext|html|meta))+$", re.I)
ARXIV_PATH = re.compile(r"^/(abs|pdf)/(?P<id>.+?)(\.pdf)?/?$")
VERSION = re.compile(r"v\d+$")


class UnknownIdentifier(ValueError):
    """Text that is none of the accepted forms; the message lists them."""


@dataclass(frozen=True)
class Identifier:
    kind: str  # "doi" or "arxiv"
    value: str  # the DOI as given, or the arXiv id without its version

    def __str__(self) -> str:
        return f"DOI {self.value}" if self.kind == "doi" else f"arXiv {self.value}"


def parse_identifier(text: str) -> Identifier:
    """The DOI or arXiv id that `text` gives; UnknownIdentifier when it gives neither."""
    text = text.strip()
    found = _arxiv(text) or _doi(text)
    if found is None:
        raise UnknownIdentifier(f'"{text}" is neither a DOI nor an arXiv id\n{ACCEPTED_FORMS}')
    return found


def _arxiv(text: str) -> Identifier | None:
    candidate = re.sub(r"^arxiv:\s*", "", text, flags=re.I)
    parts = urlsplit(text)
    if parts.scheme in ("http", "https"):
        if parts.hostname not in ARXIV_HOSTS:
            return None
        path = ARXIV_PATH.match(parts.path)
        if path is None:
            return None
        candidate = path.group("id")
    if not re.fullmatch(ARXIV_PATTERN, candidate):
        return None
    return Identifier("arxiv", VERSION.sub("", candidate))


def _doi(text: str) -> Identifier | None:
    doi = re.sub(r"^doi:\s*", "", text, flags=re.I)
    if re.match(r"^https?://", doi, re.I):
        # doi.org's path is the DOI; a publisher's holds it somewhere, maybe with a view or a
        # file suffix after it. (A DOI in a query string is too rare to guess at.)
        found = DOI_INSIDE.search(unquote(urlsplit(doi).path))
        doi = URL_TAIL.sub("", found.group().rstrip("/")) if found else ""
    return Identifier("doi", doi) if re.fullmatch(DOI_PATTERN, doi) else None
