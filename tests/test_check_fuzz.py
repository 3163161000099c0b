"""Whatever the list or the bibliography holds, `exemplars check` answers with a report and an
exit code of 0, 1 or 2: never a traceback, never a changed file."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from exemplars.cli import main
from exemplars.data.schema import EXEMPLAR_COLUMNS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import snapshot

# Every example overwrites the one file it fuzzes, so one project serves all examples.
FUZZ = settings(
    max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def tokens(*pieces: str, max_size: int) -> st.SearchStrategy[str]:
    """Text made of characters and whole tokens of a format, where the bugs hide."""
    alphabet = [c for piece in pieces if len(piece) == 1 for c in piece]
    words = [piece for piece in pieces if len(piece) > 1]
    return st.lists(st.sampled_from(alphabet + words), max_size=max_size).map("".join)


HEADER = ",".join(EXEMPLAR_COLUMNS) + "\n"
CSV_TEXT = tokens(*',,,"\n\r ;:-./abcxyzICLR2014\u00e9\ufeff\t', HEADER, max_size=60)
csv_bytes = st.one_of(
    CSV_TEXT.map(lambda t: t.encode("utf-8")),
    CSV_TEXT.map(lambda t: (HEADER + t).encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.binary(max_size=200),
)

BIB_TEXT = tokens(
    *'@{}(),="#% \n\t\\abkeyAZ019_-:', "@article{", "@string{", "title =", max_size=80
)
bib_entry = st.builds(
    lambda kind, key, body: f"@{kind}{{{key},{body}}}\n",
    st.sampled_from(["article", "inproceedings", "misc", "string", "comment", "preamble", ""]),
    st.text(st.sampled_from(list("abcz09:_-{}, ")), max_size=12),
    BIB_TEXT,
)
bib_bytes = st.one_of(
    BIB_TEXT.map(lambda t: t.encode("utf-8")),
    st.lists(bib_entry, max_size=6).map(lambda entries: "".join(entries).encode("utf-8")),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
    st.binary(max_size=200),
)


def check_json(root: Path) -> tuple[int, dict]:
    before = snapshot(root)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["check", "--root", str(root), "--json"])
    assert snapshot(root) == before
    return code, json.loads(out.getvalue())


def assert_report(code: int, report: dict) -> None:
    assert code in (0, 1, 2)
    assert (code == 0) == (report["summary"]["errors"] == 0)
    for problem in report["problems"]:
        assert isinstance(problem["file"], str) and problem["file"]
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert problem["severity"] in ("error", "warning")


def only_the_post(root: Path) -> Path:
    """Fewer pages, fewer pandoc runs per example; the post still cites the bibliography."""
    (root / "index.qmd").unlink()
    (root / "about.qmd").unlink()
    return root


@FUZZ
@given(data=csv_bytes)
def test_random_csv_never_breaks_the_check(blog_project, data):
    root = only_the_post(blog_project) if (blog_project / "index.qmd").exists() else blog_project
    (root / "data" / "exemplars.csv").write_bytes(data)
    assert_report(*check_json(root))


@FUZZ
@given(data=bib_bytes)
def test_random_bibtex_never_breaks_the_check(blog_project, data):
    root = only_the_post(blog_project) if (blog_project / "index.qmd").exists() else blog_project
    (root / "references.bib").write_bytes(data)
    assert_report(*check_json(root))
