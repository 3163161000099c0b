"""What `exemplars links` is told: `[tool.exemplars.links]` in pyproject.toml (read by the one
settings loader, exemplars.config) and `.linksignore` beside it.

`.linksignore` holds one regular expression per line; a link whose URL matches any of them is
skipped. It is data a forker edits, so a bad pattern is reported with file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from exemplars.config import LinkSettings, load_settings, user_agent
from exemplars.findings import UnreadableInput, finding
from exemplars.textio import read_text

IGNORE_FILE = ".linksignore"


@dataclass(frozen=True)
class LinkConfig:
    settings: LinkSettings = field(default_factory=LinkSettings)
    ignore: tuple[re.Pattern[str], ...] = ()

    def ignored(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.ignore)


def load_config(root: Path) -> LinkConfig:
    """The link settings and ignore patterns of the project at `root`; UnreadableInput if
    malformed. An empty `user_agent` becomes what fetch-bib sends: `exemplars/<version>
    (mailto:<contact>)`, or the name and version alone without a contact address."""
    settings = load_settings(root)
    links = settings.links
    if not links.user_agent:
        agent = user_agent(settings.contact) if settings.contact else user_agent("").split()[0]
        links = links.model_copy(update={"user_agent": agent})
    return LinkConfig(links, _load_ignore(root / IGNORE_FILE))


def host_matches(host: str, names: list[str] | dict[str, object]) -> str | None:
    """The entry of `names` that covers `host` (itself or a parent domain), or None."""
    labels = host.lower().split(".")
    for start in range(len(labels)):
        candidate = ".".join(labels[start:])
        if candidate in names:
            return candidate
    return None


def _load_ignore(path: Path) -> tuple[re.Pattern[str], ...]:
    if not path.exists():
        return ()
    patterns = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            patterns.append(re.compile(line))
        except re.error as exc:
            message = f'"{line}" is not a regular expression ({exc})'
            raise UnreadableInput(finding(path, number, "CFG003", message)) from None
    return tuple(patterns)
