"""The exemplars post, executed in a real Jupyter kernel, shows the whole list as the CSV has it.

One execution of the post (on a copy of the project, so the repository cannot change) is shared
by the tests of this module; see tests/post_notebook.py for how the post becomes a notebook.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib
import pypandoc
import pytest
from exemplars.post import figures
from exemplars.post.site import load_list_and_venues
from exemplars.quarto.globs import resolve_globs
from exemplars.quarto.markdown import cell_options, pandoc_ast, parse_markdown

from tests.helpers import ROOT, html_items, reference_entries, snapshot
from tests.post_notebook import execute, generated_markdown, inline_values, split_post

POST = Path("posts/exemplars/index.qmd")
PROJECT_FILES = ("_quarto.yml", "references.bib", "data", "posts", "index.qmd", "about.qmd")


def csv_rows(root: Path, name: str) -> list[dict[str, str]]:
    """A CSV read with nothing but the standard library, to check our loaders against."""
    with (root / "data" / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("project")
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            shutil.copy2(source, copy / name)
    return copy


@pytest.fixture(scope="module")
def run(project, tmp_path_factory):
    """The post split into pieces, executed once, with the files it saw before and after."""
    post = split_post(project / POST)
    before = snapshot(project)
    executed = execute(post, (project / POST).parent, tmp_path_factory.mktemp("kernel"))
    return post, executed, before, snapshot(project)


def text_of(inlines: list[dict[str, Any]]) -> str:
    parts = []
    for node in inlines:
        if node["t"] == "Str":
            parts.append(node["c"])
        elif node["t"] in ("Space", "SoftBreak"):
            parts.append(" ")
        elif isinstance(node.get("c"), list):
            parts.append(text_of([c for c in node["c"] if isinstance(c, dict) and "t" in c]))
    return "".join(parts)


def items_under_headings(markdown: str) -> list[tuple[dict[str, Any], str, str]]:
    """Each item of the list the post prints, with the level 2 and 3 headings it sits under."""
    found: list[tuple[dict[str, Any], str, str]] = []
    heading = {2: "", 3: ""}
    for node in pandoc_ast(markdown)["blocks"]:
        if node["t"] == "Header" and node["c"][0] in heading:
            level, _, inlines = node["c"]
            heading[level] = text_of(inlines)
            if level == 2:
                heading[3] = ""
        elif node["t"] == "RawBlock" and node["c"][0] == "html":
            found += [(item, heading[2], heading[3]) for item in html_items(node["c"][1])]
    return found


def test_the_post_executes_without_changing_a_file(run, project):
    _, _, before, after = run  # executing raised if any cell failed
    # Only a cache of derived data is written: references.bib as CSL-JSON, for the next render.
    written = {name for name in after.keys() - before.keys() if name.startswith(".cache/")}
    assert written == {".cache/references.csl.json"}
    assert {name: after[name] for name in after.keys() - written} == before


def test_every_exemplar_is_cited_once_under_its_headings_in_list_order(run, project):
    post, executed, _, _ = run
    found = items_under_headings(generated_markdown(post, executed))
    rows = csv_rows(project, "exemplars.csv")
    expected = [(row["key"], row["section"], row["subsection"]) for row in rows]
    assert [(item["id"], section, subsection) for item, section, subsection in found] == expected
    for item, section, subsection in found:
        assert item["cites"] == [item["id"]]
        assert item["group"] == {"section": section, "subsection": subsection}


def test_every_citation_resolves_in_the_bibliography(run, project):
    """Pandoc's citeproc found an entry for every exemplar: each item holds the reference its
    citation links to (an unresolved key would leave it without one)."""
    post, executed, _, _ = run
    found = items_under_headings(generated_markdown(post, executed))
    assert len(found) == len(csv_rows(project, "exemplars.csv"))
    for item, _, _ in found:
        assert item["reference_id"] == f"ref-{item['id']}"
        assert item["reference"], item["id"]


def test_each_section_and_subsection_opens_with_our_own_introduction(project):
    blocks = pandoc_ast((project / POST).read_text(encoding="utf-8"))["blocks"]
    headings = {
        text_of(block["c"][2]): blocks[index + 1]["t"]
        for index, block in enumerate(blocks)
        if block["t"] == "Header" and block["c"][0] in (2, 3)
    }
    rows = csv_rows(project, "exemplars.csv")
    for name in {row["section"] for row in rows} | {row["subsection"] for row in rows} - {""}:
        assert headings.get(name) == "Para", f'"{name}" needs a heading and an introduction'


def test_both_figures_are_produced_as_svg_identical_to_a_second_run(run, project):
    post, executed, _, _ = run
    exemplars, venues = load_list_and_venues(project)
    expected = {
        "fig-years": figures.to_svg(figures.years_plot(exemplars)).svg,
        "fig-venues": figures.to_svg(figures.venues_plot(exemplars, venues)).svg,
    }
    outputs = {
        piece.source: [out.data["image/svg+xml"] for out in cell.outputs if "data" in out]
        for piece, cell in zip(post.pieces, executed.cells, strict=False)
        if not isinstance(piece, str)
    }
    for label, source in figure_cells(project / POST).items():
        # The kernel drew it in another process: equal bytes mean the drawing is deterministic.
        assert outputs[source] == [expected.pop(label)], label
    assert expected == {}, "every figure needs its labelled div"


def figure_cells(path: Path) -> dict[str, str]:
    """Label -> source of the one cell inside each `::: {#fig-...}` div, as pandoc reads it."""
    cells = {}
    for block in pandoc_ast(path.read_text(encoding="utf-8"))["blocks"]:
        if block["t"] == "Div" and block["c"][0][0].startswith("fig-"):
            inside = [b["c"][1].rstrip("\n") for b in block["c"][1] if b["t"] == "CodeBlock"]
            assert len(inside) == 1, f"{block['c'][0][0]} should hold exactly one cell"
            cells[block["c"][0][0]] = inside[0]
    return cells


def test_captions_say_how_current_the_data_is(run, project):
    _, executed, _, _ = run
    values = inline_values(executed)
    rows = csv_rows(project, "exemplars.csv")
    newest = max(dt.date.fromisoformat(row["added"]) for row in rows)
    assert values["as_of"] == f"{newest.day} {newest:%B} {newest.year}"
    assert values["count"] == str(len(rows))
    assert values["min_count"] == str(figures.MIN_VENUE_COUNT)


def bar_sizes(plot) -> tuple[list[tuple[float, float, float, float]], dict[float, str]]:
    """Each bar as matplotlib drew it (x centre, height, y centre, width), and the y tick labels."""
    figure = plot.draw()
    try:
        axes = figure.axes[0]
        bars = []
        for collection in axes.collections:
            for path in collection.get_paths():
                (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
                bars.append(((x0 + x1) / 2, y1 - y0, (y0 + y1) / 2, x1 - x0))
        labels = {tick.get_position()[1]: tick.get_text() for tick in axes.get_yticklabels()}
    finally:
        figures.plt.close(figure)
    return bars, labels


def test_figure_1_plots_the_csv_count_for_each_year(project):
    exemplars, _ = load_list_and_venues(project)
    bars, _ = bar_sizes(figures.years_plot(exemplars))
    plotted = {round(x): round(height, 6) for x, height, _, _ in bars}
    expected = Counter(int(row["year"]) for row in csv_rows(project, "exemplars.csv"))
    assert plotted == expected


def test_figure_2_plots_the_csv_count_for_each_venue_label_with_the_tail_grouped(project):
    exemplars, venues = load_list_and_venues(project)
    bars, labels = bar_sizes(figures.venues_plot(exemplars, venues))
    plotted = {labels[round(y)]: round(width, 6) for _, _, y, width in bars}
    label_of = {row["venue"]: row["label"] for row in csv_rows(project, "venues.csv")}
    per_label = Counter(label_of[row["venue"]] for row in csv_rows(project, "exemplars.csv"))
    shown = {label: n for label, n in per_label.items() if n >= figures.MIN_VENUE_COUNT}
    tail = {label: n for label, n in per_label.items() if n < figures.MIN_VENUE_COUNT}
    others = [label for label in plotted if label.startswith("Other")]
    assert {k: v for k, v in plotted.items() if k not in others} == shown
    assert others == [f"Other ({len(tail)} venues)"]
    assert plotted[others[0]] == sum(tail.values())
    assert sum(plotted.values()) == len(exemplars)


def test_the_same_list_gives_byte_identical_svg(project):
    exemplars, venues = load_list_and_venues(project)
    for draw in (
        lambda: figures.years_plot(exemplars),
        lambda: figures.venues_plot(exemplars, venues),
    ):
        first, second = figures.to_svg(draw()).svg, figures.to_svg(draw()).svg
        assert first == second
        assert first.lstrip().startswith("<?xml") and "<svg" in first
        assert "<dc:date>" not in first  # matplotlib stamps the time unless told not to
        # Quarto's kernel changes matplotlib's settings; the SVG must not notice.
        with matplotlib.rc_context(
            {"savefig.bbox": "tight", "savefig.pad_inches": 1, "svg.hashsalt": None}
        ):
            assert figures.to_svg(draw()).svg == first


def test_front_matter_has_what_a_reader_and_a_listing_need():
    meta = parse_markdown(ROOT / POST).meta
    assert meta["title"] and meta["subtitle"] and meta["description"]
    assert meta["author"][0]["name"]
    assert meta["date"] == dt.date(2024, 11, 4)
    assert meta["date-modified"] >= meta["date"]
    assert meta["execute"]["freeze"] is False  # the list changes without the post changing


def test_every_figure_reference_has_a_label():
    document = parse_markdown(ROOT / POST)
    referenced = {ref.value for ref in document.crossrefs}
    assert referenced >= {"fig-years", "fig-venues"}
    assert referenced <= document.ids


def test_downloads_point_at_files_the_site_publishes():
    import yaml

    document = parse_markdown(ROOT / POST)
    downloads = {"../../references.bib", "../../data/exemplars.csv"}
    assert downloads <= {link.value for link in document.links}
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    published = resolve_globs(ROOT, config["project"]["resources"])
    for link in downloads:
        target = (ROOT / POST).parent / link
        assert target.is_file()
        assert target.resolve() in {path.resolve() for path in published}


CAPTION_OPTIONS = ("fig-alt", "fig-cap", "fig-subcap", "tbl-cap", "tbl-subcap")


def test_figure_alt_text_and_captions_are_one_line_cell_options():
    """Quarto's Jupyter engine breaks an image's attribute list when such an option spans
    several `#|` lines (a folded `>-` scalar included): the alt text then shows as literal
    `{fig-alt=...}` text and the image has no alt. Each must be written on its own line."""
    checked = 0
    for cell in split_post(ROOT / POST).cells:
        lines = [line for line in cell.source.splitlines() if line.startswith("#|")]
        for option in CAPTION_OPTIONS:
            if option not in cell.options:
                continue
            checked += 1
            value = cell.options[option]
            assert isinstance(value, str) and "\n" not in value, option
            own_line = [line for line in lines if line.startswith(f"#| {option}:")]
            assert len(own_line) == 1, option
            assert cell_options(own_line[0]) == {option: value}, (
                f"{option} continues over several lines; write it on one line"
            )
    assert checked >= 2  # both figures have alt text


def test_each_item_holds_its_own_full_reference_as_the_bibliography_has_it(run, project):
    """The reference is in the item's own block, so it sits beside its item at every width; its
    text is the entry citeproc makes of references.bib for that key, on its own."""
    post, executed, _, _ = run
    found = items_under_headings(generated_markdown(post, executed))
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "--citeproc", "--bibliography=references.bib", "-t", "html"],
        input="---\nnocite: '@*'\n---\n",
        capture_output=True,
        text=True,
        cwd=project,
        check=True,
    )
    entries = reference_entries(result.stdout)
    assert len(entries) == len(found)
    for item, _, _ in found:
        assert item["reference"] == entries[item["id"]], item["id"]
