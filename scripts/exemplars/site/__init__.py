"""`exemplars check-site`: the built site as readers get it.

Static checks read every page of the built site once (images without alt, syntax shown as text,
links and anchors between pages, the list's post, page weight, files no page offers); the
accessibility audit opens every page in the machine's Chromium, in both themes.
"""

from __future__ import annotations

from pathlib import Path

from exemplars.config import CheckSiteSettings
from exemplars.findings import Finding, sort_findings
from exemplars.project import Project
from exemplars.site.built_site import read_site
from exemplars.site.hrefs import check_links, check_unlinked
from exemplars.site.page_content import check_content
from exemplars.site.page_weight import check_weight
from exemplars.site.post_page import check_post

__all__ = ["check_site"]


def check_site(
    folder: Path, project: Project, settings: CheckSiteSettings, chromium: str | None = None
) -> list[Finding]:
    """Findings of the static checks, and of the audit in `chromium` when one is given."""
    site = read_site(folder, project)
    findings = (
        check_content(site)
        + check_links(site)
        + check_unlinked(site)
        + check_post(site, settings.post)
        + check_weight(site, settings.page_weight_kb)
    )
    if chromium is not None:
        from exemplars.site.accessibility import audit_site

        findings += audit_site(site, chromium)
    return sort_findings(findings, project.root)
