"""COinS: each exemplar's reference as an OpenURL context object that reference managers read.

A `<span class="Z3988" title="...">` whose title is an OpenURL 1.0 (Z39.88-2004) context object
in KEV form tells Zotero's connector, and any reader of COinS, what the item is: it then offers
to save the items of the page. The span is empty, so the page shows nothing and a screen reader
says nothing. https://en.wikipedia.org/wiki/COinS

The context object is built from the item's CSL-JSON (`exemplars.data.csl`), the same entry the
post formats as the item's reference. The metadata format and genre follow the entry's type, as
Zotero writes and reads them (zotero/utilities, openurl.js): a journal article (`journal`,
`article`), a preprint (`journal`, `preprint`), a conference paper (`book`, `proceeding`), a book
(`book`, `book`) and a chapter (`book`, `bookitem`); talks, videos, posts and web pages have no
OpenURL format of their own and use Dublin Core (`dc`), whose `type` names Zotero's item type.
Keys per format: the KEV matrices registered with the OpenURL registry
(info:ofi/fmt:kev:mtx:journal, :book, :dc).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, urlencode

from exemplars.data.csl import (
    CslItem,
    bibliography_items,
    issued,
    list_items,
    names,
    page_range,
    plain_text,
)
from exemplars.data.schema import Exemplar
from exemplars.project import Project
from exemplars.quarto.markdown import pandoc_path

CONTEXT_VERSION = "Z39.88-2004"
JOURNAL = "info:ofi/fmt:kev:mtx:journal"
BOOK = "info:ofi/fmt:kev:mtx:book"
DUBLIN_CORE = "info:ofi/fmt:kev:mtx:dc"
# CSL type -> (metadata format, genre, the key of the item's own title, of its container's).
FORMATS = {
    "article-journal": (JOURNAL, "article", "atitle", "jtitle"),
    "article": (JOURNAL, "preprint", "atitle", "jtitle"),
    "paper-conference": (BOOK, "proceeding", "atitle", "btitle"),
    "book": (BOOK, "book", "btitle", ""),
    "chapter": (BOOK, "bookitem", "atitle", "btitle"),
}
# CSL type -> Dublin Core `type` for the rest: Zotero's item types, which its reader maps back.
DUBLIN_CORE_TYPES = {
    "speech": "presentation",
    "motion_picture": "videoRecording",
    "post-weblog": "blogPost",
    "webpage": "webpage",
}


def context_object(item: CslItem) -> list[tuple[str, str]]:
    """The item's OpenURL context object as ordered key-value pairs (keys may repeat)."""
    pairs = [("ctx_ver", CONTEXT_VERSION)]
    if item.get("DOI"):
        pairs.append(("rft_id", f"info:doi/{plain_text(item['DOI'])}"))
    if item.get("URL"):
        pairs.append(("rft_id", plain_text(item["URL"])))
    kind = str(item.get("type", ""))
    if kind in FORMATS:
        pairs += _scholarly(item, *FORMATS[kind])
    else:
        pairs += _dublin_core(item, DUBLIN_CORE_TYPES.get(kind, "document"))
    return [(key, value) for key, value in pairs if value]


def _scholarly(
    item: CslItem, format_: str, genre: str, title_key: str, container_key: str
) -> list[tuple[str, str]]:
    """The journal and book formats: titles, authors, date and the container's numbers."""
    pairs = [("rft_val_fmt", format_), ("rft.genre", genre)]
    pairs.append((f"rft.{title_key}", plain_text(item.get("title", ""))))
    if container_key:
        pairs.append((f"rft.{container_key}", plain_text(item.get("container-title", ""))))
    authors = names(item)
    if authors and not authors[0].literal:
        pairs += [("rft.aulast", authors[0].family), ("rft.aufirst", authors[0].given)]
    pairs += [("rft.au", name.inverted) for name in authors]
    pairs.append(("rft.date", issued(item)))
    if format_ == JOURNAL:
        pairs += [("rft.volume", plain_text(item.get("volume", "")))]
        pairs += [("rft.issue", plain_text(item.get("issue", "")))]
    else:
        pairs += [("rft.pub", plain_text(item.get("publisher", "")))]
        pairs += [("rft.place", plain_text(item.get("publisher-place", "")))]
        pairs += [("rft.series", plain_text(item.get("collection-title", "")))]
        pairs += [("rft.isbn", plain_text(item.get("ISBN", "")))]
    first, last = page_range(item)
    if first:
        pairs += [("rft.pages", f"{first}-{last}" if last else first)]
        pairs += [("rft.spage", first), ("rft.epage", last)]
    if format_ == JOURNAL:
        pairs += [("rft.issn", plain_text(item.get("ISSN", "")))]
    return pairs


def _dublin_core(item: CslItem, dc_type: str) -> list[tuple[str, str]]:
    """Dublin Core: title, creators, date, publisher, where it appeared and what it is."""
    pairs = [("rft_val_fmt", DUBLIN_CORE), ("rft.type", dc_type)]
    pairs.append(("rft.title", plain_text(item.get("title", ""))))
    pairs += [("rft.creator", name.inverted) for name in names(item)]
    pairs.append(("rft.date", issued(item)))
    pairs.append(("rft.publisher", plain_text(item.get("publisher", ""))))
    pairs.append(("rft.source", plain_text(item.get("container-title", ""))))
    return pairs


def coins_kev(item: CslItem) -> str:
    """The context object as KEV: `key=value` pairs joined by `&`, every value percent-encoded
    (a space as `%20`: Zotero's reader takes `+` for a space, but so does no other)."""
    return urlencode(context_object(item), quote_via=quote)


def coins_span(item: CslItem) -> str:
    """The empty `span.Z3988` that carries the item's context object in its title."""
    return f'<span class="Z3988" title="{html.escape(coins_kev(item))}"></span>'


def list_coins(
    root: Path, exemplars: Sequence[Exemplar], cache: Path | None = None
) -> dict[str, str]:
    """Key -> the COinS span of each exemplar that has an entry, from one run of pandoc over
    the project's references.bib (see `exemplars.data.csl`; `cache` keeps the conversion)."""
    entries = bibliography_items(Project(root).bibliography, pandoc_path(), cache)
    return {item["id"]: coins_span(item) for item in list_items(exemplars, entries).items}
