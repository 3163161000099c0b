"""Front matter: each post has what the blog's listing, feed and citation rely on (title, date,
author, description), its dates parse as Quarto parses them, and every page's `bibliography`
files exist.

A post is a page under `posts/`; its metadata includes what `posts/_metadata.yml` (and any
`_metadata.yml` or `_quarto.yml` above it) gives every post.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from exemplars.findings import Finding, finding
from exemplars.quarto.pages import Page, Site

POST_FIELDS = ("title", "date", "author", "description")
DATE_FIELDS = ("date", "date-modified")
# https://quarto.org/docs/reference/dates.html: the forms Quarto tries, in its order
# (MM/dd/yyyy, MM-dd-yyyy, MM/dd/yy, MM-dd-yy, yyyy-MM-dd, dd MM yyyy, MM dd, yyyy), then
# ISO 8601 date-times and its date keywords.
DATE_FORMATS = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m-%d-%y", "%Y-%m-%d", "%d %m %Y", "%m %d, %Y")
DATE_KEYWORDS = ("today", "now", "last-modified")


def check_front_matter(site: Site) -> list[Finding]:
    """Findings for posts that lack a field or have a date Quarto cannot read, and for
    bibliography files that do not exist."""
    findings: list[Finding] = []
    posts = site.project.posts.resolve()
    for page in site.pages:
        if page.path.resolve().is_relative_to(posts):
            findings += _required_fields(page)
        findings += _dates(page)
        findings += _bibliographies(site, page)
    return findings


def _required_fields(page: Page) -> list[Finding]:
    findings = []
    for name in POST_FIELDS:
        if name not in page.metadata:
            findings.append(
                finding(
                    page.path,
                    1,
                    "FM001",
                    f"post has no {name} (set it in its front matter or a _metadata.yml)",
                )
            )
        elif _is_empty(page.metadata[name]):
            path, line = page.declared_at(name)
            findings.append(finding(path, line, "FM001", f"{name} is empty"))
    return findings


def _is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


def _dates(page: Page) -> list[Finding]:
    findings = []
    for name in DATE_FIELDS:
        value = page.metadata.get(name)
        if value is not None and not _is_empty(value) and not is_quarto_date(value):
            path, line = page.declared_at(name)
            findings.append(
                finding(
                    path,
                    line,
                    "FM002",
                    f'{name} "{value}" is not a date Quarto reads (write YYYY-MM-DD)',
                )
            )
    return findings


def is_quarto_date(value: Any) -> bool:
    """Whether Quarto reads `value` (a YAML date or a string) as a date."""
    if isinstance(value, dt.date):  # YAML itself read an unquoted 2024-11-04
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    if text in DATE_KEYWORDS:
        return True
    for form in DATE_FORMATS:
        try:
            dt.datetime.strptime(text, form)
            return True
        except ValueError:
            continue
    try:
        dt.datetime.fromisoformat(text)
        return True
    except ValueError:
        return False


def _bibliographies(site: Site, page: Page) -> list[Finding]:
    findings = []
    for item in page.paths("bibliography"):
        if not item.path.is_file():
            # Inherited paths are named as written, so every page that inherits one missing
            # file gives the same finding (reported once); the page's own are resolved.
            where = f" ({site.project.shown(item.path)})" if item.named_in == page.path else ""
            message = f"bibliography {item.written} does not exist{where}"
            findings.append(finding(item.named_in, item.line, "FM003", message))
    return findings
