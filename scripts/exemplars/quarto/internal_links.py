"""Internal links: relative links, images and resources point at files of the project, and
`#anchor` fragments at an id of the page they lead to.

A link may name a page's source (`other.qmd`, `other/`) or the `.html` the render makes of it;
a site-absolute `/path` starts at the project folder. External links (any URL scheme) are the
business of `exemplars links`.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path
from urllib.parse import unquote

from exemplars.findings import Finding, finding
from exemplars.quarto.globs import resolve_globs
from exemplars.quarto.markdown import Located
from exemplars.quarto.pages import DeclaredPath, Page, Site

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
SOURCE_SUFFIXES = (".qmd", ".md", ".ipynb", ".Rmd", ".rmd")
INDEX_FILES = tuple(f"index{suffix}" for suffix in (*SOURCE_SUFFIXES, ".html"))
# Ids Quarto adds to every rendered page: the bibliography and the footnotes.
GENERATED_IDS = frozenset({"refs", "footnotes"})


def check_internal_links(site: Site) -> list[Finding]:
    """A finding for every internal link, image or resource that leads nowhere."""
    findings: list[Finding] = []
    for page in site.pages:
        for link in page.document.links:
            findings += _check_target(site, page, link, "link")
        for image in page.document.images:
            findings += _check_target(site, page, image, "image")
        findings += _check_resources(site, page.paths("resources"))
    findings += _check_project_resources(site)
    return findings


def check_link(site: Site, page: Page, found: Located) -> list[Finding]:
    """What is wrong with one link of `page`: nothing when it leads somewhere. `exemplars links`
    judges internal links with this, so it and `exemplars check` never disagree."""
    return _check_target(site, page, found, "link")


def _check_target(site: Site, page: Page, found: Located, kind: str) -> list[Finding]:
    target = unquote(found.value).strip()
    if not target or _SCHEME.match(target) or target.startswith("//") or "{{<" in target:
        return []  # a URL, or a shortcode only the render can expand
    location, _, fragment = target.partition("#")
    location = location.split("?")[0]
    if not location:
        return _check_anchor(site, page, page, found, kind, fragment)
    root = site.project.root
    path = root / location.lstrip("/") if location.startswith("/") else page.path.parent / location
    if not path.resolve().is_relative_to(root.resolve()):
        return [
            finding(page.path, found.line, "LINK003", f'{kind} "{target}" leads out of the project')
        ]
    existing = _existing(path)
    if existing is None:
        shown = site.project.shown(path)
        return [
            finding(page.path, found.line, "LINK001", f'{kind} "{target}": {shown} does not exist')
        ]
    target_page = site.page_for(existing)
    if fragment and target_page:
        return _check_anchor(site, page, target_page, found, kind, fragment)
    return []


def _existing(path: Path) -> Path | None:
    """The file a link leads to: the file itself, a folder's index page, or the source of a
    rendered `.html` page."""
    if path.is_file():
        return path
    if path.is_dir():
        return next((path / name for name in INDEX_FILES if (path / name).is_file()), None)
    if path.suffix == ".html":
        sources = (path.with_suffix(suffix) for suffix in SOURCE_SUFFIXES)
        return next((source for source in sources if source.is_file()), None)
    return None


def _check_anchor(
    site: Site, page: Page, target: Page, found: Located, kind: str, fragment: str
) -> list:
    if not fragment or fragment in target.document.ids or fragment in GENERATED_IDS:
        return []
    if target.document.has_label(fragment) or fragment in site.generated_ids(target):
        return []
    where = "this page" if target is page else site.project.shown(target.path)
    message = (
        f'{kind} "{unquote(found.value)}": no heading or element with id "{fragment}" in {where}'
    )
    return [finding(page.path, found.line, "LINK002", message)]


def _check_resources(site: Site, declared: list[DeclaredPath]) -> list[Finding]:
    """Files named by `resources:`, literally or as a glob (a `!` pattern excludes)."""
    return [
        _matches_nothing(item)
        for item in declared
        if not item.written.startswith("!") and not glob.glob(str(item.path), recursive=True)
    ]


def _check_project_resources(site: Site) -> list[Finding]:
    """`project: resources:`, matched the way Quarto matches them (`exemplars.quarto.globs`)."""
    return [
        _matches_nothing(item)
        for item in _project_resources(site)
        if not item.written.startswith("!") and not resolve_globs(site.project.root, [item.written])
    ]


def _matches_nothing(item: DeclaredPath) -> Finding:
    message = (
        f'resource "{item.written}" matches no file'
        if glob.has_magic(item.written)
        else f'resource "{item.written}" does not exist'
    )
    return finding(item.named_in, item.line, "LINK004", message)


def _project_resources(site: Site) -> list[DeclaredPath]:
    """`project: resources:` in `_quarto.yml`, relative to the project folder."""
    config = site.config
    project = config.data.get("project") if config else None
    resources = project.get("resources") if isinstance(project, dict) else None
    if not config or not resources:
        return []
    line = config.lines.get("project", 1)
    return [
        DeclaredPath(str(item), config.folder / str(item), config.path, line)
        for item in (resources if isinstance(resources, list) else [resources])
    ]
