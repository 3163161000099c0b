"""Cross-references: every `@fig-x` (and the other Quarto prefixes) names a label defined in
the same page: a heading, div, figure, table or code block id, a `{#eq-x}` after display
math, or a code cell's `#| label:` option.

On a website Quarto resolves cross-references within one page only, so a label defined on
another page does not count.
"""

from __future__ import annotations

from exemplars.findings import Finding, finding
from exemplars.quarto.markdown import crossref_label
from exemplars.quarto.pages import Site


def check_crossrefs(site: Site) -> list[Finding]:
    """A finding for every cross-reference to a label its page does not define."""
    return [
        finding(
            page.path,
            ref.line,
            "XREF001",
            f"@{ref.value} refers to no label in this page "
            f"(define #{crossref_label(ref.value)} on a heading, figure, table, div or cell)",
        )
        for page in site.pages
        for ref in page.crossrefs
        if not page.document.has_label(crossref_label(ref.value))
    ]
