"""Write a BibTeX entry from a Record's structured fields, in the style of references.bib.

Services' own BibTeX exports have known defects (broken accents, escaped URLs, colliding keys),
so entries are built here from plain Unicode fields:
- Unicode becomes LaTeX that both BibTeX and citeproc (pandoc) read: accented letters as
  `{\\"o}` (pylatexenc's table, each in braces as BibTeX's special characters want), typographic
  quotes and dashes as ``` `` ''  -- --- ```, and `& % $ # _ { } ~ ^ \\` escaped. Characters with
  no LaTeX spelling (e.g. CJK) stay as UTF-8, which both read.
- Titles keep capitals that matter in braces, so a style that lowercases titles leaves them alone:
  acronyms and camel case (`{ML}`, `{CoDraw}`), single capitals other than "A" (`{R}`, `{I}`),
  and, in a title written in sentence case, every capitalised word that does not start a
  sentence (a proper noun there: `{Bayesian}`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from exemplars.data.bibliography import FETCHED
from exemplars.data.schema import DOI_PATTERN, Exemplar
from exemplars.fetch.sources import Author, Record
from pylatexenc.latexencode import UnicodeToLatexEncoder

ESCAPED = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    "\u2018": "`",
    "\u2019": "'",
    "\u201c": "``",
    "\u201d": "''",
    "\u2013": "--",
    "\u2014": "---",
    "\u00a0": "~",
    # pylatexenc spells these with a dotless i (`\"\i`), which pandoc reads as two characters.
    "\u00ec": "{\\`i}",
    "\u00ed": "{\\'i}",
    "\u00ee": "{\\^i}",
    "\u00ef": '{\\"i}',
}
VENUE_FIELD = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle"}
WITH_PUBLISHER = {"book", "incollection", "inproceedings"}
RUN = re.compile(r"[^\W_]+")  # a run of letters and digits
SENTENCE_END = re.compile(r"[:?!.]\s*$")


def latex(text: str) -> str:
    """Unicode text as LaTeX for a BibTeX field."""
    return "".join(_latex_char(c) for c in unicodedata.normalize("NFC", text))


@lru_cache(maxsize=1)
def _encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


@lru_cache(maxsize=4096)
def _latex_char(char: str) -> str:
    if char in ESCAPED:
        return ESCAPED[char]
    if char.isascii():
        return char
    return _encoder().unicode_to_latex(char)


def protected_title(title: str) -> str:
    """A title as LaTeX, with the capitals that matter kept in braces."""
    sentence_case = _is_sentence_case(title)
    parts, position, at_start = [], 0, True
    for run in RUN.finditer(title):
        between = title[position : run.start()]
        at_start = at_start or bool(SENTENCE_END.search(between))
        word = run.group()
        keep = _keeps_capitals(word) or (sentence_case and word[0].isupper() and not at_start)
        parts += [latex(between), f"{{{latex(word)}}}" if keep else latex(word)]
        position, at_start = run.end(), False
    parts.append(latex(title[position:]))
    return "".join(parts)


def _keeps_capitals(word: str) -> bool:
    """Acronyms, camel case and single capitals (but the article "A") carry meaning."""
    if len(word) == 1:
        return word.isupper() and word != "A"
    return any(c.isupper() for c in word[1:])


def _is_sentence_case(title: str) -> bool:
    """True when most longer words after the first are lowercase (as many services give)."""
    words = [w for w in RUN.findall(title)[1:] if len(w) >= 4 and w.isalpha()]
    capitalised = sum(w[0].isupper() for w in words)
    return bool(words) and capitalised * 2 <= len(words)


def author_list(authors: tuple[Author, ...]) -> str:
    """BibTeX's `and`-separated names: `Family, Given`, organisations in braces."""
    return " and ".join(_name(author) for author in authors)


def _name(author: Author) -> str:
    if author.organisation:
        return f"{{{latex(author.name)}}}"
    if author.family and author.given:
        return f"{latex(author.family)}, {latex(author.given)}"
    return latex(author.family or author.name)


def page_range(pages: str) -> str:
    """`538-558` as `538--558`; anything else as it is."""
    return re.sub(r"^(\w+)\s*[-\u2010-\u2013]\s*(\w+)$", r"\1--\2", pages.strip())


def entry_text(
    row: Exemplar, record: Record, today: dt.date, preprint: Record | None = None
) -> str:
    """The BibTeX entry for `row` from `record`; `preprint` adds its arXiv identifiers."""
    doi = _doi(row, record)
    eprint = record.eprint or row.arxiv or (preprint.eprint if preprint else "")
    primary = record.primary_class or (preprint.primary_class if preprint else "")
    fields = [
        ("author", author_list(record.authors)),
        ("title", protected_title(record.title)),
        ("year", str(record.year or "")),
        (VENUE_FIELD.get(record.entry_type, ""), latex(record.venue)),
        ("publisher", latex(record.publisher) if record.entry_type in WITH_PUBLISHER else ""),
        ("volume", latex(record.volume)),
        ("number", latex(record.number)),
        ("pages", latex(page_range(record.pages))),
        ("doi", doi),
        ("url", "" if doi else _verbatim(record.url or row.url)),
        ("eprint", eprint),
        ("archiveprefix", "arXiv" if eprint else ""),
        ("primaryclass", primary if eprint else ""),
        (FETCHED, f"{record.source} {today.isoformat()}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if name and value)
    return f"@{record.entry_type}{{{row.key},\n{body}\n}}\n"


def _doi(row: Exemplar, record: Record) -> str:
    """The row's DOI exactly as listed when it is the record's; else the record's, if valid."""
    if row.doi and row.doi.lower() == record.doi.lower():
        return row.doi
    return record.doi if re.fullmatch(DOI_PATTERN, record.doi) else ""


def _verbatim(url: str) -> str:
    """A URL as written; one with braces or spaces cannot sit in a BibTeX field safely."""
    return "" if re.search(r"[{}\s\\]", url) else url
