"""`exemplars check` on the pages: citations, cross-references, internal links, front matter.

Each test copies the minimal blog (tests/fixtures/_blog), breaks one thing and reads the report
as a person would: the file and line of each problem, and the exit code.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from exemplars.cli import main

from tests.helpers import snapshot

POST = "posts/exemplars/index.qmd"
EXEMPLARS = str(Path(sys.executable).parent / "exemplars")


def run_check(root: Path, capsys, *extra: str) -> tuple[int, str]:
    before = snapshot(root)
    code = main(["check", "--root", str(root), *extra])
    assert snapshot(root) == before, "check must never modify a file"
    return code, capsys.readouterr().out


def append(root: Path, name: str, text: str) -> int:
    """Add text at the end of a file; the line the text starts on."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def replace(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, name: str, needle: str) -> int:
    text = (root / name).read_text(encoding="utf-8")
    assert needle in text
    return text[: text.index(needle)].count("\n") + 1


def test_the_blog_fixture_is_clean(blog_project, capsys):
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


# Citations -------------------------------------------------------------------------------


def test_unknown_citation_names_the_qmd_and_its_line(blog_project, capsys):
    line = append(blog_project, POST, "\nAs argued elsewhere [@nosuchkey2099, p. 3].\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert (
        f"{POST}:{line}: error: @nosuchkey2099 is not in the bibliography (../references.bib)"
    ) in out
    assert "Found 1 error and 0 warnings in 1 file" in out


