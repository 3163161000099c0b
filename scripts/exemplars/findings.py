"""Problems as values: every check returns findings, and one place prints them.

A finding names its file by its path (as the check read it); the report prints that path
relative to the project root, once, when it prints the finding.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exemplars.codes import Severity, severity_of

__all__ = ["Finding", "Severity", "UnreadableInput", "finding", "printed_path"]


def printed_path(path: Path, root: Path | None) -> str:
    """A path as reports print it: relative to the project `root` (with `/`) when inside it,
    else as given.

    A path built from the root is relativised as written; any other (absolute, or climbing with
    `..`) is compared with the root once both are resolved.
    """
    if root is None:
        return str(path)
    if ".." not in path.parts:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _printer(root: Path | None) -> Callable[[Path], str]:
    """`printed_path` for one report: each file is worked out once, however many findings
    name it."""
    return functools.cache(lambda path: printed_path(path, root))


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place, like a compiler diagnostic.

    `details` carries what a command knows beyond the message (a link's URL and HTTP status):
    printed in the JSON document, ignored when findings are compared.
    """

    file: Path
    line: int
    severity: Severity
    code: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def text(self, root: Path | None = None) -> str:
        """`path:line: severity: message [CODE]`, the path as printed for the project `root`."""
        return self._located(printed_path(self.file, root))

    def _located(self, where: str) -> str:
        return f"{where}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def __str__(self) -> str:
        return self.text()


class UnreadableInput(Exception):
    """Input that cannot be read at all (exit 2 rather than 1)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(str(finding))
        self.finding = finding


def finding(
    file: Path, line: int, code: str, message: str, details: Mapping[str, Any] | None = None
) -> Finding:
    """A finding of `code`, with the severity the registry gives that code."""
    return Finding(file, line, severity_of(code), code, message, dict(details or {}))


def sort_findings(findings: Iterable[Finding], root: Path | None) -> list[Finding]:
    """By file (as printed for `root`), then line, then code; duplicates dropped."""
    print_path = _printer(root)
    unique: dict[tuple, Finding] = {}
    for f in findings:
        key = (print_path(f.file), f.line, f.code, f.message, f.severity)
        unique.setdefault(key, f)
    return [unique[key] for key in sorted(unique)]


def summarize(findings: list[Finding], root: Path | None) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    print_path = _printer(root)
    return {
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "files": len({print_path(f.file) for f in findings}),
    }


def summary_line(findings: list[Finding], checked: str, root: Path | None, note: str = "") -> str:
    """One line for the end of a report; `note` says what was left out, after what was done."""
    s = summarize(findings, root)
    if not findings:
        line = f"All clear: {checked}."
    else:
        line = (
            f"Found {s['errors']} error{'s' * (s['errors'] != 1)} and "
            f"{s['warnings']} warning{'s' * (s['warnings'] != 1)} in {s['files']} "
            f"file{'s' * (s['files'] != 1)} ({checked})."
        )
    return f"{line} Note: {note}." if note else line


def as_text(findings: list[Finding], checked: str, root: Path | None, note: str = "") -> str:
    """The findings, one line each with paths relative to `root`, and the summary line."""
    print_path = _printer(root)
    lines = [f._located(print_path(f.file)) for f in findings]
    lines.append(summary_line(findings, checked, root, note))
    return "\n".join(lines)


def _problem(found: Finding, print_path: Callable[[Path], str]) -> dict[str, Any]:
    return {
        "file": print_path(found.file),
        "line": found.line,
        "severity": str(found.severity),
        "code": found.code,
        "message": found.message,
    } | dict(found.details)


def as_json(
    findings: list[Finding],
    checked: str,
    root: Path | None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The findings and their summary as one JSON document, paths relative to `root`;
    `extra` adds to the summary."""
    print_path = _printer(root)
    document = {
        "problems": [_problem(f, print_path) for f in findings],
        "summary": summarize(findings, root) | {"checked": checked} | dict(extra or {}),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def exit_code(findings: list[Finding], strict: bool = False) -> int:
    """0 clean, 1 errors (or warnings under --strict)."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(f.severity in failing for f in findings) else 0
