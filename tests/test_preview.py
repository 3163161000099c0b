"""`exemplars preview` without Quarto: the watch, the check on each save and the stopping, with
a stand-in renderer (tests/preview_stand_in.py) in place of `quarto render`. What Quarto makes
of a render is tested with a real Quarto in tests/render/test_preview_render.py."""

from __future__ import annotations

import socket
import sys
import urllib.request
from pathlib import Path

import psutil
import pytest
from exemplars.cli import main
from exemplars.preview.changes import Plan, plan
from exemplars.project import Project

from tests.helpers import ROOT, html_items
from tests.preview_process import RunningPreview, edit_row
from tests.rendering import copy_project

STAND_IN = f"{sys.executable} {ROOT / 'tests' / 'preview_stand_in.py'}"
POST = "posts/exemplars/index.qmd"
ROW = "kim2018tutorial"  # a row of the list, on one line, with its year and note
NOTE_END = "worked modelling examples"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def preview(project: Path):
    running = RunningPreview(project, {"EXEMPLARS_PREVIEW_RENDERER": STAND_IN})
    yield running
    running.kill()


def renders(project: Path) -> list[str]:
    return (project / "stand-in-renders.log").read_text(encoding="utf-8").splitlines()


def test_a_saved_note_is_checked_rendered_and_served_and_a_broken_year_is_not(preview, project):
    preview.wait_for(r"^Serving ")
    assert renders(project) == ["site"]  # never rendered: the whole site first

    seen = len(preview.lines)
    edit_row(project / "data/exemplars.csv", ROW, (NOTE_END, "worked examples, saved once"))
    preview.wait_for(rf"^Rendered {POST} in ", after=seen)
    assert renders(project)[-1] == POST
    assert "worked examples, saved once" in preview.page("posts/exemplars/index.html")

    seen = len(preview.lines)
    line = edit_row(project / "data/exemplars.csv", ROW, (",2018,", ",20l8,"))
    preview.wait_for(rf"^data/exemplars.csv:{line}: error: .*\[CSV004\]$", after=seen)
    preview.wait_for(r"^Not rendered: the page keeps its last good render", after=seen)
    assert renders(project)[-1] == POST and len(renders(project)) == 2
    served = preview.page("posts/exemplars/index.html")
    assert "worked examples, saved once" in served and "20l8" not in served

    seen = len(preview.lines)
    edit_row(project / "data/exemplars.csv", ROW, (",20l8,", ",2018,"))
    preview.wait_for(rf"^Rendered {POST} in ", after=seen)
    assert len(renders(project)) == 3


def test_a_saved_note_shows_in_the_served_page_before_the_render_ends(preview, project):
    preview.wait_for(r"^Serving ")
    (project / "stand-in-waits").write_text("30", encoding="utf-8")
    seen = len(preview.lines)
    edit_row(project / "data/exemplars.csv", ROW, (NOTE_END, "worked examples, shown first"))
    preview.wait_for(rf"^Showed the list in {POST} in ", after=seen)
    served = preview.page("posts/exemplars/index.html")
    assert "worked examples, shown first" in html_items_text(served, ROW)
    assert not [line for line in preview.lines[seen:] if line.startswith("Rendered ")]
    (project / "stand-in-waits").unlink()


def html_items_text(page: str, key: str) -> str:
    """The note of the item `key` in a served page."""
    (item,) = [item for item in html_items(page) if item["id"] == key]
    return item["note"]


def test_the_open_page_is_told_to_reload_or_shown_the_problems(preview, project):
    served_at = preview.url
    page = preview.page("posts/exemplars/index.html")
    assert "new EventSource(" in page and page.rstrip().endswith("</html>")

    line = edit_row(project / "data/exemplars.csv", ROW, (",2018,", ",20l8,"))
    with urllib.request.urlopen(served_at + "__preview/events?since=1", timeout=30) as events:
        told = _event(events)
    assert told[0] == "event: problems"
    assert f"data/exemplars.csv:{line}: error: " in "\n".join(told)

    edit_row(project / "data/exemplars.csv", ROW, (",20l8,", ",2018,"))
    with urllib.request.urlopen(served_at + "__preview/events?since=1", timeout=30) as events:
        while (told := _event(events)) and told[0] != "event: reload":
            assert told[0] == "event: problems"  # until the render of the fix is done
    assert told == ["event: reload", "data: "]


