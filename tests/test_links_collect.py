"""Which links `exemplars links` finds, and where it says they are written."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from exemplars.data.schema import EXEMPLAR_COLUMNS
from exemplars.findings import printed_path
from exemplars.links.cache import LinkCache
from exemplars.links.collect import Kind, Place, Target, collect_links
from exemplars.links.documents import MarkdownReader
from exemplars.links.internal import InternalLinks
from exemplars.links.outcome import Status
from exemplars.project import Project

from tests.helpers import row, write_csv

ARXIV = "https://arxiv.org/abs/"

POST = """\
---
title: A post
---

# Reading {#sec-reading}

Start with [the survey](https://example.org/survey) and
its [appendix](https://example.org/survey#appendix).

![A figure](https://example.org/figure.png)

See [the same survey](https://example.org/survey) again, the
[DOI](https://doi.org/10.1145/3317287.3328534), [mail](mailto:me@example.org),
[below](#sec-reading), [about](../../about.qmd), [about page](../../about.html#team),
[gone](missing.qmd) and [nowhere](#sec-nowhere).
"""

BIB = r"""@article{lipton2019troubling,
  author = {Lipton, Zachary C. and Steinhardt, Jacob},
  title = {Troubling Trends in Machine Learning Scholarship},
  year = {2019},
  doi = {10.1145/3317287.3328534},
  eprint = {1807.03341},
  archivePrefix = {arXiv},
}

@misc{page2020notes,
  title = {Notes},
  url = {https://example.org/notes\_2020},
  doi = {https://doi.org/10.5555/abc},
}

@book{old1999,
  title = {Old},
  eprint = {hep-th/9901001},
  eprinttype = {jstor},
}
"""


def collect(root: Path, *names: str) -> list[Target]:
    cache = LinkCache(root / ".cache/links.json", timedelta(days=7))
    files = [root / name for name in names]
    return collect_links(files, ARXIV, MarkdownReader(cache))


def placed(root: Path, place: Place) -> str:
    """Where a link is written, as reports print it."""
    return f"{printed_path(place.file, root)}:{place.line}"


def by_url(targets: list[Target], root: Path) -> dict[str, list[str]]:
    return {t.url: [placed(root, s) for s in t.sources] for t in targets}


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "posts" / "reading" / "index.qmd"
    path.parent.mkdir(parents=True)
    path.write_text(POST)
    (tmp_path / "about.qmd").write_text("# About\n\n## Team {#team}\n")
    return path


def test_markdown_links_and_images_with_their_lines(tmp_path, post):
    found = by_url(collect(tmp_path, "posts/reading/index.qmd"), tmp_path)
    shown = "posts/reading/index.qmd"
    assert found["https://example.org/survey"] == [f"{shown}:7", f"{shown}:12"]
    assert found["https://example.org/survey#appendix"] == [f"{shown}:8"]
    assert found["https://example.org/figure.png"] == [f"{shown}:10"]
    assert found["https://doi.org/10.1145/3317287.3328534"] == [f"{shown}:13"]


def test_kinds_of_markdown_links(tmp_path, post):
    kinds = {t.url: t.kind for t in collect(tmp_path, "posts/reading/index.qmd")}
    assert kinds["https://doi.org/10.1145/3317287.3328534"] == Kind.DOI
    assert kinds["mailto:me@example.org"] == Kind.OTHER
    assert kinds["#sec-reading"] == Kind.INTERNAL
    assert kinds["../../about.qmd"] == Kind.INTERNAL


def test_internal_links_and_anchors(tmp_path, post):
    targets = collect(tmp_path, "posts/reading/index.qmd")
    internal = InternalLinks(Project(tmp_path))
    verdicts = {t.url: internal.check(t) for t in targets if t.kind == Kind.INTERNAL}
    assert verdicts["#sec-reading"].status == Status.OK
    assert verdicts["../../about.qmd"].status == Status.OK
    assert verdicts["../../about.html#team"].status == Status.OK  # Quarto renders .qmd to .html
    assert verdicts["missing.qmd"].status == Status.BROKEN
    assert verdicts["missing.qmd"].reason == "posts/reading/missing.qmd does not exist"
    assert (
        verdicts["#sec-nowhere"].reason
        == 'no heading or element with id "sec-nowhere" in this page'
    )


def test_internal_links_of_files_quarto_does_not_render_are_not_judged(tmp_path):
    (tmp_path / "_drafts").mkdir()
    (tmp_path / "_drafts" / "idea.md").write_text("[gone](gone.qmd)\n")
    [target] = collect(tmp_path, "_drafts/idea.md")
    assert InternalLinks(Project(tmp_path)).check(target).status == Status.SKIPPED


def test_csv_locators_become_links_on_the_rows_line(tmp_path):
    write_csv(
        tmp_path / "data" / "exemplars.csv",
        EXEMPLAR_COLUMNS,
        [
            row(note="A note\nover two lines."),
            row(key="b", doi="10.1145/3317287.3328534", arxiv="", url="https://example.org/b"),
            row(key="c", arxiv="", doi="10.1/too-short"),
        ],
    )
    targets = collect(tmp_path, "data/exemplars.csv")
    found = by_url(targets, tmp_path)
    assert found["https://arxiv.org/abs/1312.6114"] == ["data/exemplars.csv:2"]
    assert found["https://doi.org/10.1145/3317287.3328534"] == ["data/exemplars.csv:4"]
    assert found["https://example.org/b"] == ["data/exemplars.csv:4"]
    invalid = next(t for t in targets if t.url == "https://doi.org/10.1/too-short")
    assert invalid.kind == Kind.INVALID
    assert invalid.problem.startswith("not a DOI")


def test_bib_fields_become_links_on_the_fields_line(tmp_path):
    (tmp_path / "references.bib").write_text(BIB)
    found = by_url(collect(tmp_path, "references.bib"), tmp_path)
    assert found == {
        "https://doi.org/10.1145/3317287.3328534": ["references.bib:5"],
        "https://arxiv.org/abs/1807.03341": ["references.bib:6"],
        "https://example.org/notes_2020": ["references.bib:12"],  # BibTeX's \_ is a plain _
        "https://doi.org/10.5555/abc": ["references.bib:13"],
    }  # and the eprint of another archive is no arXiv link


def test_one_link_in_several_files_is_one_target(tmp_path, post):
    (tmp_path / "references.bib").write_text(BIB)
    targets = collect(tmp_path, "posts/reading/index.qmd", "references.bib")
    doi = [t for t in targets if t.url == "https://doi.org/10.1145/3317287.3328534"]
    assert [placed(tmp_path, s) for s in doi[0].sources] == [
        "posts/reading/index.qmd:13",
        "references.bib:5",
    ]
    assert len(doi) == 1


def test_bad_urls_are_invalid_without_a_request(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("[a](https://)\n")
    [target] = collect(tmp_path, "notes.md")
    assert target.kind == Kind.INVALID


def test_entries_of_a_bib_with_a_broken_entry_are_still_checked(tmp_path):
    broken = "@article{a,\n  title = {A\n\n"
    (tmp_path / "references.bib").write_text(BIB.split("@misc")[0] + broken)
    # The broken entry is check's to report.
    found = by_url(collect(tmp_path, "references.bib"), tmp_path)
    assert found["https://doi.org/10.1145/3317287.3328534"] == ["references.bib:5"]


def test_markdown_is_parsed_once_per_version(tmp_path, post, monkeypatch):
    cache = LinkCache(tmp_path / ".cache/links.json", timedelta(days=7))
    first = MarkdownReader(cache).links(post)
    cache.save()

    import exemplars.quarto.markdown as markdown

    def no_pandoc(path):
        raise AssertionError("pandoc started for an unchanged file")

    monkeypatch.setattr(markdown, "parse_markdown", no_pandoc)
    again = MarkdownReader(LinkCache(tmp_path / ".cache/links.json", timedelta(days=7)))
    assert again.links(post) == first
    post.write_text(POST + "\n[new](https://example.org/new)\n")
    with pytest.raises(AssertionError, match="pandoc started"):
        again.links(post)


def test_internal_links_reuse_the_pages_pandoc_already_read(tmp_path, post, monkeypatch):
    reader = MarkdownReader(LinkCache(tmp_path / ".cache/links.json", timedelta(days=7)))
    targets = collect_links([post], "https://arxiv.org/abs/", reader)
    internal = [t for t in targets if t.kind is Kind.INTERNAL]
    assert internal, "the fixture post links to another page"

    import exemplars.quarto.pages as pages

    read_by_site = []
    original = pages.parse_sources

    def parse_sources(sources):
        read_by_site.extend(source.path.relative_to(tmp_path).as_posix() for source in sources)
        return original(sources)

    monkeypatch.setattr(pages, "parse_sources", parse_sources)
    InternalLinks(Project(tmp_path), reader.parsed).check(internal[0])
    assert read_by_site == ["about.qmd"]  # the post itself is not read a second time
