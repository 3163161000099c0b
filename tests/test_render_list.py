"""The list as HTML: whatever a title or note holds, the page shows it as plain text.

The list goes to pandoc as Markdown first; every check reads what pandoc makes of it, so "shows
literally" means what a reader of the page would see.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pypandoc
import pytest
from exemplars.data.schema import Exemplar
from exemplars.post.list_html import (
    ListLayoutError,
    PostSections,
    citation,
    escape_markdown,
    exemplar_markdown,
    list_html,
)
from exemplars.post.references import Citations
from exemplars.quarto.markdown import pandoc_ast
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import BIB, CURLED, ast_nodes, html_items, row

NASTY = [
    "A *bold* claim and _emphasis_ and **strong**",
    "Cite [@someone2020] or @someone2020 or [see @x, p. 3]",
    "<script>alert('x')</script> and <b>tags</b> and <!-- comment -->",
    "Costs $5 and $10, or $x^2$ and $$y$$",
    "[a link](https://example.org) and ![an image](x.png) and <https://example.org>",
    "`code` and ```fence``` and ~~strike~~ and H~2~O and x^2^",
    "# not a heading",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "| not | a | table |",
    "Back\\slash \\* and \\",
    "Braces {#id .class} and [span]{.smallcaps} and ^[not a footnote]",
    "Ampersands &amp; &lt;script&gt; &#60; and -- dashes --- and ... dots",
    "Two\n\nparagraphs\n    and an indented line\r\nand CRLF",
    "Quotes \"double\" and 'single' and it's",
    ":emoji: and term\n: definition",
]
# Any printable character, and line breaks; control and format characters are no CSV text.
PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn")) | (
    st.sampled_from("\n\r\t")
)
ALLOWED_NODES = {"Div", "Para", "Strong", "Str", "Space", "SoftBreak", "Quoted", "Cite"}
QUOTE_KINDS = {"SingleQuote", "DoubleQuote"}


def as_shown(text: str) -> str:
    """What the page should show for a CSV value: its words, single-spaced."""
    return " ".join(text.split())


class _Text(HTMLParser):
    """Tags and paragraph texts of HTML; character references arrive decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.tags: list[str] = []
        self.in_paragraph = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag == "p":
            self.paragraphs.append("")
            self.in_paragraph = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.in_paragraph = False

    def handle_data(self, data: str) -> None:
        if self.in_paragraph:
            self.paragraphs[-1] += data


def rendered(markdown: str) -> _Text:
    """Pandoc's HTML for Markdown, as tags and paragraph texts."""
    parser = _Text()
    parser.feed(
        pypandoc.convert_text(markdown, "html", format="markdown", extra_args=["--wrap=none"])
    )
    return parser


def node_types(node: Any) -> set[str]:
    if isinstance(node, list):
        return set().union(*(node_types(item) for item in node)) if node else set()
    if isinstance(node, dict) and "t" in node:
        if node["t"] == "Cite":
            return {"Cite"}  # its children are the citation's own text
        return {node["t"]} | node_types(node.get("c"))
    return set()


def exemplar(**changes: str) -> Exemplar:
    return Exemplar.model_validate(row(**changes))


@pytest.mark.parametrize("text", NASTY)
def test_escaped_text_shows_literally_and_makes_no_markup(text):
    shown = rendered(escape_markdown(text))
    assert shown.tags == ["p"]
    assert shown.paragraphs[0].translate(CURLED) == as_shown(text)


def test_an_exemplar_is_one_citation_a_bold_title_and_a_note_whatever_they_hold():
    blocks = [
        exemplar_markdown(exemplar(key=f"k{i}", title=text, note=text))
        for i, text in enumerate(NASTY)
    ]
    ast = pandoc_ast("\n".join(blocks))
    allowed = ALLOWED_NODES | QUOTE_KINDS | {"RawBlock", "RawInline"}
    assert node_types(ast["blocks"]) <= allowed
    # The raw HTML of each item is its permalink and its BibTeX, never CSV text.
    raw = [n["c"][1] for n in ast_nodes(ast["blocks"]) if n["t"] in ("RawBlock", "RawInline")]
    assert len(raw) == 2 * len(NASTY)
    assert all(
        r.startswith(('<a class="exemplar-permalink"', '<details class="exemplar-')) for r in raw
    )
    cites = [c["citationId"] for n in _all(ast["blocks"], "Cite") for c in n["c"][0]]
    assert cites == [f"k{i}" for i in range(len(NASTY))]
    items = html_items(pypandoc.convert_text("\n".join(blocks), "html", format="markdown"))
    assert [item["note"].translate(CURLED) for item in items] == [as_shown(t) for t in NASTY]
    assert [item["title"].translate(CURLED) for item in items] == [as_shown(t) for t in NASTY]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet=PRINTABLE, min_size=1), max_size=8))