def test_each_use_of_an_unknown_key_is_reported_on_its_own_line(blog_project, capsys):
    first = append(blog_project, POST, "\nOne @ghost2020.\n\nTwo [see @ghost2020].\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"{POST}:{first}: error: @ghost2020 is not" in out
    assert f"{POST}:{first + 2}: error: @ghost2020 is not" in out


def test_keys_are_case_sensitive_as_in_pandoc(blog_project, capsys):
    line = append(blog_project, POST, "\nSee @Kingma2014autoencoding.\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"{POST}:{line}: error: @Kingma2014autoencoding is not in the bibliography" in out
    assert 'did you mean "kingma2014autoencoding"?' in out


def test_nocite_keys_are_citations_too(blog_project, capsys):
    replace(blog_project, POST, "categories:", 'nocite: "@ghost2020"\ncategories:')
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"{POST}:5: error: @ghost2020 is not in the bibliography" in out


# Quarto writes a cell's captions into the page as Markdown (fig-alt goes into an attribute as
# plain text): https://quarto.org/docs/reference/cells/cells-jupyter.html#figures
CAPTIONED_CELLS = """
```{python}
#| label: fig-curve
#| fig-cap: "As in [@kingma2014autoencoding], not as in [@ghost2020]"
#| fig-alt: "A curve, drawn as @ghost2021 drew it"
print("a figure")
```

- A table in a list:

  ```{r}
  #| label: tbl-pair
  #| tbl-cap:
  #|   - "From @rezende2014stochastic"
  #|   - "From @ghost2022 and @fig-nowhere"
  1
  ```

```{python}
#| lst-label: lst-code
#| lst-cap: "After [@ghost2023]"
print("a listing")
```

```{python}
#| lst-cap: "Not a listing without its label: @ghost2024"
print("code")
```
"""


def test_citations_in_caption_options_are_read_on_their_lines(blog_project, capsys):
    start = append(blog_project, POST, CAPTIONED_CELLS)
    code, out = run_check(blog_project, capsys)
    assert code == 1
    problems = [line for line in out.splitlines() if line.startswith(POST)]
    assert problems == [
        f"{POST}:{start + 3}: error: @ghost2020 is not in the bibliography (../references.bib)"
        " [CIT001]",
        f"{POST}:{start + 14}: error: @ghost2022 is not in the bibliography (../references.bib)"
        " [CIT001]",
        f"{POST}:{start + 14}: error: @fig-nowhere refers to no label in this page (define"
        " #fig-nowhere on a heading, figure, table, div or cell) [XREF001]",
        f"{POST}:{start + 20}: error: @ghost2023 is not in the bibliography (../references.bib)"
        " [CIT001]",
    ]


def test_citation_on_a_page_without_bibliography(blog_project, capsys):
    line = append(blog_project, "about.qmd", "\nInspired by @kingma2014autoencoding.\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert (
        f"about.qmd:{line}: error: @kingma2014autoencoding is cited but the page has no "
        "bibliography"
    ) in out


def test_bibliography_in_quarto_yml_is_relative_to_the_project(blog_project, capsys):
    append(blog_project, "_quarto.yml", "\nbibliography: references.bib\n")
    append(blog_project, "about.qmd", "\nInspired by @kingma2014autoencoding.\n")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_a_page_bibliography_replaces_the_inherited_one(blog_project, capsys):
    (blog_project / "posts/exemplars/extra.bib").write_text("@misc{extra2024, title={X}}\n")
    replace(blog_project, POST, "categories:", "bibliography: extra.bib\ncategories:")
    line = line_of(blog_project, POST, "@kingma2014autoencoding")
    code, out = run_check(blog_project, capsys)
    assert code == 1  # the post's citations of references.bib are now unknown
    assert (
        f"{POST}:{line}: error: @kingma2014autoencoding is not in the bibliography (extra.bib)"
        in (out)
    )


def test_bibliography_lists_are_joined(blog_project, capsys):
    (blog_project / "posts/exemplars/extra.bib").write_text("@misc{extra2024, title={X}}\n")
    replace(blog_project, POST, "categories:", "bibliography: [extra.bib]\ncategories:")
    append(blog_project, POST, "\nAnd @extra2024.\n")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_emails_and_cross_references_are_not_citations(blog_project, capsys):
    append(
        blog_project,
        POST,
        "\nWrite to me@example.org or <you@example.org>; see @sec-how and @Fig-years.\n",
    )
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_syntax_error_in_a_page_bibliography(blog_project, capsys):
    (blog_project / "posts/exemplars/extra.bib").write_text(
        "@misc{extra2024, title={X}}\n\n@misc{broken, title = {unclosed}\n"
    )
    replace(blog_project, POST, "categories:", "bibliography: [extra.bib]\ncategories:")
    code, out = run_check(blog_project, capsys)
    assert code == 1
    # The same reader as references.bib's, so the same message: the line of the error, then
    # the entry it breaks.
    assert (
        "posts/exemplars/extra.bib:4: error: syntax error: premature end of file "
        "(in entry broken, which starts on line 3) [BIB001]"
    ) in out


def test_a_bibliography_in_a_format_not_read_is_a_warning_and_fails_under_strict(
    blog_project, capsys
):
    (blog_project / "posts/exemplars/extra.ris").write_text("TY  - JOUR\nER  - \n")
    replace(blog_project, POST, "categories:", "bibliography: extra.ris\ncategories:")
    code, out = run_check(blog_project, capsys)
    assert code == 0
    assert f"{POST}:5: warning: bibliography extra.ris is not BibTeX, CSL-JSON or CSL-YAML" in out
    code, out = run_check(blog_project, capsys, "--strict")
    assert code == 1
    assert "Found 0 errors and 1 warning in 1 file" in out


# Cross-references ------------------------------------------------------------------------


def test_cross_reference_to_an_undefined_label(blog_project, capsys):
    line = append(blog_project, POST, "\nAs @fig-venues shows.\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"{POST}:{line}: error: @fig-venues refers to no label in this page" in out


def test_a_label_on_another_page_does_not_count(blog_project, capsys):
    line = append(blog_project, "about.qmd", "\nSee @sec-how.\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"about.qmd:{line}: error: @sec-how refers to no label in this page" in out


@pytest.mark.parametrize(
    ("definition", "reference"),
    [
        ("## Method {#sec-method}", "@sec-method"),
        ("![A chart](chart.png){#fig-chart}", "@fig-chart"),
        ("::: {#fig-panel}\n![a](chart.png){#fig-left}\n\nPanel\n:::", "@fig-panel and @fig-left"),
        ("| a |\n|---|\n| 1 |\n\n: Numbers {#tbl-numbers}", "@tbl-numbers"),
        ("$$\nE = mc^2\n$$ {#eq-energy}", "@eq-energy"),
        ("```{python}\n#| label: tbl-counts\nprint(1)\n```", "@tbl-counts"),
        (
            "```{python}\n#| label: fig-pair\n#| fig-subcap:\n#|   - one\n#|   - two\n1\n```",
            "@fig-pair-2",
        ),
        ('```{#lst-query .sql lst-cap="Query"}\nSELECT 1\n```', "[-@lst-query]"),
        ("::: {#tip-read .callout-tip}\nRead slowly.\n:::", "@tip-read"),
        ("::: {#thm-bound}\nA bound.\n:::", "@Thm-bound"),
        ("![A chart](chart.png){#fig-chart}", "[Fig @fig-chart]"),
    ],
)
def test_labels_quarto_defines(blog_project, capsys, definition, reference):
    (blog_project / "posts/exemplars/chart.png").write_bytes(b"\x89PNG\r\n")
    append(blog_project, POST, f"\n{definition}\n\nSee {reference}.\n")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_a_label_in_a_code_block_that_is_not_a_cell_defines_nothing(blog_project, capsys):
    append(blog_project, POST, "\n```python\n#| label: fig-shown\n```\n")
    line = append(blog_project, POST, "\nSee @fig-shown.\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"{POST}:{line}: error: @fig-shown refers to no label" in out


def test_custom_cross_reference_types_are_not_citations(blog_project, capsys):
    append(
        blog_project,
        "_quarto.yml",
        "\ncrossref:\n  custom:\n    - kind: float\n      key: vid\n"
        "      reference-prefix: Video\n",
    )
    line = append(blog_project, POST, "\n::: {#vid-talk}\nA talk.\n:::\n\n@vid-talk, @vid-none\n")
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"{POST}:{line + 5}: error: @vid-none refers to no label in this page" in out
    assert "@vid-talk" not in out


# Internal links --------------------------------------------------------------------------


def test_link_to_a_missing_file(blog_project, capsys):
    line = append(blog_project, POST, "\nSee [the draft](../draft/index.qmd).\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert (
        f'{POST}:{line}: error: link "../draft/index.qmd": posts/draft/index.qmd does not exist'
    ) in out


def test_missing_image(blog_project, capsys):
    line = append(blog_project, POST, "\n![A chart](figures/years.svg)\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f'{POST}:{line}: error: image "figures/years.svg": ' in out


def test_anchor_missing_in_the_target_page(blog_project, capsys):
    line = append(blog_project, POST, "\nSee [who](../../about.qmd#who-reads-this).\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert (
        f'{POST}:{line}: error: link "../../about.qmd#who-reads-this": no heading or element '
        'with id "who-reads-this" in about.qmd'
    ) in out


def test_anchor_missing_in_the_same_page(blog_project, capsys):
    line = append(blog_project, POST, "\nBack to [the start](#sec-start).\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f'{POST}:{line}: error: link "#sec-start": no heading or element with id' in out
    assert "in this page" in out


# The list's items get their ids from the list when the post's cells run (each item's id is its
# row's key); the page that shows the list is the one `[tool.exemplars.check-site] post` names.
NOTES = "posts/notes/index.qmd"
NOTES_PAGE = '---\ntitle: "Notes"\ndate: 2024-11-05\ndescription: "Links to the list."\n---\n\n'


def test_a_link_from_another_page_to_an_item_of_the_list(blog_project, capsys):
    append(blog_project, NOTES, NOTES_PAGE + "[The VAE](../exemplars/#kingma2014autoencoding).\n")
    append(
        blog_project,
        "about.qmd",
        "\n[Its companion](posts/exemplars/index.html#rezende2014stochastic)\n",
    )
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_a_link_to_a_key_the_list_does_not_have_is_refused(blog_project, capsys):
    line = append(blog_project, NOTES, NOTES_PAGE + "[A ghost](../exemplars/#no-such-key).\n") + 6
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert (
        f'{NOTES}:{line}: error: link "../exemplars/#no-such-key": no heading or element with id '
        f'"no-such-key" in {POST} [LINK002]'
    ) in out


def test_a_link_within_the_list_page_to_an_item(blog_project, capsys):
    append(blog_project, POST, "\nBack to [the VAE](#kingma2014autoencoding).\n")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_only_the_list_page_has_the_items_ids(blog_project, capsys):
    line = append(blog_project, NOTES, NOTES_PAGE + "[Here](#kingma2014autoencoding).\n") + 6
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f'{NOTES}:{line}: error: link "#kingma2014autoencoding": no heading or element' in out


def test_the_list_page_is_the_one_the_settings_name(blog_project, capsys):
    (blog_project / "pyproject.toml").write_text(
        '[tool.exemplars.check-site]\npost = "posts/notes/index.html"\n', encoding="utf-8"
    )
    append(
        blog_project, NOTES, NOTES_PAGE + "The list, [from its start](#kingma2014autoencoding).\n"
    )
    line = append(blog_project, "about.qmd", "\n[Moved](posts/exemplars/#kingma2014autoencoding)\n")
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        f'about.qmd:{line + 1}: error: link "posts/exemplars/#kingma2014autoencoding": no heading '
        f'or element with id "kingma2014autoencoding" in {POST} [LINK002]'
    )
    assert NOTES not in out


def test_exemplars_links_judges_links_to_the_items_alike(blog_project, capsys):
    good = "[The VAE](../exemplars/#kingma2014autoencoding)"
    append(blog_project, NOTES, NOTES_PAGE + f"{good} and [a ghost](../exemplars/#no-such-key).\n")
    code = main(["links", "--offline", "--root", str(blog_project), str(blog_project / NOTES)])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        f"{NOTES}:7: error: broken: ../exemplars/#no-such-key (no heading or element with id "
        f'"no-such-key" in {POST}) [URL001]'
    ) in out
    assert "Checked 2 links in 1 file: 1 ok, 1 broken." in out


def test_link_out_of_the_project(blog_project, capsys):
    line = append(blog_project, POST, "\n[Elsewhere](../../../elsewhere.qmd)\n") + 1
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f'{POST}:{line}: error: link "../../../elsewhere.qmd" leads out of the project' in out


@pytest.mark.parametrize(
    "target",
    [
        "../../about.html#who-writes-this",  # the page the render produces
        "/about.qmd",  # site-absolute
        "/posts/exemplars/",  # a folder's index page
        "../../index.qmd?view=list",
        "#sec-how",
        "#fig-years",
        "#refs",  # Quarto adds the bibliography's div
        "https://example.org/missing.qmd",
        "mailto:someone@example.org",
        "{{< meta site-url >}}/feed.xml",
    ],
)
def test_links_that_resolve(blog_project, capsys, target):
    append(blog_project, POST, f"\n[there]({target})\n")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_missing_resource(blog_project, capsys):
    replace(blog_project, POST, "  - ../../references.bib", "  - ../../references.bib\n  - x.csv")
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f'{POST}:6: error: resource "x.csv" does not exist' in out


def test_project_resource_glob_that_matches_nothing(blog_project, capsys):
    replace(
        blog_project, "_quarto.yml", "  type: website", "  type: website\n  resources: ['*.pdf']"
    )
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert '_quarto.yml:1: error: resource "*.pdf" matches no file' in out


# Front matter ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "date", "description"])
def test_post_without_a_required_field(blog_project, capsys, field):
    text = (blog_project / POST).read_text()
    kept = "\n".join(line for line in text.splitlines() if not line.startswith(f"{field}:"))
    (blog_project / POST).write_text(kept + "\n")
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f"{POST}:1: error: post has no {field}" in out


def test_empty_field_is_reported_where_it_is_set(blog_project, capsys):
    replace(blog_project, "posts/_metadata.yml", '"Test Author"', '""')
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert "posts/_metadata.yml:1: error: author is empty" in out


def test_date_quarto_cannot_read(blog_project, capsys):
    replace(blog_project, POST, "date: 2024-11-04", 'date: "4th of November"')
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert f'{POST}:3: error: date "4th of November" is not a date Quarto reads' in out


@pytest.mark.parametrize(
    "date",
    [
        '"2024-11-04"',
        "11/04/2024",
        "11-04-2024",
        "11/04/24",
        "04 11 2024",
        '"11 04, 2024"',
        "2024-11-04T09:30:00Z",
        "today",
        "last-modified",
    ],
)
def test_dates_quarto_reads(blog_project, capsys, date):
    replace(blog_project, POST, "date: 2024-11-04", f"date: {date}")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_missing_bibliography_file(blog_project, capsys):
    replace(blog_project, "posts/_metadata.yml", "../references.bib", "../refs.bib")
    code, out = run_check(blog_project, capsys)
    assert code == 1
    assert "posts/_metadata.yml:2: error: bibliography ../refs.bib does not exist" in out
    assert "is not in the bibliography" not in out  # its citations cannot be checked


def test_front_matter_that_is_not_yaml_is_unreadable(blog_project, capsys):
    replace(blog_project, POST, 'description: "Two', 'description: "Two: [')
    replace(blog_project, POST, "categories: [reading list]", "categories: [reading list")
    code, out = run_check(blog_project, capsys)
    assert code == 2
    assert f"{POST}:6: error: YAML:" in out


def test_page_that_is_not_utf8_is_unreadable(blog_project, capsys):
    (blog_project / "about.qmd").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    code, out = run_check(blog_project, capsys)
    assert code == 2
    assert "about.qmd:2: error: not UTF-8 (byte 0xe9)" in out


def test_metadata_file_that_is_not_yaml_is_unreadable(blog_project, capsys):
    append(blog_project, "posts/_metadata.yml", "freeze: [true\n")
    code, out = run_check(blog_project, capsys)
    assert code == 2
    assert "posts/_metadata.yml:" in out and "error: YAML:" in out


# Which files are pages -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "_site/posts/old/index.qmd",
        "_freeze/posts/x.md",
        ".quarto/x.qmd",
        ".venv/lib/site.md",
        "posts/exemplars/_draft.qmd",
        "README.md",
        "node_modules/pkg/readme.md",
    ],
)
def test_files_quarto_does_not_render_are_not_checked(blog_project, capsys, name):
    append(blog_project, name, "See @ghost2020 and [x](nowhere.qmd).\n")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


def test_project_render_list_limits_the_pages(blog_project, capsys):
    append(blog_project, "notes/scratch.qmd", "See @ghost2020.\n")
    replace(blog_project, "_quarto.yml", "  type: website", "  type: website\n  render: [posts/]")
    code, out = run_check(blog_project, capsys)
    assert (code, out.strip()) == (0, "All clear: exemplars check.")


# One report ------------------------------------------------------------------------------


def test_one_json_report_sorted_by_file_and_line(blog_project, capsys):
    append(blog_project, "about.qmd", "\n[x](missing.qmd)\n")
    append(blog_project, POST, "\n@ghost2020 and @fig-none\n")
    replace(blog_project, "data/exemplars.csv", ",2014,ICML,", ",20x4,ICML,")
    code, out = run_check(blog_project, capsys, "--json")
    assert code == 1
    report = json.loads(out)
    places = [(p["file"], p["line"], p["code"]) for p in report["problems"]]
    post_line = line_of(blog_project, POST, "@ghost2020 and")
    assert places == [
        ("about.qmd", 10, "LINK001"),
        ("data/exemplars.csv", 3, "CSV004"),
        ("data/venues.csv", 3, "VEN002"),  # ICML's only row is invalid
        (POST, post_line, "CIT001"),
        (POST, post_line, "XREF001"),
    ]
    assert report["summary"] == {
        "errors": 5,
        "warnings": 0,
        "files": 4,
        "checked": "exemplars check",
    }


def test_pandoc_starts_once_per_worker_not_once_per_page(blog_project, tmp_path):
    from exemplars.quarto.markdown import pandoc_path

    log = tmp_path / "pandoc-calls.log"
    wrapper = tmp_path / "pandoc"
    wrapper.write_text(f'#!/bin/sh\necho call >> "{log}"\nexec "{pandoc_path()}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    result = subprocess.run(
        [EXEMPLARS, "check", "--root", str(blog_project)],
        env=os.environ | {"PYPANDOC_PANDOC": str(wrapper)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = ["index.qmd", "about.qmd", POST]
    workers = min(4, os.cpu_count() or 1)
    assert len(log.read_text().splitlines()) == min(len(pages), workers)


def test_no_traceback_when_pandoc_is_missing(blog_project, tmp_path):
    result = subprocess.run(
        [EXEMPLARS, "check", "--root", str(blog_project)],
        env=os.environ | {"PYPANDOC_PANDOC": str(tmp_path / "no-pandoc")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error: cannot run pandoc" in result.stdout
