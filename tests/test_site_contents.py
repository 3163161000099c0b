"""What the built site holds besides its pages: the `resources:` of `_quarto.yml`, matched the way
Quarto matches globs, name the project's own downloads and nothing else (no test fixture)."""

from __future__ import annotations

from pathlib import Path

import yaml
from exemplars.project import Project
from exemplars.quarto.globs import resolve_globs
from exemplars.quarto.pages import Site

from tests.helpers import ROOT


def project_resources() -> list[str]:
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    return config["project"]["resources"]


def test_the_resources_name_only_the_projects_own_downloads():
    published = [
        path.relative_to(ROOT).as_posix() for path in resolve_globs(ROOT, project_resources())
    ]
    assert published == ["data/exemplars.csv", "references.bib"]


def test_no_page_comes_from_the_tests():
    pages = [page.path.relative_to(ROOT).as_posix() for page in Site(Project(ROOT)).pages]
    assert "posts/exemplars/index.qmd" in pages
    assert [page for page in pages if page.startswith("tests/")] == []


def test_the_fixtures_hold_files_an_unanchored_resource_would_publish():
    """The reason for the anchors: the same names, unanchored, reach into tests/."""
    unanchored = [pattern.lstrip("/") for pattern in project_resources()]
    published = {path.relative_to(ROOT).as_posix() for path in resolve_globs(ROOT, unanchored)}
    assert any(path.startswith("tests/") for path in published)


def make_tree(root: Path, *files: str) -> None:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")


def names(root: Path, patterns: list[str]) -> list[str]:
    return [path.relative_to(root).as_posix() for path in resolve_globs(root, patterns)]


def test_quarto_globs_match_at_any_depth_unless_anchored(tmp_path):
    make_tree(tmp_path, "a.bib", "deep/er/a.bib", "data/x.csv", "tests/data/x.csv")
    assert names(tmp_path, ["a.bib"]) == ["a.bib", "deep/er/a.bib"]
    assert names(tmp_path, ["/a.bib"]) == ["a.bib"]
    assert names(tmp_path, ["./a.bib"]) == ["a.bib"]
    assert names(tmp_path, ["data/x.csv"]) == ["data/x.csv", "tests/data/x.csv"]
    assert names(tmp_path, ["/data/x.csv"]) == ["data/x.csv"]


def test_quarto_globs_expand_folders_exclude_and_skip_the_output(tmp_path):
    make_tree(tmp_path, "files/one.txt", "files/sub/two.txt", "_site/files/one.txt", "b.pdf")
    assert names(tmp_path, ["files/"]) == ["files/one.txt", "files/sub/two.txt"]
    assert names(tmp_path, ["/files"]) == ["files/one.txt", "files/sub/two.txt"]
    assert names(tmp_path, ["/files", "!sub/"]) == ["files/one.txt"]
    assert names(tmp_path, ["*.pdf", "*.txt"]) == ["b.pdf", "files/one.txt", "files/sub/two.txt"]
    assert names(tmp_path, ["*.svg"]) == []


def test_resources_and_render_lists_share_one_glob_language(tmp_path):
    """Braces work in `resources:` as in `render:`: one matcher serves both."""
    make_tree(tmp_path, "a.bib", "b.csv", "c.txt", "posts/d.bib")
    assert names(tmp_path, ["*.{bib,csv}"]) == ["a.bib", "b.csv", "posts/d.bib"]
    assert names(tmp_path, ["/*.{bib,csv}"]) == ["a.bib", "b.csv"]
