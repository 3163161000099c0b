"""The project rendered by a real Quarto, once per test session, for the tests of what readers get.

The Quarto is EXEMPLARS_QUARTO or `quarto` on PATH (exemplars.quarto.executable). Without one
these tests skip and say why; with EXEMPLARS_REQUIRE_QUARTO set, that skip is a failure. A copy
of the project (its pages, list, bibliography and styles, without tests or caches) is rendered
into a temporary folder with this environment first on PATH, as `quarto render` runs for the
author, pre- and post-render steps included.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from exemplars.quarto.executable import INSTALL_HINT, quarto_path, render_environment
from exemplars.site.serve import serving

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


@pytest.fixture(scope="session")
def rendered_site(rendered_project: Path) -> Path:
    return rendered_project / "_site"


@pytest.fixture(scope="session")
def site_url(rendered_site: Path) -> Iterator[str]:
    """The rendered site served on 127.0.0.1; ends with `/`."""
    with serving(rendered_site) as url:
        yield url
