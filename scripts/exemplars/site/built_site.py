"""The built site (`_site/`): its files, its pages read once, and where a page's URLs lead."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from exemplars.data.table import read_text
from exemplars.project import Project
from exemplars.site.html_page import HtmlPage, read_page

# Quarto's own folder of scripts and styles; pages never link most of its files directly.
SITE_LIBS = "site_libs/"


@dataclass(frozen=True)
class Target:
    """Where a URL of a page leads inside the site: a file (maybe missing) and a fragment."""

    path: str  # relative to the site, "" for the page itself
    fragment: str
    outside: bool = False  # the URL climbs out of the site's folder


@dataclass
class BuiltSite:
    folder: Path
    project: Project
    files: set[str]  # every file, relative to the site, with "/" separators
    pages: dict[str, HtmlPage]  # every HTML page outside site_libs/, by path

    def file(self, path: str) -> Path:
        """A site file (as the site names it, relative with `/`) on disk, for findings."""
        return self.folder / path

    def size(self, path: str) -> int:
        return self.file(path).stat().st_size


def read_site(folder: Path, project: Project) -> BuiltSite:
    """List the site's files and read every page; UnreadableInput for a page that is not UTF-8."""
    files = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}
    site = BuiltSite(folder, project, files, {})
    for path in sorted(files):
        if path.endswith(".html") and not path.startswith(SITE_LIBS):
            site.pages[path] = read_page(path, read_text(site.file(path)))
    return site


def resolve(site: BuiltSite, page: str, url: str) -> Target | None:
    """Where `url`, written in `page`, leads in the site; None for other sites and schemes."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("//"):
        return None
    fragment = unquote(parts.fragment)
    if not parts.path:
        return Target("", fragment)
    path = unquote(parts.path)
    base = "" if path.startswith("/") else posixpath.dirname(page)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined == ".." or joined.startswith("../"):
        return Target(joined, fragment, outside=True)
    if joined == ".":
        joined = ""
    if path.endswith("/") or (joined not in site.files and _is_folder(site, joined)):
        joined = posixpath.join(joined, "index.html") if joined else "index.html"
    return Target(joined, fragment)


def _is_folder(site: BuiltSite, path: str) -> bool:
    return (site.folder / path).is_dir() if path else True
