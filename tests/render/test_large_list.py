"""The list at 1,053 exemplars, rendered by a real Quarto and read in Chromium: each reference
by its item, the citation's pop-up, permalinks, BibTeX and the explorer, as at 117.

How long it takes and what it weighs are printed by benchmarks/render_scale.py, not tested.
"""

from __future__ import annotations

import pytest
from exemplars.data.bibliography import load_bibliography
from exemplars.post.site import load_list_and_venues
from exemplars.project import Project

from tests.browser import watched_page
from tests.helpers import html_items

pytestmark = pytest.mark.render

POST = "posts/exemplars/"


@pytest.fixture(scope="module")
def rows(large_rendered_project):
    exemplars, _ = load_list_and_venues(large_rendered_project)
    return exemplars


@pytest.fixture
def page(browser, large_rendered_url):
    with watched_page(browser, viewport={"width": 1400, "height": 1000}) as page:
        page.goto(large_rendered_url + POST)
        yield page


def test_every_item_holds_its_own_reference(large_rendered_project, rows):
    html = (large_rendered_project / "_site" / POST / "index.html").read_text(encoding="utf-8")
    items = html_items(html)
    assert len(rows) == 1053
    assert [item["id"] for item in items] == [row.key for row in rows]
    assert all(item["reference_id"] == f"ref-{item['id']}" and item["reference"] for item in items)
    assert all(item["cites"] == [item["id"]] for item in items)


def test_the_last_items_pop_up_permalink_and_bibtex(page, large_rendered_project, rows):
    key = rows[-1].key
    page.goto(page.url + "#" + key)
    assert page.evaluate(
        "key => { const box = document.getElementById(key).getBoundingClientRect();"
        " return box.top >= 0 && box.top < innerHeight; }",
        key,
    )
    page.locator(f"#{key} span.citation a").hover()
    popup = page.locator(".tippy-box:visible")
    popup.wait_for()
    reference = " ".join(page.inner_text(f"#ref-{key}").split())
    assert " ".join(popup.inner_text().split()) == reference
    page.mouse.move(0, 0)
    page.click(f"#{key} summary")
    page.wait_for_selector(f"#{key} pre code")
    entry = load_bibliography(Project(large_rendered_project)).public_source(key)
    assert page.inner_text(f"#{key} pre code") == entry


def test_the_explorer_filters_the_whole_list(page, large_rendered_project, rows):
    html = (large_rendered_project / "_site" / POST / "index.html").read_text(encoding="utf-8")
    items = html_items(html)
    total = len(rows)
    assert page.inner_text(".explorer-count") == f"{total} of {total} exemplars"
    page.fill("#explorer-find", "copy 8")
    searched = {
        item["id"]: " ".join(
            [item["title"], item["reference"], item["note"], item["data"]["venue"]]
        )
        for item in items
    }
    expected = [key for key, text in searched.items() if "copy" in text.lower() and "8" in text]
    assert len(expected) >= total // 9
    assert page.inner_text(".explorer-count") == f"{len(expected)} of {total} exemplars"
    page.select_option("#explorer-kind", "inproceedings")
    kinds = {row.key: row.kind for row in rows}
    narrowed = [key for key in expected if kinds[key] == "inproceedings"]
    assert 0 < len(narrowed) < len(expected)
    assert page.inner_text(".explorer-count") == f"{len(narrowed)} of {total} exemplars"
