"""Settings of `exemplars links`, read from two plain files at the project root.

`links.toml` holds limits, timeouts, retries, the cache's maximum age and the hosts that wall off
link checkers; every key is optional and a missing file means the defaults. `.linksignore` holds
one regular expression per line; a link whose URL matches any of them is skipped. Both are data a
forker edits, so mistakes in them are reported with file and line, never as a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from exemplars.data.table import read_text
from exemplars.findings import UnreadableInput, finding

CONFIG_FILE = "links.toml"
IGNORE_FILE = ".linksignore"

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Count = Annotated[int, Field(ge=1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)  # a misspelt key is an error


class Limits(_Section):
    max_concurrency: Count = 128  # requests in flight at once, all hosts together
    per_host: Count = 6  # requests in flight at once to one host
    min_interval: NonNegative = 0.01  # seconds between the starts of two requests to one host


class HostLimits(_Section):
    per_host: Count | None = None
    min_interval: NonNegative | None = None


class Timeouts(_Section):
    connect: Positive = 5.0
    read: Positive = 10.0
    request: Positive = 30.0  # one whole exchange, so a server trickling bytes cannot stall us


class Retries(_Section):
    attempts: Annotated[int, Field(ge=0)] = 3  # retries after the first try, on 429 and 5xx
    backoff: NonNegative = 1.0  # seconds before the first retry, doubled for each next one
    max_wait: NonNegative = 30.0  # cap on one wait, a server's Retry-After included


# Publishers and sites known to answer link checkers with 403, 429 or 999 whatever the link.
WALLED_HOSTS = [
    "academic.oup.com",
    "dl.acm.org",
    "ieeexplore.ieee.org",
    "journals.sagepub.com",
    "journals.uchicago.edu",
    "linkedin.com",
    "linkinghub.elsevier.com",
    "medium.com",
    "onlinelibrary.wiley.com",
    "pubs.acs.org",
    "researchgate.net",
    "science.org",
    "sciencedirect.com",
    "tandfonline.com",
    "twitter.com",
    "www.annualreviews.org",
    "www.jstor.org",
    "x.com",
]


class Walls(_Section):
    statuses: list[int] = [403, 429, 999]
    hosts: list[str] = WALLED_HOSTS  # a host also covers its subdomains


class LinkSettings(_Section):
    user_agent: str = ""  # "": exemplars/<version> (mailto:<[tool.exemplars] contact>)
    max_age_days: NonNegative = 7.0
    cache_file: str = ".cache/links.json"
    max_redirects: Annotated[int, Field(ge=0)] = 10
    max_body_bytes: Count = 2_000_000  # read at most this much of a page to find a #fragment
    doi_handle_api: str = "https://doi.org/api/handles/"
    arxiv_abs: str = "https://arxiv.org/abs/"
    limits: Limits = Limits()
    # arXiv asks automated clients to go slowly.
    hosts: dict[str, HostLimits] = {"arxiv.org": HostLimits(per_host=2, min_interval=0.25)}
    timeouts: Timeouts = Timeouts()
    retries: Retries = Retries()
    walls: Walls = Walls()


@dataclass(frozen=True)
class LinkConfig:
    settings: LinkSettings = field(default_factory=LinkSettings)
    ignore: tuple[re.Pattern[str], ...] = ()

    def ignored(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.ignore)


def load_config(root: Path) -> LinkConfig:
    """The settings and ignore patterns of the project at `root`; UnreadableInput if malformed."""
    return LinkConfig(_load_settings(root / CONFIG_FILE), _load_ignore(root / IGNORE_FILE))


def project_user_agent(root: Path) -> str:
    """What fetch-bib sends too: `exemplars/<version> (mailto:<contact>)`, with the contact
    address of `[tool.exemplars]` in pyproject.toml; without one, the name and version alone."""
    from exemplars.config import load_settings
    from exemplars.http import user_agent

    contact = load_settings(root / "pyproject.toml", "pyproject.toml").contact
    agent = user_agent(contact)
    return agent if contact else agent.partition(" ")[0]


def host_matches(host: str, names: list[str] | dict[str, object]) -> str | None:
    """The entry of `names` that covers `host` (itself or a parent domain), or None."""
    labels = host.lower().split(".")
    for start in range(len(labels)):
        candidate = ".".join(labels[start:])
        if candidate in names:
            return candidate
    return None


def _load_settings(path: Path) -> LinkSettings:
    if not path.exists():
        return LinkSettings()
    text = read_text(path, CONFIG_FILE)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+)", str(exc))
        line = int(at.group(1)) if at else 1
        raise UnreadableInput(finding(CONFIG_FILE, line, "CFG001", f"not TOML ({exc})")) from None
    try:
        return LinkSettings.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        line = _line_of_key(text, str(problem["loc"][-1]) if problem["loc"] else "")
        message = f"{where}: {problem['msg']}"
        raise UnreadableInput(finding(CONFIG_FILE, line, "CFG002", message)) from None


def _line_of_key(text: str, key: str) -> int:
    found = re.search(rf"^\s*\"?{re.escape(key)}\"?\s*=", text, re.MULTILINE) if key else None
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _load_ignore(path: Path) -> tuple[re.Pattern[str], ...]:
    if not path.exists():
        return ()
    patterns = []
    for number, line in enumerate(read_text(path, IGNORE_FILE).splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            patterns.append(re.compile(line))
        except re.error as exc:
            raise UnreadableInput(
                finding(
                    IGNORE_FILE, number, "CFG003", f'"{line}" is not a regular expression ({exc})'
                )
            ) from None
    return tuple(patterns)
