"""How fetch-bib changes references.bib: appends, rebuilds in place, never touches curated
entries, and survives being interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from exemplars.cli import main
from exemplars.data.bibliography import parse_bibliography

from tests.fake_services import FakeServices, Reply, fixture
from tests.fetch_helpers import BALDWIN, OSC, VONKUGELGEN, make_project

VONKUGELGEN_WITH_DOI = VONKUGELGEN | {"doi": "10.1109/TAI.2021.3073088"}
CURATED = """% Hand-written entries; fetch-bib appends below.
@string{isis = "Isis"}

@article{osc2015estimating,
  author  = {{Open Science Collaboration}},
  title   = {Estimating the reproducibility of psychological science},
  journal = {Science},
  year    = 2015,
  x-curated = {science.org/doi/10.1126/science.aac4716}
}
"""
STALE = """@article{baldwin2018scientific,
  author = {Baldwin, M.},
  title = {Scientific autonomy},
  year = {2018},
  x-fetched = {crossref 2020-01-01}
}
"""


@pytest.fixture
def services():
    with FakeServices() as running:
        running.add(
            "crossref", "/works/10.1086/700070", Reply(fixture("crossref-work-baldwin.json"))
        )
        running.add(
            "crossref", "/works/10.1126/science.aac4716", Reply(fixture("crossref-work-osc.json"))
        )
        running.add(
            "crossref",
            "/works/10.1109/TAI.2021.3073088",
            Reply(fixture("crossref-work-vonkugelgen.json")),
        )
        yield running


def fetch(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["fetch-bib", "--root", str(root), *args])
    return code, capsys.readouterr().out


def bib_of(root: Path) -> str:
    return (root / "references.bib").read_text(encoding="utf-8")


def keys_of(text: str) -> list[str]:
    bibliography = parse_bibliography(text, Path("references.bib"))
    assert bibliography.findings == []
    return list(bibliography.entries)


def test_new_entries_are_appended_and_the_rest_kept_byte_for_byte(tmp_path, services, capsys):
    root = make_project(tmp_path, services, [OSC, BALDWIN], bib=CURATED)
    assert fetch(root, capsys)[0] == 0
    text = bib_of(root)
    assert text.startswith(CURATED + "\n@article{baldwin2018scientific,\n")
    assert keys_of(text) == ["osc2015estimating", "baldwin2018scientific"]
    assert services.requests_to("crossref")[0].path == "/works/10.1086/700070"
    assert len(services.requests_to()) == 1


def test_a_curated_entry_is_never_replaced(tmp_path, services, capsys):
    root = make_project(tmp_path, services, [OSC], bib=CURATED)
    code, out = fetch(root, capsys, "--refresh", "osc2015estimating")
    assert code == 0
    assert "osc2015estimating: the entry is curated (x-curated): fetch-bib never replaces it" in out
    assert bib_of(root) == CURATED
    assert services.requests_to() == []


def test_refresh_rebuilds_a_fetched_entry_in_place(tmp_path, services, capsys):
    root = make_project(tmp_path, services, [BALDWIN, OSC], bib=STALE + "\n" + CURATED)
    _, out = fetch(root, capsys, "baldwin2018scientific")
    assert "the entry was fetched before; --refresh rebuilds it" in out
    assert bib_of(root) == STALE + "\n" + CURATED
    assert fetch(root, capsys, "--refresh")[0] == 0
    text = bib_of(root)
    assert text.endswith("}\n\n" + CURATED)
    assert "  pages = {538--558},\n" in text
    assert keys_of(text) == ["baldwin2018scientific", "osc2015estimating"]


def test_an_interrupted_run_keeps_a_valid_file_and_a_rerun_finishes(tmp_path, services):
    """Ctrl-C while the second row's answer is on its way; then the same command again."""
    for sig in (signal.SIGINT, signal.SIGKILL):
        root = make_project(tmp_path / sig.name, services, [BALDWIN, OSC, VONKUGELGEN_WITH_DOI])
        held = threading.Event()
        services.add(
            "crossref",
            "/works/10.1126/science.aac4716",
            Reply(fixture("crossref-work-osc.json"), hold=held),
        )
        already = len(services.requests_to())
        process = _start_fetch(root)
        try:
            _wait_for_request(services, already, "/works/10.1126/science.aac4716", process)
            os.kill(process.pid, sig)
            _, err = process.communicate(timeout=20)
        finally:
            held.set()
            process.kill()
        assert process.returncode == (130 if sig == signal.SIGINT else -signal.SIGKILL)
        assert keys_of(bib_of(root)) == ["baldwin2018scientific"]
        if sig == signal.SIGINT:
            assert "interrupted; references.bib keeps every entry saved so far" in err
        assert "Traceback" not in err
        before = len(services.requests_to())
        rerun = subprocess.run(_command(root), capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert keys_of(bib_of(root)) == [
            "baldwin2018scientific",
            "osc2015estimating",
            "vonkugelgen2021simpson",
        ]
        assert len(services.requests_to()) - before == 2  # the finished row is not asked again
        assert not list(root.glob(".references.bib.*"))  # no temporary file left behind


def _command(root: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "exemplars"), "fetch-bib", "--root", str(root)]


def _start_fetch(root: Path) -> subprocess.Popen:
    return subprocess.Popen(
        _command(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_request(
    services: FakeServices, already: int, path: str, process: subprocess.Popen
) -> None:
    """Wait until a request for `path` arrives after the first `already` requests."""
    for _ in range(200):  # bounded: 20 s at most
        if any(seen.path == path for seen in services.requests_to()[already:]):
            return
        if process.poll() is not None:
            pytest.fail(f"fetch-bib ended early: {process.communicate()}")
        services.arrived.wait(0.1)
        services.arrived.clear()
    pytest.fail(f"no request for {path}")


def test_an_entry_whose_key_differs_only_in_case_is_not_doubled(tmp_path, services, capsys):
    bib = STALE.replace("{baldwin2018", "{Baldwin2018")
    root = make_project(tmp_path, services, [BALDWIN], bib=bib)
    assert fetch(root, capsys)[0] == 0
    assert bib_of(root) == bib
    assert fetch(root, capsys, "--refresh")[0] == 0
    assert keys_of(bib_of(root)) == ["baldwin2018scientific"]
