"""`exemplars check`: every offline check of the project, one report."""

from __future__ import annotations

from pathlib import Path

from scripts.findings import Finding, sort_findings
from scripts.pages import Site
from scripts.project import Project


def check_project(root: Path) -> list[Finding]:
    """All findings for the project at `root`, sorted by file and line.

    Raises UnreadableInput when a file cannot be read at all.
    """
    project = Project(root)
    # Pandoc starts on every page first: parsing the post is the longest step, and the work
    # below that needs no parsed page (the list, the bibliography, the front matter) runs
    # meanwhile. The heavier modules are imported after it has started, for the same reason.
    site = Site(project)
    from scripts.citations import Bibliographies, check_citations
    from scripts.crossrefs import check_crossrefs
    from scripts.exemplar_list import load_reading_list
    from scripts.front_matter import check_front_matter
    from scripts.internal_links import check_internal_links

    findings = list(load_reading_list(project).findings)
    findings += check_front_matter(site)
    bibliographies = Bibliographies(site)
    bibliographies.read_all()
    # From here on the checks read the parsed pages.
    findings += check_citations(site, bibliographies)
    findings += check_crossrefs(site)
    findings += check_internal_links(site)
    return sort_findings(findings)
