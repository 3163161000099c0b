"""Where a project's files live, so every command and test agrees on the layout."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from exemplars.findings import printed_path

DEFAULT_READING_LIST = "data/exemplars.csv"


@dataclass(frozen=True)
class Project:
    root: Path

    @cached_property
    def reading_list_setting(self) -> str:
        """`reading-list` under `[tool.exemplars]` in pyproject.toml, if the project sets it.

        A pyproject.toml that is not TOML is left to the commands that read their settings from
        it, which report it (CFG001); here it only means the setting is not given.
        """
        pyproject = self.root / "pyproject.toml"
        if not pyproject.is_file():
            return ""
        import tomllib  # only for a project that has settings

        try:
            with pyproject.open("rb") as handle:
                settings = tomllib.load(handle).get("tool", {}).get("exemplars", {})
        except (OSError, tomllib.TOMLDecodeError):
            return ""
        value = settings.get("reading-list") if isinstance(settings, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def exemplars_csv(self) -> Path:
        """The reading list: `data/exemplars.csv`, or where `reading-list` points."""
        return self.root / (self.reading_list_setting or DEFAULT_READING_LIST)

    @property
    def has_reading_list(self) -> bool:
        """Whether the project keeps a reading list. A site without one is still checked (its
        pages); a list the settings name must exist, so naming one makes it expected."""
        return bool(self.reading_list_setting) or self.exemplars_csv.is_file()

    @property
    def venues_csv(self) -> Path:
        """The venue map, beside the list."""
        return self.exemplars_csv.parent / "venues.csv"

    @property
    def bibliography(self) -> Path:
        return self.root / "references.bib"

    @property
    def csl_cache(self) -> Path:
        """references.bib as CSL-JSON, kept between runs (exemplars.data.csl)."""
        return self.root / ".cache" / "references.csl.json"

    @property
    def posts(self) -> Path:
        return self.root / "posts"

    def shown(self, path: Path) -> str:
        """A path as reports print it, for a message that names another file."""
        return printed_path(path, self.root)
