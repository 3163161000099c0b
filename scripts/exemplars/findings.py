"""Problems as values: every check returns findings, and one place prints them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from exemplars.codes import Severity, severity_of

__all__ = ["Finding", "Severity", "UnreadableInput", "finding"]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place, like a compiler diagnostic.

    `details` carries what a command knows beyond the message (a link's URL and HTTP status):
    printed in the JSON document, ignored when findings are compared.
    """

    file: str
    line: int
    severity: Severity
    code: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message} [{self.code}]"


class UnreadableInput(Exception):
    """Input that cannot be read at all (exit 2 rather than 1)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def finding(
    file: str, line: int, code: str, message: str, details: Mapping[str, Any] | None = None
) -> Finding:
    """A finding of `code`, with the severity the registry gives that code."""
    return Finding(file, line, severity_of(code), code, message, dict(details or {}))


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """By file, then line, then code; duplicates dropped."""
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.code, f.message))


def summarize(findings: list[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "files": len({f.file for f in findings}),
    }


def summary_line(findings: list[Finding], checked: str, note: str = "") -> str:
    """One line for the end of a report; `note` says what was left out, after what was done."""
    s = summarize(findings)
    if not findings:
        line = f"All clear: {checked}."
    else:
        line = (
            f"Found {s['errors']} error{'s' * (s['errors'] != 1)} and "
            f"{s['warnings']} warning{'s' * (s['warnings'] != 1)} in {s['files']} "
            f"file{'s' * (s['files'] != 1)} ({checked})."
        )
    return f"{line} Note: {note}." if note else line


def as_text(findings: list[Finding], checked: str, note: str = "") -> str:
    lines = [str(f) for f in findings]
    lines.append(summary_line(findings, checked, note))
    return "\n".join(lines)


def _problem(found: Finding) -> dict[str, Any]:
    problem = asdict(found) | {"severity": str(found.severity)}
    details = problem.pop("details")
    return problem | details


def as_json(findings: list[Finding], checked: str, extra: Mapping[str, Any] | None = None) -> str:
    """The findings and their summary as one JSON document; `extra` adds to the summary."""
    document = {
        "problems": [_problem(f) for f in findings],
        "summary": summarize(findings) | {"checked": checked} | dict(extra or {}),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    """0 clean, 1 errors (or warnings under --strict)."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(f.severity in failing for f in findings) else 0
