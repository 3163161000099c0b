"""`exemplars preview` with a real Quarto, on a copy of the project: the author's loop as the
author meets it. One preview for the whole story, since each render takes seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.preview_process import RunningPreview, edit_row
from tests.rendering import copy_project

pytestmark = pytest.mark.render

POST = "posts/exemplars/index.qmd"
PAGE = "posts/exemplars/index.html"
ROW = "kim2018tutorial"
NOTE_END = "worked modelling examples"
SENTENCE = "This is a reading list that keeps changing."
RENDER_SECONDS = 300  # one render of the post on a slow, shared machine


def test_the_authors_loop_with_quarto(quarto: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    csv = project / "data/exemplars.csv"
    preview = RunningPreview(project)
    try:
        preview.wait_for(r"^Serving ", timeout=600)  # the whole site, never rendered before

        seen = len(preview.lines)
        edit_row(csv, ROW, (NOTE_END, "worked examples, edited in the preview"))
        preview.wait_for(rf"^Rendered {POST} in ", after=seen, timeout=RENDER_SECONDS)
        assert "worked examples, edited in the preview" in preview.page(PAGE)

        seen = len(preview.lines)
        post = project / POST
        text = post.read_text(encoding="utf-8")
        assert SENTENCE in text
        post.write_text(text.replace(SENTENCE, "This list changed while it was previewed."))
        preview.wait_for(rf"^Rendered {POST} in ", after=seen, timeout=RENDER_SECONDS)
        assert "This list changed while it was previewed." in preview.page(PAGE)

        seen = len(preview.lines)
        line = edit_row(csv, ROW, (",2018,", ",20l8,"))
        preview.wait_for(rf"^data/exemplars.csv:{line}: error: .*\[CSV004\]$", after=seen)
        preview.wait_for(r"^Not rendered: ", after=seen)
        served = preview.page(PAGE)
        assert "worked examples, edited in the preview" in served  # the last good render

        seen = len(preview.lines)
        edit_row(csv, ROW, (",20l8,", ",2018,"), ("edited in the preview", "fixed in the preview"))
        preview.wait_for(rf"^Rendered {POST} in ", after=seen, timeout=RENDER_SECONDS)
        assert "worked examples, fixed in the preview" in preview.page(PAGE)

        assert len(preview.processes()) > 1  # Quarto's Jupyter daemon and kernel, kept warm
        assert preview.interrupt() == 0
        assert preview.processes() == []
    finally:
        preview.kill()
