"""Is `#fragment` an anchor of a page? Read as little of the page as needed to say.

The body is streamed through the standard library's HTML parser, chunk by chunk, and reading
stops as soon as the anchor is seen or after a cap on the bytes read, so a huge page is never
downloaded whole.
"""

from __future__ import annotations

import codecs
from enum import Enum
from html.parser import HTMLParser
from urllib.parse import unquote

import httpx


class Anchor(Enum):
    FOUND = "found"
    MISSING = "missing"
    UNKNOWN = "unknown"  # the page is longer than the cap and the anchor is not in what was read
    NOT_HTML = "not html"  # a PDF's #page=3 or an image: nothing to look up


def wants_check(fragment: str) -> bool:
    """False for fragments that name no element: text fragments and client-side routes."""
    return bool(fragment) and not fragment.startswith((":~:", "/", "!"))


class _AnchorFinder(HTMLParser):
    def __init__(self, names: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.names = names
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for attribute, value in attrs:
            if value in self.names and (attribute == "id" or (attribute == "name" and tag == "a")):
                self.found = True


async def find_anchor(response: httpx.Response, fragment: str, max_bytes: int) -> Anchor:
    """Whether the streamed HTML `response` has an element with id (or a name) `fragment`."""
    content_type = response.headers.get("content-type", "text/html").lower()
    if "html" not in content_type:
        return Anchor.NOT_HTML
    name = unquote(fragment)
    # GitHub renders README headings with a prefix and adds the bare id with a script.
    finder = _AnchorFinder({name, "user-content-" + name})
    decoder = codecs.getincrementaldecoder(_codec(response.charset_encoding))(errors="replace")
    read = 0
    async for chunk in response.aiter_bytes():
        read += len(chunk)
        finder.feed(decoder.decode(chunk))
        if finder.found:
            return Anchor.FOUND
        if read >= max_bytes:
            return Anchor.UNKNOWN
    finder.feed(decoder.decode(b"", final=True))
    finder.close()
    return Anchor.FOUND if finder.found else Anchor.MISSING


def _codec(charset: str | None) -> str:
    try:
        return codecs.lookup(charset or "utf-8").name
    except LookupError:  # a page declaring a charset Python does not know
        return "utf-8"
