"""Links and anchors of Markdown files, read by pandoc once per version of each file.

Pandoc takes a good part of a second on a long post. What it found is remembered in the link
cache under the file's SHA-256, so a rerun on unchanged files starts no pandoc at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from scripts.csvfile import read_text
from scripts.links.cache import LinkCache


@dataclass(frozen=True)
class DocumentLinks:
    links: list[tuple[str, int]]  # link and image targets as written, with their lines
    ids: frozenset[str]  # the anchors the document defines


class MarkdownReader:
    def __init__(self, cache: LinkCache) -> None:
        self.cache = cache

    def read(self, path: Path, shown: str) -> DocumentLinks:
        """The links and anchors of `path`; UnreadableInput if it is not UTF-8."""
        read_text(path, shown)  # a file that is not UTF-8 is reported with its line
        key = str(path.resolve())
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        remembered = self.cache.document(key)
        if remembered and remembered.get("sha256") == digest:
            try:
                links = [(str(value), int(line)) for value, line in remembered["links"]]
                return DocumentLinks(links, frozenset(map(str, remembered["ids"])))
            except (KeyError, TypeError, ValueError):
                pass  # an entry from another version of this program: read the file again
        found = _parse(path)
        self.cache.put_document(
            key, {"sha256": digest, "links": found.links, "ids": sorted(found.ids)}
        )
        return found


def _parse(path: Path) -> DocumentLinks:
    from scripts.markdown import parse_markdown  # pandoc is only started when Markdown is read

    document = parse_markdown(path)
    items = sorted(document.links + document.images, key=lambda item: item.line)
    return DocumentLinks([(item.value, item.line) for item in items], frozenset(document.ids))
