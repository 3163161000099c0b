"""The list's explorer in a real Chromium: search, filters, the URL, permalinks and BibTeX.

The page is the project's own list (real CSV, venues and references.bib) through the post's
list functions and real pandoc, in the skeleton of the post's markup (tests/explorer_page.py),
served from 127.0.0.1 with the post's explorer.js and explorer.css.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import pytest
from exemplars.data.bibliography import load_bibliography
from exemplars.post.site import load_bibtex, load_list_and_venues
from exemplars.project import Project
from exemplars.site.serve import serving

from tests.explorer_page import ROOT, list_markdown, page_html, write_site

EXEMPLARS, VENUES = load_list_and_venues(ROOT)
TOTAL = len(EXEMPLARS)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    markdown = list_markdown(EXEMPLARS, VENUES, load_bibtex(ROOT))
    html = page_html(markdown, ROOT / "references.bib")
    folder = write_site(tmp_path_factory.mktemp("explorer"), html)
    with serving(folder) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def fold(text: str) -> str:
    """What the script searches: no accents, lower case."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def searched(exemplar) -> str:
    return fold(" ".join([exemplar.title, exemplar.note, exemplar.venue, *exemplar.authors]))


def shown_keys(page) -> list[str]:
    return page.eval_on_selector_all(
        "div.exemplar", "items => items.filter(i => i.checkVisibility()).map(i => i.id)"
    )


def count_text(n: int) -> str:
    return f"{n} of {TOTAL} exemplars"


def test_the_controls_sit_after_the_figures_and_before_the_list(page, site_url):
    page.goto(site_url)
    around = page.eval_on_selector(
        "form.exemplar-explorer",
        "form => [form.previousElementSibling.id, form.nextElementSibling.id]",
    )
    assert around == ["fig-years", "preliminaries"]
    assert page.get_by_role("search").count() == 1


def test_a_query_shows_the_matching_items_and_their_count(page, site_url):
    page.goto(site_url)
    page.fill("#explorer-q", "variational")
    expected = [e.key for e in EXEMPLARS if "variational" in searched(e)]
    assert 0 < len(expected) < TOTAL
    assert shown_keys(page) == expected
    assert page.inner_text(".explorer-count") == count_text(len(expected))
    assert page.get_attribute(".explorer-count", "aria-live") == "polite"


@pytest.mark.parametrize("query", ["scholkopf", "SCHÖLKOPF", "Schölkopf"])
def test_search_ignores_case_and_accents(page, site_url, query):
    page.goto(site_url)
    page.fill("#explorer-q", query)
    expected = [e.key for e in EXEMPLARS if "scholkopf" in searched(e)]
    assert "vonkugelgen2021simpson" in expected
    assert shown_keys(page) == expected


def test_filters_combine_and_empty_headings_hide(page, site_url):
    page.goto(site_url)
    page.select_option("#explorer-section", "probabilistic-modelling-and-inference-pmi")
    page.select_option("#explorer-kind", "inproceedings")
    page.fill("#explorer-from", "2014")
    page.select_option("#explorer-venue", "conference")
    expected = [
        e.key
        for e in EXEMPLARS
        if e.section == "Probabilistic Modelling and Inference (PMI)"
        and e.kind == "inproceedings"
        and e.year >= 2014
        and VENUES[e.venue].type == "conference"
    ]
    assert len(expected) > 0
    assert shown_keys(page) == expected
    assert page.inner_text(".explorer-count") == count_text(len(expected))
    assert not page.is_visible("#preliminaries")
    assert page.is_visible("#probabilistic-modelling-and-inference-pmi")
    groups = {e.subsection for e in EXEMPLARS if e.key in expected}
    for e in EXEMPLARS:
        if e.section.startswith("Probabilistic") and e.subsection not in groups:
            heading = page.get_by_role("heading", name=e.subsection, exact=True)
            assert not heading.is_visible()


def test_the_url_restores_a_view_and_back_undoes_a_step(page, site_url):
    page.goto(site_url + "?q=variational&kind=inproceedings&to=2016")
    assert page.input_value("#explorer-q") == "variational"
    assert page.input_value("#explorer-kind") == "inproceedings"
    expected = [
        e.key
        for e in EXEMPLARS
        if "variational" in searched(e) and e.kind == "inproceedings" and e.year <= 2016
    ]
    assert shown_keys(page) == expected
    page.select_option("#explorer-kind", "")
    assert "kind=" not in page.url
    page.go_back()
    assert page.input_value("#explorer-kind") == "inproceedings"
    assert shown_keys(page) == expected


def test_typing_makes_one_history_step(page, site_url):
    page.goto(site_url)
    page.locator("#explorer-q").press_sequentially("bayes")
    page.wait_for_url("**/?q=bayes")  # written once typing pauses
    page.go_back()
    assert page.input_value("#explorer-q") == ""
    assert len(shown_keys(page)) == TOTAL


def test_escape_and_the_clear_button_reset_the_view(page, site_url):
    page.goto(site_url + "?q=variational&venue=conference")
    page.focus("#explorer-q")
    page.keyboard.press("Escape")
    assert page.input_value("#explorer-q") == ""
    assert page.input_value("#explorer-venue") == ""
    assert len(shown_keys(page)) == TOTAL
    assert urlsplit(page.url).query == ""
    page.select_option("#explorer-section", "deep-learning")
    page.click("text=Clear search and filters")
    assert len(shown_keys(page)) == TOTAL
    assert page.evaluate("document.activeElement.id") == "explorer-q"


