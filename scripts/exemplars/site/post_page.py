"""The list's post as built: each exemplar cited once, with one reference and one COinS span;
figures described; and what readers take away from it (`exemplars.site.exports`).

The keys come from `data/exemplars.csv`; the post cites each as `<a href="#ref-key"
role="doc-biblioref">` and holds its entry as `<div id="ref-key" class="exemplar-reference">`
inside the item (or, on a page whose bibliography citeproc writes, `class="csl-entry"`; the
"cite this post" entry in the appendix is the post's own and not counted).
"""

from __future__ import annotations

from exemplars.data.schema import EXEMPLAR_COLUMNS
from exemplars.data.table import read_table
from exemplars.findings import Finding, finding
from exemplars.site.built_site import BuiltSite
from exemplars.site.coins import check_coins
from exemplars.site.exports import check_exports
from exemplars.site.html_page import HtmlPage


def check_post(site: BuiltSite, post_path: str) -> list[Finding]:
    """Citations, reference entries and figures of the post; nothing if the project has no list."""
    csv = site.project.exemplars_csv
    if not csv.exists():
        return []
    page = site.pages.get(post_path)
    if page is None:
        file = site.file(post_path)
        return [finding(file, 1, "SITE013", "the list's post is not in the site (setting: post)")]
    rows = _listed_rows(site)
    keys = [row["key"] for row in rows]
    return (
        _citations(site, page, keys)
        + _figures(site, page)
        + check_coins(site, page, rows)
        + check_exports(site, post_path, keys)
    )


def _listed_rows(site: BuiltSite) -> list[dict[str, str]]:
    """The values of each row of the list that has a key, as written in the CSV."""
    table = read_table(site.project.exemplars_csv, EXEMPLAR_COLUMNS)
    return [record.values for record in table.records if record.values.get("key")]


def _citations(site: BuiltSite, page: HtmlPage, keys: list[str]) -> list[Finding]:
    file = site.file(page.path)
    findings = []
    for code, found, what in (
        ("SITE006", page.citations, "cited"),
        ("SITE007", page.bibliography, "given a reference entry"),
    ):
        lines: dict[str, list[int]] = {}
        for key, line in found:
            lines.setdefault(key, []).append(line)
        for key in keys:
            at = lines.get(key, [])
            if not at:
                findings.append(finding(file, page.main_line, code, f"{key} is never {what}"))
            elif len(at) > 1:
                message = f"{key} is {what} {len(at)} times (first on line {at[0]})"
                findings.append(finding(file, at[1], code, message))
    return findings


def _figures(site: BuiltSite, page: HtmlPage) -> list[Finding]:
    file = site.file(page.path)
    findings = []
    for figure in page.figures:
        if not figure.caption.strip():
            message = f"{figure.label} has no caption"
            findings.append(finding(file, figure.line, "SITE008", message))
        findings += [
            finding(file, image.line, "SITE008", f"{figure.label} has no alt text ({image.src})")
            for image in figure.images
            if not (image.alt or "").strip()
        ]
    return findings
