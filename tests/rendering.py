"""The project rendered by a real Quarto, once per test session, for the tests of what readers get
(the fixtures are registered in tests/conftest.py; the tests that use them are marked `render`).

The Quarto is EXEMPLARS_QUARTO or `quarto` on PATH (exemplars.quarto.executable). Without one
these tests skip and say why; with EXEMPLARS_REQUIRE_QUARTO set, that skip is a failure. A copy
of the project (its pages, list, bibliography and styles, without tests or caches) is rendered
into a temporary folder with this environment first on PATH, as `quarto render` runs for the
author, pre- and post-render steps included.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from exemplars.data.bibliography import load_bibliography
from exemplars.data.schema import EXEMPLAR_COLUMNS
from exemplars.project import Project
from exemplars.quarto.executable import INSTALL_HINT, quarto_path, render_environment
from exemplars.serve import serving

from tests.helpers import ROOT

# What a copy of the project leaves out: history, environments, derived files and the tests.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "_site", "_freeze", ".quarto", ".cache", "*_cache", "__pycache__",
    "tests", "benchmarks", "*.quarto_ipynb", "index_files",
)  # fmt: skip


def require_quarto() -> str:
    """The Quarto launcher, or skip (fail when EXEMPLARS_REQUIRE_QUARTO is set)."""
    path = quarto_path()
    if path is None:
        reason = f"no Quarto for the real-render tests: {INSTALL_HINT}"
        if os.environ.get("EXEMPLARS_REQUIRE_QUARTO"):
            pytest.fail(f"{reason}; EXEMPLARS_REQUIRE_QUARTO is set, so this is a failure")
        pytest.skip(reason)
    return path


def copy_project(destination: Path) -> Path:
    """This repository's project, as the author has it now, copied to `destination`."""
    return Path(shutil.copytree(ROOT, destination, ignore=NOT_COPIED))


# A list repeated, for the tests and benchmarks of a list at scale. Each repetition is a new
# exemplar in every way the checks look at: a key, a title and locators of its own (a DOI gets a
# suffix; an arXiv id, which has a fixed form, becomes an arxiv.org URL with a fragment), with
# its bibliography entry copied to match. Each group's rows stay together, so the post shows the
# same sections, each holding that many more items.
_TITLE = re.compile(r"^(\s*title\s*=\s*\{)(.*)(\},?\s*)$", re.MULTILINE | re.IGNORECASE)
_DOI = re.compile(r"^(\s*doi\s*=\s*\{)(.*)(\},?\s*)$", re.MULTILINE | re.IGNORECASE)
_EPRINT = re.compile(r"^\s*(eprint|archiveprefix)\s*=.*\n", re.MULTILINE | re.IGNORECASE)


def multiply_list(project: Path, times: int) -> int:
    """Repeat the list of the project at `project` `times` times in place; the new row count."""
    csv_path = project / "data" / "exemplars.csv"
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    bibliography = load_bibliography(Project(project))
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault((row["section"], row["subsection"]), []).append(row)
    new_rows, entries = [], []
    for members in groups.values():
        for n in range(times):
            for row in members:
                copy, entry = _copy(row, bibliography.source(row["key"]), n)
                new_rows.append(copy)
                entries.append(entry)
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXEMPLAR_COLUMNS)
        writer.writeheader()
        writer.writerows(new_rows)
    (project / "references.bib").write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    return len(new_rows)


def _copy(row: dict[str, str], entry: str, n: int) -> tuple[dict[str, str], str]:
    if n == 0:
        return row, entry
    key, suffix = f"{row['key']}-{n}", f" (copy {n})"
    copy = dict(row, key=key, title=row["title"] + suffix)
    entry = entry.replace(row["key"], key, 1)
    entry = _TITLE.sub(lambda m: m[1] + m[2] + suffix + m[3], entry, count=1)
    if row["doi"]:
        copy["doi"] = f"{row['doi']}.copy{n}"
        entry = _DOI.sub(lambda m: f"{m[1]}{m[2]}.copy{n}{m[3]}", entry, count=1)
    if row["arxiv"]:
        copy["arxiv"] = ""
        copy["url"] = copy["url"] or f"https://arxiv.org/abs/{row['arxiv']}#copy{n}"
        entry = _EPRINT.sub("", entry)
    return copy, entry


def quarto_render(quarto: str, project: Path, *arguments: str) -> subprocess.CompletedProcess:
    """`quarto render` in `project` with this environment; fails the test on a non-zero exit."""
    result = subprocess.run(
        [quarto, "render", *arguments],
        cwd=project,
        env=render_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"quarto render exited {result.returncode}:\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def quarto() -> str:
    return require_quarto()


@pytest.fixture(scope="session")
def rendered_project(quarto: str, tmp_path_factory) -> Path:
    """A copy of the project after a whole `quarto render`; its site is `_site/`."""
    project = copy_project(tmp_path_factory.mktemp("render") / "project")
    quarto_render(quarto, project)
    return project


# The list at scale: the real one repeated nine times. Its post weighs more than check-site's
# default budget for a page (benchmarks/render_scale.py prints by how much), so this copy sets a
# budget of its own; everything else is the project's.
LARGE_TIMES = 9
LARGE_BUDGET = "\n[tool.exemplars.check-site]\npage_weight_kb = 4096\n"


@pytest.fixture(scope="session")
def large_rendered_project(quarto: str, tmp_path_factory) -> Path:
    """A copy of the project with its list repeated (1,053 exemplars), after `quarto render`."""
    project = copy_project(tmp_path_factory.mktemp("render-large") / "project")
    multiply_list(project, LARGE_TIMES)
    with (project / "pyproject.toml").open("a", encoding="utf-8") as settings:
        settings.write(LARGE_BUDGET)
    quarto_render(quarto, project)
    return project


@pytest.fixture(scope="session")
def large_rendered_url(large_rendered_project: Path) -> Iterator[str]:
    with serving(large_rendered_project / "_site") as url:
        yield url


@pytest.fixture(scope="session")
def rendered_site(rendered_project: Path) -> Path:
    return rendered_project / "_site"


@pytest.fixture(scope="session")
def rendered_url(rendered_site: Path) -> Iterator[str]:
    """The rendered site served on 127.0.0.1; ends with `/`."""
    with serving(rendered_site) as url:
        yield url
