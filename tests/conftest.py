"""Shared fixtures: throwaway projects built from the real files or from a few rows."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
from exemplars.data.schema import EXEMPLAR_COLUMNS, VENUE_COLUMNS, Exemplar
from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
BLOG = ROOT / "tests" / "fixtures" / "_blog"

ROW = {
    "key": "kingma2014autoencoding",
    "section": "Probabilistic Modelling and Inference (PMI)",
    "subsection": "Inference",
    "title": "Auto-Encoding Variational Bayes",
    "authors": "Diederik P. Kingma; Max Welling",
    "year": "2014",
    "venue": "ICLR",
    "kind": "inproceedings",
    "doi": "",
    "arxiv": "1312.6114",
    "url": "",
    "note": "Introduces the reparameterisation trick for training latent-variable models.",
    "added": "2024-11-04",
}
VENUE = {"venue": "ICLR", "label": "ICLR", "type": "conference"}
# The entries of the two rows of `small_project`, in the curated style of references.bib.
BIB = """@inproceedings{kingma2014autoencoding,
  author = {Kingma, Diederik P. and Welling, Max},
  title = {Auto-Encoding Variational {Bayes}},
  year = {2014},
  booktitle = {International Conference on Learning Representations ({ICLR})},
  eprint = {1312.6114},
  archiveprefix = {arXiv},
  x-curated = {arxiv.org/abs/1312.6114}
}

@misc{b2020x,
  author = {Doe, Jane},
  title = {B},
  year = {2014},
  x-curated = {made up for the tests}
}
"""


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]], **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=options.pop("encoding", "utf-8")) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, **options)
        writer.writeheader()
        writer.writerows(rows)
    return path


def row(**changes: str) -> dict[str, str]:
    return ROW | changes


def write_bib(root: Path, rows: list[dict[str, str]]) -> Path:
    """An entry for each row that passes the schema, so a test sees only the list's problems."""
    entries: dict[str, str] = {}
    for values in rows:
        try:
            Exemplar.model_validate(values)
        except ValidationError:
            continue
        entries.setdefault(
            values["key"],
            f"@misc{{{values['key']},\n  title = {{{values['title']}}},\n"
            f"  year = {{{values['year']}}},\n  x-curated = {{made up for the tests}}\n}}\n",
        )
    path = root / "references.bib"
    path.write_text("\n".join(entries.values()), encoding="utf-8")
    return path


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


def snapshot(folder: Path) -> dict[str, str]:
    """Content hashes of every file under a folder, to prove a command changed nothing."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# Per module, not per session: Playwright's sync API keeps an event loop running while it is
# open, and tests that call asyncio.run() (the link checker's) fail inside a running loop.
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
    selected = options.keyword or options.markexpr or getattr(options, "lf", False)
    if not whole or selected or exitstatus != 0 or session.testscollected == 0:
        return
    never = sorted(set(CODES) - PRODUCED_CODES)
    if never:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(f"codes no test produced: {', '.join(never)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
