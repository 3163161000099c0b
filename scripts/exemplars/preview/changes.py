"""What a save asks of the preview: which files it follows, and which pages a change re-renders.

Quarto knows that a page depends on its own source, not that the list's post reads the list, the
venues and the bibliography in its Python cells. Here a change to one of those files re-renders
every page whose cells import the harness's `exemplars.post` (the module that reads them); a
change to a page re-renders that page; a change to the site's configuration re-renders the site.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from exemplars.project import Project
from exemplars.quarto.globs import OUTPUT_DIR
from exemplars.quarto.pages import PAGE_SUFFIXES, project_pages, rendered_as

# Files whose change means the whole site: its configuration and shared metadata.
SITE_FILES = ("_quarto.yml", "_quarto.yaml", "_metadata.yml", "_metadata.yaml")
# What the list's pages import to read the list (see posts/exemplars/index.qmd).
LIST_READER = "exemplars.post"
# Quarto's own files beside the pages: written by every render, never a save of the author's.
RENDER_LEFTOVERS = (".quarto_ipynb", ".html")


@dataclass(frozen=True)
class Plan:
    """What to render after a save: `site` for the whole site, else the `pages`; `list_data`
    when the list, its venues or the bibliography changed (the list's pages can show it at
    once, before their render: exemplars.preview.list_swap)."""

    pages: tuple[Path, ...] = ()
    site: bool = False
    list_data: bool = False

    def __bool__(self) -> bool:
        return self.site or bool(self.pages)


def data_files(project: Project) -> tuple[Path, ...]:
    """The list, its venues and the bibliography: read by the list's pages, not by Quarto."""
    return (project.exemplars_csv, project.venues_csv, project.bibliography)


def list_pages(project: Project) -> tuple[Path, ...]:
    """The pages whose Python cells read the list through the harness."""
    return tuple(page for page in project_pages(project) if _reads_list(page))


def _reads_list(page: Path) -> bool:
    try:
        return LIST_READER in page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def plan(project: Project, changed: Iterable[Path]) -> Plan:
    """What the saved files `changed` ask to render (nothing for a file no page uses)."""
    changed = {path.resolve() for path in changed}
    if any(path.name in SITE_FILES for path in changed):  # _quarto.yml or a _metadata.yml
        return Plan(site=True)
    pages = {page.resolve(): page for page in project_pages(project)}
    wanted = [pages[path] for path in sorted(changed) if path in pages]
    list_data = bool(changed & {path.resolve() for path in data_files(project)})
    if list_data:
        wanted += list_pages(project)
    return Plan(pages=tuple(dict.fromkeys(wanted)), list_data=list_data)


def is_followed(path: Path, project: Project) -> bool:
    """Whether a change to `path` can matter: a page, a data file or the site's configuration,
    outside the output folder, Quarto's scratch folders and hidden folders."""
    try:
        relative = path.resolve().relative_to(project.root.resolve())
    except ValueError:
        return False
    if relative.parts[:1] == (OUTPUT_DIR,) or any(p.startswith(".") for p in relative.parts):
        return False
    if path.name.endswith(RENDER_LEFTOVERS) or any(p.endswith("_files") for p in relative.parts):
        return False
    if path.name in SITE_FILES:
        return True
    if path.resolve() in {data.resolve() for data in data_files(project)}:
        return True
    return path.suffix.lower() in PAGE_SUFFIXES


def output_page(project: Project, page: Path) -> Path:
    """Where Quarto writes `page` in the site: the same path under `_site/`, as `.html`."""
    return project.root / OUTPUT_DIR / rendered_as(project.root, page)
