"""The one registry of problem codes: each code's severity and what it means.

Every finding of every command carries one of these codes, and its severity comes from here, so a
code means the same thing wherever it is printed. The README's table of codes is this registry
(`python -m exemplars.codes` prints it; a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    meaning: str


E, W = Severity.ERROR, Severity.WARNING

_CODES = (
    # Files that cannot be read at all (exit 2).
    Code("IO001", E, "a file that does not exist or cannot be read"),
    Code("IO002", E, "a file that is not UTF-8 (the line of the first bad byte)"),
    Code("IO003", E, "a CSV file that is empty (no header row)"),
    Code("IO004", E, "a CSV file the csv module cannot parse (an unclosed quote)"),
    Code("MD001", E, "a page pandoc cannot read, or pandoc cannot be run"),
    Code("YAML001", E, "front matter or a `_metadata.yml` / `_quarto.yml` that is not YAML"),
    Code("CFG001", E, "a settings file that is not TOML"),
    Code("CFG002", E, "a setting with an unknown key or a value of the wrong kind"),
    Code("CFG003", E, "a `.linksignore` line that is not a regular expression"),
    # The list and the venues.
    Code("CSV001", E, "a column of the schema missing from the header"),
    Code("CSV002", E, "a column the schema does not know, or a column named twice"),
    Code("CSV003", E, "a row with more or fewer fields than the header"),
    Code("CSV004", E, "a value the schema refuses (empty, not a year, not a DOI, ...)"),
    Code("CSV005", E, "a key used by two rows"),
    Code("CSV006", E, "a value or column name with leading or trailing whitespace"),
    Code("CSV007", E, "a row whose venue is not in `data/venues.csv`"),
    Code("CSV008", E, "a key that cannot be its item's id on the post (`fig-…`, `ref-<key>`)"),
    Code("VEN001", E, "a venue spelling mapped twice in `data/venues.csv`"),
    Code("VEN002", E, "a venue of `data/venues.csv` that no row uses"),
    # The bibliography.
    Code("BIB001", E, "a bibliography syntax error (BibTeX, CSL), or an entry without a key"),
    Code("BIB002", E, "a BibTeX entry pybtex refuses (a duplicate key or field, a bad name)"),
    Code("BIB003", E, "a row of the list without an entry in `references.bib`"),
    Code("BIB004", E, "two entries with the same DOI"),
    Code("BIB005", E, "two entries with the same title, once case and punctuation are set aside"),
    Code("BIB006", W, "a row whose title differs from its entry's"),
    Code("BIB007", W, "a row whose year is one from its entry's, a difference not yet accepted"),
    Code("BIB008", W, "an entry that no row and no page cites"),
    Code("BIB009", W, "an entry marked neither `x-curated` nor `x-fetched`"),
    Code("BIB010", E, "a row whose year is more than one from its entry's"),
    # The pages.
    Code("CIT001", E, "a citation `@key` whose key is not in the page's bibliography"),
    Code("CIT002", E, "a citation on a page that has no bibliography"),
    Code(
        "CIT003",
        W,
        "a bibliography not in BibTeX, CSL-JSON or CSL-YAML: its citations are not checked",
    ),
    Code("XREF001", E, "a cross-reference (`@fig-…`, `@sec-…`, …) to a label the page lacks"),
    Code("LINK001", E, "a relative link or image to a file that does not exist"),
    Code("LINK002", E, "an `#anchor` that is no heading or element id of the page it points at"),
    Code("LINK003", E, "a relative link that leads out of the project folder"),
    Code("LINK004", E, "a `resources:` file or glob that matches nothing"),
    Code("FM001", E, "a post without title, date, author or description"),
    Code("FM002", E, "a date Quarto cannot read (write `YYYY-MM-DD`)"),
    Code("FM003", E, "a `bibliography` file that does not exist"),
    # fetch-bib.
    Code("FET001", E, "a row with no record that matches it (the best candidate and why)"),
    Code("FET002", E, "a row whose services could not be reached"),
    Code("FET003", E, "a row with nothing in the cache, under `--offline`"),
    Code("FET004", W, "a row left to the author (talks, videos, posts), or a curated entry kept"),
    Code("FET005", E, "an entry built from a record that does not parse"),
    # add.
    Code("ADD001", E, "a work already on the list (the same DOI, arXiv id or title): not added"),
    Code("ADD002", E, "a section or subsection the list does not have (the closest suggested)"),
    Code("ADD003", E, "a work with no verified record (the best candidate and why): not added"),
    Code("ADD004", W, "a field where a pasted BibTeX entry and the work's record disagree"),
    Code("ADD005", W, "a venue new to the list, added to `data/venues.csv` with a label to check"),
    Code("ADD006", E, "another `exemplars add` is running on the project (it holds the lock)"),
    # links.
    Code("URL001", E, "a broken link (4xx or 5xx, no such host, a missing `#fragment`)"),
    Code("URL002", E, "a link that timed out"),
    Code("URL003", W, "a link that moved permanently: update it to the new address"),
    Code("URL004", W, "a link whose server refuses checkers (403, 429, 999): not verified"),
    # check-site: the built site as readers get it.
    Code("SITE001", E, "an image without `alt`"),
    Code("SITE002", E, "Markdown or Quarto syntax shown as text (`{#id}`, `:::`, `[@key]`, `?@x`)"),
    Code("SITE003", E, "an internal link or image to a file the site does not have"),
    Code("SITE004", E, "an `#anchor` that is no id of the page it points at"),
    Code("SITE005", E, "a link that still ends in `.qmd`"),
    Code("SITE006", E, "a key of the list not cited exactly once in the post"),
    Code("SITE007", E, "a key of the list without exactly one reference entry in the post"),
    Code("SITE008", E, "a figure of the post without a caption or without alt text"),
    Code("SITE009", E, "a page heavier (HTML and images) than `page_weight_kb`"),
    Code("SITE010", E, "a file of the site that no page links to and that is not Quarto's own"),
    Code("SITE011", E, "an accessibility violation of impact critical or serious (axe-core)"),
    Code("SITE012", W, "an accessibility violation of impact moderate or minor (axe-core)"),
    Code("SITE013", E, "the list's post missing from the site"),
    Code("SITE014", E, "a page the browser could not load or audit"),
    Code("SITE015", E, "an exemplar of the post without exactly one COinS span (`span.Z3988`)"),
    Code("SITE016", E, "a COinS span without `ctx_ver`, or whose title or DOI is not its row's"),
    Code(
        "SITE017", E, "a download or feed of `exemplars export` missing, or one its reader refuses"
    ),
    Code("SITE018", E, "a download or feed of `exemplars export` whose keys are not the list's"),
)

CODES: dict[str, Code] = {code.code: code for code in _CODES}


def severity_of(code: str) -> Severity:
    """The severity `code` is registered with; KeyError for an unregistered code."""
    return CODES[code].severity


def markdown_table() -> str:
    """The registry as the README's table."""
    rows = [f"| `{c.code}` | {c.severity} | {c.meaning} |" for c in _CODES]
    return "\n".join(["| code | severity | meaning |", "|---|---|---|", *rows])


if __name__ == "__main__":
    print(markdown_table())
