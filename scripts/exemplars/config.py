"""Settings of the commands that talk to the network: `[tool.exemplars]` in pyproject.toml.

One place for the contact address that every outgoing request carries (User-Agent, Crossref's
`mailto`), and for fetch-bib's sources, rates, timeouts and cache. Every value has a default
except the contact address, which only the author can give.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from exemplars.findings import UnreadableInput, finding

# Crossref and DBLP ask heavy users to pace themselves; arXiv asks for one request in 3 s.
DEFAULT_SOURCES: dict[str, dict[str, Any]] = {
    "crossref": {"url": "https://api.crossref.org", "interval": 1.0},
    "dblp": {"url": "https://dblp.org", "interval": 1.0},
    "arxiv": {"url": "https://export.arxiv.org", "interval": 3.0},
    "doi": {"url": "https://doi.org", "interval": 1.0},
}


class Source(BaseModel):
    """Where a bibliographic service lives and how often we may ask it."""

    model_config = ConfigDict(extra="forbid")

    url: str
    interval: float = Field(ge=0, description="minimum seconds between two requests")


class FetchBibSettings(BaseModel):
    """`[tool.exemplars.fetch-bib]`: how fetch-bib talks to the services."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    timeout: float = Field(20.0, gt=0, description="seconds before a request is abandoned")
    attempts: int = Field(5, ge=1, description="tries per request, the first included")
    backoff: float = Field(2.0, ge=0, description="first wait between tries; doubles each time")
    max_wait: float = Field(120.0, ge=0, description="longest wait a Retry-After may ask for")
    cache: str = ".cache/fetch-bib"
    crossref: Source = Source(**DEFAULT_SOURCES["crossref"])
    dblp: Source = Source(**DEFAULT_SOURCES["dblp"])
    arxiv: Source = Source(**DEFAULT_SOURCES["arxiv"])
    doi: Source = Source(**DEFAULT_SOURCES["doi"])

    @model_validator(mode="before")
    @classmethod
    def _complete_sources(cls, data: Any) -> Any:
        """A source table that sets only `interval` (or only `url`) keeps the other default."""
        if isinstance(data, dict):
            data = data | {
                name: defaults | data[name]
                for name, defaults in DEFAULT_SOURCES.items()
                if isinstance(data.get(name), dict)
            }
        return data

    def source(self, name: str) -> Source:
        return getattr(self, name)


class CheckSiteSettings(BaseModel):
    """`[tool.exemplars.check-site]`: what `exemplars check-site` expects of the built site."""

    model_config = ConfigDict(extra="forbid")

    page_weight_kb: int = Field(
        1024, gt=0, description="most a page may weigh, its HTML and its images, in KiB"
    )
    post: str = Field(
        "posts/exemplars/index.html", description="the list's page, relative to the site"
    )


class Settings(BaseModel):
    """`[tool.exemplars]`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    contact: str = ""
    fetch_bib: FetchBibSettings = Field(default_factory=FetchBibSettings, alias="fetch-bib")
    check_site: CheckSiteSettings = Field(default_factory=CheckSiteSettings, alias="check-site")


def load_settings(pyproject: Path, shown: str) -> Settings:
    """The settings in `pyproject`, defaults where absent; UnreadableInput if they are invalid."""
    if not pyproject.exists():
        return Settings()
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = re.search(r"at line (\d+)", str(exc))
        raise UnreadableInput(
            finding(shown, int(line.group(1)) if line else 1, "CFG001", f"not valid TOML ({exc})")
        ) from None
    table = document.get("tool", {}).get("exemplars", {})
    try:
        return Settings.model_validate(table)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        message = f"[tool.exemplars] {where}: {problem['msg']}"
        line = _line_of(pyproject, problem["loc"])
        raise UnreadableInput(finding(shown, line, "CFG002", message)) from None


def _line_of(pyproject: Path, location: tuple) -> int:
    """The line of the offending key under its table header, else of the header, else 1."""
    *tables, key = [str(part) for part in location] or [""]
    header = "[" + ".".join(["tool.exemplars", *tables]) + "]"
    lines = pyproject.read_text(encoding="utf-8").splitlines()
    start = next((n for n, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        return 1
    for number in range(start + 1, len(lines)):
        text = lines[number].strip()
        if text.startswith("["):
            break
        if text.split("=")[0].strip() == key:
            return number + 1
    return start + 1