def test_any_text_round_trips_through_pandoc(texts):
    texts = [t for t in texts if t.strip()]
    markdown = "\n\n".join(escape_markdown(t) for t in texts)
    ast = pandoc_ast(markdown)
    assert node_types(ast["blocks"]) <= (ALLOWED_NODES | QUOTE_KINDS) - {"Cite", "Strong", "Div"}
    shown = [p.translate(CURLED) for p in rendered(markdown).paragraphs]
    assert shown == [as_shown(t).translate(CURLED) for t in texts]


def _all(node: Any, kind: str) -> list[dict]:
    return [n for n in ast_nodes(node) if n["t"] == kind]


@pytest.mark.parametrize(
    ("key", "expected"),
    [("kingma2014autoencoding", "[@kingma2014autoencoding]"), ("doe:2020-", "[@{doe:2020-}]")],
)
def test_citation_keeps_the_whole_key(key, expected):
    assert citation(key) == expected
    cites = _all(pandoc_ast(f"See {citation(key)}."), "Cite")
    assert [c["citationId"] for n in cites for c in n["c"][0]] == [key]


def listed(*groups: tuple[str, str]) -> list[Exemplar]:
    return [
        exemplar(key=f"k{i}", section=section, subsection=subsection)
        for i, (section, subsection) in enumerate(groups)
    ]


def test_sections_come_out_in_list_order_each_once():
    sections = PostSections(listed(("A", "x"), ("A", "x"), ("A", "y"), ("B", "")))
    shown = [html_items(sections.markdown(*group)) for group in (("A", "x"), ("A", "y"), ("B", ""))]
    assert [[item["cites"] for item in items] for items in shown] == [
        [["k0"], ["k1"]],
        [["k2"]],
        [["k3"]],
    ]
    assert shown[2][0]["group"] == {"section": "B", "subsection": ""}
    sections.check_complete()


def test_a_section_the_post_never_shows_fails_the_render():
    sections = PostSections(listed(("A", "x"), ("B", "new")))
    sections.markdown("A", "x")
    with pytest.raises(ListLayoutError, match='never shows "B / new"'):
        sections.check_complete()


@pytest.mark.parametrize(
    ("asks", "message"),
    [
        ([("A", "typo")], 'no exemplar is filed under "A / typo"'),
        ([("B", "")], 'asks for "B" where the list has "A / x"'),
        ([("A", "x"), ("A", "x")], '"A / x" is already on the page'),
    ],
)
def test_asking_for_the_wrong_section_names_it(asks, message):
    sections = PostSections(listed(("A", "x"), ("B", "")))
    with pytest.raises(ListLayoutError, match=message):
        for group in asks:
            sections.markdown(*group)


def test_a_list_whose_sections_interleave_is_refused():
    with pytest.raises(ListLayoutError, match='"k2" belongs to "A / x"'):
        PostSections(listed(("A", "x"), ("B", ""), ("A", "x")))


def test_each_item_holds_its_reference_between_title_and_note(tmp_path):
    bib = tmp_path / "references.bib"
    bib.write_text(BIB, encoding="utf-8")
    keys = ["b2020x", "kingma2014autoencoding"]
    rows = [exemplar(key=key, section="A", subsection="x") for key in keys]
    html = list_html(rows, {}, Citations((bib,), keys=frozenset(keys)))[("A", "x")]
    (group,) = json.loads(pypandoc.convert_text(html, "json", format="html"))["blocks"]
    assert group["c"][0][1] == ["exemplar-group"]
    markup = set()
    for key, item in zip(keys, group["c"][1], strict=True):
        (ident, classes, _), inside = item["c"]
        assert (ident, classes) == (key, ["exemplar"])
        # Title line, reference, note, then the BibTeX disclosure.
        assert [block["t"] for block in inside][:3] == ["Para", "Div", "Para"]
        assert inside[1]["c"][0][:2] == [f"ref-{key}", ["exemplar-reference"]]
        reference = node_types(inside[1]["c"][1])
        assert "Cite" not in reference  # the item cites once, in its title line
        markup |= reference
    assert "Emph" in markup  # citeproc's markup is kept, not escaped
    # No footnote: with no margin content the item keeps its own column, and its rule by the text.
    assert "Note" not in node_types(group)
