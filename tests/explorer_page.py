"""A page like the exemplars post as Quarto writes it, for tests and the benchmark in a browser.

The list is the project's own (the post's list functions on the real CSV, venues and
bibliography, which run real pandoc and citeproc), under headings that pandoc turns into
sections, in the skeleton of `<main>` that Quarto 1.11 writes for the post: sections are
`page-columns` grids, the figures come before the list. The post's own explorer.js and
explorer.css are served beside it from 127.0.0.1, with each entry's BibTeX file.
The real page, with Quarto's own scripts and themes, is the `render` variant of the tests.

Quarto's Bootstrap theme is not available here; a few of its CSS variables stand in for the
light theme (flatly) and the dark one (darkly), switched as Quarto does it: a class on <body>,
`quarto-light` or `quarto-dark`.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pypandoc
from exemplars.data.schema import Exemplar, Venue
from exemplars.export import export_site
from exemplars.post.coins import list_coins
from exemplars.post.list_html import PostSections, groups_in_order
from exemplars.post.references import post_citations
from exemplars.project import Project

ROOT = Path(__file__).resolve().parent.parent
POST = ROOT / "posts" / "exemplars"
ASSETS = ("explorer.js", "explorer.css")

# Bootstrap variables as flatly and darkly set them, and Quarto's grid on sections and items.
THEME = """
body.quarto-light { --bs-body-bg: #fff; --bs-body-color: #212529; --bs-border-color: #dee2e6;
  --bs-tertiary-bg: #f8f9fa; --bs-link-color: #2c3e50; color-scheme: light; }
body.quarto-dark { --bs-body-bg: #222; --bs-body-color: #fff; --bs-border-color: #444;
  --bs-tertiary-bg: #2b2b2b; --bs-link-color: #7ec8e3; color-scheme: dark; }
body { background: var(--bs-body-bg); color: var(--bs-body-color); font-family: sans-serif;
  margin: 0 auto; max-width: 48rem; padding: 0 1rem; line-height: 1.5; }
a { color: var(--bs-link-color); }
.page-columns { display: grid; grid-template-columns: minmax(0, 1fr); }
"""

SKELETON = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Exemplars</title>
<style>{theme}</style>
<link rel="stylesheet" href="explorer.css">
</head>
<body class="quarto-light">
<div id="quarto-content" class="page-columns page-rows-contents page-layout-article">
<main class="content page-columns page-full" id="quarto-document-content">
<header id="title-block-header" class="quarto-title-block default">
<h1 class="title">Exemplars</h1>
</header>
<p>An annotated reading list, built for the tests from the project's own list.</p>
<div id="fig-years" class="quarto-float quarto-figure quarto-figure-center anchored">
<figure class="quarto-float quarto-float-fig figure">
<figcaption>Figure&nbsp;1: Exemplars per year of publication.</figcaption>
</figure>
</div>
{body}
</main>
</div>
<script src="explorer.js"></script>
</body>
</html>
"""


def list_markdown(exemplars: Sequence[Exemplar], venues: dict[str, Venue], root: Path) -> str:
    """The list as the post prints it: a heading per section and subsection, then the HTML of
    `PostSections` for each group, in list order, with the bibliography of the project at `root`."""
    citations = post_citations(root, root / "posts/exemplars/index.qmd")
    sections = PostSections(exemplars, venues, citations, list_coins(root, exemplars))
    parts, current = [], None
    for section, subsection in groups_in_order(exemplars):
        if section != current:
            parts.append(f"## {section} {{.page-columns .page-full}}\n")
            current = section
        if subsection:
            parts.append(f"### {subsection} {{.page-columns .page-full}}\n")
        parts.append(sections.markdown(section, subsection))
    sections.check_complete()
    return "\n".join(parts)


def page_html(markdown: str) -> str:
    """The list's Markdown as pandoc writes it into the post's skeleton."""
    body = pypandoc.convert_text(
        markdown, "html", format="markdown", extra_args=["--section-divs", "--wrap=none"]
    )
    return SKELETON.format(theme=THEME, body=body)


def write_site(folder: Path, html: str, root: Path = ROOT) -> Path:
    """index.html, the post's explorer assets, and what `exemplars export` writes beside the
    list's post (each entry's BibTeX file among them), in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, encoding="utf-8")
    for name in ASSETS:
        shutil.copy(POST / name, folder / name)
    export_site(folder, Project(root), "index.html")
    return folder
