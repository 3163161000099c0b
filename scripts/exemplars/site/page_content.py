"""What every page shows: an `alt` on each image, and no Markdown or Quarto syntax as text."""

from __future__ import annotations

from exemplars.findings import Finding, finding
from exemplars.site.built_site import BuiltSite


def check_content(site: BuiltSite) -> list[Finding]:
    """Images without `alt` (an empty one marks a decorative image) and syntax shown as text."""
    findings = []
    for page in site.pages.values():
        file = site.file(page.path)
        findings += [
            finding(file, image.line, "SITE001", f"image {image.src or '(no src)'} has no alt")
            for image in page.images
            if image.alt is None
        ]
        findings += [
            finding(file, leak.line, "SITE002", f"{leak.kind} shown as text: {leak.text!r}")
            for leak in page.leaks
        ]
    return findings
