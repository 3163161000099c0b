"""`exemplars check` on a Quarto site it did not make: no reading list, R and Python posts, a
notebook, CSL bibliographies (tests/fixtures/quarto/_forked_blog, see its README).

The false findings Quarto's own render contradicts are gone; the true ones stay.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from exemplars.cli import main

from tests.helpers import BLOG as LIST_BLOG
from tests.helpers import snapshot

BLOG = Path(__file__).parent / "fixtures" / "quarto" / "_forked_blog"
R_POST = "posts/r-post/index.qmd"
PY_POST = "posts/py-post/index.qmd"


@pytest.fixture
def forked(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BLOG, tmp_path / "blog"))


def run_check(root: Path, capsys, *extra: str) -> tuple[int, str]:
    before = snapshot(root)
    code = main(["check", "--root", str(root), *extra])
    assert snapshot(root) == before, "check must never modify a file"
    return code, capsys.readouterr().out


def line_of(root: Path, name: str, needle: str) -> int:
    text = (root / name).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def test_only_the_true_findings_and_a_note_that_there_is_no_list(forked, capsys):
    code, out = run_check(forked, capsys)
    line = line_of(forked, R_POST, "Thanks to @someone")
    assert code == 1
    assert out.splitlines() == [
        f"{R_POST}:{line}: error: @someone is not in the bibliography (references.json) [CIT001]",
        f'{R_POST}:{line}: error: link "#matching--slightly-simpler": no heading or element '
        'with id "matching--slightly-simpler" in this page [LINK002]',
        "Found 2 errors and 0 warnings in 1 file (exemplars check). "
        "Note: no reading list (data/exemplars.csv): pages only.",
    ]


def test_the_note_is_in_the_json_summary(forked, capsys):
    code, out = run_check(forked, capsys, "--json")
    summary = json.loads(out)["summary"]
    assert (code, summary["errors"], summary["note"]) == (
        1,
        2,
        "no reading list (data/exemplars.csv): pages only",
    )


def test_a_clean_site_without_a_list_is_all_clear(forked, capsys):
    page = forked / R_POST
    text = page.read_text(encoding="utf-8")
    text = text.replace("Thanks to @someone", "Thanks to someone").replace(
        "#matching--slightly-simpler", "#matching-slightly-simpler"
    )
    page.write_text(text, encoding="utf-8")
    code, out = run_check(forked, capsys)
    assert (code, out.strip()) == (
        0,
        "All clear: exemplars check. Note: no reading list (data/exemplars.csv): pages only.",
    )


def test_csl_yaml_keys_are_read(forked, capsys):
    with (forked / PY_POST).open("a", encoding="utf-8") as page:
        page.write("\nAnd @vanrossum1995pythn.\n")
    code, out = run_check(forked, capsys)
    line = line_of(forked, PY_POST, "@vanrossum1995pythn")
    assert code == 1
    assert f"{PY_POST}:{line}: error: @vanrossum1995pythn is not in the bibliography " in out


def test_a_csl_json_syntax_error_names_its_line(forked, capsys):
    bib = forked / "posts/r-post/references.json"
    bib.write_text('[\n  {"id": "gelman2013bayesian"},\n  {"id": }\n]\n', encoding="utf-8")
    code, out = run_check(forked, capsys)
    assert code == 1
    assert "posts/r-post/references.json:3: error: CSL-JSON: Expecting value [BIB001]" in out


def test_a_csl_yaml_syntax_error_and_an_item_without_id(forked, capsys):
    bib = forked / "posts/py-post/references.yaml"
    bib.write_text("references:\n- id: a\n- title: no id\n", encoding="utf-8")
    code, out = run_check(forked, capsys)
    assert code == 1
    assert "posts/py-post/references.yaml:1: error: CSL-YAML: reference 2 has no id" in out
    bib.write_text("references:\n- id: [unclosed\n", encoding="utf-8")
    code, out = run_check(forked, capsys)
    assert code == 1
    assert "posts/py-post/references.yaml:3: error: CSL-YAML: " in out


def test_a_reading_list_set_elsewhere_is_checked(tmp_path, capsys):
    root = Path(shutil.copytree(LIST_BLOG, tmp_path / "blog"))
    (root / "data").rename(root / "lists")
    (root / "pyproject.toml").write_text(
        '[tool.exemplars]\nreading-list = "lists/exemplars.csv"\n', encoding="utf-8"
    )
    code, out = run_check(root, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")
    with (root / "lists/exemplars.csv").open("a", encoding="utf-8") as table:
        table.write("broken\n")
    code, out = run_check(root, capsys)
    assert code == 1
    assert "lists/exemplars.csv:" in out


def test_a_reading_list_set_but_missing_is_an_error(forked, capsys):
    (forked / "pyproject.toml").write_text(
        '[tool.exemplars]\nreading-list = "data/list.csv"\n', encoding="utf-8"
    )
    code, out = run_check(forked, capsys)
    assert code == 2
    assert "data/list.csv:1: error:" in out
    assert "[IO001]" in out
