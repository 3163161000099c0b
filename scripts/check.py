"""`exemplars check`: every offline check of the project, one report."""

from __future__ import annotations

from pathlib import Path

from scripts.bibliography import load_bibliography
from scripts.check_bib import check_bibliography
from scripts.exemplar_list import load_reading_list
from scripts.findings import Finding, sort_findings
from scripts.project import Project


def check_project(root: Path) -> list[Finding]:
    """All findings for the project at `root`, sorted by file and line.

    Raises UnreadableInput when a file cannot be read at all.
    """
    project = Project(root)
    reading_list = load_reading_list(project)
    bibliography = load_bibliography(project)
    findings = reading_list.findings + bibliography.findings
    findings += check_bibliography(project, reading_list, bibliography)
    return sort_findings(findings)
