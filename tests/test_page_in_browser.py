"""The post as readers get it, as far as it can be built without Quarto: the post's real markup
(tests/fixtures/post_page/main.html, mirroring Quarto's) with the site's own CSS, in Chromium.

Quarto's compiled themes exist only after a render, so the page gets a stand-in for each theme:
its page, text and link colours (tests/theme.py, our scss layers applied) and the theme's least
helpful habits, links without underline and faded category labels. What this shows is that our
rules hold on those colours: every reference inside its own item, the rule beside the text, long
URLs wrapped, links in text underlined, and no critical or serious axe-core violation in either
theme. The real render is audited by `exemplars check-site`.
"""

from __future__ import annotations

import pytest

from tests.browser import launched_browser
from tests.helpers import ROOT
from tests.theme import colours

MAIN = ROOT / "tests" / "fixtures" / "post_page" / "main.html"
SITE_CSS = ROOT / "styles" / "site.css"
DARK_RULES = ROOT / "styles" / "dark.scss"  # its rules part is plain CSS
WIDTHS = (1400, 412)  # the audit's desktop window and a phone


def theme_stand_in(theme: str) -> str:
    scheme = colours(theme)
    return f"""
:root {{ --bs-body-color: {scheme["body-color"]}; --bs-body-bg: {scheme["body-bg"]};
         --bs-primary: #2c3e50; }}
body {{ color: var(--bs-body-color); background: var(--bs-body-bg); margin: 0;
        font: 17px/1.5 sans-serif; }}
main {{ max-width: 48rem; margin: 0 auto; padding: 0 1rem; }}
a {{ color: {scheme["link-color"]}; text-decoration: none; }}
.quarto-category {{ opacity: 0.6; color: {scheme["text-muted"]}; }}
code {{ color: {scheme.get("code-color", "#7d12ba")}; }}
.column-margin {{ font-size: 0.85em; }}
pre {{ overflow: auto; }}  /* Bootstrap's: a code block scrolls within itself */
"""


def page_html(theme: str) -> str:
    rules = SITE_CSS.read_text(encoding="utf-8")
    if theme == "dark":
        rules += DARK_RULES.read_text(encoding="utf-8").split("/*-- scss:rules --*/")[1]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Exemplars</title>'
        f"<style>{theme_stand_in(theme)}</style><style>{rules}</style></head><body>"
        f'<div id="quarto-content">{MAIN.read_text(encoding="utf-8")}</div></body></html>'
    )


@pytest.fixture(scope="module")
def browser():
    with launched_browser() as browser:
        yield browser


@pytest.fixture(params=[(theme, width) for theme in ("light", "dark") for width in WIDTHS])
def page(request, browser):
    theme, width = request.param
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.set_content(page_html(theme))
    yield page
    page.close()


def test_no_critical_or_serious_accessibility_violation(page):
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in violations
        if v["impact"] in ("critical", "serious")
    ]
    assert serious == []


def test_each_reference_is_inside_its_own_item(page):
    boxes = page.eval_on_selector_all(
        ".exemplar",
        """items => items.map(item => {
             const box = item.getBoundingClientRect();
             const refs = [...item.querySelectorAll('.exemplar-reference')];
             const ref = refs[0].getBoundingClientRect();
             return {count: refs.length, inside: ref.top >= box.top && ref.bottom <= box.bottom
                     && ref.left >= box.left && ref.right <= box.right + 0.5};
           })""",
    )
    assert boxes and all(box == {"count": 1, "inside": True} for box in boxes)


def test_the_rule_sits_beside_the_text(page):
    gaps = page.eval_on_selector_all(
        ".exemplar",
        """items => items.map(item => item.querySelector('p').getBoundingClientRect().left
                                       - item.getBoundingClientRect().left)""",
    )
    assert gaps and all(0 < gap <= 24 for gap in gaps)


def test_long_urls_wrap_inside_the_window(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    overflowing = page.eval_on_selector_all(
        ".exemplar-reference a",
        "links => links.filter(a => a.getBoundingClientRect().right > window.innerWidth).length",
    )
    assert overflowing == 0


def test_links_in_text_are_underlined(page):
    decorations = page.eval_on_selector_all(
        "#quarto-document-content p a",
        "links => links.map(a => getComputedStyle(a).textDecorationLine)",
    )
    assert decorations and set(decorations) == {"underline"}
