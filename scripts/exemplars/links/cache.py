"""Successful checks remembered on disk with their time, so a rerun within a week asks nobody.

A JSON file rather than a caching library: what is kept is a verdict per link (status, code,
final URL and when it was checked), not HTTP responses, and the file must stay readable and easy
to delete. Only successes are kept, so a broken link is always asked about again. The file is
derived data: one that cannot be read is treated as empty, and writes are atomic.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from exemplars.links.outcome import CACHEABLE, Outcome, Status
from exemplars.textio import write_text_atomically

_VERSION = 1


class LinkCache:
    def __init__(self, path: Path, max_age: timedelta, now: datetime | None = None) -> None:
        self.path = path
        self.max_age = max_age
        self.now = now or datetime.now(UTC)
        self._entries, self._documents = self._read()
        self._changed = False

    def get(self, url: str) -> Outcome | None:
        """The remembered outcome of `url` if it was checked within the maximum age."""
        entry = self._entries.get(url)
        if entry is None or not self._fresh(entry):
            return None
        return Outcome(Status(entry["status"]), entry.get("code"), entry.get("final_url"))

    def put(self, url: str, outcome: Outcome) -> None:
        """Remember a success; anything else is forgotten so the next run asks again."""
        if outcome.status in CACHEABLE:
            self._entries[url] = {
                "status": str(outcome.status),
                "code": outcome.code,
                "final_url": outcome.final_url,
                "checked": self.now.isoformat(timespec="seconds"),
            }
        else:
            self._entries.pop(url, None)
        self._changed = True

    def document(self, key: str) -> dict | None:
        """What was found in a Markdown file when it was last read (see `documents`)."""
        return self._documents.get(key)

    def put_document(self, key: str, found: dict) -> None:
        self._documents[key] = found
        self._changed = True

    def save(self) -> None:
        """Write the fresh entries atomically (temporary file, then rename), if anything changed."""
        if not self._changed:
            return
        entries = {url: e for url, e in sorted(self._entries.items()) if self._fresh(e)}
        documents = {k: d for k, d in sorted(self._documents.items()) if Path(k).exists()}
        document = {"version": _VERSION, "links": entries, "documents": documents}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(self.path, json.dumps(document, indent=1) + "\n")

    def _fresh(self, entry: dict) -> bool:
        try:
            checked = datetime.fromisoformat(entry["checked"])
            Status(entry["status"])
        except (KeyError, TypeError, ValueError):
            return False
        return timedelta(0) <= self.now - checked <= self.max_age

    def _read(self) -> tuple[dict[str, dict], dict[str, dict]]:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}, {}
        if not isinstance(document, dict) or document.get("version") != _VERSION:
            return {}, {}
        return _mapping(document.get("links")), _mapping(document.get("documents"))


def _mapping(value: object) -> dict[str, dict]:
    """The entries of a JSON object that are objects themselves; nothing for anything else."""
    if not isinstance(value, dict):
        return {}
    return {key: entry for key, entry in value.items() if isinstance(entry, dict)}