FOCUSED = "document.activeElement.id || document.activeElement.className"


def test_every_control_is_labelled_and_reachable_by_keyboard(page, site_url):
    page.goto(site_url)
    for label in ("Search titles, authors, venues and notes", "Section", "From", "to", "Kind"):
        assert page.get_by_label(label, exact=True).count() == 1
    page.focus("#explorer-q")
    reached = []
    for _ in range(6):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.id || document.activeElement.className")
        )
    assert reached[:5] == [
        "explorer-section",
        "explorer-from",
        "explorer-to",
        "explorer-venue",
        "explorer-kind",
    ]
    assert "explorer-clear" in reached[5]


def test_without_javascript_the_whole_list_shows(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url)
    assert page.locator("form.exemplar-explorer").count() == 0
    assert shown_keys_static(page) == [e.key for e in EXEMPLARS]
    page.click("#lipton2019troubling summary")
    assert page.is_visible("#lipton2019troubling pre")
    context.close()


def shown_keys_static(page) -> list[str]:
    items = page.locator("div.exemplar")
    return [
        items.nth(i).get_attribute("id") for i in range(items.count()) if items.nth(i).is_visible()
    ]


def test_a_permalink_lands_on_its_item_even_when_filters_hid_it(page, site_url):
    key = EXEMPLARS[-1].key
    page.goto(site_url + "#" + key)
    assert in_viewport(page, key)
    page.goto(site_url + "?q=zzzzzz")
    assert shown_keys(page) == []
    page.goto(site_url + "?q=zzzzzz#" + key)
    assert in_viewport(page, key)
    assert len(shown_keys(page)) == TOTAL


def in_viewport(page, key: str) -> bool:
    return page.evaluate(
        """key => { const box = document.getElementById(key).getBoundingClientRect();
                    return box.top >= 0 && box.top < innerHeight; }""",
        key,
    )


def test_the_permalink_shows_on_hover_and_focus(page, site_url):
    page.goto(site_url)
    link = page.locator("#kumar2019green .exemplar-permalink")
    assert link.get_attribute("href") == "#kumar2019green"
    opacity = "e => getComputedStyle(e).opacity"
    page.mouse.move(0, 0)
    assert link.evaluate(opacity) == "0"
    page.hover("#kumar2019green p")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#kumar2019green .exemplar-permalink'))"
        ".opacity === '1'"
    )
    page.mouse.move(0, 0)
    link.focus()
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")


def test_the_bibtex_shown_is_the_entry_in_references_bib(page, site_url):
    bibliography = load_bibliography(Project(ROOT))
    page.goto(site_url)
    shown = page.eval_on_selector_all(
        "div.exemplar",
        "items => Object.fromEntries(items.map(i => [i.id, i.querySelector('code').textContent]))",
    )
    assert shown == {e.key: bibliography.source(e.key) for e in EXEMPLARS}
    page.click("#baldwin2018scientific summary")
    assert page.inner_text("#baldwin2018scientific pre") == bibliography.source(
        "baldwin2018scientific"
    )


def test_the_copy_button_copies_the_entry(browser, site_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url[:-1])
    page = context.new_page()
    page.goto(site_url)
    page.click("#kumar2019green summary")
    page.click("#kumar2019green >> text=Copy BibTeX")
    page.wait_for_selector("#kumar2019green .exemplar-copied:text('Copied')")
    entry = load_bibliography(Project(ROOT)).source("kumar2019green")
    assert page.evaluate("navigator.clipboard.readText()") == entry
    context.close()


def test_without_the_clipboard_api_the_copy_falls_back_to_a_selection(page, site_url):
    page.goto(site_url)
    page.evaluate(
        """() => {
          navigator.clipboard.writeText = () => Promise.reject(new Error("refused"));
          document.addEventListener("copy", () => {
            window.copied = document.activeElement.value;
          });
        }"""
    )
    page.click("#kumar2019green summary")
    page.click("#kumar2019green >> text=Copy BibTeX")
    page.wait_for_selector("#kumar2019green .exemplar-copied:text('Copied')")
    entry = load_bibliography(Project(ROOT)).source("kumar2019green")
    assert page.evaluate("window.copied") == entry


def test_ids_are_unique_on_the_page(page, site_url):
    page.goto(site_url)
    ids = page.eval_on_selector_all("[id]", "elements => elements.map(e => e.id)")
    assert len(ids) == len(set(ids))
    assert {e.key for e in EXEMPLARS} <= set(ids)


def test_on_a_phone_nothing_of_the_explorer_runs_off_the_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 412, "height": 900}, has_touch=True)
    page = context.new_page()
    page.goto(site_url)
    page.click("#baldwin2018scientific summary")
    widest = page.eval_on_selector_all(
        ".exemplar-explorer, .exemplar-explorer *, .exemplar-tools, .exemplar-tools *",
        "elements => Math.max(...elements.map(e => e.getBoundingClientRect().right))",
    )
    assert widest <= 412
    context.close()


@pytest.mark.parametrize("theme", ["quarto-light", "quarto-dark"])
def test_axe_finds_no_serious_problem_in_the_explorer(page, site_url, theme):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + "?q=variational")
    # Quarto's dark theme marks <body> with quarto-dark; the page's stand-in theme keys on it.
    page.evaluate("theme => { document.body.className = theme; }", theme)
    page.click("div.exemplar:visible summary >> nth=0")
    page.click("text=Copy BibTeX")
    results = Axe().run(page, context={"include": [[".exemplar-explorer"], ["div.exemplar"]]})
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]
    assert serious == []
