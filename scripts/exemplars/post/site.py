"""What a post needs to know about its website: where the project is, where its source lives.

Quarto runs a post's cells with the post's folder as working directory, so the post finds the
project by walking up to `_quarto.yml`. The repository address is read from `_quarto.yml` too, so
a forker changes it in one place.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from exemplars.data.reading_list import load_valid_list
from exemplars.data.schema import Exemplar, Venue
from exemplars.quarto.pages import website_option

CONFIG = "_quarto.yml"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder with `_quarto.yml` at or above `start` (default: working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG).is_file():
            return folder
    raise FileNotFoundError(f"no {CONFIG} in {here} or any folder above it")


def load_list_and_venues(root: Path) -> tuple[list[Exemplar], dict[str, Venue]]:
    """The validated exemplars in list order, and the venue map; refuses a list with errors."""
    reading_list = load_valid_list(root)
    return reading_list.rows, reading_list.venue_map


def history_url(root: Path, path: Path) -> str:
    """The repository page listing every commit that changed `path` (GitHub's layout)."""
    repo = website_option(root, "repo-url")
    if not repo:
        raise ValueError(f"{CONFIG} has no website: repo-url")
    branch = website_option(root, "repo-branch", "main")
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    return f"{repo}/commits/{quote(branch)}/{quote(relative)}"


def updates_markdown(root: Path, post: Path) -> str:
    """The "updates and corrections" paragraph: the post's history and where to report a problem."""
    history = history_url(root, post)
    issues = website_option(root, "repo-url") + "/issues"
    # <...> around a link target lets it hold any character pandoc would otherwise read as syntax.
    return (
        "Every change to this post since it was published is listed in "
        f"[its history](<{history}>), with the difference each one made. "
        "To suggest a correction or a missing exemplar, "
        f"[open an issue](<{issues}>) or send a pull request that edits the list and the "
        "bibliography.\n"
    )
