"""Text colours of both themes, with our scss layers, reach WCAG AA contrast (4.5:1) on their
page; computed from the colour values, since the compiled themes come only from a render."""

from __future__ import annotations

import pytest

from tests.theme import FLATLY, THEMES, colours, contrast, faded, layer_colours

AA = 4.5
# Flatly's light grey ($gray-200), behind code and light panels: links must read there too.
FLATLY_LIGHT_PANEL = "#ecf0f1"
# Quarto 1.11 draws what follows each appendix heading (the bibliography at the end, "Reuse",
# "Citation") at this opacity (`#quarto-appendix.default section > *` in its bootstrap rules).
APPENDIX_OPACITY = 0.9


def test_the_contrast_formula_gives_the_known_ratios():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#fff", "#fff") == pytest.approx(1)
    assert round(contrast(FLATLY["link-color"], "#fff"), 2) == 2.41  # what the audit measured


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("role", ["body-color", "link-color", "text-muted"])
def test_text_reaches_aa_on_the_page(theme, role):
    scheme = colours(theme)
    assert contrast(scheme[role], scheme["body-bg"]) >= AA, (theme, role, scheme[role])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_links_still_reach_aa_where_quarto_fades_the_appendix(theme):
    scheme = colours(theme)
    seen = faded(scheme["link-color"], scheme["body-bg"], APPENDIX_OPACITY)
    assert contrast(seen, scheme["body-bg"]) >= AA, (theme, seen)
    assert round(contrast(faded("#117a65", "#fff", APPENDIX_OPACITY), "#fff"), 2) == 4.36


def test_links_also_reach_aa_on_the_light_themes_panels():
    assert contrast(colours("light")["link-color"], FLATLY_LIGHT_PANEL) >= AA


def test_our_light_layer_replaces_the_themes_link_colour():
    _, layer = THEMES["light"]
    assert layer_colours(layer)["link-color"] == colours("light")["link-color"]
    assert colours("light")["link-color"] != FLATLY["link-color"]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_colour_our_layers_set_reaches_aa_on_the_page(theme):
    _, layer = THEMES[theme]
    page = colours(theme)["body-bg"]
    assert {name: contrast(value, page) >= AA for name, value in layer_colours(layer).items()} == {
        name: True for name in layer_colours(layer)
    }
