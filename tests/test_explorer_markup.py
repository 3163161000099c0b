"""What the render writes for the explorer: each item's id and data attributes, its permalink and
its BibTeX disclosure, read back from the HTML that pandoc (the parser Quarto uses) writes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pypandoc
import pytest
import yaml
from exemplars.check.item_ids import check_item_ids
from exemplars.data.bibliography import load_bibliography
from exemplars.data.csl import bibliography_items, list_items
from exemplars.data.reading_list import load_reading_list
from exemplars.data.schema import Exemplar
from exemplars.post.coins import coins_kev, list_coins
from exemplars.post.list_markdown import bibtex_disclosure, exemplar_markdown
from exemplars.post.site import load_bibtex, load_list_and_venues
from exemplars.project import Project
from exemplars.quarto.markdown import pandoc_path

from tests.explorer_page import ASSETS, POST, ROOT, list_markdown
from tests.helpers import row


class _Items(HTMLParser):
    """Each div.exemplar's attributes, and the text of each <code> inside one."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict[str, str]] = []
        self.codes: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.coins: dict[str, list[str]] = {}
        self.files: dict[str, str] = {}
        self._code: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "div" and "exemplar" in attributes.get("class", "").split():
            self.items.append(attributes)
        elif tag == "code" and self.items:
            self._code = self.items[-1]["id"]
            self.codes[self._code] = ""
        elif tag == "a" and "exemplar-permalink" in attributes.get("class", ""):
            self.links[self.items[-1]["id"]] = attributes["href"]
        elif tag == "a" and "exemplar-bibtex-file" in attributes.get("class", ""):
            self.files[self.items[-1]["id"]] = attributes["href"]
        elif tag == "span" and attributes.get("class") == "Z3988":
            self.coins.setdefault(self.items[-1]["id"], []).append(attributes["title"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code:
            self.codes[self._code] += data


def parsed(markdown: str) -> _Items:
    items = _Items()
    html = pypandoc.convert_text(markdown, "html", format="markdown", extra_args=["--wrap=none"])
    items.feed(html)
    return items


@pytest.fixture(scope="module")
def real_list():
    exemplars, venues = load_list_and_venues(ROOT)
    bibtex = load_bibtex(ROOT)
    coins = list_coins(ROOT, exemplars)
    return exemplars, venues, bibtex, parsed(list_markdown(exemplars, venues, bibtex, coins))


def test_each_item_carries_its_key_as_id_and_what_the_explorer_filters_on(real_list):
    exemplars, venues, _, page = real_list
    assert [item["id"] for item in page.items] == [e.key for e in exemplars]
    for exemplar, item in zip(exemplars, page.items, strict=True):
        assert item["data-section"] == exemplar.section
        assert item["data-subsection"] == exemplar.subsection
        assert item["data-year"] == str(exemplar.year)
        assert item["data-kind"] == exemplar.kind
        assert item["data-venue-type"] == venues[exemplar.venue].type
        assert item["data-venue"] == exemplar.venue
        assert item["data-authors"] == "; ".join(exemplar.authors)
        assert page.links[exemplar.key] == f"#{exemplar.key}"


def test_each_item_shows_its_entry_exactly_as_in_references_bib(real_list):
    exemplars, _, _, page = real_list
    bibliography = load_bibliography(Project(ROOT))
    assert page.codes == {e.key: bibliography.source(e.key) for e in exemplars}


def test_each_item_holds_its_one_coins_span_and_links_its_entry_file(real_list):
    """The span reaches the page as the post's cell wrote it: pandoc passes it through."""
    exemplars, _, _, page = real_list
    entries = bibliography_items(ROOT / "references.bib", pandoc_path())
    entries = list_items(exemplars, entries).by_key()
    for exemplar in exemplars:
        assert page.coins[exemplar.key] == [coins_kev(entries[exemplar.key])]
        assert page.files[exemplar.key] == f"bib/{exemplar.key}.bib"


def test_an_entry_source_runs_from_its_at_sign_to_its_closing_brace():
    bibliography = load_bibliography(Project(ROOT))
    for key in bibliography.entries:
        source = bibliography.source(key)
        assert re.match(rf"@\w+\{{{re.escape(key)},", source)
        assert source.endswith("}")


def test_keys_make_valid_ids_that_quarto_and_pandoc_leave_alone():
    project = Project(ROOT)
    reading_list = load_reading_list(project)
    for exemplar in reading_list.rows:
        assert re.fullmatch(r"[a-z][a-z0-9_:-]*", exemplar.key)  # no space: a valid HTML id
    assert check_item_ids(project, reading_list) == []


NASTY_VALUES = [
    'say "hi"',
    "back\\slash \\",
    "line\nbreak  and  spaces",
    "{#id .class}",
    "<b>&amp;",
]


@pytest.mark.parametrize("value", NASTY_VALUES)
def test_any_section_venue_or_author_survives_as_an_attribute(value):
    author = value.replace(";", ",")  # a semicolon separates authors
    exemplar = Exemplar.model_validate(
        row(section=value, subsection=value, venue=value, authors=author)
    )
    item = parsed(exemplar_markdown(exemplar, venue_type="journal")).items[0]
    assert item["id"] == exemplar.key
    assert (item["data-section"], item["data-venue"]) == (" ".join(value.split()),) * 2
    assert item["data-authors"] == " ".join(author.split())


ENTRY = """@misc{odd2020entry,
  title = {Fences ``` and ```` inside, <tags> & \\& ampersands},
  note = {```{=html} is not a fence here}
}"""


def test_an_entry_with_backticks_and_markup_shows_verbatim():
    exemplar = Exemplar.model_validate(row(key="odd2020entry"))
    page = parsed(exemplar_markdown(exemplar, bibtex=ENTRY))
    assert page.codes == {"odd2020entry": ENTRY}
    assert bibtex_disclosure(ENTRY).startswith('<details class="exemplar-bibtex"><summary>BibTeX')


def test_the_post_links_its_explorer_and_copies_it_into_the_site():
    metadata = yaml.safe_load((POST / "index.qmd").read_text(encoding="utf-8").split("---")[1])
    assert set(ASSETS) <= set(metadata["resources"])
    assert '<link rel="stylesheet" href="explorer.css">' in metadata["include-in-header"]["text"]
    assert '<script src="explorer.js"></script>' in metadata["include-after-body"]["text"]


def test_the_script_is_small_and_loads_nothing_from_elsewhere():
    script = (POST / "explorer.js").read_text(encoding="utf-8")
    assert len(script.encode()) < 15_000
    assert not re.search(r"https?:|//[a-z]|\bimport\b|\bfetch\(|XMLHttpRequest", script)
