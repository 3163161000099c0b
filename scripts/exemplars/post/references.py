"""Each exemplar's full reference, to show inside its own item on the page.

Quarto computes the margin's layout in the browser, and margin notes that cannot overlap drift
away from the items that cite them. The post therefore keeps its bibliography at the end of the
document (`citation-location: document`, where the hover pop-up reads it) and repeats each
reference inside its item, where it stays by construction. The text is not written here: pandoc's
citeproc formats it, with the bibliography and style the post itself uses, so the item and the
pop-up always say the same.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

import yaml

from exemplars.project import Project
from exemplars.quarto.markdown import pandoc_path
from exemplars.quarto.pages import Site

_WRITER = Path(__file__).with_name("citeproc_entries.lua")


class ReferencesUnavailable(RuntimeError):
    """Pandoc could not format the references; the message holds what it said."""


def formatted_references(
    bibliographies: Sequence[Path], keys: Sequence[str], csl: Path | None = None
) -> dict[str, str]:
    """Key -> the entry as citeproc formats it, in Markdown on one line, for each key found."""
    if not keys:
        return {}
    metadata = yaml.safe_dump({"nocite": ", ".join(f"@{{{key}}}" for key in keys)})
    command = [pandoc_path(), "--citeproc", "--from=markdown", f"--to={_WRITER}"]
    command += [f"--bibliography={path}" for path in bibliographies]
    command += [f"--csl={csl}"] if csl else []
    result = subprocess.run(
        command, input=f"---\n{metadata}---\n", capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = f"pandoc could not format the references: {result.stderr.strip()}"
        raise ReferencesUnavailable(message)
    entries = json.loads(result.stdout)
    return {key: entries[key].strip() for key in keys if key in entries}


def post_references(root: Path, post: Path, keys: Sequence[str]) -> dict[str, str]:
    """The references of `keys` with the `bibliography` and `csl` that `post` gets from its
    metadata (front matter, `_metadata.yml`, `_quarto.yml`), resolved as Quarto resolves them."""
    page = Site(Project(root), parse=False).page_for(post)
    if page is None:
        raise ReferencesUnavailable(f"{post} is not a page Quarto renders in {root}")
    csl = page.paths("csl")
    bibliographies = [declared.path for declared in page.paths("bibliography")]
    return formatted_references(bibliographies, keys, csl[0].path if csl else None)
