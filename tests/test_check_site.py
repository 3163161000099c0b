"""`exemplars check-site` on a built site: the clean fixture passes, each planted defect is caught.

The fixture (tests/fixtures/_built) mirrors Quarto's markup; each test copies it into a temporary
project, plants one defect and expects its code at the line of the HTML file where it sits.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import rispy
import yaml
from exemplars.cli import main
from exemplars.config import CheckSiteSettings
from exemplars.export import export_site
from exemplars.findings import Finding, printed_path
from exemplars.project import Project
from exemplars.site import check_site

from tests.browser import require_chromium
from tests.helpers import BIB, ROOT
from tests.test_pre_render import first_failure, split_like_quarto

BUILT = ROOT / "tests" / "fixtures" / "_built"
POST = "_site/posts/exemplars/index.html"
ABOUT = "_site/about.html"
HOME = "_site/index.html"


SITE_URL = "https://example.org/exemplars"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture site in a project of its own, with the downloads the post offers, those
    `exemplars export` writes included."""
    shutil.copytree(BUILT / "_site", tmp_path / "_site")
    for csv in (tmp_path / "data" / "exemplars.csv", tmp_path / "_site" / "data" / "exemplars.csv"):
        csv.parent.mkdir(parents=True)
        shutil.copy(BUILT / "list.csv", csv)
    shutil.copy(BUILT / "venues.csv", tmp_path / "data" / "venues.csv")
    for bib in (tmp_path / "references.bib", tmp_path / "_site" / "references.bib"):
        shutil.copy(BUILT / "list.bib", bib)
    (tmp_path / "_quarto.yml").write_text(
        f"project:\n  type: website\nwebsite:\n  site-url: {SITE_URL}\n", encoding="utf-8"
    )
    export_site(tmp_path / "_site", Project(tmp_path), CheckSiteSettings().post)
    return tmp_path


def plant(project: Path, page: str, old: str, new: str) -> int:
    """Replace the one `old` of a page with `new`; the line where `new` starts."""
    path = project / page
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {page}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def add_paragraph(project: Path, page: str, html: str) -> int:
    """`html` on a line of its own just before the page's `</main>`; its line."""
    return plant(project, page, "</main>", f"\n{html}\n</main>") + 1


def static(project: Path, **settings) -> list[Finding]:
    return check_site(project / "_site", Project(project), CheckSiteSettings(**settings))


def file_of(found: Finding, project: Path) -> str:
    """The finding's file as the report prints it."""
    return printed_path(found.file, project)


def located(findings: list[Finding], project: Path) -> set[tuple[str, int, str]]:
    return {(file_of(f, project), f.line, f.code) for f in findings}


def line_of(project: Path, page: str, needle: str) -> int:
    text = (project / page).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def test_the_clean_site_passes(project):
    assert static(project) == []


def test_an_image_without_alt(project):
    line = add_paragraph(project, ABOUT, '<p><img src="posts/exemplars/index_files/x.svg"></p>')
    (project / "_site/posts/exemplars/index_files/x.svg").write_text("<svg/>", encoding="utf-8")
    findings = static(project)
    assert located(findings, project) == {(ABOUT, line, "SITE001")}
    assert "posts/exemplars/index_files/x.svg has no alt" in findings[0].message


def test_an_empty_alt_marks_a_decorative_image(project):
    add_paragraph(
        project,
        ABOUT,
        '<p><img src="posts/exemplars/index_files/figure-html/cell-3-output-1.svg" alt=""></p>',
    )
    assert static(project) == []


@pytest.mark.parametrize(
    ("shown", "kind"),
    [
        # As Quarto printed Figure 1's alt text beside it, its quotes made typographic.
        (
            "<p>{fig-alt=\u2019 Vertical bar chart with one bar per year.\u2019}</p>",
            "an attribute list",
        ),
        ("<p>See the figure.{#fig-years}</p>", "an attribute list"),
        ("<p>A note {.column-margin}</p>", "an attribute list"),
        ("<p>{{&lt; video https://example.org &gt;}}</p>", "a shortcode"),
        ("<p>::: {.callout-note}</p>", "a fenced div's colons"),
        ("<p>As argued in [@kingma2014autoencoding].</p>", "a citation"),
        ("<p>See <strong>?@fig-missing</strong>.</p>", "an unresolved cross-reference"),
        (
            '<p>A claim <span class="citation" data-cites="nokey">(<strong>nokey?</strong>)'
            "</span>.</p>",
            "an unresolved citation",
        ),
        (
            '<p>See <span class="quarto-unresolved-ref">?sec-elsewhere</span>.</p>',
            "an unresolved reference",
        ),
    ],
)
def test_syntax_shown_as_text(project, shown, kind):
    line = add_paragraph(project, ABOUT, shown)
    findings = static(project)
    assert located(findings, project) == {(ABOUT, line, "SITE002")}
    assert findings[0].message.startswith(f"{kind} shown as text")


