"""Links between the built pages: files and `#anchors` that exist, no `.qmd` left, no stray file.

A link the site cannot satisfy is a 404 for the reader; a file no page offers (a test fixture
swept up by a `resources:` glob) is published by mistake.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from exemplars.findings import Finding, finding
from exemplars.site.built_site import SITE_LIBS, BuiltSite, resolve

# What Quarto writes for itself: fetched by its scripts, by crawlers or by feed readers rather
# than linked from a page. https://quarto.org/docs/websites/ (search, sitemap, listings, feeds)
QUARTO_FILES = frozenset(
    {"index.html", "404.html", "search.json", "sitemap.xml", "listings.json", "robots.txt"}
)
PUBLISHING_FILES = frozenset({".nojekyll", "CNAME"})  # read by GitHub Pages
FEED_SUFFIX = ".xml"  # a listing's RSS feed, `index.xml` or `<listing>.xml`
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


def check_links(site: BuiltSite) -> list[Finding]:
    """Every internal link and image of every page leads to a file, and an anchor to an id."""
    findings = []
    for page in site.pages.values():
        for ref in page.references:
            findings += _check_reference(site, page.path, ref.url, ref.line)
    return findings


def _check_reference(site: BuiltSite, page: str, url: str, line: int) -> list[Finding]:
    target = resolve(site, page, url)
    if target is None:
        return []
    file = site.file(page)
    if target.path.endswith(".qmd"):
        return [finding(file, line, "SITE005", f"link to the source {url}, not its page")]
    if target.outside:
        return [finding(file, line, "SITE003", f"{url} leads out of the site")]
    path = target.path or page
    if path not in site.files:
        return [finding(file, line, "SITE003", f"{url}: the site has no {path}")]
    if target.fragment and path in site.pages and target.fragment not in site.pages[path].ids:
        where = "this page" if path == page else path
        return [finding(file, line, "SITE004", f"{url}: no id {target.fragment!r} in {where}")]
    return []


def check_unlinked(site: BuiltSite) -> list[Finding]:
    """Files that no page links to, loads or embeds, other than Quarto's and the host's own."""
    linked = set(_linked_files(site))
    return [
        finding(site.file(path), 1, "SITE010", "no page links to this file; is it published?")
        for path in sorted(site.files - linked)
        if not _quartos_own(path)
    ]


def _linked_files(site: BuiltSite) -> Iterator[str]:
    for page in site.pages.values():
        for ref in page.references:
            target = resolve(site, page.path, ref.url)
            if target and target.path and not target.outside:
                yield target.path
                if target.path.endswith(".css") and target.path in site.files:
                    yield from _css_urls(site, target.path)


def _css_urls(site: BuiltSite, stylesheet: str) -> Iterator[str]:
    """Fonts and images a linked stylesheet loads."""
    text = (site.folder / stylesheet).read_text(encoding="utf-8", errors="replace")
    for url in CSS_URL.findall(text):
        target = resolve(site, stylesheet, url)
        if target and not target.outside:
            yield target.path


def _quartos_own(path: str) -> bool:
    name = posixpath.basename(path)
    return (
        path.startswith(SITE_LIBS)
        or path in QUARTO_FILES
        or name in PUBLISHING_FILES
        or name.endswith(FEED_SUFFIX)
    )
