"""Each exemplar's full reference comes from pandoc's citeproc with the post's own bibliography
and style, formatted with the whole list in one pandoc run, and sits inside its item with the
id its citation links to, so the item and the hover pop-up show the same text, once."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pypandoc
import pytest
from exemplars.data.schema import Exemplar
from exemplars.post.list_html import PostSections, ReferencesUnavailable, list_html
from exemplars.post.references import Citations, PostNotFound, post_citations

from tests.helpers import BIB, ROOT, html_items, reference_entries, row

KEYS = ["kingma2014autoencoding", "b2020x"]


def citeproc_html_text(bib: Path, markdown: str, csl: Path | None = None) -> dict[str, str]:
    """The bibliography pandoc's citeproc writes for `markdown` on its own, by key."""
    command = [pypandoc.get_pandoc_path(), "--citeproc", f"--bibliography={bib}", "-t", "html"]
    result = subprocess.run(
        command + ([f"--csl={csl}"] if csl else []),
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    return reference_entries(result.stdout)


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def items_of(keys: list[str], citations: Citations) -> list[dict]:
    exemplars = [Exemplar.model_validate(row(key=key, title=f"T {key}")) for key in keys]
    return html_items("".join(list_html(exemplars, {}, citations).values()))


def test_each_reference_reads_as_the_bibliography_entry_citeproc_makes(bib):
    items = items_of(KEYS, Citations((bib,), keys=frozenset(KEYS)))
    expected = citeproc_html_text(bib, "[@kingma2014autoencoding; @b2020x]")
    assert {item["id"]: item["reference"] for item in items} == expected
    assert items[0]["reference"].startswith("Kingma, Diederik P., and Max Welling.")
    # The citation links to the reference in the item: the id Quarto's pop-up reads.
    assert [item["reference_id"] for item in items] == [f"ref-{key}" for key in KEYS]
    assert [item["cites"] for item in items] == [[key] for key in KEYS]


def test_references_follow_the_style_the_post_names(bib, tmp_path):
    style = tmp_path / "numbers.csl"
    style.write_text(NUMBERED_STYLE, encoding="utf-8")
    items = items_of(KEYS, Citations((bib,), style, frozenset(KEYS)))
    expected = citeproc_html_text(bib, "[@kingma2014autoencoding; @b2020x]", style)
    assert {item["id"]: item["reference"] for item in items} == expected
    assert items[0]["reference"].startswith("[1]")


def test_a_key_without_an_entry_has_no_reference_and_no_bibtex(bib):
    items = items_of(["b2020x", "missing"], Citations((bib,), keys=frozenset(KEYS)))
    assert [item["reference_id"] for item in items] == ["ref-b2020x", None]
    assert [item["bibtex"] for item in items] == ["bib/b2020x.bib", None]
    assert items[1]["title"] == "T missing"  # the item itself is still there


def test_a_style_pandoc_cannot_read_is_reported(bib, tmp_path):
    broken = tmp_path / "broken.csl"
    broken.write_text("<style>", encoding="utf-8")
    with pytest.raises(ReferencesUnavailable, match="pandoc could not format the list"):
        items_of(KEYS, Citations((bib,), broken, frozenset(KEYS)))


def test_the_post_uses_the_bibliography_its_metadata_names(blog_project):
    post = blog_project / "posts" / "exemplars" / "index.qmd"
    citations = post_citations(blog_project, post)  # from posts/_metadata.yml
    assert [path.resolve() for path in citations.bibliographies] == [
        (blog_project / "references.bib").resolve()
    ]
    assert {"kingma2014autoencoding", "rezende2014stochastic"} <= citations.keys
    with pytest.raises(PostNotFound, match="not a page"):
        post_citations(blog_project, blog_project / "README.md")


def test_the_whole_list_is_formatted_by_one_pandoc_run(subprocess_runs):
    """A list of a thousand costs one pandoc run, not one per exemplar or group."""
    exemplars_, venues = _real_list()
    sections = PostSections(exemplars_, venues, post_citations(ROOT, POST))
    shown = [sections.markdown(*group) for group in sections.groups]
    assert len(subprocess_runs) == 1
    assert len(html_items("".join(shown))) == len(exemplars_)


def test_the_posts_metadata_is_read_without_pandoc(monkeypatch):
    """The post's cell needs one page's metadata: no page of the site is given to pandoc."""
    import exemplars.quarto.pages

    submitted = []

    class Recording:
        def __init__(self, max_workers: int) -> None:
            pass

        def submit(self, *work: object) -> None:
            submitted.append(work)

        def shutdown(self, wait: bool) -> None:
            pass

    monkeypatch.setattr(exemplars.quarto.pages, "ThreadPoolExecutor", Recording)
    citations = post_citations(ROOT, POST)
    assert "kingma2014autoencoding" in citations.keys
    assert submitted == []


POST = ROOT / "posts" / "exemplars" / "index.qmd"


def _real_list():
    from exemplars.post.site import load_list_and_venues

    return load_list_and_venues(ROOT)


# A minimal numbered style (CSL 1.0.2): "[n] Title." in the bibliography.
NUMBERED_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Numbered, for the tests</title><id>numbered-tests</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="[" suffix="]"><text variable="citation-number"/></layout></citation>
  <bibliography><layout><text variable="citation-number" prefix="[" suffix="] "/>
    <text variable="title" suffix="."/></layout></bibliography>
</style>
"""
