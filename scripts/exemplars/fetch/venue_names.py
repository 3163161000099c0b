"""A record's venue as the list spells it, or a new row for data/venues.csv.

Services name a venue in full and by year ("Proceedings of the 2018 Conference on Empirical
Methods in Natural Language Processing"); the list writes it short and once ("EMNLP"). The list's
spelling for a record's venue is found, in order:
1. a spelling of data/venues.csv that is the record's venue, case and punctuation aside;
2. the spelling of the rows whose entries in references.bib name the same venue (years,
   ordinals and "Proceedings of the" set aside): what the author chose for it before;
3. a label of data/venues.csv that is the record's venue or its acronym in parentheses
   ("... Natural Language Processing (EMNLP-IJCNLP)"): the venue spelled as the label, else
   the label's most used spelling.
"""

from __future__ import annotations

import re
from collections import Counter

from exemplars.data.bibliography import Bibliography
from exemplars.data.reading_list import ReadingList
from exemplars.data.schema import Venue
from exemplars.fetch.sources import Record
from exemplars.normalise import fold, latex_to_text

# Words that change from one year's proceedings to the next, or say nothing about the venue.
# fmt: off
VOLATILE = frozenset({
    "proceedings", "proc", "of", "the", "annual", "volume", "first", "second", "third",
    "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
})
# fmt: on
ACRONYM = re.compile(r"\(([^()]+)\)")
VENUE_FIELDS = ("journal", "booktitle")
SHORT_ENOUGH = 24  # characters: a venue name this short is its own label


def venue_name(record: Record) -> str:
    """The venue a record names: its journal or proceedings; arXiv, or the publisher, else."""
    if record.venue:
        return record.venue
    if record.preprint and (record.eprint or record.source == "arxiv"):
        return "arXiv"
    return record.publisher or "Unknown venue"


def list_spelling(name: str, reading_list: ReadingList, bibliography: Bibliography) -> str | None:
    """How the list already spells the venue `name`, or None when it is new to the list."""
    venues = [item.row for item in reading_list.venues]
    folded = fold(name)
    exact = next((v.venue for v in venues if fold(v.venue) == folded), None)
    if exact is not None:
        return exact
    learned = _spellings_in_use(reading_list, bibliography).get(_venue_key(name))
    if learned is not None:
        return learned
    return _by_label(name, venues, Counter(row.venue for row in reading_list.rows))


def new_venue(name: str, record: Record) -> Venue:
    """A venues.csv row for a venue the list has not used: a short label, a type guessed."""
    return Venue(venue=name, label=short_label(name), type=_venue_type(record))


def short_label(name: str) -> str:
    """The acronym in parentheses; the name itself when short; else initials, acronyms kept
    whole ("IEEE Transactions on Artificial Intelligence" gives "IEEE TAI")."""
    acronym = _acronyms(name)
    if acronym:
        return acronym[0]
    if len(name) <= SHORT_ENOUGH:
        return name
    parts: list[str] = []
    initials = ""
    for word in re.findall(r"[^\W_]+", name):
        if word.isupper() and len(word) > 1:  # an acronym of its own, kept whole
            parts += [initials, word] if initials else [word]
            initials = ""
        elif word[0].isupper():  # lower-case words ("on", "of") give no initial
            initials += word[0]
    return " ".join([*parts, initials] if initials else parts) or name


def _venue_type(record: Record) -> str:
    if record.preprint:
        return "preprint"
    return {
        "article": "journal",
        "inproceedings": "conference",
        "incollection": "book",
        "book": "book",
    }.get(record.entry_type, "other")


def _venue_key(name: str) -> str:
    """A venue name without what changes between editions: years, ordinals, "Proceedings of"."""
    words = fold(ACRONYM.sub(" ", name)).split()
    return " ".join(w for w in words if w not in VOLATILE and not any(c.isdigit() for c in w))


def _spellings_in_use(reading_list: ReadingList, bibliography: Bibliography) -> dict[str, str]:
    """Venue name of the bibliography (as a key) -> the spelling most rows citing it use."""
    seen: dict[str, Counter[str]] = {}
    for row in reading_list.rows:
        entry = bibliography.entries.get(row.key)
        if entry is None:
            continue
        for field in VENUE_FIELDS:
            if entry.fields.get(field):
                key = _venue_key(latex_to_text(entry.fields[field]))
                seen.setdefault(key, Counter())[row.venue] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in seen.items() if key}


def _by_label(name: str, venues: list[Venue], used: Counter[str]) -> str | None:
    wanted = {fold(name)} | {fold(a) for a in _acronyms(name)}
    labelled = [v for v in venues if fold(v.label) in wanted]
    if not labelled:
        return None
    same = next((v.venue for v in labelled if v.venue == v.label), None)
    return same or max(labelled, key=lambda v: used[v.venue]).venue


def _acronyms(name: str) -> list[str]:
    """The acronyms a venue name gives in parentheses: "(EMNLP-IJCNLP)" gives EMNLP-IJCNLP
    and EMNLP, "(RecSys '19)" gives RecSys."""
    found = []
    for inner in ACRONYM.findall(latex_to_text(name)):
        first = inner.split()[0] if inner.split() else ""
        if sum(c.isupper() for c in first) >= 2:
            found.append(first)
            found += [part for part in first.split("-")[:1] if part != first]
    return found
