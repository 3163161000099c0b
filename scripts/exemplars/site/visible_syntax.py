"""Markdown and Quarto syntax that reached the reader as text instead of being rendered.

Each pattern is matched against the text nodes of a built page (never code, scripts or styles):
what is left when pandoc or Quarto could not read an attribute list, a shortcode, a fenced div
or a citation, and the marks they print for what they could not resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What each leak looks like, with what it means for the reader of the report.
PATTERNS = (
    # `{fig-alt="..."}`, `{#fig-x}`, `{.class}`, `{width=50%}`: attributes pandoc did not read.
    (re.compile(r"\{\s*(?:[#.][A-Za-z][\w:.-]*|[A-Za-z][\w-]*\s*=)"), "an attribute list"),
    (re.compile(r"\{\{[<%]"), "a shortcode"),
    (re.compile(r"(?:^|\s):::"), "a fenced div's colons"),
    (re.compile(r"\[-?@[A-Za-z0-9_]"), "a citation"),
    # Quarto prints an unresolved cross-reference `@fig-x` as `?@fig-x`.
    # https://github.com/quarto-dev/quarto-cli/blob/main/src/resources/filters/crossref/refs.lua
    (re.compile(r"\?@[A-Za-z][\w:.-]*"), "an unresolved cross-reference"),
)
# Pandoc's citeproc prints a citation whose key is in no bibliography as `(<strong>key?</strong>)`
# inside the citation's span; Quarto prints a cross-reference between pages it cannot resolve as
# `<span class="quarto-unresolved-ref">?id</span>`.
UNRESOLVED_CITATION = re.compile(r"^\s*[A-Za-z0-9_][\w:.#$%&+<>~/-]*\?\s*$")
UNRESOLVED_REFERENCE = re.compile(r"^\s*\?[A-Za-z][\w:.-]*\s*$")
SHOWN = 50  # characters of the page's text quoted in a finding


@dataclass(frozen=True)
class Leak:
    """Syntax shown as text: what kind, the text from it on, and its line in the HTML file."""

    kind: str
    text: str
    line: int


def leaks_in(text: str, line: int) -> list[Leak]:
    """The syntax visible in one text node that starts on `line`."""
    found = []
    for pattern, kind in PATTERNS:
        for match in pattern.finditer(text):
            start = match.start() + (match.group(0)[0].isspace())
            found.append(Leak(kind, _excerpt(text[start:]), line + text.count("\n", 0, start)))
    return found


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN else flat[: SHOWN - 1] + "…"


def unresolved_mark(text: str, line: int, kind: str) -> Leak:
    """A mark pandoc or Quarto printed for a citation or cross-reference it could not resolve."""
    leading = text[: len(text) - len(text.lstrip())]
    return Leak(kind, _excerpt(text), line + leading.count("\n"))
