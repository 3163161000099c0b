"""Each exemplar's full reference comes from pandoc's citeproc with the post's own bibliography,
so the item shows the same text as the bibliography and the hover pop-up."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pypandoc
import pytest
from exemplars.post.references import (
    ReferencesUnavailable,
    formatted_references,
    post_references,
)

from tests.helpers import BIB, ROOT

KEYS = ["kingma2014autoencoding", "b2020x"]


class _EntryText(HTMLParser):
    """The text of each `csl-entry` div of citeproc's HTML, by key."""

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, str] = {}
        self.key: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        ids = dict(attrs).get("id") or ""
        if tag == "div" and ids.startswith("ref-"):
            self.key = ids.removeprefix("ref-")
            self.entries[self.key] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self.key = None

    def handle_data(self, data: str) -> None:
        if self.key:
            self.entries[self.key] += data


def citeproc_html_text(bib: Path, markdown: str) -> dict[str, str]:
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "--citeproc", f"--bibliography={bib}", "-t", "html"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    parser = _EntryText()
    parser.feed(result.stdout)
    return {key: " ".join(text.split()) for key, text in parser.entries.items()}


def as_html_text(markdown: str) -> str:
    parser = _EntryText()
    parser.feed(f'<div id="ref-x">{pypandoc.convert_text(markdown, "html", format="markdown")}')
    return " ".join(parser.entries["x"].split())


@pytest.fixture
def bib(tmp_path: Path) -> Path:
    path = tmp_path / "references.bib"
    path.write_text(BIB, encoding="utf-8")
    return path


def test_each_reference_reads_as_the_bibliography_entry_citeproc_makes(bib):
    references = formatted_references([bib], KEYS)
    assert list(references) == KEYS
    assert all("\n" not in text for text in references.values())
    expected = citeproc_html_text(bib, "[@kingma2014autoencoding; @b2020x]")
    assert {key: as_html_text(text) for key, text in references.items()} == expected
    assert references["kingma2014autoencoding"].startswith("Kingma, Diederik P., and Max Welling.")


def test_a_key_without_an_entry_has_no_reference(bib):
    assert formatted_references([bib], ["b2020x", "missing"]) == {
        "b2020x": formatted_references([bib], ["b2020x"])["b2020x"]
    }
    assert formatted_references([bib], []) == {}


def test_a_style_pandoc_cannot_read_is_reported(bib, tmp_path):
    broken = tmp_path / "broken.csl"
    broken.write_text("<style>", encoding="utf-8")
    with pytest.raises(ReferencesUnavailable, match="pandoc could not format the references"):
        formatted_references([bib], KEYS, broken)


def test_the_post_uses_the_bibliography_its_metadata_names(blog_project):
    post = blog_project / "posts" / "exemplars" / "index.qmd"
    keys = ["kingma2014autoencoding", "rezende2014stochastic"]
    references = post_references(blog_project, post, keys)  # from posts/_metadata.yml
    assert list(references) == keys
    assert references == formatted_references([blog_project / "references.bib"], keys)
    with pytest.raises(ReferencesUnavailable, match="not a page"):
        post_references(blog_project, blog_project / "README.md", KEYS)


def test_the_posts_metadata_is_read_without_pandoc(monkeypatch):
    """The post's cell needs one page's metadata: no page of the site is given to pandoc."""
    import exemplars.quarto.pages
    from exemplars.post.references import post_references

    submitted = []

    class Recording:
        def __init__(self, max_workers: int) -> None:
            pass

        def submit(self, *work: object) -> None:
            submitted.append(work)

        def shutdown(self, wait: bool) -> None:
            pass

    monkeypatch.setattr(exemplars.quarto.pages, "ThreadPoolExecutor", Recording)
    post = ROOT / "posts" / "exemplars" / "index.qmd"
    references = post_references(ROOT, post, ["kingma2014autoencoding"])
    assert "Kingma" in references["kingma2014autoencoding"]
    assert submitted == []
