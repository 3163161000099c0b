"""The page that shows the reading list, and the ids its items have there.

The list's items are written by that page's cells when Quarto runs them, so pandoc never sees
them in the page's source; each item's id is its row's key, so `.../posts/exemplars/#key` lands
on it. Which page shows the list is said in one place, the setting `check-site` checks the built
list by: `[tool.exemplars.check-site] post`, the list's page in the built site (default
`posts/exemplars/index.html`). Its source is the page Quarto renders to that file: the same path
relative to the project folder, with the page's own suffix (`posts/exemplars/index.qmd`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from exemplars.config import load_settings
from exemplars.data.schema import EXEMPLAR_COLUMNS
from exemplars.data.table import read_table
from exemplars.project import Project
from exemplars.quarto.pages import rendered_as


def list_page_ids(project: Project, pages: Iterable[Path]) -> dict[Path, frozenset[str]]:
    """The list's page among `pages` (resolved) -> its items' ids, the keys of the list; {}
    when the project keeps no list or renders no page to the one the setting names.

    Raises UnreadableInput for settings that are not valid or a list that cannot be read.
    """
    if not project.exemplars_csv.is_file():
        return {}
    wanted = PurePosixPath(load_settings(project.root).check_site.post.lstrip("/"))
    page = next((page for page in pages if rendered_as(project.root, page) == wanted), None)
    if page is None:
        return {}
    records = read_table(project.exemplars_csv, EXEMPLAR_COLUMNS).records
    keys = frozenset(record.values["key"] for record in records if record.values.get("key"))
    return {page.resolve(): keys}
