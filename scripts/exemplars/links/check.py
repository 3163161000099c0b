"""`exemplars links` as a function: collect the links of files, check them, remember successes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from exemplars.config import LinkSettings
from exemplars.links.cache import LinkCache
from exemplars.links.collect import SUFFIXES, Kind, Target, collect_links, project_files
from exemplars.links.documents import MarkdownReader
from exemplars.links.internal import InternalLinks
from exemplars.links.outcome import NOT_IN_CACHE, Outcome, Status
from exemplars.links.settings import LinkConfig, load_config
from exemplars.project import Project

if TYPE_CHECKING:
    from exemplars.links.probe import Sleep

_SKIPPED_FOLDERS = {"_site", "_freeze", "node_modules"}  # derived; hidden folders are skipped too


class UsageError(ValueError):
    """A path that cannot be checked: missing, or not a .qmd, .md, .csv or .bib file."""


class Progress(Protocol):
    """Told how many links will be asked about, then once per answer."""

    def start(self, total: int) -> None: ...

    def advance(self) -> None: ...


@dataclass(frozen=True)
class LinkResult:
    target: Target
    outcome: Outcome
    from_cache: bool = False


@dataclass(frozen=True)
class LinkReport:
    results: list[LinkResult]
    files: list[Path]
    requests: int
    offline: bool


def check_links(
    root: Path,
    paths: Sequence[Path] = (),
    offline: bool = False,
    progress: Progress | None = None,
    config: LinkConfig | None = None,
) -> LinkReport:
    """Check the links of `paths` (default: the project's pages, posts, list and bibliography).

    Offline, only syntax, internal links and the cache are consulted and no request is made.
    Raises UsageError for a path that cannot be checked, UnreadableInput for unreadable input.
    """
    project = Project(root)
    config = config or load_config(root)
    settings = config.settings
    files = _files(project, paths)
    cache = LinkCache(root / settings.cache_file, timedelta(days=settings.max_age_days))
    reader = MarkdownReader(cache)
    targets = collect_links(files, settings.arxiv_abs, reader)
    checked = _Checked(config, cache, InternalLinks(project, reader.parsed), offline)
    results, requests = checked.all(targets, progress)
    if not offline:
        cache.save()  # offline, nothing is written
    return LinkReport(results, files, requests, offline)


@dataclass(frozen=True)
class _Checked:
    config: LinkConfig
    cache: LinkCache
    internal: InternalLinks
    offline: bool

    def all(self, targets: list[Target], progress: Progress | None) -> tuple[list[LinkResult], int]:
        """A result for each target, and the number of requests made for them."""
        known = [self.without_request(target) for target in targets]
        pending = [index for index, result in enumerate(known) if result is None]
        requests = 0
        if pending:
            import asyncio  # only when some link needs a request

            asked = [targets[index] for index in pending]
            outcomes, requests = asyncio.run(probe_targets(asked, self.config.settings, progress))
            for index, outcome in zip(pending, outcomes, strict=True):
                self.cache.put(targets[index].url, outcome)
                known[index] = LinkResult(targets[index], outcome)
        return [result for result in known if result is not None], requests

    def without_request(self, target: Target) -> LinkResult | None:
        """The result when no request is needed for it, else None."""
        if self.config.ignored(target.url):
            return LinkResult(target, Outcome(Status.SKIPPED, reason="ignored by .linksignore"))
        if target.kind == Kind.INVALID:
            return LinkResult(target, Outcome(Status.BROKEN, reason=target.problem))
        if target.kind == Kind.OTHER:
            scheme = target.url.partition(":")[0]
            reason = f"{scheme}: links are not checked"
            return LinkResult(target, Outcome(Status.SKIPPED, reason=reason))
        if target.kind == Kind.INTERNAL:
            return LinkResult(target, self.internal.check(target))
        remembered = self.cache.get(target.url)
        if remembered is not None:
            return LinkResult(target, remembered, from_cache=True)
        if self.offline:
            return LinkResult(target, Outcome(Status.SKIPPED, reason=NOT_IN_CACHE))
        return None


async def probe_targets(
    targets: list[Target],
    settings: LinkSettings,
    progress: Progress | None = None,
    sleep: Sleep | None = None,
) -> tuple[list[Outcome], int]:
    """The outcome of each web or DOI target, in order, and how many requests it took.

    `sleep` does every wait (pacing, retries; default `asyncio.sleep`), so a test can record
    waits instead of waiting."""
    # Imported here: a run answered from the cache never needs the HTTP machinery.
    import asyncio

    from exemplars.links.probe import Prober

    if progress:
        progress.start(len(targets))
    async with Prober(settings, sleep=asyncio.sleep if sleep is None else sleep) as prober:

        async def one(target: Target) -> Outcome:
            outcome = await prober.check(target)
            if progress:
                progress.advance()
            return outcome

        outcomes = await asyncio.gather(*(one(target) for target in targets))
    return list(outcomes), prober.requests


def _files(project: Project, paths: Sequence[Path]) -> list[Path]:
    if not paths:
        return project_files(project)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if _checkable(p, path))
        elif not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        elif path.suffix not in SUFFIXES:
            raise UsageError(f"{path}: not a {', '.join(SUFFIXES)} file")
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _checkable(path: Path, folder: Path) -> bool:
    """A file of a checked kind, outside hidden and derived folders."""
    inside = path.relative_to(folder).parts[:-1]
    hidden = any(part.startswith(".") or part in _SKIPPED_FOLDERS for part in inside)
    return path.suffix in SUFFIXES and path.is_file() and not hidden