def test_the_line_of_syntax_inside_a_long_text_node(project):
    line = add_paragraph(project, ABOUT, "<p>One line,\nanother,\n{#sec-x} here.</p>")
    assert located(static(project), project) == {(ABOUT, line + 2, "SITE002")}


def test_syntax_in_code_scripts_and_styles_is_meant(project):
    add_paragraph(
        project,
        ABOUT,
        "<pre><code>::: {.callout-note}\n[@key] {{< meta >}}</code></pre>\n"
        "<script>const x = {a: 1}; // [@key] {#id}</script>\n<style>p {color: red}</style>\n"
        "<p>Write <code>{#fig-x}</code> after a figure, and mail someone@example.org.</p>",
    )
    assert static(project) == []


def test_a_link_to_a_missing_page(project):
    line = add_paragraph(project, ABOUT, '<p><a href="./posts/gone/index.html">Gone</a></p>')
    findings = static(project)
    assert located(findings, project) == {(ABOUT, line, "SITE003")}
    assert "the site has no posts/gone/index.html" in findings[0].message


def test_a_missing_image_and_a_link_out_of_the_site(project):
    line = add_paragraph(
        project,
        POST,
        '<p><img src="index_files/none.png" alt="None"> <a href="../../../x">x</a></p>',
    )
    findings = static(project)
    assert located(findings, project) == {(POST, line, "SITE003")}
    assert sorted(f.message for f in findings) == [
        "../../../x leads out of the site",
        "index_files/none.png: the site has no posts/exemplars/index_files/none.png",
    ]


def test_folders_and_site_absolute_paths_resolve_to_their_index(project):
    add_paragraph(project, ABOUT, '<p><a href="posts/exemplars/">Post</a> <a href="/">Home</a></p>')
    assert static(project) == []


def test_an_anchor_that_no_element_has(project):
    line = plant(project, ABOUT, 'index.html#metascience"', 'index.html#metascienc"')
    findings = static(project)
    assert located(findings, project) == {(ABOUT, line, "SITE004")}
    assert "no id 'metascienc' in posts/exemplars/index.html" in findings[0].message


def test_an_anchor_on_the_same_page(project):
    line = plant(project, POST, 'href="#fig-years" class="quarto-xref"', 'href="#fig-yaers"')
    findings = static(project)
    assert located(findings, project) == {(POST, line, "SITE004")}
    assert "no id 'fig-yaers' in this page" in findings[0].message


def test_a_link_that_still_ends_in_qmd(project):
    line = add_paragraph(project, ABOUT, '<p><a href="posts/exemplars/index.qmd">Post</a></p>')
    assert located(static(project), project) == {(ABOUT, line, "SITE005")}


def test_an_exemplar_the_post_never_cites(project):
    plant(
        project,
        POST,
        '<span class="citation" data-cites="lipton2019troubling">(<a '
        'href="#ref-lipton2019troubling" role="doc-biblioref">'
        "Lipton and Steinhardt 2019</a>)</span>",
        "",
    )
    main_line = line_of(project, POST, 'id="quarto-document-content"')
    findings = static(project)
    assert located(findings, project) == {(POST, main_line, "SITE006")}
    assert findings[0].message == "lipton2019troubling is never cited"


def test_an_exemplar_cited_twice(project):
    citation = (
        '<a href="#ref-kingma2014autoencoding" role="doc-biblioref">Kingma and Welling 2014</a>'
    )
    line = add_paragraph(project, POST, f"<p>Again ({citation}).</p>")
    first = line_of(project, POST, citation)
    findings = static(project)
    assert located(findings, project) == {(POST, line, "SITE006")}
    assert findings[0].message == f"kingma2014autoencoding is cited 2 times (first on line {first})"


