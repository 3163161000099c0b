"""COinS: each exemplar's span holds an OpenURL 1.0 context object that a reader of the standard
parses into the work the row lists. The context objects are read as OpenURL's KEV format is
defined (an `application/x-www-form-urlencoded` string, Z39.88-2004 part 2), with the standard
library's `parse_qs`, from the spans of the real list and references.bib."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs

import pytest
from exemplars.data.csl import bibliography_items, list_items
from exemplars.normalise import fold
from exemplars.post.coins import coins_kev, coins_span, list_coins
from exemplars.post.site import load_list_and_venues
from exemplars.quarto.markdown import pandoc_path

from tests.helpers import ROOT


@pytest.fixture(scope="module")
def real_list():
    rows, _ = load_list_and_venues(ROOT)
    return rows


@pytest.fixture(scope="module")
def items(real_list):
    """The real list's CSL items, by key."""
    entries = bibliography_items(ROOT / "references.bib", pandoc_path())
    return list_items(real_list, entries).by_key()


@pytest.fixture(scope="module")
def spans(real_list):
    return list_coins(ROOT, real_list)


class _Spans(HTMLParser):
    """Every element of a fragment: its tag, attributes and the text inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text += data


def parsed_span(html: str) -> tuple[dict[str, list[str]], _Spans]:
    """The span's context object, read as a browser and then an OpenURL reader would."""
    parser = _Spans()
    parser.feed(html)
    parser.close()
    (tag, attributes), *others = parser.found
    assert (tag, attributes.get("class"), others) == ("span", "Z3988", [])
    return parse_qs(attributes["title"] or "", keep_blank_values=True), parser


def test_every_exemplar_has_a_context_object_with_its_title_and_doi(real_list, spans):
    assert list(spans) == [row.key for row in real_list]
    for row in real_list:
        kev, _ = parsed_span(spans[row.key])
        assert kev["ctx_ver"] == ["Z39.88-2004"]
        title = (kev.get("rft.atitle") or kev.get("rft.btitle") or kev.get("rft.title"))[0]
        assert fold(title) == fold(row.title), row.key
        if row.doi:
            assert f"info:doi/{row.doi}" in kev["rft_id"], row.key


def test_the_span_is_empty_so_nothing_is_shown_or_read_aloud(spans):
    for span in spans.values():
        _, parser = parsed_span(span)
        assert parser.text == ""


def test_a_journal_article_carries_every_part_of_its_reference(spans):
    kev, _ = parsed_span(spans["baldwin2018scientific"])
    assert kev == {
        "ctx_ver": ["Z39.88-2004"],
        "rft_id": ["info:doi/10.1086/700070"],
        "rft_val_fmt": ["info:ofi/fmt:kev:mtx:journal"],
        "rft.genre": ["article"],
        "rft.atitle": [
            "Scientific autonomy, public accountability, and the rise of “peer review” in the "
            "Cold War United States"
        ],
        "rft.jtitle": ["Isis"],
        "rft.aulast": ["Baldwin"],
        "rft.aufirst": ["Melinda"],
        "rft.au": ["Baldwin, Melinda"],
        "rft.date": ["2018-09"],
        "rft.volume": ["109"],
        "rft.issue": ["3"],
        "rft.pages": ["538-558"],
        "rft.spage": ["538"],
        "rft.epage": ["558"],
    }


def test_every_author_in_order_the_first_also_split(items):
    kev = parse_qs(coins_kev(items["kucukelbir2016automatic"]))
    assert kev["rft.au"] == [
        "Kucukelbir, Alp",
        "Tran, Dustin",
        "Ranganath, Rajesh",
        "Gelman, Andrew",
        "Blei, David M.",
    ]
    assert (kev["rft.aulast"], kev["rft.aufirst"]) == (["Kucukelbir"], ["Alp"])


def test_a_surname_keeps_its_particle(items):
    kev = parse_qs(coins_kev(items["vandenoord2017neural"]))
    assert kev["rft.aulast"] == ["van den Oord"]
    assert kev["rft.au"][0] == "van den Oord, Aaron"


