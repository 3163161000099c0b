"""The project's pages as Quarto sees them: which files it renders, and the metadata each
inherits from `_quarto.yml` and the `_metadata.yml` files of its folders.

Each page is parsed once (a few pandoc processes, each reading its share of the pages) and
the parsed documents are shared by every check. The rules follow Quarto's own:
- rendered files: see `render_targets`;
- metadata: `_quarto.yml`, then each `_metadata.yml` from the project folder down to the page's,
  then the front matter; a later value replaces an earlier one, except that lists are joined
  (Quarto's `mergeConfigs`);
- paths: a path set in `_quarto.yml` or `_metadata.yml` is relative to that file's folder when
  it exists there, otherwise to the page (Quarto's `toInputRelativePaths`); a path in the front
  matter is relative to the page.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from exemplars.findings import UnreadableInput
from exemplars.project import Project
from exemplars.quarto.globs import glob_pattern, is_glob, matches
from exemplars.quarto.markdown import (
    CROSSREF_PREFIXES,
    Located,
    MarkdownDocument,
    MarkdownSource,
    is_crossref,
    parse_sources,
    read_markdown,
    read_yaml,
)
from exemplars.textio import read_text

# What Quarto's engines render: Markdown and Quarto files (markdown, Jupyter or knitr), notebooks,
# R Markdown. Compared in lower case, as the engines compare them.
PAGE_SUFFIXES = (".qmd", ".md", ".ipynb", ".rmd", ".rmarkdown")
# Folders the engines leave alone (knitr: renv, packrat, rsconnect; Jupyter: venv, env), and
# installed packages that are never pages.
IGNORED_FOLDERS = frozenset(
    {"renv", "packrat", "rsconnect", "venv", "env", "node_modules", "site-packages"}
)
# Files Quarto never renders, wherever they are (projectHiddenIgnoreGlob in quarto-cli).
_IGNORED_FILES = re.compile(r"(?i:readme\.(?:r|q)?md)|CLAUDE\.md|AGENTS\.md|.*\.llms\.md")
METADATA_FILES = ("_metadata.yml", "_metadata.yaml")
CONFIG_FILES = ("_quarto.yml", "_quarto.yaml")


@dataclass(frozen=True)
class MetadataFile:
    """One layer of a page's metadata: a YAML file or the page's own front matter."""

    path: Path  # the YAML file, or the page
    folder: Path  # what its relative paths are relative to (when they exist there)
    data: dict[str, Any]
    lines: dict[str, int]
    is_front_matter: bool = False


@dataclass(frozen=True)
class DeclaredPath:
    """A path named in metadata, resolved the way Quarto resolves it."""

    written: str
    path: Path
    named_in: Path  # the file that names it
    line: int


@dataclass
class Page:
    """A rendered page: its metadata now, its parsed document once pandoc is done."""

    path: Path
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

    def declared_at(self, key: str) -> tuple[Path, int]:
        """The file and line of the most specific layer that sets `key` (else the page)."""
        for layer in reversed(self.layers):
            if key in layer.data:
                return layer.path, layer.lines.get(key, 1)
        return self.path, 1

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
            return DeclaredPath(written, layer.folder / written, layer.path, line)
        return DeclaredPath(written, self.path.parent / written, layer.path, line)

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
        parse: bool = True,
    ) -> None:
        """`parsed`: documents already read by pandoc, by resolved path, not to be read again.
        `parse=False` reads the pages' metadata only: no pandoc, and no page has a document."""
        self.project = project
        self._parsed = parsed or {}
        self._yaml: dict[Path, MetadataFile | None] = {}
        self.config = self._metadata_file(project.root, CONFIG_FILES)
        unparsed: list[tuple[MarkdownSource, Future[MarkdownDocument]]] = []
        self.pages = [self._page(path, unparsed) for path in self._discover()]
        self._by_path = {page.path.resolve(): page for page in self.pages}
        if not parse:
            for _, parsing in unparsed:
                parsing.set_exception(LookupError("the site was read for its metadata only"))
            return
        # A few pandoc processes, each reading its share of the pages, in the background.
        workers = workers or min(4, os.cpu_count() or 1)
        executor = ThreadPoolExecutor(max_workers=workers)
        for batch in _batches(unparsed, workers):
            executor.submit(_parse_batch, batch)
        executor.shutdown(wait=False)  # the batches are still parsed

    def page_for(self, path: Path) -> Page | None:
        """The page whose source is `path`, if Quarto renders it."""
        return self._by_path.get(path.resolve())

    def generated_ids(self, page: Page) -> frozenset[str]:
        """Ids the render gives `page` that its source does not hold: on the list's page, each
        item's id is its row's key (`exemplars.quarto.list_page`). Read on first use.

        Raises UnreadableInput for settings that are not valid or a list that cannot be read.
        """
        return self._generated_ids.get(page.path.resolve(), frozenset())

    @cached_property
    def _generated_ids(self) -> dict[Path, frozenset[str]]:
        from exemplars.quarto.list_page import list_page_ids  # the settings' loader: pydantic

        return list_page_ids(self.project, self._by_path)

    def _discover(self) -> list[Path]:
        return render_targets(self.project.root, self.config.data if self.config else {})

    def _page(
        self, path: Path, unparsed: list[tuple[MarkdownSource, Future[MarkdownDocument]]]
    ) -> Page:
        source = read_markdown(path)
        front_matter = MetadataFile(
            path, path.parent, source.meta, source.meta_lines, is_front_matter=True
        )
        layers = [self.config] if self.config else []
        layers += [*self._folder_metadata(path.parent), front_matter]
        parsing: Future[MarkdownDocument] = Future()
        known = self._parsed.get(path.resolve())
        if known is not None:
            parsing.set_result(known)
        else:
            unparsed.append((source, parsing))
        return Page(path, layers, parsing)

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
            data, lines = read_yaml(read_text(path), path)
            self._yaml[path] = MetadataFile(path, folder, data, lines)
        return self._yaml[path]


