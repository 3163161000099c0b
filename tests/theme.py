"""The colours readers get in each theme: the Bootswatch theme's own values, then ours.

Quarto compiles the themes when it renders, and Quarto is not installed where the tests run, so
the theme's values are written down here from the theme files Quarto ships
(`src/resources/formats/html/bootstrap/themes/flatly.scss` and `darkly.scss` in quarto-cli),
and our layers (`styles/light.scss`, `styles/dark.scss`) are read from the repository: a colour
set there replaces the theme's, as a `scss:defaults` layer does.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import ROOT

# Page, text, link and muted-text colours of each theme before our layer.
FLATLY = {"body-bg": "#fff", "body-color": "#212529", "link-color": "#18bc9c"}
FLATLY["text-muted"] = "#95a5a6"  # Bootstrap's $gray-600, as flatly sets it
DARKLY = {"body-bg": "#222", "body-color": "#fff", "link-color": "#00bc8c"}
DARKLY["text-muted"] = "#595959"  # body-mix(75%): 75% of #222 into #fff
THEMES = {
    "light": (FLATLY, ROOT / "styles" / "light.scss"),
    "dark": (DARKLY, ROOT / "styles" / "dark.scss"),
}
_VARIABLE = re.compile(r"^\$([\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*(?:!default)?\s*;", re.MULTILINE)


def layer_colours(path: Path) -> dict[str, str]:
    """The colour variables a `scss:defaults` layer sets (`$name: #hex;`)."""
    text = path.read_text(encoding="utf-8")
    defaults = text.split("/*-- scss:rules --*/")[0]
    return {name: value for name, value in _VARIABLE.findall(defaults)}


def colours(theme: str) -> dict[str, str]:
    """The theme's colours with our layer applied."""
    base, layer = THEMES[theme]
    return base | layer_colours(layer)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a `#rgb` or `#rrggbb` colour."""
    channels = [channel / 255 for channel in _channels(colour)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def faded(colour: str, page: str, opacity: float) -> str:
    """`colour` drawn at `opacity` over `page`, as the reader sees it."""
    drawn, under = (_channels(c) for c in (colour, page))
    mixed = (round(opacity * a + (1 - opacity) * b) for a, b in zip(drawn, under, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def _channels(colour: str) -> list[int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return [int(digits[i : i + 2], 16) for i in (0, 2, 4)]


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
