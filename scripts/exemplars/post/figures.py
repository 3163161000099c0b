"""Figures 1 and 2 of the post, drawn with plotnine from the list, as deterministic SVG.

Figure 1 counts exemplars per year of publication; Figure 2 counts them per venue label
(`data/venues.csv`), with the long tail of venues that have few exemplars grouped as "Other" so
the chart stays readable on a phone. Colours come from the Okabe-Ito palette, which
stays distinguishable under the common forms of colour blindness, and every bar also carries its
number, so colour is never the only cue.

The same list gives byte-identical SVG: matplotlib's SVG writer otherwise stamps the current
date and salts its element ids with a random value per process.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from plotnine import (
    aes,
    coord_flip,
    element_blank,
    element_line,
    element_rect,
    element_text,
    geom_col,
    geom_text,
    ggplot,
    guide_legend,
    guides,
    labs,
    scale_fill_manual,
    scale_x_continuous,
    scale_y_continuous,
    theme,
    theme_minimal,
)

from exemplars.data.schema import Exemplar, Venue

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour deficiency.
TYPE_COLOURS = {
    "conference": "#0072B2",  # blue
    "journal": "#E69F00",  # orange
    "preprint": "#009E73",  # bluish green
    "book": "#CC79A7",  # reddish purple
    "talk/video": "#D55E00",  # vermillion
    "web": "#56B4E9",  # sky blue
    "other": "#000000",  # black
}
GROUPED = "grouped"
GROUPED_COLOUR = "#999999"
BAR_COLOUR = TYPE_COLOURS["conference"]
# The site's text colour (Bootstrap's body colour, shared by the light theme), so figures and
# prose read alike.
INK = "#212529"
GRID = "#DEE2E6"
# Venues with fewer exemplars than this share one "Other" bar in Figure 2.
MIN_VENUE_COUNT = 3
BASE_SIZE = 13
WIDTH_INCHES = 5.6
SVG_SETTINGS = {
    "svg.hashsalt": "exemplars",  # fixed, so clip-path and glyph ids repeat from run to run
    "svg.fonttype": "path",  # glyphs as paths: the figure looks the same without the font
    "font.family": "DejaVu Sans",  # ships with matplotlib, so every machine draws the same text
}
# Month names spelled out here rather than by strftime, whose names follow the machine's locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def data_as_of(exemplars: Sequence[Exemplar]) -> str:
    """The date the newest exemplar joined the list, e.g. "4 November 2024"."""
    newest = max(exemplar.added for exemplar in exemplars)
    return f"{newest.day} {MONTHS[newest.month - 1]} {newest.year}"


def year_counts(exemplars: Sequence[Exemplar]) -> pd.DataFrame:
    """Columns `year` and `exemplars`, one row per year that has any, oldest first."""
    years = pd.Series([exemplar.year for exemplar in exemplars], name="year")
    counts = years.value_counts().sort_index()
    return counts.rename("exemplars").reset_index()


def venue_counts(
    exemplars: Sequence[Exemplar], venues: dict[str, Venue], min_count: int = MIN_VENUE_COUNT
) -> pd.DataFrame:
    """Columns `label`, `type`, `exemplars`: labels with at least `min_count` exemplars, most first
    (ties alphabetical), then one "Other" row for all the rest, if any.

    `venues` maps the venue as listed to its label and type (data/venues.csv).
    """
    frame = pd.DataFrame(
        {
            "label": [venues[exemplar.venue].label for exemplar in exemplars],
            "type": [venues[exemplar.venue].type for exemplar in exemplars],
        }
    )
    # A label's type is that of its first venue row; labels are expected to have one type.
    counts = frame.groupby("label", sort=True).agg(
        type=("type", "first"), exemplars=("type", "size")
    )
    counts = counts.reset_index().sort_values(
        ["exemplars", "label"], ascending=[False, True], kind="stable"
    )
    shown = counts[counts["exemplars"] >= min_count]
    tail = counts[counts["exemplars"] < min_count]
    if tail.empty:
        return shown.reset_index(drop=True)
    other = pd.DataFrame(
        {
            "label": [f"Other ({len(tail)} venues)"],
            "type": [GROUPED],
            "exemplars": [int(tail["exemplars"].sum())],
        }
    )
    return pd.concat([shown, other], ignore_index=True)


def _site_theme() -> theme:
    return theme_minimal(base_size=BASE_SIZE, base_family=SVG_SETTINGS["font.family"]) + theme(
        text=element_text(color=INK),
        axis_text=element_text(color=INK),
        panel_grid_major=element_line(color=GRID, size=0.6),
        panel_grid_minor=element_blank(),
        plot_background=element_rect(fill="white", color="white"),
        legend_position="bottom",
        legend_title=element_blank(),
    )


def years_plot(exemplars: Sequence[Exemplar]) -> ggplot:
    """Figure 1: a bar per year of publication, height = number of exemplars."""
    data = year_counts(exemplars)
    first, last = int(data["year"].min()), int(data["year"].max())
    step = 2 if last - first <= 16 else 4
    breaks = list(range(last - (last - first) // step * step, last + 1, step))
    return (
        ggplot(data, aes("year", "exemplars"))
        + geom_col(fill=BAR_COLOUR, width=0.8)
        + scale_x_continuous(breaks=breaks)
        + scale_y_continuous(expand=(0, 0, 0.05, 0))
        + labs(x="Year of publication", y="Exemplars")
        + _site_theme()
        + theme(
            figure_size=(WIDTH_INCHES, 3.4),
            panel_grid_major_x=element_blank(),
        )
    )


def venues_plot(exemplars: Sequence[Exemplar], venues: dict[str, Venue]) -> ggplot:
    """Figure 2: a horizontal bar per venue label, coloured by venue type, the tail grouped."""
    data = venue_counts(exemplars, venues)
    # coord_flip draws the first category at the bottom: reverse, so the largest is on top
    # and "Other" sits last.
    data["label"] = pd.Categorical(data["label"], categories=list(data["label"])[::-1])
    names = {kind: kind.capitalize() for kind in TYPE_COLOURS} | {GROUPED: "Grouped venues"}
    present = [kind for kind in [*TYPE_COLOURS, GROUPED] if kind in set(data["type"])]
    colours = TYPE_COLOURS | {GROUPED: GROUPED_COLOUR}
    return (
        ggplot(data, aes("label", "exemplars", fill="type"))
        + geom_col(width=0.75)
        + geom_text(aes(label="exemplars"), ha="left", nudge_y=0.4, size=BASE_SIZE - 2, color=INK)
        + coord_flip()
        + scale_fill_manual(
            values=[colours[kind] for kind in present],
            breaks=present,
            labels=[names[kind] for kind in present],
        )
        + scale_y_continuous(expand=(0, 0, 0.08, 0))
        + guides(fill=guide_legend(nrow=2))  # two rows fit a phone's width
        + labs(x="", y="Exemplars")
        + _site_theme()
        + theme(
            figure_size=(WIDTH_INCHES, 1.6 + 0.36 * len(data)),
            panel_grid_major_y=element_blank(),
        )
    )


@dataclass(frozen=True, repr=False)
class SvgFigure:
    """SVG text that Jupyter shows as an image (`image/svg+xml`), byte for byte."""

    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def __repr__(self) -> str:  # the plain-text fallback Jupyter stores beside the SVG
        return f"<SvgFigure, {len(self.svg)} characters of SVG>"


def to_svg(plot: ggplot) -> SvgFigure:
    """The plot as SVG text; the same plot always gives the same text.

    Drawn from matplotlib's defaults, not the session's settings (a Jupyter kernel run by Quarto
    sets its own figure size and resolution), so where it runs makes no difference.
    """
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(SVG_SETTINGS)
        figure = plot.draw()
        buffer = io.StringIO()
        try:
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            plt.close(figure)  # or Jupyter's inline backend would show it a second time
    return SvgFigure(buffer.getvalue())
