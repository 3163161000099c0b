"""The list's explorer in a real Chromium: search, filters, the URL, permalinks and BibTeX.

Each test runs on two pages. `fixture`: the project's own list (real CSV, venues and
references.bib) through the post's list functions and real pandoc, in the skeleton of the post's
markup (tests/explorer_page.py), served from 127.0.0.1 with the post's explorer.js and
explorer.css; it runs everywhere. `render` (marked `render`): the post as a real `quarto render`
of the project writes it, with Quarto's own scripts and themes loaded.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import pytest
from exemplars.data.bibliography import load_bibliography
from exemplars.post.site import load_list_and_venues
from exemplars.project import Project
from exemplars.serve import serving

from tests.browser import watched_page
from tests.explorer_page import ROOT, list_markdown, page_html, write_site

EXEMPLARS, VENUES = load_list_and_venues(ROOT)
TOTAL = len(EXEMPLARS)
BIBLIOGRAPHY = load_bibliography(Project(ROOT))


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory):
    html = page_html(list_markdown(EXEMPLARS, VENUES, ROOT))
    folder = write_site(tmp_path_factory.mktemp("explorer"), html)
    with serving(folder) as url:
        yield url


@pytest.fixture(params=["fixture", pytest.param("render", marks=pytest.mark.render)])
def site_url(request):
    """The post's address, ending with `/`: the fixture page, or the real render's post."""
    if request.param == "render":
        return request.getfixturevalue("rendered_url") + "posts/exemplars/"
    return request.getfixturevalue("fixture_url")


def public_entry(key: str) -> str:
    """The entry readers get: as in references.bib, without the project's `x-` fields."""
    return BIBLIOGRAPHY.public_source(key)


def open_bibtex(page, key: str) -> None:
    """Open the item's BibTeX disclosure and wait for the entry to be shown in it."""
    page.click(f"#{key} summary")
    page.wait_for_selector(f"#{key} pre code")


def set_theme(page, theme: str) -> None:
    """Light or dark as the reader gets it: Quarto's toggle on the real page; on the fixture
    page, the class Quarto puts on <body>, which the stand-in theme keys on."""
    if page.locator(".quarto-color-scheme-toggle").count():
        if page.evaluate("document.body.classList.contains('quarto-dark')") != (theme == "dark"):
            page.locator(".quarto-color-scheme-toggle").first.click()
        page.wait_for_function(
            "dark => document.body.classList.contains('quarto-dark') === dark", arg=theme == "dark"
        )
    else:
        page.evaluate("theme => { document.body.className = 'quarto-' + theme; }", theme)


@pytest.fixture
def page(browser, site_url):
    with watched_page(browser, viewport={"width": 1200, "height": 900}) as page:
        yield page


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
    before, after = page.eval_on_selector(
        "form.exemplar-explorer",
        "form => [form.previousElementSibling.id, form.nextElementSibling.id]",
    )
    assert before.startswith("fig-")
    assert after == "preliminaries"
    assert page.locator("form.exemplar-explorer").count() == 1


def test_a_query_shows_the_matching_items_and_their_count(page, site_url):
    page.goto(site_url)
    page.fill("#explorer-find", "variational")
    expected = [e.key for e in EXEMPLARS if "variational" in searched(e)]
    assert 0 < len(expected) < TOTAL
    assert shown_keys(page) == expected
    assert page.inner_text(".explorer-count") == count_text(len(expected))
    assert page.get_attribute(".explorer-count", "aria-live") == "polite"


@pytest.mark.parametrize("query", ["scholkopf", "SCHÖLKOPF", "Schölkopf"])
def test_search_ignores_case_and_accents(page, site_url, query):
    page.goto(site_url)
    page.fill("#explorer-find", query)
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
    page.goto(site_url + "?find=variational&kind=inproceedings&to=2016")
    assert page.input_value("#explorer-find") == "variational"
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


def test_a_filtered_view_survives_a_reload(page, site_url):
    page.goto(site_url)
    page.fill("#explorer-find", "variational")
    page.select_option("#explorer-kind", "inproceedings")
    page.wait_for_url("**/?find=variational&kind=inproceedings")
    shown, count = shown_keys(page), page.inner_text(".explorer-count")
    assert 0 < len(shown) < TOTAL
    page.reload()
    assert page.input_value("#explorer-find") == "variational"
    assert (shown_keys(page), page.inner_text(".explorer-count")) == (shown, count)
    assert "find=variational" in page.url  # still there to share


def test_typing_makes_one_history_step(page, site_url):
    page.goto(site_url)
    page.locator("#explorer-find").press_sequentially("bayes")
    page.wait_for_url("**/?find=bayes")  # written once typing pauses
    page.go_back()
    assert page.input_value("#explorer-find") == ""
    assert len(shown_keys(page)) == TOTAL


