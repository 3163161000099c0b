"""Every setting a forker tunes, in one place: `[tool.exemplars]` in pyproject.toml.

As ruff and pytest keep theirs, the harness keeps its settings in the project's pyproject.toml:
the contact address that every outgoing request carries (User-Agent, Crossref's `mailto`),
`[tool.exemplars.fetch-bib]` for the bibliographic services and `[tool.exemplars.links]` for the
link checker. Every value has a default except the contact address, which only the author can
give. One loader reads them and reports a mistake with the file and line, never a traceback.
"""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from exemplars.findings import UnreadableInput, finding
from exemplars.textio import read_text

SETTINGS_FILE = "pyproject.toml"

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Count = Annotated[int, Field(ge=1)]


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RetryPolicy(_Table):
    """How often and how patiently a request is tried again (429, 5xx, dropped connections)."""

    attempts: Count = 5  # tries per request, the first included
    backoff: NonNegative = 2.0  # first wait between tries, doubling each time
    max_wait: NonNegative = 120.0  # the longest wait, a server's Retry-After included


# Crossref and DBLP ask heavy users to pace themselves; arXiv asks for one request in 3 s.
DEFAULT_SOURCES: dict[str, dict[str, Any]] = {
    "crossref": {"url": "https://api.crossref.org", "interval": 1.0},
    "dblp": {"url": "https://dblp.org", "interval": 1.0},
    "arxiv": {"url": "https://export.arxiv.org", "interval": 3.0},
    "doi": {"url": "https://doi.org", "interval": 1.0},
}


class Service(_Table):
    """Where a bibliographic service lives and how often we may ask it."""

    url: str
    interval: NonNegative  # minimum seconds between two requests


class FetchBibSettings(RetryPolicy):
    """`[tool.exemplars.fetch-bib]`: how fetch-bib talks to the services."""

    timeout: Positive = 20.0  # seconds before a request is abandoned
    cache: str = ".cache/fetch-bib"
    crossref: Service = Service(**DEFAULT_SOURCES["crossref"])
    dblp: Service = Service(**DEFAULT_SOURCES["dblp"])
    arxiv: Service = Service(**DEFAULT_SOURCES["arxiv"])
    doi: Service = Service(**DEFAULT_SOURCES["doi"])

    @model_validator(mode="before")
    @classmethod
    def _complete_services(cls, data: Any) -> Any:
        """A service table that sets only `interval` (or only `url`) keeps the other default."""
        if isinstance(data, dict):
            data = data | {
                name: defaults | data[name]
                for name, defaults in DEFAULT_SOURCES.items()
                if isinstance(data.get(name), dict)
            }
        return data

    def service(self, name: str) -> Service:
        return getattr(self, name)


class Limits(_Table):
    max_concurrency: Count = 128  # requests in flight at once, all hosts together
    per_host: Count = 6  # requests in flight at once to one host
    min_interval: NonNegative = 0.01  # seconds between the starts of two requests to one host


class HostLimits(_Table):
    per_host: Count | None = None
    min_interval: NonNegative | None = None


class Timeouts(_Table):
    connect: Positive = 5.0
    read: Positive = 10.0
    request: Positive = 30.0  # one whole exchange, so a server trickling bytes cannot stall us


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


class Walls(_Table):
    statuses: list[int] = [403, 429, 999]
    hosts: list[str] = WALLED_HOSTS  # a host also covers its subdomains


class LinkSettings(_Table):
    """`[tool.exemplars.links]`: how `exemplars links` checks links."""

    user_agent: str = ""  # "": exemplars/<version> (mailto:<contact>)
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
    retries: RetryPolicy = RetryPolicy(attempts=4, backoff=1.0, max_wait=30.0)
    walls: Walls = Walls()


class CheckSiteSettings(_Table):
    """`[tool.exemplars.check-site]`: what `exemplars check-site` expects of the built site."""

    page_weight_kb: Count = 1024  # most a page may weigh, its HTML and its images, in KiB
    post: str = "posts/exemplars/index.html"  # the list's page, relative to the site


class Settings(_Table):
    """`[tool.exemplars]`."""

    contact: str = ""
    fetch_bib: FetchBibSettings = Field(default_factory=FetchBibSettings, alias="fetch-bib")
    links: LinkSettings = Field(default_factory=LinkSettings)
    check_site: CheckSiteSettings = Field(default_factory=CheckSiteSettings, alias="check-site")


def load_settings(root: Path) -> Settings:
    """The settings of the project at `root`, defaults where absent; UnreadableInput if invalid."""
    path = root / SETTINGS_FILE
    if not path.exists():
        return Settings()
    text = read_text(path)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        at = int(line.group(1)) if line else 1
        message = f"not valid TOML ({exc})"
        raise UnreadableInput(finding(path, at, "CFG001", message)) from None
    table = document.get("tool", {}).get("exemplars", {})
    try:
        return Settings.model_validate(table)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        message = f"[tool.exemplars] {where}: {problem['msg']}"
        line = _line_of(text, problem["loc"])
        raise UnreadableInput(finding(path, line, "CFG002", message)) from None


def _line_of(text: str, location: tuple) -> int:
    """The line of the offending key under its table header, else of the header, else 1."""
    *tables, key = [str(part) for part in location] or [""]
    lines = text.splitlines()
    for depth in range(len(tables), -1, -1):  # the deepest table that has a header
        header = "[" + ".".join(["tool.exemplars", *tables[:depth]]) + "]"
        start = next((n for n, line in enumerate(lines) if line.strip() == header), None)
        if start is not None:
            break
    else:
        return 1
    wanted = tables[depth] if depth < len(tables) else key
    for number in range(start + 1, len(lines)):
        stripped = lines[number].strip()
        if stripped.startswith("["):
            break
        if stripped.split("=")[0].strip().strip('"') == wanted:
            return number + 1
    return start + 1


def user_agent(contact: str) -> str:
    """`exemplars/<version> (mailto:<contact>)`, as the services' etiquette pages ask."""
    try:
        release = version("exemplars")
    except PackageNotFoundError:
        release = "dev"
    return f"exemplars/{release} (mailto:{contact})"
