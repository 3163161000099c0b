"""Problems as values: every check returns findings, and one place prints them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place, like a compiler diagnostic."""

    file: str
    line: int
    severity: Severity
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message} [{self.code}]"


class UnreadableInput(Exception):
    """Input that cannot be read at all (exit 2 rather than 1)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def error(file: str, line: int, code: str, message: str) -> Finding:
    return Finding(file, line, Severity.ERROR, code, message)


def warning(file: str, line: int, code: str, message: str) -> Finding:
    return Finding(file, line, Severity.WARNING, code, message)


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


def summary_line(findings: list[Finding], checked: str) -> str:
    s = summarize(findings)
    if not findings:
        return f"All clear: {checked}."
    return (
        f"Found {s['errors']} error{'s' * (s['errors'] != 1)} and "
        f"{s['warnings']} warning{'s' * (s['warnings'] != 1)} in {s['files']} "
        f"file{'s' * (s['files'] != 1)} ({checked})."
    )


def as_text(findings: list[Finding], checked: str) -> str:
    lines = [str(f) for f in findings]
    lines.append(summary_line(findings, checked))
    return "\n".join(lines)


def as_json(findings: list[Finding], checked: str) -> str:
    document = {
        "problems": [asdict(f) | {"severity": str(f.severity)} for f in findings],
        "summary": summarize(findings) | {"checked": checked},
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    """0 clean, 1 errors (or warnings under --strict)."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(f.severity in failing for f in findings) else 0
