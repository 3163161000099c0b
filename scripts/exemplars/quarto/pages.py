"""The project's pages as Quarto sees them: which files it renders, and the metadata each
inherits from `_quarto.yml` and the `_metadata.yml` files of its folders.

Each page is parsed once (one pandoc process per file, several at a time) and the parsed
documents are shared by every check. The rules follow Quarto's own:
- rendered files: `.qmd` and `.md` files, except those whose name or folder starts with `_` or
  `.`, README files, and the output folder (Quarto's `projectInputFiles`);
- metadata: `_quarto.yml`, then each `_metadata.yml` from the project folder down to the page's,
  then the front matter; a later value replaces an earlier one, except that lists are joined
  (Quarto's `mergeConfigs`);
- paths: a path set in `_quarto.yml` or `_metadata.yml` is relative to that file's folder when
  it exists there, otherwise to the page (Quarto's `toInputRelativePaths`); a path in the front
  matter is relative to the page.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import cached_property
from pathlib import Path
from typing import Any

from exemplars.project import Project
from exemplars.quarto.markdown import (
    CROSSREF_PREFIXES,
    Located,
    MarkdownDocument,
    is_crossref,
    parse_source,
    read_markdown,
    read_yaml,
)
from exemplars.textio import read_text

MARKDOWN_SUFFIXES = (".qmd", ".md")
# Folders Quarto never renders from (besides those starting with `_` or `.`).
IGNORED_FOLDERS = frozenset({"node_modules", "renv", "packrat", "venv", "env", "site-packages"})
METADATA_FILES = ("_metadata.yml", "_metadata.yaml")
CONFIG_FILES = ("_quarto.yml", "_quarto.yaml")


@dataclass(frozen=True)
class MetadataFile:
    """One layer of a page's metadata: a YAML file or the page's own front matter."""

    shown: str
    folder: Path  # what its relative paths are relative to (when they exist there)
    data: dict[str, Any]
    lines: dict[str, int]
    is_front_matter: bool = False


@dataclass(frozen=True)
class DeclaredPath:
    """A path named in metadata, resolved the way Quarto resolves it."""

    written: str
    path: Path
    shown: str  # the file that names it
    line: int


@dataclass
class Page:
    """A rendered page: its metadata now, its parsed document once pandoc is done."""

    path: Path
    shown: str
    layers: list[MetadataFile]  # general to specific, the front matter last
    parsing: Future[MarkdownDocument]

    @property
    def document(self) -> MarkdownDocument:
        """The parsed document (waits for pandoc); raises UnreadableInput if pandoc failed."""
        return self.parsing.result()

    @cached_property
    def metadata(self) -> dict[str, Any]:
        """The merged metadata Quarto gives this page."""
        merged: dict[str, Any] = {}
        for layer in self.layers:
            merged = merge_metadata(merged, layer.data)
        return merged

    def declared_at(self, key: str) -> tuple[str, int]:
        """The file and line of the most specific layer that sets `key` (else the page)."""
        for layer in reversed(self.layers):
            if key in layer.data:
                return layer.shown, layer.lines.get(key, 1)
        return self.shown, 1

    def paths(self, key: str) -> list[DeclaredPath]:
        """The paths a key such as `bibliography` names, merged and resolved as Quarto does."""
        declared: list[DeclaredPath] = []
        is_list = False
        for layer in self.layers:
            value = layer.data.get(key)
            if value is None:
                continue
            found = [
                self._resolve(layer, str(item), layer.lines.get(key, 1))
                for item in (value if isinstance(value, list) else [value])
                if item is not None and str(item)
            ]
            is_list = is_list or isinstance(value, list)
            declared = [*declared, *found] if is_list else found
        unique: dict[Path, DeclaredPath] = {}
        for item in declared:
            unique.setdefault(item.path.resolve(), item)
        return list(unique.values())

    def _resolve(self, layer: MetadataFile, written: str, line: int) -> DeclaredPath:
        if not layer.is_front_matter and (layer.folder / written).exists():
            return DeclaredPath(written, layer.folder / written, layer.shown, line)
        return DeclaredPath(written, self.path.parent / written, layer.shown, line)

    @cached_property
    def crossref_prefixes(self) -> frozenset[str]:
        """Quarto's prefixes and those of custom types (`crossref: custom: - key: vid`)."""
        crossref = self.metadata.get("crossref")
        custom = crossref.get("custom") if isinstance(crossref, dict) else None
        keys = {
            str(kind["key"]).lower()
            for kind in (custom if isinstance(custom, list) else [])
            if isinstance(kind, dict) and kind.get("key")
        }
        return frozenset(CROSSREF_PREFIXES) | keys

    @property
    def citations(self) -> list[Located]:
        """Bibliography keys cited, without references to custom cross-reference types."""
        return [
            c for c in self.document.citations if not is_crossref(c.value, self.crossref_prefixes)
        ]

    @property
    def crossrefs(self) -> list[Located]:
        custom = [
            c for c in self.document.citations if is_crossref(c.value, self.crossref_prefixes)
        ]
        return sorted([*self.document.crossrefs, *custom], key=lambda c: c.line)


