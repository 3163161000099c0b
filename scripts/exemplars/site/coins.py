"""COinS on the list's post: each exemplar's item carries one span whose context object is its row.

The span (`span.Z3988`, written by `exemplars.post.coins`) is what reference managers read; it
is invisible, so only a check sees it go missing or go wrong. Its `title` is parsed as an
OpenURL 1.0 KEV context object (a query string), and must name the context version, the item's
title (the row's, or its entry's where the two are known to differ: `exemplars check` warns of
that, BIB006) and, where the row has a DOI, that DOI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from urllib.parse import parse_qs

from exemplars.data.bibliography import load_bibliography
from exemplars.findings import Finding, UnreadableInput, finding
from exemplars.normalise import fold
from exemplars.site.built_site import BuiltSite
from exemplars.site.html_page import Coins, HtmlPage

CONTEXT_VERSION = "Z39.88-2004"


def check_coins(
    site: BuiltSite, page: HtmlPage, rows: Sequence[Mapping[str, str]]
) -> list[Finding]:
    """SITE015 for an item without exactly one span or a span outside every item, SITE016 for a
    span that disagrees with its row."""
    file = site.file(page.path)
    spans: dict[str, list[Coins]] = {}
    for span in page.coins:
        spans.setdefault(span.item, []).append(span)
    findings = [
        finding(file, span.line, "SITE015", "a COinS span outside every exemplar's item")
        for span in spans.get("", [])
    ]
    entry_title = _entry_titles(site)
    for row in rows:
        key = row.get("key", "")
        found = spans.get(key, [])
        if len(found) != 1:
            line = found[1].line if found else page.items.get(key, page.main_line)
            where = "its item" if key in page.items else "the post (no item has this id)"
            message = f"{key} has {len(found)} COinS spans in {where}, not one"
            findings.append(finding(file, line, "SITE015", message))
            continue
        problem = disagreement(found[0].context, row, entry_title)
        if problem:
            findings.append(finding(file, found[0].line, "SITE016", f"{key}: {problem}"))
    return findings


def disagreement(context: str, row: Mapping[str, str], entry_title: Callable[[str], str]) -> str:
    """What is wrong with a span's context object for its row, or ""."""
    kev = parse_qs(context, keep_blank_values=True)
    if kev.get("ctx_ver") != [CONTEXT_VERSION]:
        return f"the context object has no ctx_ver={CONTEXT_VERSION}"
    title = _title(kev)
    if not title:
        return "the context object has no title"
    shown = fold(title)
    if shown != fold(row.get("title", "")) and shown != fold(entry_title(row.get("key", ""))):
        return f'the title "{title}" is not the row\'s, "{row.get("title", "")}"'
    doi = row.get("doi", "")
    dois = [value.removeprefix("info:doi/").lower() for value in kev.get("rft_id", [])]
    if doi and doi.lower() not in dois:
        return f"the context object does not carry the row's DOI ({doi})"
    return ""


def _title(kev: dict[str, list[str]]) -> str:
    """The item's own title: the article's or chapter's, the book's for a book, else Dublin
    Core's."""
    book = kev.get("rft.genre") == ["book"]
    for key in ("rft.btitle",) if book else ("rft.atitle", "rft.title"):
        if kev.get(key):
            return kev[key][0]
    return ""


def _entry_titles(site: BuiltSite) -> Callable[[str], str]:
    """Each entry's title by key, reading references.bib only when a row's title is not the
    span's (rare: `exemplars check` warns of it)."""

    @cache
    def titles() -> dict[str, str]:
        try:
            entries = load_bibliography(site.project).entries
        except UnreadableInput:  # no bibliography: the span can only agree with its row
            return {}
        return {key: entry.title for key, entry in entries.items()}

    return lambda key: titles().get(key, "")
