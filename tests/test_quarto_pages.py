"""Which files are pages: Quarto's render targets, found once in `quarto.pages` and used by
`exemplars check` and `exemplars links` alike.

Rules: https://quarto.org/docs/projects/quarto-projects.html#render-targets and
https://quarto.org/docs/reference/globs.html.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from exemplars.links.collect import project_files
from exemplars.project import Project
from exemplars.quarto.pages import Site, render_targets

BLOG = Path(__file__).parent / "fixtures" / "quarto" / "_forked_blog"

FILES = [
    "index.qmd",
    "about.md",
    "notes.Rmd",
    "README.md",
    "AGENTS.md",
    "_include.qmd",
    ".hidden/page.qmd",
    "_drafts/draft.qmd",
    "posts/a/index.qmd",
    "posts/a/data.csv",
    "posts/b/index.ipynb",
    "posts/c/index.qmd",
    "posts/c/index.ipynb",
    "posts/old/index.qmd",
    "renv/library/x.qmd",
    "venv/x.md",
    "out/index.md",
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    return tmp_path


def targets(root: Path, project: dict) -> list[str]:
    return [p.relative_to(root).as_posix() for p in render_targets(root, {"project": project})]


def test_without_a_render_list_every_page_quarto_renders(site):
    assert targets(site, {"output-dir": "out"}) == [
        "about.md",
        "index.qmd",
        "notes.Rmd",
        "posts/a/index.qmd",
        "posts/b/index.ipynb",
        "posts/c/index.qmd",  # index.ipynb beside it is the notebook Quarto keeps of it
        "posts/old/index.qmd",
    ]


@pytest.mark.parametrize(
    ("render", "expected"),
    [
        # A glob matches at any depth...
        (["*.qmd"], ["index.qmd", "posts/a/index.qmd", "posts/c/index.qmd", "posts/old/index.qmd"]),
        # ...unless it starts with /.
        (["/*.qmd"], ["index.qmd"]),
        # A folder takes in its pages; a plain path is relative to the project.
        (["posts/a", "./about.md"], ["about.md", "posts/a/index.qmd"]),
        # `!` leaves out a folder or a file, at any depth.
        (["*.qmd", "!old/"], ["index.qmd", "posts/a/index.qmd", "posts/c/index.qmd"]),
        (["posts/", "!index.ipynb", "!c"], ["posts/a/index.qmd", "posts/old/index.qmd"]),
        # Only `!` entries: everything else.
        (["!posts/"], ["about.md", "index.qmd", "notes.Rmd", "out/index.md"]),
        # A listed file Quarto never renders stays out.
        (["_include.qmd", "README.md", "/{index,notes}.*"], ["index.qmd", "notes.Rmd"]),
    ],
)
def test_a_render_list_narrows_the_pages(site, render, expected):
    assert targets(site, {"render": render}) == expected


def test_links_reads_the_pages_check_reads(tmp_path):
    root = Path(shutil.copytree(BLOG, tmp_path / "blog"))
    project = Project(root)
    pages = [page.path for page in Site(project).pages]
    assert [p.relative_to(root).as_posix() for p in pages] == [
        "index.qmd",
        "posts/notebook/analysis.qmd",
        "posts/notebook/index.ipynb",
        "posts/py-post/index.qmd",
        "posts/r-post/index.qmd",
    ]
    # The project's bibliography follows the pages; there is no list.
    assert project_files(project) == [*pages, root / "references.bib"]
