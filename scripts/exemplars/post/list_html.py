"""The reading list as HTML for the post: one block per exemplar, in list order.

The whole list goes through pandoc once per render: each exemplar as Markdown (its title, its
citation, a place for its reference, our note), with citeproc formatting the citations and the
references in the post's own bibliography and style, and a small writer (list_writer.lua)
moving each reference into its item and writing each group's HTML. The post prints each group
as one raw HTML block (`#| output: asis`), so Quarto handles a block per group instead of a few
elements per exemplar: a list of a thousand costs the render little more than a list of a hundred.

Everything that comes from the CSV is escaped first: a title or a note can show `*`, `_`, `[`,
`@`, `<script>` or `$` but can never become emphasis, a link, a citation, raw HTML or math.

Each exemplar's block carries its key as its id (so `#key` links to it) and, as data attributes,
what the post's explorer script filters on. Its reference carries the id `ref-KEY` that the
citation links to and Quarto's hover pop-up reads, so the page holds each reference once. After
the title comes a permalink; after the note, the item's COinS span (for reference managers, see
exemplars.post.coins) and a "BibTeX" disclosure linking the entry's own file (`bib/KEY.bib`
beside the post, without the project's `x-` fields, written by `exemplars export`). All work
without JavaScript; the explorer script shows the entry inside the disclosure, with a copy
button.
"""

from __future__ import annotations

import html
import json
import re
import string
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from exemplars.data.reading_list import load_valid_list
from exemplars.data.schema import Exemplar, Venue
from exemplars.exports import BIB_FOLDER
from exemplars.post.coins import list_coins
from exemplars.post.references import Citations, post_citations
from exemplars.project import Project
from exemplars.quarto.markdown import pandoc_path

# Pandoc's Markdown lets a backslash escape any ASCII punctuation character, so escaping all of it
# is safe by construction. Left alone: quotes, so that pandoc can still curl them, and a few marks
# that start no markup anywhere in a paragraph, to keep the generated Markdown readable.
_ESCAPED = frozenset(string.punctuation) - set("'\",;?/")
# A key pandoc reads whole after `@`: its last character must not be punctuation, or pandoc
# stops the key before it (`@doe-` cites `doe`). Other keys need the braced form `@{...}`.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?")

Group = tuple[str, str]


class ListLayoutError(ValueError):
    """The post and the list disagree about sections; the message says how to fix it."""


def escape_markdown(text: str) -> str:
    """Text that pandoc shows literally: punctuation escaped, whitespace runs made one space.

    Collapsing whitespace keeps a note on one line, so nothing in it can start a block
    (a heading, a list, a code block) or end the paragraph.
    """
    collapsed = " ".join(text.split())
    return "".join("\\" + char if char in _ESCAPED else char for char in collapsed)


def citation(key: str) -> str:
    """`[@key]`, or `[@{key}]` for a key pandoc would otherwise cut short."""
    return f"[@{key}]" if _PLAIN_KEY.fullmatch(key) else f"[@{{{key}}}]"


class ReferencesUnavailable(RuntimeError):
    """Pandoc could not format the list; the message holds what it said."""


_WRITER = Path(__file__).with_name("list_writer.lua")


def exemplar_markdown(
    exemplar: Exemplar, venue_type: str = "", has_entry: bool = True, coins: str = ""
) -> str:
    """One exemplar for pandoc: its title, citation and permalink, a place for its full
    reference, our note, then its COinS span and BibTeX disclosure, in a div the site styles
    and the explorer filters. `venue_type` from venues.csv; `coins`: the item's span for
    reference managers (`exemplars.post.coins`); without an entry, no reference and no BibTeX."""
    reference = "::: {.exemplar-reference}\n:::\n\n" if has_entry else ""
    tools = coins + (bibtex_disclosure(exemplar.key) if has_entry else "")
    return (
        f"::: {item_attributes(exemplar, venue_type)}\n"
        f"**{escape_markdown(exemplar.title)}** {citation(exemplar.key)} {permalink(exemplar)}\n\n"
        f"{reference}"
        f"{escape_markdown(exemplar.note)}\n"
        f"{raw_html_block(tools) if tools else ''}"
        ":::\n"
    )


