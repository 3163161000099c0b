"""What a `.qmd` or `.md` file cites, links and labels, read from pandoc's JSON AST.

Pandoc (shipped by pypandoc-binary) parses the file the way Quarto does, with its `markdown`
reader, so a citation is whatever pandoc calls a Cite: never a guess from a regular expression.
That reader records no source positions, so each element found in the AST is then *located* in
the source text to report a line; the text search only places what the AST already found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Quarto's cross-reference prefixes: `@fig-x` is a reference to a figure, not a citation.
# https://quarto.org/docs/authoring/cross-references.html
CROSSREF_PREFIXES = (
    "fig", "tbl", "lst", "sec", "eq", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr",
    "sol", "rem", "alg", "apx",
)  # fmt: skip


@dataclass(frozen=True)
class Located:
    value: str
    line: int


@dataclass
class MarkdownDocument:
    path: Path
    meta: dict[str, Any]
    citations: list[Located] = field(default_factory=list)  # bibliography keys
    crossrefs: list[Located] = field(default_factory=list)  # @fig-..., @sec-...
    links: list[Located] = field(default_factory=list)  # link targets, as written
    images: list[Located] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)  # anchors: headings, divs, spans, images, cells


def is_crossref(key: str) -> bool:
    prefix, dash, _ = key.partition("-")
    return bool(dash) and prefix in CROSSREF_PREFIXES


# An executable cell opens with ```{python}; Quarto turns that into a code block before pandoc
# sees it, and so do we, or pandoc would read the cell as inline code in a paragraph.
_CELL_FENCE = re.compile(r"^(\s*`{3,})\{([A-Za-z])", re.MULTILINE)


def pandoc_ast(text: str) -> dict[str, Any]:
    """Pandoc's JSON AST of Quarto Markdown text (one pandoc process)."""
    import pypandoc  # imported here: only commands that read Markdown pay for it

    text = _CELL_FENCE.sub(r"\1{.cell .\2", text)
    return json.loads(pypandoc.convert_text(text, "json", format="markdown"))


def parse_markdown(path: Path) -> MarkdownDocument:
    """Citations, cross-references, links, images and anchors of one Markdown file."""
    text = path.read_text(encoding="utf-8-sig")
    ast = pandoc_ast(text)
    locator = _Locator(text)
    document = MarkdownDocument(path, front_matter(text))
    for node in _walk(ast["blocks"]):
        kind, content = node.get("t"), node.get("c")
        if kind == "Cite":
            for citation in content[0]:
                key = citation["citationId"]
                found = Located(key, locator.find("@" + key, "@{" + key))
                (document.crossrefs if is_crossref(key) else document.citations).append(found)
        elif kind in ("Link", "Image"):
            target = content[2][0]
            # Whole targets first, so a link to /a is not placed at an earlier link to /a#b.
            whole = ("(" + target + ")", "(" + target + " ", "<" + target + ">")
            found = Located(target, locator.find(*whole, "(" + target, "<" + target, target))
            (document.links if kind == "Link" else document.images).append(found)
        if kind in ("Header", "Div", "Span", "CodeBlock", "Figure", "Table", "Image", "Link"):
            attributes = content[1] if kind == "Header" else content[0]
            if attributes[0]:
                document.ids.add(attributes[0])
            if kind == "CodeBlock":
                document.ids.update(_cell_labels(content[1]))
    return document


def front_matter(text: str) -> dict[str, Any]:
    """The YAML block at the top of a file, or {} (pandoc's meta loses types such as dates)."""
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        meta = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _cell_labels(code: str) -> list[str]:
    """`#| label: fig-x` options of an executable cell."""
    options = "\n".join(line[3:] for line in code.splitlines() if line.startswith("#| "))
    try:
        parsed = yaml.safe_load(options) if options else None
    except yaml.YAMLError:
        return []
    label = parsed.get("label") if isinstance(parsed, dict) else None
    return [str(label)] if label else []


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "t" in node:
            yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


class _Locator:
    """Lines of successive occurrences of text, so repeated citations get their own lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: dict[str, int] = {}

    def find(self, *needles: str) -> int:
        for needle in needles:
            start = self.seen.get(needle, 0)
            at = self.text.find(needle, start)
            if at < 0 and start:
                at = self.text.find(needle)
            if at >= 0:
                self.seen[needle] = at + len(needle)
                return self.text.count("\n", 0, at) + 1
        return 1
