"""The reading list as Markdown for the post: one block per exemplar, in list order.

The post prints what these functions return from cells marked `output: asis`, so the text goes
straight into pandoc. Everything that comes from the CSV is escaped first: a title or a note can
show `*`, `_`, `[`, `@`, `<script>` or `$` but can never become emphasis, a link, a citation,
raw HTML or math. The only markup in the output is the markup written here.

Each exemplar's block carries its key as its id (so `#key` links to it) and, as data attributes,
what the post's explorer script filters on; after the note come its COinS span (for reference
managers), a permalink and a "BibTeX" disclosure holding the entry exactly as written in
references.bib, with a link to the entry's own file. All are plain HTML that works without
JavaScript; the script only adds search, filters and a copy button.
"""

from __future__ import annotations

import html
import posixpath
import re
import string
from collections.abc import Mapping, Sequence

from exemplars.data.schema import Exemplar, Venue
from exemplars.exports import BIB_FOLDER

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


def exemplar_markdown(
    exemplar: Exemplar,
    reference: str = "",
    venue_type: str = "",
    bibtex: str = "",
    coins: str = "",
) -> str:
    """One exemplar: its title and citation, its full reference, then our note, then its
    permalink and BibTeX, in a div the site styles and the explorer filters. `reference`: the
    entry as citeproc formats it (`exemplars.post.references`); `venue_type` from venues.csv;
    `bibtex`: the entry's text in references.bib; `coins`: its COinS span
    (`exemplars.post.coins`)."""
    return (
        f"::: {item_attributes(exemplar, venue_type)}\n"
        f"**{escape_markdown(exemplar.title)}** {citation(exemplar.key)}\n\n"
        f"{reference_markdown(reference)}"
        f"{escape_markdown(exemplar.note)}\n"
        f"{item_tools(exemplar, bibtex, coins)}"
        ":::\n"
    )


def reference_markdown(reference: str) -> str:
    """The full reference in a block of its own inside the item, or nothing without one.

    It is citeproc's Markdown, written by pandoc and so already escaped; it is the one piece of
    the item not escaped here.
    """
    if not reference.strip():
        return ""
    return f"::: {{.exemplar-reference}}\n{reference.strip()}\n:::\n\n"


def item_attributes(exemplar: Exemplar, venue_type: str = "") -> str:
    """The block's pandoc attributes: the key as id, and what the explorer filters and searches.

    Title and note are searched in the item's own text; authors and venue are not shown in the
    item, so they travel as attributes.
    """
    data = {
        "section": exemplar.section,
        "subsection": exemplar.subsection,
        "year": str(exemplar.year),
        "kind": exemplar.kind,
        "venue-type": venue_type,
        "venue": exemplar.venue,
        "authors": "; ".join(exemplar.authors),
    }
    pairs = " ".join(f'data-{name}="{_attribute_value(value)}"' for name, value in data.items())
    return f"{{#{exemplar.key} .exemplar {pairs}}}"


def item_tools(exemplar: Exemplar, bibtex: str = "", coins: str = "") -> str:
    """A raw HTML block after the note: the item's COinS span (empty, so neither seen nor read
    aloud), the permalink, then the BibTeX disclosure if any."""
    title = html.escape(" ".join(exemplar.title.split()))
    permalink = (
        f'<a class="exemplar-permalink" href="#{html.escape(exemplar.key)}" '
        f'aria-label="Permalink to {title}">#</a>'
    )
    body = coins + permalink
    if bibtex:
        body += "\n" + bibtex_disclosure(bibtex, f"{BIB_FOLDER}/{exemplar.key}.bib")
    return raw_html_block(f'<div class="exemplar-tools">\n{body}\n</div>')


def bibtex_disclosure(entry: str, file: str = "") -> str:
    """A native `<details>` holding one BibTeX entry, escaped so the page shows it verbatim,
    and a link to download it as a file (`exemplars export` writes it beside the post)."""
    download = (
        f'<a class="exemplar-bibtex-file" href="{html.escape(file)}" download>'
        f"{html.escape(posixpath.basename(file))}</a>"
        if file
        else ""
    )
    return (
        '<details class="exemplar-bibtex"><summary>BibTeX</summary>'
        f"<pre><code>{html.escape(entry, quote=False)}</code></pre>{download}</details>"
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


class PostSections:
    """Hands the post each group's Markdown once, in list order, and notices what is left out.

    A post cell asks for one group by the names of its section and subsection; asking for an
    unknown group, for groups out of list order or twice fails with a message that names the
    group, and `check_complete` at the end of the post fails if a group was never shown, so a
    new row can never silently miss the page.
    """

    def __init__(
        self,
        exemplars: Sequence[Exemplar],
        venues: Mapping[str, Venue] | None = None,
        bibtex: Mapping[str, str] | None = None,
        references: Mapping[str, str] | None = None,
        coins: Mapping[str, str] | None = None,
    ) -> None:
        self.exemplars = list(exemplars)
        self.venues = dict(venues or {})  # venue as listed -> its label and type
        self.bibtex = dict(bibtex or {})  # key -> the entry's text in references.bib
        self.references = dict(references or {})  # key -> the full reference shown in the item
        self.coins = dict(coins or {})  # key -> the item's COinS span
        self.groups = groups_in_order(self.exemplars)
        self.shown: list[Group] = []

    def markdown(self, section: str, subsection: str = "") -> str:
        """The Markdown for one group's exemplars, in list order."""
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
        rows = [exemplar for exemplar in self.exemplars if group_of(exemplar) == group]
        return "\n".join(self._item(exemplar) for exemplar in rows)

    def _item(self, exemplar: Exemplar) -> str:
        venue = self.venues.get(exemplar.venue)
        venue_type = venue.type if venue else ""
        reference = self.references.get(exemplar.key, "")
        bibtex = self.bibtex.get(exemplar.key, "")
        return exemplar_markdown(
            exemplar, reference, venue_type, bibtex, self.coins.get(exemplar.key, "")
        )

    def check_complete(self) -> None:
        """Fails if some group of the list was never shown in the post."""
        missing = self.groups[len(self.shown) :]
        if missing:
            names = "; ".join(_name(group) for group in missing)
            raise ListLayoutError(f"the post never shows {names}; add a cell for each")


def _name(group: Group) -> str:
    section, subsection = group
    return f'"{section} / {subsection}"' if subsection else f'"{section}"'
