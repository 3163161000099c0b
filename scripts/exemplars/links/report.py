"""How `exemplars links` tells what it found: lines like a compiler's, or one JSON document."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from exemplars.links.check import LinkReport, LinkResult
from exemplars.links.outcome import FAILING, Status

# What is printed line by line; ok and skipped links only count in the summary.
_SHOWN = (Status.BROKEN, Status.TIMEOUT, Status.REDIRECTED, Status.UNVERIFIABLE)


def as_text(report: LinkReport) -> str:
    """One line per problem and place, in file and line order, then a summary line."""
    problems = [
        (source, result)
        for result in report.results
        if result.outcome.status in _SHOWN
        for source in result.target.sources
    ]
    problems.sort(key=lambda problem: problem[0])
    lines = [f"{source}: {_problem(result)}" for source, result in problems]
    lines.append(summary_line(report))
    return "\n".join(lines)


def _problem(result: LinkResult) -> str:
    outcome, url = result.outcome, result.target.url
    if outcome.status == Status.REDIRECTED:
        return f"warning: {url} {outcome.reason}"
    return f"{outcome.status}: {url} ({outcome.reason})"


def summarize(report: LinkReport) -> dict[str, Any]:
    counts = Counter(result.outcome.status for result in report.results)
    summary: dict[str, Any] = {"links": len(report.results)}
    summary |= {str(status): counts[status] for status in Status}
    summary |= {
        "not_verified": sum(r.outcome.not_verified_offline for r in report.results),
        "from_cache": sum(r.from_cache for r in report.results),
        "requests": report.requests,
        "files": len(report.files),
        "offline": report.offline,
    }
    return summary


def summary_line(report: LinkReport) -> str:
    s = summarize(report)
    plural = "s" * (s["links"] != 1)
    files = f"{s['files']} file{'s' * (s['files'] != 1)}"
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


def as_json(report: LinkReport) -> str:
    links = [
        {
            "url": result.target.url,
            "status": str(result.outcome.status),
            "code": result.outcome.code,
            "final_url": result.outcome.final_url,
            "reason": result.outcome.reason,
            "sources": [str(source) for source in result.target.sources],
        }
        for result in report.results
    ]
    return json.dumps({"links": links, "summary": summarize(report)}, indent=2, ensure_ascii=False)


def exit_code(report: LinkReport) -> int:
    """1 when a link is broken or timed out, else 0."""
    return 1 if any(result.outcome.status in FAILING for result in report.results) else 0


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
