"""An on-disk store of service responses, so a rerun of fetch-bib makes no requests.

Why not an HTTP cache library (hishel, requests-cache): those follow RFC 9111 freshness rules,
and the services send no cache headers worth following for records that do not change. What is
wanted is simpler: keep every answer that was read successfully (200, or a 404 that says "no such
work"), keyed by the request without the contact address, and answer from it alone under
`--offline`. One JSON file per request, written atomically, is that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from exemplars.textio import write_text_atomically


@dataclass(frozen=True)
class Cached:
    status: int
    body: str


class ResponseCache:
    """Responses under `folder/<source>/<hash>.json`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, source: str, url: str, accept: str) -> Path:
        digest = hashlib.sha256(f"{accept} {url}".encode()).hexdigest()[:32]
        return self.folder / source / f"{digest}.json"

    def load(self, path: Path) -> Cached | None:
        """The stored response, or None when absent or unreadable (then it is fetched again)."""
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            return Cached(int(stored["status"]), str(stored["body"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, path: Path, url: str, status: int, body: str) -> None:
        record = {"url": url, "status": status, "fetched": dt.date.today().isoformat()}
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(path, json.dumps(record | {"body": body}, ensure_ascii=False))
