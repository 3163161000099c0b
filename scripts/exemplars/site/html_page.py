"""One built page, read once with the standard library's HTML parser into what the checks ask.

The parser reports where each tag and text node starts (`getpos()`), so every fact below keeps
the line of the HTML file a finding points at. A stack of open elements gives each fact its
context: text inside code is not prose, an image inside a figure belongs to that figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from exemplars.site.visible_syntax import (
    UNRESOLVED_CITATION,
    UNRESOLVED_REFERENCE,
    Leak,
    leaks_in,
    unresolved_mark,
)

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
# Text inside these elements is code or not text at all, so syntax in it is meant.
NOT_PROSE = frozenset({"script", "style", "code", "pre", "textarea", "template"})
# The attributes through which a page loads or offers another file of the site.
URL_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "script": ("src",),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
}


REFERENCE_CLASSES = frozenset({"csl-entry", "exemplar-reference"})


@dataclass(frozen=True)
class Reference:
    """A URL in an attribute: the tag and attribute it sits in and its line."""

    url: str
    tag: str
    attribute: str
    line: int


@dataclass(frozen=True)
class Image:
    src: str
    alt: str | None
    line: int


@dataclass
class Figure:
    """A `<figure>` not nested in another: its label (the float's id), caption and images."""

    label: str
    line: int
    caption: str = ""
    images: list[Image] = field(default_factory=list)


@dataclass(frozen=True)
class Coins:
    """A COinS span (`span.Z3988`): its context object as written in `title`, its line, and
    the id of the exemplar's item it sits in ("" outside every item)."""

    context: str
    line: int
    item: str


@dataclass
class HtmlPage:
    """What the checks need to know of one page; `path` is relative to the site."""

    path: str
    ids: dict[str, int] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    citations: list[tuple[str, int]] = field(default_factory=list)
    bibliography: list[tuple[str, int]] = field(default_factory=list)
    leaks: list[Leak] = field(default_factory=list)
    main_line: int = 1
    items: dict[str, int] = field(default_factory=dict)  # exemplar items (`div.exemplar[id]`)
    coins: list[Coins] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    classes: frozenset[str]
    ident: str
    figure: Figure | None = None


def _urls(attribute: str, value: str) -> list[str]:
    """The URLs of an attribute; a `srcset` lists several, each with an optional size."""
    if attribute != "srcset":
        return [value.strip()] if value.strip() else []
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def read_page(path: str, html: str) -> HtmlPage:
    """Parse one page's HTML; `path` is how the site names it."""
    parser = _PageParser(HtmlPage(path))
    parser.feed(html)
    parser.close()
    return parser.page


class _PageParser(HTMLParser):
    def __init__(self, page: HtmlPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.open: list[_Open] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, dict(attrs), push=tag not in VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, dict(attrs), push=False)

    def _start(self, tag: str, attrs: dict[str, str | None], push: bool) -> None:
        line = self.getpos()[0]
        classes = frozenset((attrs.get("class") or "").split())
        self._record(tag, attrs, classes, line)
        if not push:
            return
        figure = None
        if tag == "figure" and self._figure() is None:
            figure = Figure(self._float_label() or f"the figure at line {line}", line)
            self.page.figures.append(figure)
        self.open.append(_Open(tag, classes, attrs.get("id") or "", figure))

    def _record(self, tag: str, attrs: dict, classes: frozenset[str], line: int) -> None:
        page = self.page
        if ident := attrs.get("id"):
            page.ids.setdefault(ident, line)
            # Citeproc's entries, and the list's own references, which the list's items hold.
            if classes & REFERENCE_CLASSES and "quarto-appendix-citeas" not in classes:
                page.bibliography.append((ident.removeprefix("ref-"), line))
            if ident == "quarto-document-content":
                page.main_line = line
        if tag == "a" and (name := attrs.get("name")):
            page.ids.setdefault(name, line)
        for attribute in URL_ATTRIBUTES.get(tag, ()):
            for url in _urls(attribute, attrs.get(attribute) or ""):
                page.references.append(Reference(url, tag, attribute, line))
        if tag == "a" and attrs.get("role") == "doc-biblioref":
            href = attrs.get("href") or ""
            page.citations.append((href.removeprefix("#").removeprefix("ref-"), line))
        if tag == "div" and "exemplar" in classes and attrs.get("id"):
            page.items.setdefault(attrs["id"], line)
        if tag == "span" and "Z3988" in classes:
            item = next((o.ident for o in reversed(self.open) if "exemplar" in o.classes), "")
            page.coins.append(Coins(attrs.get("title") or "", line, item))
        if tag == "img":
            image = Image(attrs.get("src") or "", attrs.get("alt"), line)
            page.images.append(image)
            if figure := self._figure():
                figure.images.append(image)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not data.strip() or any(o.tag in NOT_PROSE for o in self.open):
            return
        line = self.getpos()[0]
        if self._inside("figcaption") and (figure := self._figure()):
            figure.caption += data
        innermost = self.open[-1] if self.open else None
        if self._unresolved_citation(innermost, data):
            self.page.leaks.append(unresolved_mark(data, line, "an unresolved citation"))
        unresolved = innermost is not None and "quarto-unresolved-ref" in innermost.classes
        if unresolved and UNRESOLVED_REFERENCE.match(data):
            self.page.leaks.append(unresolved_mark(data, line, "an unresolved reference"))
        self.page.leaks += leaks_in(data, line)

    def _figure(self) -> Figure | None:
        return next((o.figure for o in self.open if o.figure is not None), None)

    def _float_label(self) -> str:
        """The id of the innermost open Quarto float, `<div id="fig-x" class="quarto-float">`."""
        return next((o.ident for o in reversed(self.open) if "quarto-float" in o.classes), "")

    def _unresolved_citation(self, innermost: _Open | None, text: str) -> bool:
        """`<strong>key?</strong>` in a citation's span: a key that is in no bibliography."""
        return (
            innermost is not None
            and innermost.tag == "strong"
            and self._inside_class("citation")
            and UNRESOLVED_CITATION.match(text) is not None
        )

    def _inside(self, tag: str) -> bool:
        return any(o.tag == tag for o in self.open)

    def _inside_class(self, name: str) -> bool:
        return any(name in o.classes for o in self.open)
