"""Cells and labels as Quarto reads them: knitr-style headers, raw blocks, unexecuted blocks,
and the ids pandoc gives headings, read with the real pandoc.

The pages are tests/fixtures/quarto/_forked_blog (see its README); the short snippets below are
written here, each the smallest page that shows one rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exemplars.quarto.markdown import knitr_label, parse_markdown

BLOG = Path(__file__).parent / "fixtures" / "quarto" / "_forked_blog"


def parse(tmp_path: Path, text: str, name: str = "page.qmd"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_markdown(path)


def test_knitr_cells_are_code_not_prose():
    document = parse_markdown(BLOG / "posts/r-post/index.qmd")
    # Roxygen tags and the raw HTML's @nobody are not citations; the handle in prose is one.
    assert [c.value for c in document.citations] == [
        "gelman2013bayesian",
        "wickham2016ggplot2",
        "someone",
    ]
    # R comments are not headings, so the two "Predictions" headings get pandoc's ids in order.
    headings = {"predictions", "predictions-1", "sec-frequentist", "matching-slightly-simpler"}
    assert headings <= document.ids
    assert not {"yellowstone-colours", "predictions-2"} & document.ids


def test_labels_as_quarto_defines_them():
    document = parse_markdown(BLOG / "posts/r-post/index.qmd")
    # The knitr header's label, a table caption id, an explicit heading id, an equation, a
    # theorem div: each is a cross-reference target of the page.
    for label in ("fig-map", "tbl-counts", "sec-frequentist", "eq-line", "thm-line"):
        assert document.has_label(label), label
    assert [r.value for r in document.crossrefs] == [
        "fig-map",
        "tbl-counts",
        "sec-frequentist",
        "eq-line",
        "thm-line",
    ]


def test_pandoc_makes_one_hyphen_of_a_plus_between_words(tmp_path):
    document = parse(tmp_path, "## Matching + slightly simpler\n")
    assert document.ids == {"matching-slightly-simpler"}


@pytest.mark.parametrize(
    ("options", "label"),
    [
        ("", ""),
        (" helper-functions", "helper-functions"),
        (" fig-map, fig.width=9", "fig-map"),
        (', fig.cap = "A map, wide", fig-map', "fig-map"),
        (', label = "fig-map", echo = FALSE', "fig-map"),
        (", echo = FALSE, fig.dim = c(4, 3)", ""),
        (" 'quoted'", "quoted"),
    ],
)
def test_the_label_of_a_knitr_header(options, label):
    assert knitr_label(options) == label


@pytest.mark.parametrize(
    "fence",
    [
        "```{python}",
        "```{r}",
        "```{r setup}",
        "```{r fig-x, fig.width=9}",
        "```{r, echo=FALSE}",
        "```{julia}",
        "```{ojs}",
        "```{mermaid}",
        "```{dot}",
        "````{python}",
        "  ```{python}",
        "``` {python}",
    ],
)
def test_every_cell_header_opens_a_cell(tmp_path, fence):
    indent = fence[: len(fence) - len(fence.lstrip())]
    ticks = fence.strip().split("{")[0].strip()
    text = f"{fence}\n{indent}# Not a heading\n\n{indent}#' @param x\n{indent}{ticks}\n"
    document = parse(tmp_path, text)
    assert document.citations == []
    assert document.ids <= {"setup", "fig-x"}  # only the header's own label


def test_a_cell_label_in_the_header_or_in_options(tmp_path):
    text = (
        "```{r fig-header, fig.cap='A'}\nplot(1)\n```\n\n"
        "```{python}\n#| label: tbl-option\n1\n```\n\n"
        "```{ojs}\n//| label: fig-ojs\nx = 1\n```\n\n"
        "```{python}\n#| lst-label: lst-code\n#| lst-cap: Code\n1\n```\n"
    )
    document = parse(tmp_path, text)
    assert {"fig-header", "tbl-option", "fig-ojs", "lst-code"} <= document.ids


def test_raw_and_unexecuted_blocks_are_not_prose(tmp_path):
    text = (
        '```{=html}\n<p>By @nobody, <a href="#nowhere">x</a></p>\n```\n\n'
        "```{{python}}\n# Not a heading\n@decorator\n```\n"
    )
    document = parse(tmp_path, text)
    assert (document.citations, document.links, document.ids) == ([], [], set())


def test_a_citation_is_placed_in_the_prose_not_in_a_cell_above_it(tmp_path):
    text = (
        "```{{r}}\n# after @someone\n```\n\n"
        "```{r}\n# thanks @someone, see (https://example.org)\n```\n\n"
        "Thanks @someone, see <https://example.org>.\n"
    )
    document = parse(tmp_path, text)
    assert [(c.value, c.line) for c in document.citations] == [("someone", 9)]
    assert [(link.value, link.line) for link in document.links] == [("https://example.org", 9)]


def test_a_notebook_is_read_as_the_page_it_stands_for():
    document = parse_markdown(BLOG / "posts/notebook/index.ipynb")
    assert document.meta["title"] == "A notebook post"
    # The raw HTML cell's @nobody is passed through, not cited; code comments are not headings.
    assert [c.value for c in document.citations] == ["lovelace1843notes"]
    assert {"notes", "fig-nb"} <= document.ids
    assert "a-comment-not-a-heading" not in document.ids
    # Lines are those of the notebook's JSON, where an editor shows them.
    text = (BLOG / "posts/notebook/index.ipynb").read_text(encoding="utf-8")
    line = text[: text.index("@lovelace1843notes")].count("\n") + 1
    assert document.citations[0].line == line
    assert (
        document.meta_lines["bibliography"] == text[: text.index('"bibliography:')].count("\n") + 1
    )


def test_a_caption_is_read_in_its_place_among_the_prose(tmp_path):
    # The same key before, in and after a cell: each citation on its own line, none in the code.
    text = (
        "Before @doe2020.\n\n"
        "```{python}\n"
        "#| fig-cap: >-\n"
        "#|   A caption over two lines,\n"
        "#|   after @doe2020\n"
        "#| fig-alt: Not Markdown, @doe2020\n"
        "# and not @doe2020 either\n"
        "1\n```\n\n"
        "After @doe2020.\n"
    )
    document = parse(tmp_path, text)
    assert [(c.value, c.line) for c in document.citations] == [
        ("doe2020", 1),
        ("doe2020", 6),
        ("doe2020", 12),
    ]


def test_a_notebook_cell_caption_is_read(tmp_path):
    source = ["#| label: fig-nb\n", '#| fig-cap: "After [@doe2020]"\n', "print(1)"]
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "source": source, "outputs": []}],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "page.ipynb"
    path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
    document = parse_markdown(path)
    text = path.read_text(encoding="utf-8")
    assert [(c.value, c.line) for c in document.citations] == [
        ("doe2020", text[: text.index("@doe2020")].count("\n") + 1)
    ]
