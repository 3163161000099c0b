"""Put entries into references.bib without disturbing the rest of its text.

A new entry is appended after a blank line; a rebuilt one replaces exactly its old text. Every
other byte stays where it was, so a diff shows only what changed. An entry that is not marked as
fetched (a curated or hand-written one) is never replaced.
"""

from __future__ import annotations

from exemplars.data.bibliography import Bibliography
from exemplars.textio import write_text_atomically


class ProtectedEntry(Exception):
    """An attempt to replace an entry that fetch-bib did not write."""


class BibFile:
    """The text of references.bib, edited entry by entry and saved atomically."""

    def __init__(self, bibliography: Bibliography) -> None:
        self.path = bibliography.path
        self.text = bibliography.text
        # Keys compare as BibTeX compares them: without regard to case.
        entries = {key.lower(): e for key, e in bibliography.entries.items()}
        self.spans = {key: (e.start, e.end) for key, e in entries.items()}
        self.protected = {key for key, e in entries.items() if not e.fetched}

    def put(self, key: str, entry: str) -> None:
        """Replace the fetched entry `key`, or append `entry` when there is none."""
        key, entry = key.lower(), entry.rstrip("\n")
        if key in self.protected:
            raise ProtectedEntry(f"entry {key} is not marked as fetched; it is never replaced")
        if key in self.spans:
            start, end = self.spans[key]
            self.text = self.text[:start] + entry + self.text[end:]
            shift = len(entry) - (end - start)
            self.spans = {
                k: (s + shift, e + shift) if s > start else (s, e)
                for k, (s, e) in self.spans.items()
            }
            self.spans[key] = (start, start + len(entry))
            return
        if self.text and not self.text.endswith("\n"):
            self.text += "\n"
        if self.text.strip() and not self.text.endswith("\n\n"):
            self.text += "\n"
        self.spans[key] = (len(self.text), len(self.text) + len(entry))
        self.text += entry + "\n"

    def save(self) -> None:
        write_text_atomically(self.path, self.text)