def _batches(
    unparsed: list[tuple[MarkdownSource, Future[MarkdownDocument]]], count: int
) -> list[list[tuple[MarkdownSource, Future[MarkdownDocument]]]]:
    """`count` batches of about the same length of text, the longest pages placed first."""
    batches: list[list[tuple[MarkdownSource, Future[MarkdownDocument]]]] = [
        [] for _ in range(count)
    ]
    sizes = [0] * count
    for item in sorted(unparsed, key=lambda item: -len(item[0].text)):
        smallest = sizes.index(min(sizes))
        batches[smallest].append(item)
        sizes[smallest] += len(item[0].text)
    return [batch for batch in batches if batch]


def _parse_batch(batch: list[tuple[MarkdownSource, Future[MarkdownDocument]]]) -> None:
    """Parse a batch with one pandoc process and settle each page's future."""
    try:
        documents = parse_sources([source for source, _ in batch])
    except BaseException as exc:  # pandoc could not run: every page of the batch says so
        for _, parsing in batch:
            parsing.set_exception(exc)
        return
    for (_, parsing), document in zip(batch, documents, strict=True):
        if isinstance(document, UnreadableInput):
            parsing.set_exception(document)
        else:
            parsing.set_result(document)


def project_pages(project: Project) -> list[Path]:
    """The files Quarto renders in `project`, by the rules of its `_quarto.yml`.

    Raises UnreadableInput when `_quarto.yml` is not YAML.
    """
    return render_targets(project.root, project_config(project.root))


def project_config(root: Path) -> dict[str, Any]:
    """The project's `_quarto.yml` (or `.yaml`) as data; {} without one.

    Raises UnreadableInput when it is not YAML.
    """
    path = next((root / name for name in CONFIG_FILES if (root / name).is_file()), None)
    return read_yaml(read_text(path), path)[0] if path else {}


def website_option(root: Path, name: str, default: str = "") -> str:
    """A `website:` option of the project's `_quarto.yml` (`site-url`, `repo-url`), without a
    trailing `/`; `default` when it is not set."""
    website = project_config(root).get("website")
    value = website.get(name) if isinstance(website, dict) else None
    return str(value or default).rstrip("/")


def rendered_as(root: Path, page: Path) -> PurePosixPath:
    """The file Quarto renders `page` to, relative to the output folder: an HTML page at the
    same place as its source (https://quarto.org/docs/websites/#website-output)."""
    return PurePosixPath(page.resolve().relative_to(root.resolve()).with_suffix(".html").as_posix())


def render_targets(root: Path, config: Mapping[str, Any]) -> list[Path]:
    """The files Quarto renders, in path order: its `projectInputFiles`.

    https://quarto.org/docs/projects/quarto-projects.html#render-targets
    - Every file an engine renders (PAGE_SUFFIXES), except those whose name or folder starts
      with `_` or `.`, README files, the engines' ignored folders and the output folder.
    - `project: render:` narrows that to the files and folders its entries match: a glob
      matches at any depth unless it starts with `/` (https://quarto.org/docs/reference/globs.html),
      and an entry starting with `!` leaves out what it matches. A list of `!` entries only
      leaves them out of everything (quarto-cli commit 8579ac7, "improve exclude only logic").
    - A notebook beside a `.qmd` of the same name is that page's kept notebook, not a page.
    """
    project = config.get("project")
    project = project if isinstance(project, dict) else {}
    output = str(project.get("output-dir") or "").strip("/")
    render = project.get("render")
    chosen = _render_filter(render if isinstance(render, list) else [render] if render else [])
    found = []
    for folder, subfolders, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(("_", "."))
            and name not in IGNORED_FOLDERS
            and (relative / name).as_posix() != output
        )
        names = set(files)
        for name in sorted(files):
            stem, suffix = os.path.splitext(name)
            if _is_rendered(name) and not (suffix.lower() == ".ipynb" and f"{stem}.qmd" in names):
                found.append(Path(folder, name))
    return [path for path in found if chosen(path.relative_to(root).as_posix())]


def _is_rendered(name: str) -> bool:
    return (
        os.path.splitext(name)[1].lower() in PAGE_SUFFIXES
        and not name.startswith(("_", "."))
        and not _IGNORED_FILES.fullmatch(name)
    )


def _render_filter(render: list) -> Callable[[str], bool]:
    """Whether a file (its path relative to the root) is chosen by a `render:` list: a glob
    (and every `!` entry) matches at any depth, a plain path is relative to the root."""
    entries = [str(item) for item in render if item]
    includes = [glob_pattern(e, anywhere=is_glob(e)) for e in entries if not e.startswith("!")]
    excludes = [glob_pattern(e[1:], anywhere=True) for e in entries if e.startswith("!")]
    if not entries:
        return lambda relative: True

    def chosen(relative: str) -> bool:
        included = matches(includes, relative) if includes else True
        return included and not matches(excludes, relative)

    return chosen
