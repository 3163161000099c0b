"""What readers take away, as `exemplars export` left it in the built site: each download and
the feed exists, its own kind of reader takes it, and it holds the list's keys, each once.

The readers are the ones reference managers and feed readers resemble: `json` for CSL-JSON,
rispy for RIS, feedparser for the Atom feed (a feed it reads only with complaints, `bozo`, is
refused), and the project's BibTeX scanner for each exemplar's file.
"""

from __future__ import annotations

import json
import posixpath
from collections import Counter
from collections.abc import Iterable, Sequence
from urllib.parse import unquote, urlsplit

from exemplars.data.bibliography import bibtex_keys
from exemplars.exports import ExportPaths, export_paths
from exemplars.findings import Finding, finding
from exemplars.site.built_site import BuiltSite

EXPORTED_BY = "written by `exemplars export` after the render"


def check_exports(site: BuiltSite, post: str, keys: Sequence[str]) -> list[Finding]:
    """SITE017 for an export missing or refused by its reader, SITE018 for keys not the list's."""
    paths = export_paths(post)
    return (
        _csl_json(site, paths.csl_json, keys)
        + _ris(site, paths.ris, keys)
        + _feed(site, paths.feed, post, keys)
        + _bib_files(site, paths, keys)
    )


def _read(site: BuiltSite, path: str) -> str | None:
    if path not in site.files:
        return None
    return site.file(path).read_text(encoding="utf-8", errors="replace")


def _missing(site: BuiltSite, path: str, what: str) -> list[Finding]:
    message = f"the site has no {what} ({EXPORTED_BY})"
    return [finding(site.file(path), 1, "SITE017", message)]


def _csl_json(site: BuiltSite, path: str, keys: Sequence[str]) -> list[Finding]:
    text = _read(site, path)
    if text is None:
        return _missing(site, path, "CSL-JSON of the list")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        return [finding(site.file(path), exc.lineno, "SITE017", f"not JSON: {exc.msg}")]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        return [finding(site.file(path), 1, "SITE017", "not CSL-JSON: a list of items expected")]
    ids = [str(item.get("id", "")) for item in items]
    return _compare(site, path, ids, keys, "item ids")


def _ris(site: BuiltSite, path: str, keys: Sequence[str]) -> list[Finding]:
    import rispy  # only for a site that has a list

    text = _read(site, path)
    if text is None:
        return _missing(site, path, "RIS of the list")
    records = rispy.loads(text)  # lenient: what is not RIS is no record
    if not records and keys:
        return [finding(site.file(path), 1, "SITE017", "rispy reads no record from it")]
    untitled = [record.get("id", "?") for record in records if not record.get("title")]
    if untitled:
        message = f"records without a title (TI): {', '.join(map(str, untitled))}"
        return [finding(site.file(path), 1, "SITE017", message)]
    ids = [str(record.get("id", "")) for record in records]
    return _compare(site, path, ids, keys, "record IDs")


def _feed(site: BuiltSite, path: str, post: str, keys: Sequence[str]) -> list[Finding]:
    import feedparser  # only for a site that has a list

    text = _read(site, path)
    if text is None:
        return _missing(site, path, "feed of additions")
    parsed = feedparser.parse(text.encode("utf-8"))
    if parsed.bozo:
        message = f"feedparser reads it only with errors: {parsed.bozo_exception}"
        return [finding(site.file(path), 1, "SITE017", message)]
    if parsed.version != "atom10":
        message = f"not an Atom 1.0 feed (feedparser reads {parsed.version or 'nothing'})"
        return [finding(site.file(path), 1, "SITE017", message)]
    folder = posixpath.dirname(post)
    fragments, strays = [], []
    for entry in parsed.entries:
        link = urlsplit(entry.get("link", ""))
        if not link.fragment or not link.path.rstrip("/").endswith(folder):
            strays.append(entry.get("link", "") or entry.get("title", "?"))
        fragments.append(unquote(link.fragment))
    findings = []
    if strays:
        message = f"entries that link to no item of {post}: {', '.join(strays)}"
        findings.append(finding(site.file(path), 1, "SITE018", message))
    return findings + _compare(site, path, fragments, keys, "entries' items")


def _bib_files(site: BuiltSite, paths: ExportPaths, keys: Sequence[str]) -> list[Finding]:
    findings = []
    for key in keys:
        path = paths.bib(key)
        text = _read(site, path)
        if text is None:
            findings += _missing(site, path, f"BibTeX file of {key}")
            continue
        read = bibtex_keys(text, site.file(path))
        if read.findings or read.keys != {key}:
            found = ", ".join(sorted(read.keys)) or "no entry"
            message = f"holds {found}, not the one entry {key}"
            findings.append(finding(site.file(path), 1, "SITE018", message))
    listed = {paths.bib(key) for key in keys}
    prefix = paths.bib_folder + "/"
    strays = sorted(p for p in site.files if p.startswith(prefix) and p not in listed)
    findings += [
        finding(site.file(path), 1, "SITE018", "the BibTeX file of no exemplar of the list")
        for path in strays
    ]
    return findings


def _compare(
    site: BuiltSite, path: str, found: Iterable[str], keys: Sequence[str], what: str
) -> list[Finding]:
    """One finding naming the keys missing, those not on the list and those given twice."""
    counts = Counter(found)
    problems = []
    if missing := [key for key in keys if key not in counts]:
        problems.append(f"missing {', '.join(missing)}")
    listed = set(keys)
    if extra := sorted(key for key in counts if key not in listed):
        problems.append(f"not on the list: {', '.join(extra)}")
    if twice := sorted(key for key, count in counts.items() if count > 1):
        problems.append(f"more than once: {', '.join(twice)}")
    if not problems:
        return []
    message = f"its {what} are not the list's keys: {'; '.join(problems)}"
    return [finding(site.file(path), 1, "SITE018", message)]
