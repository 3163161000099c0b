"""Shared fixtures: throwaway projects built from the real files or from a few rows (helpers in
tests/helpers.py), the browser, and the check that every code is produced by some test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from exemplars.data.schema import EXEMPLAR_COLUMNS, VENUE_COLUMNS

from tests.helpers import BIB, BLOG, ROOT, VENUE, row, write_csv
from tests.rendering import (  # noqa: F401
    large_rendered_project,
    large_rendered_url,
    quarto,
    rendered_project,
    rendered_site,
    rendered_url,
)


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """A project with two valid rows and their entries; tests change one thing and look."""
    write_csv(
        tmp_path / "data" / "exemplars.csv", EXEMPLAR_COLUMNS, [row(), row(key="b2020x", title="B")]
    )
    write_csv(tmp_path / "data" / "venues.csv", VENUE_COLUMNS, [VENUE])
    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    return tmp_path


@pytest.fixture
def blog_project(tmp_path: Path) -> Path:
    """A copy of a minimal blog (tests/fixtures/_blog): list, venues, bibliography and pages."""
    return Path(shutil.copytree(BLOG, tmp_path / "blog"))


@pytest.fixture
def real_project(tmp_path: Path) -> Path:
    """A copy of this repository's project files."""
    for name in ("data", "posts", "references.bib", "_quarto.yml", "index.qmd", "about.qmd"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        elif source.exists():
            shutil.copy2(source, tmp_path / name)
    return tmp_path


@pytest.fixture
def subprocess_runs(monkeypatch) -> list[list[str]]:
    """The command of every `subprocess.run` made during the test, in order."""
    import subprocess

    runs: list[list[str]] = []
    original = subprocess.run

    def counting(*args, **kwargs):
        runs.append(list(args[0]))
        return original(*args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counting)
    return runs


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for each test module that asks for it (see tests/browser.py)."""
    from tests.browser import launched_browser

    with launched_browser() as launched:
        yield launched


# Every code of the registry must be produced by some test (a code no test produces is a code
# nobody knows to work). Findings take their severity from the registry, so counting the
# look-ups counts the codes produced in this process.
PRODUCED_CODES: set[str] = set()


@pytest.fixture(autouse=True, scope="session")
def _record_produced_codes():
    import exemplars.findings

    original = exemplars.findings.severity_of

    def recording(code: str):
        PRODUCED_CODES.add(code)
        return original(code)

    exemplars.findings.severity_of = recording
    yield
    exemplars.findings.severity_of = original


def pytest_sessionfinish(session, exitstatus):
    """After a run of the whole suite (no paths, -k or -m), fail if a code was never produced."""
    from exemplars.codes import CODES

    options = session.config.option
    whole = not session.config.args or session.config.args == ["tests"]
    addopts = session.config.getini("addopts")  # its `-m 'not render'` is the default suite
    default = addopts[addopts.index("-m") + 1] if "-m" in addopts else ""
    marked = options.markexpr not in ("", default)
    selected = options.keyword or marked or getattr(options, "lf", False)
    if not whole or selected or exitstatus != 0 or session.testscollected == 0:
        return
    never = sorted(set(CODES) - PRODUCED_CODES)
    if never:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(f"codes no test produced: {', '.join(never)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