def test_an_exemplar_without_its_reference_entry(project):
    plant(
        project, POST, 'id="ref-baldwin2018scientific" class="exemplar-reference"', 'class="note"'
    )
    citation = line_of(project, POST, 'href="#ref-baldwin2018scientific"')
    main_line = line_of(project, POST, 'id="quarto-document-content"')
    findings = static(project)
    assert located(findings, project) == {(POST, citation, "SITE004"), (POST, main_line, "SITE007")}
    assert "baldwin2018scientific is never given a reference entry" in {f.message for f in findings}


def test_an_exemplar_with_two_reference_entries(project):
    first = line_of(project, POST, 'id="ref-kingma2014autoencoding"')
    line = add_paragraph(
        project, POST, '<div class="csl-entry" id="ref-kingma2014autoencoding">Again</div>'
    )
    findings = static(project)
    assert located(findings, project) == {(POST, line, "SITE007")}
    assert findings[0].message == (
        f"kingma2014autoencoding is given a reference entry 2 times (first on line {first})"
    )


def test_the_appendix_entry_citing_the_post_is_not_an_exemplar(project):
    assert 'class="csl-entry quarto-appendix-citeas"' in (project / POST).read_text()
    assert static(project) == []


def test_a_figure_without_caption_or_alt(project):
    caption_line = line_of(project, POST, '<figure class="quarto-float')
    plant(project, POST, "Figure&nbsp;1: Exemplars per year of publication.", "")
    image_line = plant(project, POST, ' alt="Vertical bar chart', ' data-alt="Vertical bar chart')
    findings = static(project)
    assert located(findings, project) == {
        (POST, caption_line, "SITE008"),
        (POST, image_line, "SITE008"),
        (POST, image_line, "SITE001"),
    }
    assert {f.message for f in findings if f.code == "SITE008"} == {
        "fig-years has no caption",
        "fig-years has no alt text (index_files/figure-html/cell-3-output-1.svg)",
    }


def test_the_post_missing_from_the_site(project):
    (project / POST).unlink()
    findings = static(project)
    assert (POST, 1, "SITE013") in located(findings, project)


def test_a_site_without_a_list_skips_the_post(project):
    (project / "data" / "exemplars.csv").unlink()
    (project / POST).unlink()
    assert "SITE013" not in {f.code for f in static(project)}


def test_a_page_over_the_weight_budget(project):
    findings = static(project, page_weight_kb=12)  # the post weighs 13 KB, the others 3 or 4
    assert located(findings, project) == {(POST, 1, "SITE009")}
    assert findings[0].message == (
        "page weighs 13 KB (HTML 13 KB, 1 image 0 KB), over the budget of 12 KB (page_weight_kb)"
    )


def test_a_published_test_fixture_that_no_page_links_to(project):
    stray = project / "_site" / "tests" / "fixtures" / "_blog" / "references.bib"
    stray.parent.mkdir(parents=True)
    stray.write_text(BIB, encoding="utf-8")
    findings = static(project)
    assert located(findings, project) == {
        ("_site/tests/fixtures/_blog/references.bib", 1, "SITE010")
    }


# COinS on the post (SITE015, SITE016).

KINGMA_COINS = '<span class="Z3988" title="ctx_ver=Z39.88-2004&amp;rft_id=https%3A%2F%2Farxiv.org'


def coins_of(project: Path, key: str) -> str:
    """The whole span of one item, as the fixture has it."""
    text = (project / POST).read_text(encoding="utf-8")
    start = text.index('<span class="Z3988"', text.index(f'<div id="{key}"'))
    return text[start : text.index("</span>", start) + len("</span>")]


def test_an_exemplar_without_its_coins(project):
    plant(project, POST, coins_of(project, "kingma2014autoencoding"), "")
    item = line_of(project, POST, '<div id="kingma2014autoencoding"')
    findings = static(project)
    assert located(findings, project) == {(POST, item, "SITE015")}
    assert findings[0].message == "kingma2014autoencoding has 0 COinS spans in its item, not one"