def item_attributes(exemplar: Exemplar, venue_type: str = "") -> str:
    """The block's pandoc attributes: the key as id, and what the explorer filters on.

    The explorer searches the item's own text (title, reference, note), where the authors are;
    the venue as the list names it ("NeurIPS") may not be in the reference, so it travels as an
    attribute. Section and subsection are the group's (`group_attributes`).
    """
    data = {
        "year": str(exemplar.year),
        "kind": exemplar.kind,
        "venue-type": venue_type,
        "venue": exemplar.venue,
    }
    return f"{{#{exemplar.key} .exemplar {_pairs(data)}}}"


def group_attributes(group: Group) -> str:
    """The pandoc attributes of the div around one group's items: its section and subsection."""
    section, subsection = group
    return f"{{.exemplar-group {_pairs({'section': section, 'subsection': subsection})}}}"


def _pairs(data: Mapping[str, str]) -> str:
    return " ".join(f'data-{name}="{_attribute_value(value)}"' for name, value in data.items())


def permalink(exemplar: Exemplar) -> str:
    """The `#` link to the item, as raw inline HTML at the end of its title's paragraph (which
    says what it links to: the title is its context)."""
    key = html.escape(exemplar.key)
    return f'`<a class="exemplar-permalink" href="#{key}" aria-label="Permalink">#</a>`{{=html}}'


def bibtex_disclosure(key: str) -> str:
    """A native `<details>` linking the entry's own file; the explorer shows the entry in it."""
    href = html.escape(f"{BIB_FOLDER}/{key}.bib")
    return (
        '<details class="exemplar-bibtex"><summary>BibTeX</summary>'
        f'<a href="{href}">{html.escape(key)}.bib</a></details>'
    )


def raw_html_block(text: str) -> str:
    """Text that pandoc passes through untouched: a fenced raw block longer than any run of
    backticks inside, preceded by a blank line so it never joins the paragraph before."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n{fence}{{=html}}\n{text}\n{fence}\n"


def _attribute_value(text: str) -> str:
    # Inside a quoted pandoc attribute a backslash escapes the next character and character
    # references are decoded, so `&` is written as one; the value is kept on one line.
    one_line = " ".join(text.split()).replace("&", "&amp;")
    return one_line.replace("\\", "\\\\").replace('"', '\\"')


def group_of(exemplar: Exemplar) -> Group:
    return (exemplar.section, exemplar.subsection)


def groups_in_order(exemplars: Sequence[Exemplar]) -> list[Group]:
    """Each (section, subsection) once, in list order; refuses a list whose groups interleave.

    The post shows the groups one after another, so it can keep list order only if each
    group's rows sit together in the CSV.
    """
    groups: list[Group] = []
    for exemplar in exemplars:
        group = group_of(exemplar)
        if group in groups and groups[-1] != group:
            raise ListLayoutError(
                f'exemplar "{exemplar.key}" belongs to {_name(group)}, whose other rows come '
                f"before {_name(groups[-1])}; keep each subsection's rows together in the CSV"
            )
        if group not in groups:
            groups.append(group)
    return groups


def list_html(
    exemplars: Sequence[Exemplar],
    venues: Mapping[str, Venue],
    citations: Citations,
    coins: Mapping[str, str] | None = None,
) -> dict[Group, str]:
    """Each group's HTML, in list order, from one pandoc run over the whole list; `coins`: each
    key's COinS span."""
    groups = groups_in_order(exemplars)
    if not groups:
        return {}
    types = {name: venue.type for name, venue in venues.items()}
    parts = []
    for group in groups:
        items = [
            exemplar_markdown(
                e, types.get(e.venue, ""), e.key in citations.keys, (coins or {}).get(e.key, "")
            )
            for e in exemplars
            if group_of(e) == group
        ]
        parts.append(f"::: {group_attributes(group)}\n" + "\n".join(items) + ":::\n")
    return dict(zip(groups, _pandoc_groups("\n".join(parts), citations), strict=True))


