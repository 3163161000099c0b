"""`exemplars check`: every offline check of the project, one report."""

from __future__ import annotations

from pathlib import Path

from exemplars.findings import Finding, sort_findings
from exemplars.project import Project
from exemplars.quarto.pages import Site


def check_project(root: Path) -> list[Finding]:
    """All findings for the project at `root`, sorted by file and line.

    Raises UnreadableInput when a file cannot be read at all.
    """
    project = Project(root)
    # Pandoc starts on every page first: parsing the post is the longest step, and the work
    # below that needs no parsed page (the list, the bibliography, the front matter) runs
    # meanwhile. The heavier modules are imported after it has started, for the same reason.
    site = Site(project)
    from exemplars.check.bibliography import check_bibliography
    from exemplars.check.citations import BibKeys, Bibliographies, check_citations
    from exemplars.check.cross_references import check_crossrefs
    from exemplars.check.front_matter import check_front_matter
    from exemplars.check.item_ids import check_item_ids
    from exemplars.data.bibliography import load_bibliography
    from exemplars.data.reading_list import load_reading_list
    from exemplars.quarto.internal_links import check_internal_links

    reading_list = load_reading_list(project)
    bibliography = load_bibliography(project)
    findings = reading_list.findings + bibliography.findings
    findings += check_front_matter(site)
    findings += check_item_ids(project, reading_list)
    bibliographies = Bibliographies(site)
    # The project's own bibliography is parsed once, fully, above; the citation check reuses it.
    bibliographies.add(project.bibliography, BibKeys(frozenset(bibliography.entries)))
    bibliographies.read_all()
    # From here on the checks read the parsed pages.
    cited = {citation.value for page in site.pages for citation in page.citations}
    findings += check_bibliography(project, reading_list, bibliography, cited)
    findings += check_citations(site, bibliographies)
    findings += check_crossrefs(site)
    findings += check_internal_links(site)
    return sort_findings(findings)
