"""`exemplars check`: every offline check of the project, one report."""

from __future__ import annotations

from pathlib import Path

from scripts.citations import check_citations
from scripts.crossrefs import check_crossrefs
from scripts.exemplar_list import load_reading_list
from scripts.findings import Finding, sort_findings
from scripts.front_matter import check_front_matter
from scripts.internal_links import check_internal_links
from scripts.pages import Site
from scripts.project import Project

# Checks of the pages, each reading the documents parsed once by Site.
PAGE_CHECKS = (check_front_matter, check_citations, check_crossrefs, check_internal_links)


def check_project(root: Path) -> list[Finding]:
    """All findings for the project at `root`, sorted by file and line.

    Raises UnreadableInput when a file cannot be read at all.
    """
    project = Project(root)
    site = Site(project)  # pandoc starts on every page now, while the list is read below
    reading_list = load_reading_list(project)
    findings = list(reading_list.findings)
    for check in PAGE_CHECKS:
        findings += check(site)
    return sort_findings(findings)
