"""The real render: what `quarto render` leaves in _site/, as readers get it in Chromium.

The explorer's tests run on this render too (tests/test_explorer.py, its `render` variant).
"""

from __future__ import annotations

import json

import pytest
from exemplars.cli import main
from exemplars.post.site import load_list_and_venues

from tests.browser import watched_page
from tests.helpers import CURLED, html_items

pytestmark = pytest.mark.render

PAGES = ("", "about.html", "posts/exemplars/")


def test_check_site_with_the_browser_audit_in_both_themes_is_clean(rendered_project, capsys):
    code = main(["check-site", "--root", str(rendered_project)])
    out = capsys.readouterr().out
    assert code == 0, out


@pytest.fixture
def page(browser):
    with watched_page(browser, viewport={"width": 1400, "height": 1000}) as page:
        yield page


def test_a_citations_pop_up_shows_its_own_items_reference(page, rendered_url, rendered_site):
    html = (rendered_site / "posts/exemplars/index.html").read_text(encoding="utf-8")
    items = html_items(html)
    page.goto(rendered_url + "posts/exemplars/")
    for item in (items[0], items[len(items) // 2], items[-1]):
        link = page.locator(f"#{item['id']} span.citation a")
        link.scroll_into_view_if_needed()
        link.hover()
        popup = page.locator(".tippy-box:visible")
        popup.wait_for()
        assert " ".join(popup.inner_text().split()) == item["reference"]
        page.mouse.move(0, 0)
        popup.wait_for(state="hidden")


def test_the_theme_toggle_switches_and_is_remembered(page, rendered_url):
    page.goto(rendered_url + "posts/exemplars/")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    dark_class = "document.body.classList.contains('quarto-dark')"
    assert not page.evaluate(dark_class)
    page.locator(".quarto-color-scheme-toggle").first.click()
    page.wait_for_function(dark_class)
    dark = page.evaluate(background)
    assert dark != light
    page.reload()
    assert page.evaluate(dark_class)
    assert page.evaluate(background) == dark
    page.locator(".quarto-color-scheme-toggle").first.click()
    page.wait_for_function(f"!{dark_class}")
    assert page.evaluate(background) == light


@pytest.mark.parametrize("path", PAGES)
def test_on_a_phone_no_page_scrolls_sideways(browser, rendered_url, path):
    context = browser.new_context(viewport={"width": 412, "height": 900}, has_touch=True)
    page = context.new_page()
    page.goto(rendered_url + path)
    page.wait_for_load_state("load")
    widest = page.evaluate("document.documentElement.scrollWidth")
    assert widest <= 412, f"{path or 'home'} is {widest} px wide on a 412 px phone"
    context.close()


def test_the_sites_search_index_holds_every_title_and_note(rendered_project):
    """Quarto's search reads search.json: each exemplar is found by its title and its note."""
    entries = json.loads((rendered_project / "_site" / "search.json").read_text(encoding="utf-8"))
    text = plain(" ".join(e["text"] for e in entries if e["href"].startswith("posts/exemplars/")))
    exemplars, _ = load_list_and_venues(rendered_project)
    assert [e.key for e in exemplars if plain(e.title) not in text] == []
    assert [e.key for e in exemplars if plain(e.note) not in text] == []


def plain(text: str) -> str:
    """Single-spaced, with the quotes pandoc curls made straight again."""
    return " ".join(text.translate(CURLED).split())
