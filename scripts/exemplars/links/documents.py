"""Links of Markdown files, read by pandoc once per version of each file.

Pandoc takes a good part of a second on a long post. What it found is remembered in the link
cache under the file's SHA-256, so a rerun on unchanged files starts no pandoc at all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from exemplars.links.cache import LinkCache
from exemplars.textio import read_text

if TYPE_CHECKING:
    from exemplars.quarto.markdown import MarkdownDocument

Links = list[tuple[str, int]]  # link and image targets as written, with their lines


class MarkdownReader:
    def __init__(self, cache: LinkCache) -> None:
        self.cache = cache
        # Documents pandoc read in this run, by resolved path, so the internal-link check
        # (which needs every page parsed) does not start pandoc on them again.
        self.parsed: dict[Path, MarkdownDocument] = {}

    def links(self, path: Path) -> Links:
        """The links and images of `path`; UnreadableInput if it cannot be read."""
        key = str(path.resolve())
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            read_text(path)  # raises UnreadableInput naming the file and the reason
            raise
        remembered = self.cache.document(key)
        if remembered and remembered.get("sha256") == digest:
            try:
                return [(str(value), int(line)) for value, line in remembered["links"]]
            except (KeyError, TypeError, ValueError):
                pass  # an entry from another version of this program: read the file again
        from exemplars.quarto.markdown import (
            parse_markdown,  # pandoc starts only when Markdown is read
        )

        document = self.parsed[path.resolve()] = parse_markdown(path)
        items = sorted(document.links + document.images, key=lambda item: item.line)
        found = [(item.value, item.line) for item in items]
        self.cache.put_document(key, {"sha256": digest, "links": found})
        return found
