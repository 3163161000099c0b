"""Links between the project's own files: the file must exist and the #anchor must be in it.

Quarto turns a link to `page.qmd` into a link to `page.html`, and a folder link serves its
`index` page, so a link is found when any of the files Quarto would render to it exists.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urldefrag

from scripts.links.collect import Target
from scripts.links.documents import MarkdownReader
from scripts.links.outcome import Outcome, Status

_SOURCES_OF_HTML = (".qmd", ".md", ".ipynb", ".html")
_INDEX_PAGES = ("index.qmd", "index.md", "index.ipynb", "index.html")


class InternalLinks:
    """Checks internal links against the files and anchors of the project."""

    def __init__(self, root: Path, reader: MarkdownReader) -> None:
        self.root = root
        self.reader = reader

    def check(self, target: Target) -> Outcome:
        assert target.document is not None
        address, fragment = urldefrag(target.url)
        document = target.document
        if address:
            found = self._resolve(unquote(address), document)
            if found is None:
                return Outcome(Status.BROKEN, reason="no such file in the project")
            document = found
        markdown = document.suffix in (".qmd", ".md")
        if fragment and markdown and unquote(fragment) not in self._ids(document):
            shown = "this page" if document == target.document else document.name
            return Outcome(Status.BROKEN, reason=f"#{fragment} is not an anchor of {shown}")
        return Outcome(Status.OK)

    def _resolve(self, address: str, document: Path) -> Path | None:
        base = self.root if address.startswith("/") else document.parent
        path = (base / address.lstrip("/")).resolve()
        candidates = [path]
        if address.endswith("/") or path.is_dir():
            candidates = [path / name for name in _INDEX_PAGES]
        elif path.suffix == ".html":
            candidates += [path.with_suffix(suffix) for suffix in _SOURCES_OF_HTML]
        return next((candidate for candidate in candidates if candidate.is_file()), None)

    def _ids(self, document: Path) -> frozenset[str]:
        return self.reader.read(document, str(document)).ids