def test_an_exemplar_with_two_coins_and_a_span_outside_every_item(project):
    span = coins_of(project, "baldwin2018scientific")
    second = plant(project, POST, span, f"{span}\n{span}") + 1
    stray = add_paragraph(project, POST, coins_of(project, "lipton2019troubling"))
    assert located(static(project), project) == {
        (POST, second, "SITE015"),
        (POST, stray, "SITE015"),
    }


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "ctx_ver=Z39.88-2004&amp;rft_id=https%3A%2F%2Farxiv.org",
            "ctx_ver=Z39.88-2003&amp;rft_id=https%3A%2F%2Farxiv.org",
            "the context object has no ctx_ver=Z39.88-2004",
        ),
        (
            "rft.atitle=Auto-encoding%20variational%20Bayes",
            "rft.atitle=Stochastic%20variational%20inference",
            'the title "Stochastic variational inference" is not the row\'s, '
            '"Auto-Encoding Variational Bayes"',
        ),
        (
            "rft.atitle=Auto-encoding%20variational%20Bayes",
            "rft.jtitle=Auto-encoding%20variational%20Bayes",
            "the context object has no title",
        ),
    ],
)
def test_coins_that_disagree_with_their_row(project, old, new, problem):
    line = plant(project, POST, old, new)
    findings = static(project)
    assert located(findings, project) == {(POST, line, "SITE016")}
    assert findings[0].message == f"kingma2014autoencoding: {problem}"


def test_coins_without_the_rows_doi(project):
    line = plant(project, POST, "rft_id=info%3Adoi%2F10.1086%2F700070&amp;", "")
    findings = static(project)
    assert located(findings, project) == {(POST, line, "SITE016")}
    assert findings[0].message == (
        "baldwin2018scientific: the context object does not carry the row's DOI (10.1086/700070)"
    )


def test_coins_may_carry_the_entrys_title_where_the_row_shortens_it(project):
    """The row lists lipton2019troubling without its subtitle; its entry, and so its COinS, has
    it (`exemplars check` warns of the difference, BIB006): not a disagreement."""
    assert "Some%20ML%20papers" in coins_of(project, "lipton2019troubling")
    assert static(project) == []


# What `exemplars export` writes (SITE017, SITE018).


def export_file(project: Path, path: str) -> Path:
    return project / "_site" / path


@pytest.mark.parametrize(
    ("path", "damage", "message"),
    [
        ("references.json", None, "the site has no CSL-JSON of the list"),
        ("references.json", "[{", "not JSON: Expecting property name enclosed in double quotes"),
        ("references.json", '{"id": "x"}', "not CSL-JSON: a list of items expected"),
        ("references.ris", None, "the site has no RIS of the list"),
        ("references.ris", "Not a reference.\n", "rispy reads no record from it"),
        ("posts/exemplars/additions.xml", None, "the site has no feed of additions"),
        ("posts/exemplars/bib/lipton2019troubling.bib", None, "the site has no BibTeX file of"),
    ],
)
def test_an_export_missing_or_unreadable(project, path, damage, message):
    target = export_file(project, path)
    if damage is None:
        target.unlink()
    else:
        target.write_text(damage, encoding="utf-8")
    findings = static(project)
    if damage is None:  # the post's links to it now lead nowhere too
        assert "SITE003" in {f.code for f in findings}
        findings = [f for f in findings if f.code != "SITE003"]
    assert located(findings, project) == {(f"_site/{path}", 1, "SITE017")}
    assert findings[0].message.startswith(message)


def test_a_feed_that_feedparser_reads_only_with_errors(project):
    feed = export_file(project, "posts/exemplars/additions.xml")
    feed.write_text(feed.read_text(encoding="utf-8").replace("</feed>", ""), encoding="utf-8")
    findings = static(project)
    assert located(findings, project) == {("_site/posts/exemplars/additions.xml", 1, "SITE017")}
    assert findings[0].message.startswith("feedparser reads it only with errors: ")


def test_a_feed_that_is_not_atom(project):
    feed = export_file(project, "posts/exemplars/additions.xml")
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        encoding="utf-8",
    )
    findings = static(project)
    assert [f.message for f in findings] == ["not an Atom 1.0 feed (feedparser reads rss20)"]


def test_a_ris_record_without_a_title(project):
    ris = export_file(project, "references.ris")
    text = ris.read_text(encoding="utf-8")
    ris.write_text(re.sub(r"TI  - Auto-encoding.*\n", "", text), encoding="utf-8")
    findings = static(project)
    assert [(f.code, f.message) for f in findings] == [
        ("SITE017", "records without a title (TI): kingma2014autoencoding")
    ]