def test_escape_and_the_clear_button_reset_the_view(page, site_url):
    page.goto(site_url + "?find=variational&venue=conference")
    page.focus("#explorer-find")
    page.keyboard.press("Escape")
    assert page.input_value("#explorer-find") == ""
    assert page.input_value("#explorer-venue") == ""
    assert len(shown_keys(page)) == TOTAL
    assert urlsplit(page.url).query == ""
    page.select_option("#explorer-section", "deep-learning")
    page.click("text=Clear search and filters")
    assert len(shown_keys(page)) == TOTAL
    assert page.evaluate("document.activeElement.id") == "explorer-find"


@pytest.mark.parametrize("width", [1400, 412])
def test_both_year_inputs_show_four_digits(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site_url + "?from=1996&to=2024")
    for box in ("#explorer-from", "#explorer-to"):
        value, shown, needed = page.eval_on_selector(
            box, "e => [e.value, e.clientWidth, e.scrollWidth]"
        )
        assert len(value) == 4
        assert needed <= shown, f"{box} at {width} px shows {shown} of the {needed} px it needs"
    context.close()


FOCUSED = "document.activeElement.id || document.activeElement.className"


def test_every_control_is_labelled_and_reachable_by_keyboard(page, site_url):
    page.goto(site_url)
    for label in ("Search titles, authors, venues and notes", "Section", "From", "To", "Kind"):
        assert page.get_by_label(label, exact=True).count() == 1
    page.focus("#explorer-find")
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
    link = page.locator("#lipton2019troubling details.exemplar-bibtex > a")
    assert link.is_visible()
    answer = page.request.get(link.evaluate("a => a.href"))
    assert answer.ok
    assert answer.text().strip() == public_entry("lipton2019troubling")
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
    page.goto(site_url + "?find=zzzzzz")
    assert shown_keys(page) == []
    page.goto(site_url + "?find=zzzzzz#" + key)
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
    # Quarto's scripts write a page's own links out in full; where they lead is what counts.
    assert link.evaluate("a => a.href") == page.url.split("#")[0] + "#kumar2019green"
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


def test_the_bibtex_shown_is_the_entry_without_the_projects_fields(page, site_url):
    page.goto(site_url)
    page.eval_on_selector_all("details.exemplar-bibtex", "all => all.forEach(d => d.open = true)")
    page.wait_for_function(
        "n => document.querySelectorAll('details.exemplar-bibtex pre code').length === n",
        arg=TOTAL,
    )
    shown = page.eval_on_selector_all(
        "div.exemplar",
        "items => Object.fromEntries(items.map(i => [i.id, i.querySelector('code').textContent]))",
    )
    assert shown == {e.key: public_entry(e.key) for e in EXEMPLARS}
    assert not any("x-curated" in entry or "x-fetched" in entry for entry in shown.values())
    assert "x-curated" in BIBLIOGRAPHY.source("baldwin2018scientific")  # what was left out


def test_the_copy_button_copies_the_entry(browser, site_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url[:-1])
    page = context.new_page()
    page.goto(site_url)
    open_bibtex(page, "kumar2019green")
    page.click("#kumar2019green >> text=Copy BibTeX")
    page.wait_for_selector("#kumar2019green .exemplar-copied:text('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == public_entry("kumar2019green")
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
    open_bibtex(page, "kumar2019green")
    page.click("#kumar2019green >> text=Copy BibTeX")
    page.wait_for_selector("#kumar2019green .exemplar-copied:text('Copied')")
    assert page.evaluate("window.copied") == public_entry("kumar2019green")


def test_ids_are_unique_on_the_page(page, site_url):
    page.goto(site_url)
    # The page's content: Quarto's own head and chrome repeat some ids of theirs.
    ids = page.eval_on_selector_all("main [id]", "elements => elements.map(e => e.id)")
    assert len(ids) == len(set(ids))
    assert {e.key for e in EXEMPLARS} <= set(ids)


def test_on_a_phone_nothing_of_the_explorer_runs_off_the_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 412, "height": 900}, has_touch=True)
    page = context.new_page()
    page.goto(site_url)
    open_bibtex(page, "baldwin2018scientific")
    widest = page.eval_on_selector_all(
        ".exemplar-explorer, .exemplar-explorer *, .exemplar-bibtex, .exemplar-bibtex *",
        "elements => Math.max(...elements.map(e => e.getBoundingClientRect().right))",
    )
    assert widest <= 412
    # The entry wraps rather than hiding its long fields inside its panel.
    panel = page.locator("#baldwin2018scientific pre")
    assert panel.evaluate("pre => pre.scrollWidth <= pre.clientWidth")
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_problem_in_the_explorer(page, site_url, theme):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + "?find=variational")
    set_theme(page, theme)
    key = page.eval_on_selector("div.exemplar:visible", "item => item.id")
    open_bibtex(page, key)
    page.click(f"#{key} >> text=Copy BibTeX")
    results = Axe().run(page, context={"include": [[".exemplar-explorer"], ["div.exemplar"]]})
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]
    assert serious == []
