"""On the real render: the COinS of every item, and the downloads and the feed that the post
links, each read by the kind of program a reader uses (an OpenURL parser, pandoc's citeproc,
rispy, feedparser) and, in Chromium, where a reader's browser finds them."""

from __future__ import annotations

import posixpath
import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser
import pytest
import rispy
from exemplars.config import CheckSiteSettings
from exemplars.normalise import fold
from exemplars.post.site import load_list_and_venues
from exemplars.project import Project
from exemplars.quarto.markdown import pandoc_path
from exemplars.site.built_site import read_site, resolve
from exemplars.site.html_page import HtmlPage, read_page

from tests.browser import launched_browser, require_chromium

pytestmark = pytest.mark.render

POST = CheckSiteSettings().post


@pytest.fixture(scope="module")
def rows(rendered_project: Path):
    return load_list_and_venues(rendered_project)[0]


@pytest.fixture(scope="module")
def post(rendered_site: Path) -> HtmlPage:
    return read_page(POST, (rendered_site / POST).read_text(encoding="utf-8"))


def linked(post: HtmlPage, site: Path, pattern: str, tag: str = "a") -> Path:
    """The one file of the site that the post links with a URL matching `pattern`."""
    urls = {ref.url for ref in post.references if ref.tag == tag and re.search(pattern, ref.url)}
    assert len(urls) == 1, f"the post links {sorted(urls)} for {pattern}"
    return site / posixpath.normpath(posixpath.join(posixpath.dirname(POST), urls.pop()))


def test_every_item_has_one_coins_span_with_ctx_ver_its_title_and_doi(post, rows):
    assert len(post.coins) == len(rows) == 117
    spans = {span.item: span for span in post.coins}
    for row in rows:
        kev = parse_qs(spans[row.key].context)
        assert kev["ctx_ver"] == ["Z39.88-2004"], row.key
        title = (kev.get("rft.atitle") or kev.get("rft.btitle") or kev.get("rft.title"))[0]
        assert fold(title) == fold(row.title), row.key
        if row.doi:
            assert f"info:doi/{row.doi}" in kev["rft_id"], row.key


def test_citeproc_formats_the_csl_json_the_post_links_into_117_entries(post, rendered_site, rows):
    csl_json = linked(post, rendered_site, r"\.json$")
    result = subprocess.run(
        [pandoc_path(), "--citeproc", "--to=html", f"--bibliography={csl_json}"],
        input="---\nnocite: '@*'\n---\n",
        capture_output=True,
        text=True,
        check=True,
    )
    entries = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"', result.stdout)
    assert sorted(entries) == sorted(row.key for row in rows)


def test_the_ris_the_post_links_has_117_records_with_the_rows_titles(post, rendered_site, rows):
    records = rispy.load(linked(post, rendered_site, r"\.ris$"))
    assert [record["id"] for record in records] == [row.key for row in rows]
    assert [fold(record["title"]) for record in records] == [fold(row.title) for row in rows]


def test_the_feed_the_post_head_links_has_117_entries_each_linking_to_an_item(
    post, rendered_site, rows
):
    feed_path = linked(post, rendered_site, r"\.xml$", tag="link")
    feed = feedparser.parse(feed_path.read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 117
    fragments = [urlsplit(entry.link).fragment for entry in feed.entries]
    assert sorted(fragments) == sorted(row.key for row in rows)
    assert all(fragment in post.items for fragment in fragments)


def test_check_site_finds_the_exports_and_the_coins_in_order(rendered_project):
    from exemplars.site import check_site

    findings = check_site(
        rendered_project / "_site", Project(rendered_project), CheckSiteSettings()
    )
    assert [f for f in findings if f.code in {"SITE015", "SITE016", "SITE017", "SITE018"}] == []


def test_in_chromium_the_spans_sit_in_the_items_and_the_downloads_answer(rendered_url, rows):
    with launched_browser() as browser:
        page = browser.new_page()
        page.goto(rendered_url + POST)
        owners = page.eval_on_selector_all(
            "span.Z3988", "spans => spans.map(s => s.closest('div.exemplar[id]')?.id ?? '')"
        )
        assert owners == [row.key for row in rows]
        sizes = page.eval_on_selector_all(
            "span.Z3988", "spans => spans.map(s => [s.offsetWidth, s.offsetHeight, s.textContent])"
        )
        assert all(size == [0, 0, ""] for size in sizes)  # nothing to see or to read aloud
        hrefs = page.eval_on_selector_all(
            "a[download], details.exemplar-bibtex > a, "
            "link[rel=alternate][type='application/atom+xml']",
            "links => links.map(a => a.href)",
        )
        assert len(hrefs) >= 117 + 3  # each entry's file, the two lists and the feed
        for href in hrefs:
            response = page.request.get(urljoin(page.url, href))
            assert response.status == 200, href


def test_axe_core_finds_no_critical_or_serious_violation_on_the_post(rendered_project):
    from exemplars.site.accessibility import audit_site

    site = read_site(rendered_project / "_site", Project(rendered_project))
    site.pages = {POST: site.pages[POST]}  # audit this page alone, in both themes
    findings = audit_site(site, require_chromium())
    assert [f.message for f in findings if f.code in {"SITE011", "SITE014"}] == []


def test_each_item_links_its_bibtex_file_and_the_file_is_in_the_site(post, rendered_site, rows):
    site = read_site(rendered_site, Project(rendered_site.parent))
    files = {
        resolve(site, POST, ref.url).path
        for ref in post.references
        if ref.tag == "a" and ref.url.endswith(".bib") and ref.url.startswith("bib/")
    }
    assert files == {f"posts/exemplars/bib/{row.key}.bib" for row in rows}
    assert files <= site.files