def test_downloads_whose_keys_are_not_the_lists(project):
    csl = export_file(project, "references.json")
    items = json.loads(csl.read_text(encoding="utf-8"))
    items[0]["id"] = "kingma2014autoencoding"
    items.append(dict(items[1], id="vaswani2017attention"))
    csl.write_text(json.dumps(items), encoding="utf-8")
    ris = export_file(project, "references.ris")
    records = rispy.load(ris)
    ris.write_text(rispy.dumps(records[1:]), encoding="utf-8")
    feed = export_file(project, "posts/exemplars/additions.xml")
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("/posts/exemplars/#lipton", "/about.html#lipton"), "utf-8")
    findings = {file_of(f, project): f.message for f in static(project)}
    assert findings == {
        "_site/references.json": "its item ids are not the list's keys: missing "
        "baldwin2018scientific; not on the list: vaswani2017attention; more than once: "
        "kingma2014autoencoding",
        "_site/references.ris": "its record IDs are not the list's keys: missing "
        "baldwin2018scientific",
        "_site/posts/exemplars/additions.xml": "entries that link to no item of "
        "posts/exemplars/index.html: https://example.org/exemplars/about.html#lipton2019troubling",
    }
    assert {f.code for f in static(project)} == {"SITE018"}


def test_bibtex_files_of_no_exemplar_or_of_another(project):
    folder = export_file(project, "posts/exemplars/bib")
    (folder / "vaswani2017attention.bib").write_text("@misc{vaswani2017attention}", "utf-8")
    (folder / "baldwin2018scientific.bib").write_text(
        (folder / "lipton2019troubling.bib").read_text(encoding="utf-8"), encoding="utf-8"
    )
    findings = static(project)
    assert {(file_of(f, project), f.code, f.message) for f in findings} == {
        (
            "_site/posts/exemplars/bib/baldwin2018scientific.bib",
            "SITE018",
            "holds lipton2019troubling, not the one entry baldwin2018scientific",
        ),
        (
            "_site/posts/exemplars/bib/vaswani2017attention.bib",
            "SITE018",
            "the BibTeX file of no exemplar of the list",
        ),
        (
            "_site/posts/exemplars/bib/vaswani2017attention.bib",
            "SITE010",
            "no page links to this file; is it published?",
        ),
    }


def test_quartos_own_files_need_no_link(project):
    for name in ("robots.txt", ".nojekyll", "site_libs/quarto-search/fuse.min.js", "posts.xml"):
        (project / "_site" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "_site" / name).write_text("x", encoding="utf-8")
    assert static(project) == []


def test_fonts_a_linked_stylesheet_loads_are_linked(project):
    (project / "_site/styles/fonts").mkdir()
    (project / "_site/styles/fonts/serif.woff2").write_bytes(b"x")
    plant(
        project,
        "_site/styles/site.css",
        "/* The",
        "@font-face { src: url('fonts/serif.woff2'); }\n/* The",
    )
    assert static(project) == []


