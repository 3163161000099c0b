"""What `exemplars links` found, as findings in the shared diagnostics format.

Each broken, timed-out, moved or unverifiable link becomes one finding per place it is written,
with its code from the registry (URL001-URL004) and the link's own facts (URL, status, HTTP code,
final address) as details, so the text lines, the JSON document and the exit code are the ones
every command prints. Links that are fine or skipped only count in the summary.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from exemplars.findings import Finding, finding, sort_findings
from exemplars.links.check import LinkReport, LinkResult
from exemplars.links.outcome import Status

CHECKED = "exemplars links"
CODES = {
    Status.BROKEN: "URL001",
    Status.TIMEOUT: "URL002",
    Status.REDIRECTED: "URL003",
    Status.UNVERIFIABLE: "URL004",
}


def link_findings(report: LinkReport, root: Path) -> list[Finding]:
    """One finding per problem and place, in file (as printed for `root`) and line order."""
    found = [
        finding(source.file, source.line, CODES[result.outcome.status], *_described(result))
        for result in report.results
        if result.outcome.status in CODES
        for source in result.target.sources
    ]
    return sort_findings(found, root)


def _described(result: LinkResult) -> tuple[str, dict[str, Any]]:
    """The finding's message, and the link's facts for the JSON document."""
    outcome, url = result.outcome, result.target.url
    if outcome.status == Status.REDIRECTED:
        message = f"{url} {outcome.reason}"
    else:
        message = f"{outcome.status}: {url} ({outcome.reason})"
    return message, {
        "url": url,
        "status": str(outcome.status),
        "http_status": outcome.code,
        "final_url": outcome.final_url,
        "reason": outcome.reason,
    }


def summarize(report: LinkReport) -> dict[str, Any]:
    """What was checked, beyond the findings: counts per status, requests, cache, offline."""
    counts = Counter(result.outcome.status for result in report.results)
    summary: dict[str, Any] = {"links": len(report.results)}
    summary |= {str(status): counts[status] for status in Status}
    summary |= {
        "not_verified": sum(r.outcome.not_verified_offline for r in report.results),
        "from_cache": sum(r.from_cache for r in report.results),
        "requests": report.requests,
        "files_checked": len(report.files),
        "offline": report.offline,
    }
    return summary


def summary_line(report: LinkReport) -> str:
    s = summarize(report)
    plural = "s" * (s["links"] != 1)
    files = f"{s['files_checked']} file{'s' * (s['files_checked'] != 1)}"
    counts = ", ".join(
        f"{s[str(status)]} {status}"
        for status in Status
        if s[str(status)] or status == Status.BROKEN  # "0 broken" is worth saying
    )
    line = f"Checked {s['links']} link{plural} in {files}: {counts}."
    line += (
        f" {s['requests']} request{'s' * (s['requests'] != 1)}, {s['from_cache']} from the cache."
    )
    if report.offline:
        n = s["not_verified"]
        line += f" Offline: {n} link{'s' * (n != 1)} could not be verified (not in the cache)."
    return line


class TerminalProgress:
    """A progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(self) -> None:
        self._bar = None

    def start(self, total: int) -> None:
        if sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="link", file=sys.stderr, leave=False)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.update()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
