"""`exemplars export`: what readers take away, written into the built site after each render.

From the list and references.bib, converted once by pandoc (`exemplars.data.csl`): the whole
list as CSL-JSON and RIS beside `references.bib`, the Atom feed of additions and one BibTeX file
per exemplar beside the list's post (the places are `exemplars.exports`). Everything is built in
memory first, so bad input writes nothing; each file is then replaced atomically, and the folder
of BibTeX files is swapped whole, so none is left of an exemplar no longer on the list. Only the
built site is written: these files are derived, never kept in the project.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from exemplars.data.bibliography import load_bibliography
from exemplars.data.csl import CslItem, bibliography_items, list_items
from exemplars.data.reading_list import InvalidList, ReadingList, load_valid_list
from exemplars.export.feed import FeedSite, additions_feed
from exemplars.export.ris import ris_text
from exemplars.exports import ExportPaths, export_paths, permalink
from exemplars.findings import Finding, finding
from exemplars.project import Project
from exemplars.quarto.markdown import pandoc_path
from exemplars.quarto.pages import Site, rendered_as, website_option
from exemplars.textio import write_text_atomically

__all__ = ["ExportRefused", "Exported", "export_site"]


class ExportRefused(Exception):
    """The list cannot be exported as it stands; nothing was written."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Exported:
    """What one export wrote (`paths`, for `count` exemplars) and removed, relative to the site."""

    paths: ExportPaths
    count: int  # exemplars
    removed: list[str]  # BibTeX files of exemplars no longer on the list


def export_site(folder: Path, project: Project, post: str) -> Exported:
    """Write the exports of `project`'s list into the built site `folder`, whose list's post is
    `post`. Raises ExportRefused (nothing written) when the list has errors, a row has no entry
    in references.bib or the site has no address; UnreadableInput for a file that cannot be
    read; CslUnavailable when pandoc cannot convert the bibliography."""
    if folder.resolve() == project.root.resolve():
        raise ExportRefused(f"{folder} is the project folder; give the folder the site is built in")
    reading_list = _valid_list(project)
    bibliography = load_bibliography(project)
    entries = bibliography_items(project.bibliography, pandoc_path(), project.csl_cache)
    listed = list_items(reading_list.rows, entries)
    keys = [row.key for row in reading_list.rows]
    missing = set(listed.missing) | (set(keys) - set(bibliography.entries))
    if missing:
        raise ExportRefused("fix references.bib first", _missing(project, reading_list, missing))
    paths = export_paths(post)
    site = Site(project, parse=False)
    site_url = _site_url(project)
    texts = {
        paths.csl_json: csl_json_text(listed.items),
        paths.ris: ris_text(listed.items),
        paths.feed: additions_feed(
            reading_list.rows,
            listed.by_key(),
            feed_site(site_url, _post_metadata(site, post), post, paths),
            lambda key: permalink(site_url, post, key),
        ),
    }
    bib_texts = {f"{key}.bib": bibliography.public_source(key) + "\n" for key in keys}
    for path, text in texts.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomically(target, text)
    removed = replace_folder(folder / paths.bib_folder, bib_texts)
    return Exported(paths, len(keys), [f"{paths.bib_folder}/{name}" for name in removed])


def csl_json_text(items: list[CslItem]) -> str:
    """The items as a CSL-JSON file: a JSON array, UTF-8 as it is, one field a line."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def feed_site(site_url: str, metadata: dict[str, Any], post: str, paths: ExportPaths) -> FeedSite:
    """The feed's title, author and addresses, from the post's metadata and the `site-url`."""
    title = str(metadata.get("title") or "The list")
    return FeedSite(
        title=f"{title}: additions to the list",
        author=_author_names(metadata.get("author")) or title,
        feed_url=f"{site_url}/{paths.feed}",
        post_url=permalink(site_url, post, "").removesuffix("#"),
    )


def _valid_list(project: Project) -> ReadingList:
    try:
        return load_valid_list(project.root)
    except InvalidList as exc:
        raise ExportRefused(str(exc)) from None


def _missing(project: Project, reading_list: ReadingList, keys: set[str]) -> list[Finding]:
    bib = project.shown(project.bibliography)
    return [
        finding(
            project.exemplars_csv, item.line, "BIB003", f'"{item.row.key}" has no entry in {bib}'
        )
        for item in reading_list.exemplars
        if item.row.key in keys
    ]


def _site_url(project: Project) -> str:
    """`website: site-url` of `_quarto.yml`: the feed's ids and links must be absolute."""
    url = website_option(project.root, "site-url")
    if not url:
        raise ExportRefused(
            "_quarto.yml has no `website: site-url`; the feed's addresses need the site's address"
        )
    return url


def _post_metadata(site: Site, post: str) -> dict[str, Any]:
    """The merged metadata of the page Quarto renders as `post`, or {} if there is none."""
    wanted = PurePosixPath(post.lstrip("/"))
    for page in site.pages:
        if rendered_as(site.project.root, page.path) == wanted:
            return page.metadata
    return {}


def _author_names(author: Any) -> str:
    """Quarto's `author`: a name, a list of names, or entries with a `name`."""
    authors = author if isinstance(author, list) else [author] if author else []
    found = []
    for person in authors:
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, dict):  # `name: {given: ..., family: ...}`
            name = " ".join(str(name[part]) for part in ("given", "family") if name.get(part))
        if name:
            found.append(str(name))
    return ", ".join(found)


def replace_folder(target: Path, files: dict[str, str]) -> list[str]:
    """Make `target` a folder holding exactly `files` (name -> text); the names it held before
    and no longer does. The new folder is written beside the old one, then swapped in by two
    renames: a reader finds the old folder or the new one, whole (for an instant between the
    renames, none), never a mix. Its files are derived and rewritten by every render, so they
    are not flushed to disk one by one (an fsync each would cost a thousand exemplars seconds)."""
    parent, name = target.parent, target.name
    parent.mkdir(parents=True, exist_ok=True)
    before = {path.name for path in target.iterdir()} if target.is_dir() else set()
    fresh = Path(tempfile.mkdtemp(dir=parent, prefix=f".{name}.", suffix=".new"))
    retired = None
    try:
        for file, text in files.items():
            (fresh / file).write_text(text, encoding="utf-8", newline="")
        # mkdtemp makes the folder private; give it the mode of the folder it replaces.
        fresh.chmod((target if target.is_dir() else parent).stat().st_mode & 0o777)
        if target.exists():
            retired = Path(tempfile.mkdtemp(dir=parent, prefix=f".{name}.", suffix=".old"))
            os.replace(target, retired)
        os.replace(fresh, target)
    except BaseException:
        if retired is not None and not target.exists():
            os.replace(retired, target)  # put the old folder back
            retired = None
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    return sorted(before - set(files))