# The command line.


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["check-site", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_clean_site_exits_0(project, capsys):
    code, out, _ = run(capsys, "--root", str(project), "--no-browser")
    assert (code, out.strip()) == (0, "All clear: exemplars check-site.")


def test_cli_reports_problems_as_text_and_exits_1(project, capsys, monkeypatch):
    line = add_paragraph(project, ABOUT, "<p>{#sec-x}</p>")
    monkeypatch.chdir(project)
    code, out, _ = run(capsys, "--no-browser")
    assert code == 1
    assert out.splitlines()[0] == (
        f"{ABOUT}:{line}: error: an attribute list shown as text: '{{#sec-x}}' [SITE002]"
    )


def test_cli_json_report(project, capsys):
    add_paragraph(project, ABOUT, "<p>{#sec-x}</p>")
    code, out, _ = run(
        capsys, str(project / "_site"), "--root", str(project), "--no-browser", "--json"
    )
    document = json.loads(out)
    assert code == 1
    assert set(document) == {"problems", "summary"}
    assert [p["code"] for p in document["problems"]] == ["SITE002"]
    assert document["summary"]["errors"] == 1


def test_cli_missing_site_folder_exits_2(tmp_path, capsys):
    code, out, err = run(capsys, str(tmp_path / "_site"), "--no-browser")
    assert (code, out) == (2, "")
    assert "no such folder; render the site first" in err


def test_cli_without_a_browser_exits_2_saying_what_to_install(project, capsys, monkeypatch):
    monkeypatch.setenv("EXEMPLARS_CHROMIUM", str(project / "no-chromium"))
    code, out, err = run(capsys, "--root", str(project))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert "apt-get install chromium" in err and "EXEMPLARS_CHROMIUM" in err


def test_cli_reads_the_budget_from_pyproject(project, capsys):
    (project / "pyproject.toml").write_text(
        "[tool.exemplars.check-site]\npage_weight_kb = 2\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "--root", str(project), "--no-browser")
    assert code == 1
    assert "[SITE009]" in out


def test_cli_refuses_a_bad_setting(project, capsys):
    (project / "pyproject.toml").write_text(
        "[tool.exemplars.check-site]\npage_weight = 2\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, "--root", str(project), "--no-browser")
    assert code == 2
    assert out.startswith("pyproject.toml:2: error: [tool.exemplars] check-site.page_weight")


def test_the_render_fails_after_building_a_broken_site(project):
    """`_quarto.yml`'s post-render step, run as Quarto runs it, in the fixture's project."""
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    steps = [split_like_quarto(step) for step in config["project"]["post-render"]]
    assert ["exemplars", "check-site", "--no-browser"] in steps
    assert first_failure(steps, project) is None
    line = add_paragraph(project, ABOUT, "<p>::: {.callout-note}</p>")
    failed = first_failure(steps, project)
    assert failed is not None
    assert f"{ABOUT}:{line}: error: a fenced div's colons shown as text" in failed.stdout


# The accessibility audit in a real Chromium (skipped with the reason where there is none).


def audited(project: Path) -> list[Finding]:
    return check_site(project / "_site", Project(project), CheckSiteSettings(), require_chromium())


def test_the_audit_finds_planted_violations_in_the_theme_they_break(project):
    image = add_paragraph(
        project,
        ABOUT,
        '<p><img src="posts/exemplars/index_files/figure-html/cell-3-output-1.svg"></p>',
    )
    # Dark links as dark as the dark background: a contrast failure of the dark theme only.
    plant(project, "_site/site_libs/bootstrap/bootstrap-dark.min.css", "#8fe3cf", "#3a3a3a")
    # Quarto's margin references as real renders write them: a listitem outside any list.
    entry = plant(
        project,
        POST,
        'id="ref-kingma2014autoencoding" class="exemplar-reference"',
        'id="ref-kingma2014autoencoding" class="csl-entry" role="listitem"',
    )
    # A heading level skipped: a moderate violation, so a warning.
    plant(project, HOME, '<h2 class="no-anchor', '<h4 class="no-anchor')
    findings = audited(project)
    by_rule = {f.details["rule"]: f for f in findings if f.code in {"SITE011", "SITE012"}}

    alt = by_rule["image-alt"]
    assert (file_of(alt, project), alt.line, alt.code) == (ABOUT, image, "SITE011")
    assert alt.details["themes"] == ["light", "dark"]
    assert alt.message.startswith("image-alt (critical, light and dark): ")
    assert alt.message.endswith(": img")  # its line found by its src: the DOM keeps no lines

    contrast = [f for f in findings if f.details.get("rule") == "color-contrast"]
    assert contrast and all(f.details["themes"] == ["dark"] for f in contrast)
    assert all(f.code == "SITE011" and "(serious, dark)" in f.message for f in contrast)

    parent = by_rule["aria-required-parent"]
    assert (file_of(parent, project), parent.line, parent.code) == (POST, entry, "SITE011")

    heading = by_rule["heading-order"]
    assert (file_of(heading, project), heading.code, heading.severity) == (
        HOME,
        "SITE012",
        "warning",
    )


def test_a_page_the_browser_cannot_load(project):
    from exemplars.site.accessibility import audit_site
    from exemplars.site.built_site import read_site

    site = read_site(project / "_site", Project(project))
    site.pages = {"about.html": site.pages["about.html"]}  # audit this page alone
    (project / ABOUT).unlink()
    findings = audit_site(site, require_chromium())
    assert [(file_of(f, project), f.code, f.message) for f in findings] == [
        (ABOUT, "SITE014", "the browser could not audit it: HTTP 404")
    ]


def test_cli_full_audit_exits_0_on_the_clean_site(project, capsys):
    require_chromium()
    code, out, _ = run(capsys, "--root", str(project))
    assert (code, out.strip()) == (0, "All clear: exemplars check-site.")