def _event(stream) -> list[str]:
    """The lines of the next event of a server-sent event stream, comments skipped."""
    lines: list[str] = []
    for raw in stream:
        line = raw.decode("utf-8").rstrip("\n")
        if line.startswith(":"):
            continue
        if not line and lines:
            return lines
        if line:
            lines.append(line)
    return lines


def test_a_saved_page_renders_that_page(preview, project):
    preview.wait_for(r"^Serving ")
    seen = len(preview.lines)
    about = project / "about.qmd"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    preview.wait_for(r"^Rendered about.qmd in ", after=seen)
    assert renders(project)[-1] == "about.qmd"


def test_ctrl_c_stops_the_preview_and_every_process_its_renders_left(preview, project):
    preview.wait_for(r"^Serving ")
    seen = len(preview.lines)
    edit_row(project / "data/exemplars.csv", ROW, (NOTE_END, "worked examples, saved once"))
    preview.wait_for(rf"^Rendered {POST} in ", after=seen)
    left = [int(pid) for pid in (project / "stand-in-daemons.log").read_text().split()]
    assert len(left) == 2 and all(psutil.pid_exists(pid) for pid in left)

    assert len(preview.processes()) >= 3  # the preview and the two left by the renders

    assert preview.interrupt() == 0
    assert preview.lines[-1] == "Preview stopped."
    assert not [pid for pid in left if psutil.pid_exists(pid)]
    assert preview.processes() == []


def test_a_data_file_renders_the_list_post_and_the_configuration_the_site(project):
    site = Project(project)
    listed = Plan(pages=(project / POST,), list_data=True)
    assert plan(site, [project / "data/venues.csv"]) == listed
    assert plan(site, [project / "references.bib"]) == listed
    assert plan(site, [project / "about.qmd"]) == Plan(pages=(project / "about.qmd",))
    assert plan(site, [project / "_quarto.yml"]) == Plan(site=True)
    assert plan(site, [project / "posts/_metadata.yml"]) == Plan(site=True)
    assert not plan(site, [project / "README.md"])


def test_without_quarto_it_says_how_to_get_one(project, monkeypatch, capsys):
    monkeypatch.delenv("EXEMPLARS_PREVIEW_RENDERER", raising=False)
    monkeypatch.setenv("EXEMPLARS_QUARTO", str(project / "no-quarto-here"))
    assert main(["preview", "--no-browser", "--root", str(project)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("exemplars preview: no Quarto to render with; install Quarto")
    assert "\n" not in error


def test_a_taken_port_is_bad_usage(project, monkeypatch, capsys):
    monkeypatch.setenv("EXEMPLARS_PREVIEW_RENDERER", STAND_IN)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        arguments = ["preview", "--no-browser", "--port", str(port), "--root", str(project)]
        assert main(arguments) == 2
    assert f"exemplars preview: cannot serve on port {port}: " in capsys.readouterr().out
    assert not (project / "stand-in-renders.log").exists()  # nothing rendered


def test_a_render_whose_post_render_step_fails_is_shown_and_says_so(preview, project):
    served_at = preview.url
    (project / "stand-in-post-render-fails").touch()
    seen = len(preview.lines)
    edit_row(project / "data/exemplars.csv", ROW, (NOTE_END, "worked examples, saved once"))
    preview.wait_for(r"^ERROR: a post-render step failed$", after=seen)
    preview.wait_for(r"^A step after the render failed", after=seen)
    assert "worked examples, saved once" in preview.page("posts/exemplars/index.html")
    # Generation 2: the list shown before the render; 3: the render, whose problem is then said.
    for _ in range(50):  # until the preview has told the pages to reload (generation 3)
        with urllib.request.urlopen(served_at + "__preview/events?since=3", timeout=30) as events:
            told = _event(events)
        if told[0] != "event: reload":
            break
    assert told[0] == "event: problems" and "a step after the render" in told[1]
