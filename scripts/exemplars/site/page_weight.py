"""What a reader downloads for each page: its HTML and the images it embeds, against a budget."""

from __future__ import annotations

from exemplars.findings import Finding, finding
from exemplars.site.built_site import BuiltSite, resolve

KIB = 1024


def check_weight(site: BuiltSite, budget_kb: int) -> list[Finding]:
    """A finding for each page heavier than `budget_kb` KiB, with what makes it heavy."""
    findings = []
    for page in site.pages.values():
        images = {
            target.path
            for image in page.images
            if (target := resolve(site, page.path, image.src)) and target.path in site.files
        }
        html = site.size(page.path)
        embedded = sum(site.size(path) for path in images)
        if html + embedded > budget_kb * KIB:
            message = (
                f"page weighs {_kb(html + embedded)} KB (HTML {_kb(html)} KB, "
                f"{len(images)} image{'s' * (len(images) != 1)} {_kb(embedded)} KB), "
                f"over the budget of {budget_kb:,} KB (page_weight_kb)"
            )
            findings.append(finding(site.file(page.path), 1, "SITE009", message))
    return findings


def _kb(size: int) -> str:
    return f"{round(size / KIB):,}"
