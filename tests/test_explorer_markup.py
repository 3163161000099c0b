"""What the render writes for the explorer: each item's id and data attributes, its group's, its
permalink and its BibTeX disclosure, read back from the HTML the post prints."""

from __future__ import annotations

import re

import pypandoc
import pytest
import yaml
from exemplars.check.item_ids import check_item_ids
from exemplars.data.bibliography import load_bibliography
from exemplars.data.csl import bibliography_items
from exemplars.data.csl import list_items as csl_items
from exemplars.data.reading_list import load_reading_list
from exemplars.data.schema import Exemplar
from exemplars.post.coins import coins_kev, list_coins
from exemplars.post.list_html import PostSections, exemplar_markdown, group_attributes, group_of
from exemplars.post.references import post_citations
from exemplars.post.site import load_list_and_venues
from exemplars.project import Project
from exemplars.quarto.markdown import pandoc_path

from tests.explorer_page import ASSETS, POST, ROOT
from tests.helpers import html_items, row


@pytest.fixture(scope="module")
def real_list():
    exemplars, venues = load_list_and_venues(ROOT)
    citations = post_citations(ROOT, POST / "index.qmd")
    sections = PostSections(exemplars, venues, citations, list_coins(ROOT, exemplars))
    html = "".join(sections.markdown(*group) for group in sections.groups)
    return exemplars, venues, html_items(html)


def test_each_item_carries_its_key_as_id_and_what_the_explorer_filters_on(real_list):
    exemplars, venues, items = real_list
    assert [item["id"] for item in items] == [e.key for e in exemplars]
    for exemplar, item in zip(exemplars, items, strict=True):
        assert item["group"] == {"section": exemplar.section, "subsection": exemplar.subsection}
        assert item["data"] == {
            "year": str(exemplar.year),
            "kind": exemplar.kind,
            "venue-type": venues[exemplar.venue].type,
            "venue": exemplar.venue,
        }
        assert item["permalink"] == f"#{exemplar.key}"


def test_each_item_links_its_own_bibtex_file(real_list):
    exemplars, _, items = real_list
    assert [item["bibtex"] for item in items] == [f"bib/{e.key}.bib" for e in exemplars]


def test_each_item_holds_its_one_coins_span_and_links_its_entry_file(real_list):
    """The span reaches the page as the post's cell wrote it: pandoc passes it through."""
    exemplars, _, items = real_list
    entries = csl_items(exemplars, bibliography_items(ROOT / "references.bib", pandoc_path()))
    by_key = entries.by_key()
    for exemplar, item in zip(exemplars, items, strict=True):
        assert item["coins"] == [coins_kev(by_key[exemplar.key])]
        assert item["bibtex"] == f"bib/{exemplar.key}.bib"


def test_an_entry_source_runs_from_its_at_sign_to_its_closing_brace():
    bibliography = load_bibliography(Project(ROOT))
    for key in bibliography.entries:
        source = bibliography.source(key)
        assert re.match(rf"@\w+\{{{re.escape(key)},", source)
        assert source.endswith("}")


def test_keys_make_valid_ids_that_quarto_and_pandoc_leave_alone():
    project = Project(ROOT)
    reading_list = load_reading_list(project)
    for exemplar in reading_list.rows:
        assert re.fullmatch(r"[a-z][a-z0-9_:-]*", exemplar.key)  # no space: a valid HTML id
    assert check_item_ids(project, reading_list) == []


NASTY_VALUES = [
    'say "hi"',
    "back\\slash \\",
    "line\nbreak  and  spaces",
    "{#id .class}",
    "<b>&amp;",
]


@pytest.mark.parametrize("value", NASTY_VALUES)
def test_any_section_or_venue_survives_as_an_attribute(value):
    exemplar = Exemplar.model_validate(row(section=value, subsection=value, venue=value))
    markdown = f"::: {group_attributes(group_of(exemplar))}\n"
    markdown += exemplar_markdown(exemplar, venue_type="journal") + ":::\n"
    (item,) = html_items(pypandoc.convert_text(markdown, "html", format="markdown"))
    assert item["id"] == exemplar.key
    shown = " ".join(value.split())
    assert item["group"] == {"section": shown, "subsection": shown}
    assert item["data"]["venue"] == shown


def test_the_post_links_its_explorer_and_copies_it_into_the_site():
    metadata = yaml.safe_load((POST / "index.qmd").read_text(encoding="utf-8").split("---")[1])
    assert set(ASSETS) <= set(metadata["resources"])
    assert '<link rel="stylesheet" href="explorer.css">' in metadata["include-in-header"]["text"]
    assert '<script src="explorer.js"></script>' in metadata["include-after-body"]["text"]


def test_the_script_is_small_and_loads_nothing_from_elsewhere():
    script = (POST / "explorer.js").read_text(encoding="utf-8")
    assert len(script.encode()) < 15_000
    assert not re.search(r"https?:|//[a-z]|\bimport\b|XMLHttpRequest", script)
    # It fetches one thing: the entry file that an opened disclosure links, beside the post.
    assert re.findall(r"\bfetch\(([^)]*)\)", script) == ["link.href"]