def merge_metadata(base: Any, override: Any) -> Any:
    """Quarto's merge: mappings merge key by key, lists are joined, anything else replaces."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge_metadata(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) or isinstance(override, list):
        if not base or not override:
            return override if override else base
        joined = (base if isinstance(base, list) else [base]) + (
            override if isinstance(override, list) else [override]
        )
        return [item for i, item in enumerate(joined) if item not in joined[:i]]
    return override


class Site:
    """The rendered pages of a project. Creating it reads every page's text and front matter
    and starts pandoc on each in the background, so that other work can overlap the parsing.

    Raises UnreadableInput for the first page or metadata file that cannot be read.
    """

    def __init__(
        self,
        project: Project,
        workers: int | None = None,
        parsed: Mapping[Path, MarkdownDocument] | None = None,
    ) -> None:
        """`parsed`: documents already read by pandoc, by resolved path, not to be read again."""
        self.project = project
        self._parsed = parsed or {}
        self._yaml: dict[Path, MetadataFile | None] = {}
        self.config = self._metadata_file(project.root, CONFIG_FILES)
        executor = ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1))
        try:
            self.pages = [self._page(path, executor) for path in self._discover()]
        except BaseException:
            executor.shutdown(wait=False, cancel_futures=True)
            raise
        executor.shutdown(wait=False)  # the queued pages are still parsed
        self._by_path = {page.path.resolve(): page for page in self.pages}

    def page_for(self, path: Path) -> Page | None:
        """The page whose source is `path`, if Quarto renders it."""
        return self._by_path.get(path.resolve())

    def _discover(self) -> Iterator[Path]:
        root = self.project.root
        project = self.config.data.get("project") if self.config else None
        project = project if isinstance(project, dict) else {}
        output = root / str(project["output-dir"]) if project.get("output-dir") else None
        render = project.get("render")
        chosen = _render_filter(root, render if isinstance(render, list) else [])
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(
                name
                for name in subfolders
                if not name.startswith(("_", "."))
                and name not in IGNORED_FOLDERS
                and Path(folder, name) != output
            )
            for name in sorted(files):
                if _is_rendered(name) and chosen(Path(folder, name)):
                    yield Path(folder, name)

    def _page(self, path: Path, executor: ThreadPoolExecutor) -> Page:
        source = read_markdown(path, self.project.shown(path))
        front_matter = MetadataFile(
            source.shown, path.parent, source.meta, source.meta_lines, is_front_matter=True
        )
        layers = [self.config] if self.config else []
        layers += [*self._folder_metadata(path.parent), front_matter]
        known = self._parsed.get(path.resolve())
        if known is not None:
            done: Future[MarkdownDocument] = Future()
            done.set_result(known)
            return Page(path, source.shown, layers, done)
        return Page(path, source.shown, layers, executor.submit(parse_source, source))

    def _folder_metadata(self, folder: Path) -> list[MetadataFile]:
        root = self.project.root
        try:
            parts = folder.relative_to(root).parts
        except ValueError:
            return []
        folders = [root] + [root.joinpath(*parts[: i + 1]) for i in range(len(parts))]
        found = (self._metadata_file(f, METADATA_FILES) for f in folders)
        return [layer for layer in found if layer]

    def _metadata_file(self, folder: Path, names: tuple[str, ...]) -> MetadataFile | None:
        path = next((folder / name for name in names if (folder / name).is_file()), None)
        if path is None:
            return None
        if path not in self._yaml:
            shown = self.project.shown(path)
            data, lines = read_yaml(read_text(path, shown), shown)
            self._yaml[path] = MetadataFile(shown, folder, data, lines)
        return self._yaml[path]


def _render_filter(root: Path, render: list) -> Callable[[Path], bool]:
    """`project: render:` lists the files, folders and globs Quarto renders (`!` excludes);
    without it Quarto renders every file it does not ignore."""
    patterns = [str(item) for item in render if item]
    includes = [p for p in patterns if not p.startswith("!")]
    excludes = [p[1:] for p in patterns if p.startswith("!")]

    def matches(relative: str, pattern: str) -> bool:
        pattern = pattern.strip("/")
        return fnmatch(relative, pattern) or relative.startswith(pattern + "/")

    def chosen(path: Path) -> bool:
        relative = path.relative_to(root).as_posix()
        included = not includes or any(matches(relative, p) for p in includes)
        return included and not any(matches(relative, p) for p in excludes)

    return chosen


def _is_rendered(name: str) -> bool:
    stem, suffix = os.path.splitext(name)
    return (
        suffix.lower() in MARKDOWN_SUFFIXES
        and not name.startswith(("_", "."))
        and stem.lower() != "readme"
    )
