"""Which files a list of Quarto globs names, such as `project: resources:` in `_quarto.yml`.

Quarto's rules (https://quarto.org/docs/reference/globs.html, and `resolvePathGlobs` in Quarto's
`src/core/path.ts`): a glob matches anywhere below the project folder unless it starts with `/`,
which anchors it at the project folder, so `references.bib` also names
`tests/fixtures/references.bib` while `/references.bib` names only the project's own. A leading
`./` anchors too; a glob ending in `/`, or naming a folder, means everything inside it; a glob
starting with `!` excludes what it matches (`\\!` is a literal `!`).

Two differences, both on the side of matching less: hidden folders (`.git`, `.venv`) are not
searched, and the output folder is left out, as Quarto leaves it out.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Sequence
from pathlib import Path

OUTPUT_DIR = "_site"  # a website's default output folder
_DOT_SLASH = re.compile(r"^\.[/\\]+")


def resolve_globs(root: Path, patterns: Sequence[str], output_dir: str = OUTPUT_DIR) -> list[Path]:
    """The files under `root` the patterns name, less those the `!` patterns name, sorted."""
    included: set[Path] = set()
    excluded: set[Path] = set()
    for pattern in patterns:
        negated = pattern.startswith("!")
        found = _expand(root, _full_glob(root, pattern[1:] if negated else pattern))
        (excluded if negated else included).update(found)
    output = (root / output_dir).resolve()
    return sorted(
        path
        for path in included - excluded
        if path.is_file() and not path.resolve().is_relative_to(output)
    )


def _full_glob(root: Path, pattern: str) -> str:
    """The pattern relative to `root`, with Quarto's implicit `**/` and folder expansion."""
    if pattern.startswith("\\!"):
        pattern = pattern[1:]
    pattern = _DOT_SLASH.sub("/", pattern)
    if pattern.endswith("/"):
        pattern += "**/*"
    elif (root / pattern.lstrip("/")).is_dir():
        pattern += "/**/*"
    return pattern[1:] if pattern.startswith("/") else "**/" + pattern


def _expand(root: Path, pattern: str) -> set[Path]:
    return {root / found for found in glob.glob(pattern, root_dir=root, recursive=True)}
