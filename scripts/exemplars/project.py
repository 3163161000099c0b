"""Where a project's files live, so every command and test agrees on the layout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def exemplars_csv(self) -> Path:
        return self.root / "data" / "exemplars.csv"

    @property
    def venues_csv(self) -> Path:
        return self.root / "data" / "venues.csv"

    @property
    def bibliography(self) -> Path:
        return self.root / "references.bib"

    @property
    def posts(self) -> Path:
        return self.root / "posts"

    def shown(self, path: Path) -> str:
        """A path as findings print it: relative to the project root when inside it."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)
