"""How long `exemplars check` takes on a Quarto site of many pages and no reading list.

Builds a synthetic blog in a temporary folder: `--pages` posts (120 by default, the size of the
real blog that prompted this), half of them R with knitr-style cell headers and half Python,
each with headings, a table with a caption id, a figure cell, an equation, cross-references,
citations of a shared BibTeX bibliography and links between posts. Runs `exemplars check` on it
as a separate process and prints the best and median of a few runs.

    uv run python benchmarks/check_pages.py [--pages 120] [--repeat 5]

Goal: 120 pages under 3 s on 2 cores, whole process.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

# The same timing as benchmarks/check.py, beside this file (the script's folder is on sys.path).
from check import time_check

SECTIONS = 6


def bibliography(count: int) -> str:
    return "".join(
        f"@article{{ref{i},\n  author = {{Author, A.}},\n  title = {{Paper {i}}},\n"
        f"  journal = {{Journal}},\n  year = {{{2000 + i % 25}}}\n}}\n\n"
        for i in range(count)
    )


def r_cell(n: int) -> list[str]:
    return [
        f"```{{r fig-plot{n}, fig.width=9, fig.cap='Plot {n}'}}",
        "# Colours",
        "colours <- c('#1b9e77', '#d95f02')",
        "",
        "#' @param x a vector",
        "ggplot(data, aes(x, y)) + geom_line()",
        "```",
    ]


def python_cell(n: int) -> list[str]:
    return [
        "```{python}",
        f"#| label: fig-plot{n}",
        f"#| fig-cap: Plot {n}",
        "# Colours",
        "import matplotlib.pyplot as plt",
        "plt.plot([1, 2, 3])",
        "```",
    ]


def page(n: int, pages: int) -> str:
    lines = [
        "---",
        f'title: "Post {n}"',
        "date: 2024-05-01",
        f'description: "Synthetic post {n}."',
        "---",
        "",
        "```{r setup, include=FALSE}" if n % 2 else "```{python}",
        "library(ggplot2)" if n % 2 else "import math",
        "```",
    ]
    for s in range(SECTIONS):
        results = "results" if s == 0 else f"results-{s}"  # pandoc numbers repeated headings
        lines += [
            "",
            f"## Section {s}",
            "",
            f"As @ref{(n + s) % 200} and [@ref{(n * 7 + s) % 200}, p. 3] show, see @fig-plot{s} "
            f"and @tbl-counts{s}; the [next post](../post{(n + 1) % pages}/index.qmd#section-{s}) "
            f"goes on, and [the results](#{results}) sum it up.",
            "",
            *(r_cell(s) if n % 2 else python_cell(s)),
            "",
            "| a | b |",
            "|---|---|",
            f"| {s} | {n} |",
            "",
            f": Counts {s} {{#tbl-counts{s}}}",
            "",
            "$$",
            "y = a + b x",
            f"$$ {{#eq-line{s}}}",
            "",
            f"By @eq-line{s}, more.",
            "",
            "## Results",
            "",
            "Text " * 40,
        ]
    return "\n".join(lines) + "\n"


def build(folder: Path, pages: int) -> Path:
    (folder / "posts").mkdir(parents=True)
    (folder / "_quarto.yml").write_text(
        "project:\n  type: website\n\nbibliography: references.bib\n", encoding="utf-8"
    )
    (folder / "references.bib").write_text(bibliography(200), encoding="utf-8")
    (folder / "posts" / "_metadata.yml").write_text('author: "Benchmark"\n', encoding="utf-8")
    (folder / "index.qmd").write_text("---\ntitle: Home\n---\n\n[Posts](posts/post0/)\n")
    for n in range(pages):
        post = folder / "posts" / f"post{n}"
        post.mkdir()
        (post / "index.qmd").write_text(page(n, pages), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = build(Path(scratch) / "site", args.pages)
        times = time_check(root, args.repeat)
    print(f"{'site':>24} {'best s':>8} {'median s':>9}  cores")
    print(
        f"{f'{args.pages} pages':>24} {min(times):8.3f} {statistics.median(times):9.3f}"
        f"  {os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
