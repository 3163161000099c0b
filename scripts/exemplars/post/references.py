"""Which bibliography and citation style the post formats its list with: the ones its metadata
names (front matter, `_metadata.yml`, `_quarto.yml`), resolved as Quarto resolves them, so each
item's reference reads as the post's own citations would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exemplars.data.bibliography import read_keys
from exemplars.project import Project
from exemplars.quarto.pages import Site


@dataclass(frozen=True)
class Citations:
    """How the post formats its references: its bibliography files and citation style, and the
    keys that have an entry (the others get no reference and no BibTeX)."""

    bibliographies: tuple[Path, ...]
    csl: Path | None = None
    keys: frozenset[str] = frozenset()


class PostNotFound(RuntimeError):
    """The post is not a page Quarto renders in the project."""


def post_citations(root: Path, post: Path) -> Citations:
    """The post's bibliographies and style, and the keys they hold."""
    page = Site(Project(root), parse=False).page_for(post)
    if page is None:
        raise PostNotFound(f"{post} is not a page Quarto renders in {root}")
    csl = page.paths("csl")
    bibliographies = tuple(declared.path for declared in page.paths("bibliography"))
    read = [read_keys(path) for path in bibliographies]
    keys = frozenset().union(*(bibliography.keys for bibliography in read if bibliography))
    return Citations(bibliographies, csl[0].path if csl else None, keys)