@pytest.mark.parametrize(
    ("key", "format_", "genre", "title_key", "container_key"),
    [
        ("kingma2014autoencoding", "book", "proceeding", "rft.atitle", "rft.btitle"),
        ("mcelreath2018statistical", "book", "book", "rft.btitle", None),
        ("jaaware1998silence", "book", "bookitem", "rft.atitle", "rft.btitle"),
        ("betancourt2017conceptual", "journal", "preprint", "rft.atitle", None),
    ],
)
def test_format_and_genre_fit_the_kind(items, key, format_, genre, title_key, container_key):
    kev = parse_qs(coins_kev(items[key]))
    assert kev["rft_val_fmt"] == [f"info:ofi/fmt:kev:mtx:{format_}"]
    assert kev["rft.genre"] == [genre]
    assert title_key in kev
    if container_key:
        assert kev[container_key] == [items[key]["container-title"]]


@pytest.mark.parametrize(
    ("key", "dc_type"),
    [
        ("pearl1996art", "presentation"),
        ("sanderson2023math", "videoRecording"),
        ("matuschak2023cultivating", "blogPost"),
    ],
)
def test_talks_videos_and_posts_are_dublin_core(items, key, dc_type):
    """OpenURL has no format for them; Dublin Core's `type` names what Zotero calls them."""
    kev = parse_qs(coins_kev(items[key]))
    assert kev["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:dc"]
    assert kev["rft.type"] == [dc_type]
    assert kev["rft.title"] and kev["rft.creator"] and kev["rft.date"]
    assert "rft.au" not in kev and "rft.genre" not in kev


def test_the_url_or_the_arxiv_address_is_another_identifier(real_list, items):
    """kingma2014autoencoding's entry has an arXiv eprint and no URL; the row gives the address."""
    kev = parse_qs(coins_kev(items["kingma2014autoencoding"]))
    assert kev["rft_id"] == ["https://arxiv.org/abs/1312.6114"]
    lipton = parse_qs(coins_kev(items["lipton2019troubling"]))
    assert lipton["rft_id"] == [
        "info:doi/10.1145/3317287.3328534",
        "https://arxiv.org/abs/1807.03341",
    ]


def test_markup_and_reserved_characters_survive_the_round_trip():
    item = {
        "id": "x",
        "type": "article-journal",
        "title": 'R&D <i>in</i> "practice": 50% + 1 = <span class="nocase">more</span>?',
        "container-title": "Journal & Co",
        "author": [{"literal": "World Health Organization"}],
        "issued": {"date-parts": [[2020, 1, 5]]},
        "page": "119:1\u2013119:11",  # an en dash, as citeproc writes ranges
    }
    kev, _ = parsed_span(coins_span(item))
    assert kev["rft.atitle"] == ['R&D in "practice": 50% + 1 = more?']
    assert kev["rft.jtitle"] == ["Journal & Co"]
    assert kev["rft.au"] == ["World Health Organization"]
    assert "rft.aulast" not in kev  # an organisation has no surname
    assert kev["rft.date"] == ["2020-01-05"]
    assert (kev["rft.spage"], kev["rft.epage"]) == (["119:1"], ["119:11"])


def test_the_list_costs_one_pandoc_run_whatever_its_length(real_list, subprocess_runs):
    assert len(list_coins(ROOT, real_list)) == len(real_list)
    assert len(subprocess_runs) == 1


def test_the_conversion_is_kept_until_the_bibliography_changes(tmp_path, subprocess_runs):
    bib = tmp_path / "references.bib"
    bib.write_text((ROOT / "references.bib").read_text(encoding="utf-8"), encoding="utf-8")
    cache = tmp_path / ".cache" / "references.csl.json"
    runs = subprocess_runs
    first = bibliography_items(bib, pandoc_path(), cache)
    assert bibliography_items(bib, pandoc_path(), cache) == first
    assert len(runs) == 1  # the second answer came from the cache
    bib.write_text(bib.read_text(encoding="utf-8").replace("Welling", "Wellington"), "utf-8")
    changed = bibliography_items(bib, pandoc_path(), cache)
    assert len(runs) == 2
    assert changed["kingma2014autoencoding"]["author"][1]["family"] == "Wellington"
    cache.write_text("{not json", encoding="utf-8")  # a damaged cache is converted again
    assert bibliography_items(bib, pandoc_path(), cache) == changed
    assert len(runs) == 3
