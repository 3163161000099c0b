"""Each exemplar's key is the id of its item on the post, so `.../posts/exemplars/#key` lands
on it: a key must be an id to which neither Quarto nor pandoc gives another meaning."""

from __future__ import annotations

import re

from exemplars.data.reading_list import ReadingList
from exemplars.findings import Finding, finding
from exemplars.project import Project
from exemplars.quarto.markdown import CROSSREF_PREFIXES


def check_item_ids(project: Project, reading_list: ReadingList) -> list[Finding]:
    """A finding for each key that cannot serve as its item's id."""
    keys = {item.row.key for item in reading_list.exemplars}
    findings = []
    for item in reading_list.exemplars:
        if reason := _taken_because(item.row.key, keys):
            message = f'key "{item.row.key}" cannot be the id of its item on the post: {reason}'
            findings.append(finding(project.exemplars_csv, item.line, "CSV008", message))
    return findings


def _taken_because(key: str, keys: set[str]) -> str:
    prefix, dash, rest = key.partition("-")
    if dash and prefix in CROSSREF_PREFIXES:
        return f'Quarto reads an id starting with "{prefix}-" as a cross-reference label'
    if prefix == "ref" and rest in keys:
        return f'citeproc gives that id to the reference of "{rest}"'
    if re.fullmatch(r"fn(ref)?\d+", key):
        return "pandoc gives that id to a footnote"
    return ""
