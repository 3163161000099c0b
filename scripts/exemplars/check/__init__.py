"""`exemplars check`: every offline check of the project, one report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exemplars.findings import Finding, sort_findings
from exemplars.project import Project
from exemplars.quarto.pages import Site

if TYPE_CHECKING:
    from exemplars.check.citations import Bibliographies
    from exemplars.data.bibliography import Bibliography
    from exemplars.data.reading_list import ReadingList


@dataclass(frozen=True)
class CheckReport:
    findings: list[Finding]
    note: str = ""  # what the summary adds: the checks this project gave nothing to


def check_project(root: Path) -> CheckReport:
    """All findings for the project at `root`, sorted by file and line.

    The pages are always checked. The list, its venues and references.bib are checked when the
    project keeps a reading list; a Quarto site without one has its pages checked all the same.
    Raises UnreadableInput when a file cannot be read at all.
    """
    project = Project(root)
    # Pandoc starts on every page first: parsing the pages is the longest step, and the work
    # below that needs no parsed page (the list, the bibliography, the front matter) runs
    # meanwhile. The heavier modules are imported after it has started, for the same reason.
    site = Site(project)
    from exemplars.check.citations import Bibliographies, check_citations
    from exemplars.check.cross_references import check_crossrefs
    from exemplars.check.front_matter import check_front_matter
    from exemplars.quarto.internal_links import check_internal_links

    bibliographies = Bibliographies(site)
    findings: list[Finding] = []
    listed = _load_list(project, bibliographies) if project.has_reading_list else None
    if listed:
        findings += listed[0].findings + listed[1].findings
    findings += check_front_matter(site)
    bibliographies.read_all()
    # From here on the checks read the parsed pages.
    if listed:
        from exemplars.check.bibliography import check_bibliography  # the list's schema: pydantic
        from exemplars.check.item_ids import check_item_ids

        cited = {citation.value for page in site.pages for citation in page.citations}
        findings += check_bibliography(project, *listed, cited)
        findings += check_item_ids(project, listed[0])
    findings += check_citations(site, bibliographies)
    findings += check_crossrefs(site)
    findings += check_internal_links(site)
    note = "" if listed else f"no reading list ({project.shown(project.exemplars_csv)}): pages only"
    return CheckReport(sort_findings(findings, project.root), note)


def _load_list(
    project: Project, bibliographies: Bibliographies
) -> tuple[ReadingList, Bibliography]:
    """The list and references.bib, read in full; the citation check reuses the bib's keys."""
    from exemplars.data.bibliography import BibliographyKeys, load_bibliography
    from exemplars.data.reading_list import load_reading_list

    reading_list = load_reading_list(project)
    bibliography = load_bibliography(project)
    bibliographies.add(project.bibliography, BibliographyKeys(frozenset(bibliography.entries)))
    return reading_list, bibliography
