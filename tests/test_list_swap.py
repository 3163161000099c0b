"""The preview's quick update of a saved list: the list's groups of a built page replaced, and
nothing else of the page (exemplars.preview.list_swap)."""

from __future__ import annotations

from exemplars.preview.list_swap import group_spans, swap_groups

from tests.helpers import ROOT, html_items

BUILT = ROOT / "tests/fixtures/_built/_site/posts/exemplars/index.html"  # a real render's markup


def test_each_group_of_a_built_page_is_found_whole():
    page = BUILT.read_text(encoding="utf-8")
    spans = group_spans(page)
    assert len(spans) == 2
    groups = [html_items(page[start:end]) for start, end in spans]
    assert [[item["id"] for item in group] for group in groups] == [
        ["baldwin2018scientific", "lipton2019troubling"],
        ["kingma2014autoencoding"],
    ]


def test_the_groups_are_replaced_and_the_rest_of_the_page_kept():
    page = BUILT.read_text(encoding="utf-8")
    spans = group_spans(page)
    new = ['<div class="exemplar-group">first</div>', '<div class="exemplar-group">second</div>']
    swapped = swap_groups(page, new)
    assert swapped is not None
    assert (
        swapped
        == page[: spans[0][0]]
        + new[0]
        + page[spans[0][1] : spans[1][0]]
        + new[1]
        + (page[spans[1][1] :])
    )


def test_a_page_whose_groups_differ_in_number_or_never_close_is_left_to_the_render():
    page = BUILT.read_text(encoding="utf-8")
    assert swap_groups(page, ['<div class="exemplar-group"></div>']) is None
    assert swap_groups("<p>no list here</p>", []) is None
    unclosed = page[: group_spans(page)[1][1] - len("</div>")]
    assert group_spans(unclosed) == []