def _pandoc_groups(markdown: str, citations: Citations) -> list[str]:
    # Citations link to their references (`link-citations`), which Quarto's pop-up needs.
    metadata = yaml.safe_dump({"link-citations": True})
    command = [pandoc_path(), "--citeproc", "--from=markdown", f"--to={_WRITER}", "--wrap=none"]
    command += [f"--bibliography={path}" for path in citations.bibliographies]
    command += [f"--csl={citations.csl}"] if citations.csl else []
    result = subprocess.run(
        command,
        input=f"---\n{metadata}---\n\n{markdown}",
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if result.returncode != 0:
        raise ReferencesUnavailable(f"pandoc could not format the list: {result.stderr.strip()}")
    return json.loads(result.stdout)


class PostSections:
    """Hands the post each group's HTML once, in list order, and notices what is left out.

    A post cell asks for one group by the names of its section and subsection; asking for an
    unknown group, for groups out of list order or twice fails with a message that names the
    group, and `check_complete` at the end of the post fails if a group was never shown, so a
    new row can never silently miss the page. The whole list is formatted on the first ask.
    """

    def __init__(
        self,
        exemplars: Sequence[Exemplar],
        venues: Mapping[str, Venue] | None = None,
        citations: Citations | None = None,
        coins: Mapping[str, str] | None = None,
    ) -> None:
        self.exemplars = list(exemplars)
        self.venues = dict(venues or {})  # venue as listed -> its label and type
        self.citations = citations or Citations(())
        self.coins = dict(coins or {})  # key -> the item's COinS span
        self.groups = groups_in_order(self.exemplars)
        self.shown: list[Group] = []
        self._html: dict[Group, str] | None = None

    @classmethod
    def for_post(cls, root: Path, post: Path) -> PostSections:
        """The list of the project at `root` for its post `post`: its rows and venues, the
        post's bibliography and style, and each item's COinS (the conversion of references.bib
        kept in the project's cache, where `exemplars export` finds it after the render)."""
        reading_list = load_valid_list(root)
        exemplars, venues = reading_list.rows, reading_list.venue_map
        coins = list_coins(root, exemplars, Project(root).csl_cache)
        return cls(exemplars, venues, post_citations(root, post), coins)

    def markdown(self, section: str, subsection: str = "") -> str:
        """One group's exemplars, in list order, as a raw HTML block for the page."""
        group = (section, subsection)
        if group not in self.groups:
            raise ListLayoutError(f"no exemplar is filed under {_name(group)}")
        if group in self.shown:
            raise ListLayoutError(f"{_name(group)} is already on the page")
        expected = self.groups[len(self.shown)]
        if group != expected:
            raise ListLayoutError(
                f"the post asks for {_name(group)} where the list has {_name(expected)}; "
                "put the post's sections in the order of the CSV"
            )
        self.shown.append(group)
        return raw_html_block(self.groups_html()[self.groups.index(group)])

    def groups_html(self) -> list[str]:
        """Every group's HTML in list order, as the post prints each (without the raw block)."""
        if self._html is None:
            self._html = list_html(self.exemplars, self.venues, self.citations, self.coins)
        return [self._html[group].strip() for group in self.groups]

    def check_complete(self) -> None:
        """Fails if some group of the list was never shown in the post."""
        missing = self.groups[len(self.shown) :]
        if missing:
            names = "; ".join(_name(group) for group in missing)
            raise ListLayoutError(f"the post never shows {names}; add a cell for each")


def _name(group: Group) -> str:
    section, subsection = group
    return f'"{section} / {subsection}"' if subsection else f'"{section}"'
