"""Is a service's record the work a row lists? Title, authors and year must all agree.

- Title: after normalisation (case, accents, punctuation) the row's title and the record's are
  at least `TITLE_SIMILARITY` alike, in full or with one of them lacking its subtitle. That
  admits a spelling variant and rejects "Attention is not Explanation" for "Attention is not
  not Explanation".
- Authors: at least one surname of the row's authors appears, as whole words, in the name of one
  of the record's (so name order, particles and organisations all work).
- Year: within one of the row's (preprint and published versions straddle a new year).
"""

from __future__ import annotations

from dataclasses import dataclass

from exemplars.data.schema import Exemplar
from exemplars.fetch.sources import Record
from exemplars.normalise import fold, title_similarity
from pybtex.database import Person

TITLE_SIMILARITY = 0.95


@dataclass(frozen=True)
class Verdict:
    record: Record
    similarity: float
    problems: tuple[str, ...]  # why the record is not the row's work; empty when it is

    @property
    def accepted(self) -> bool:
        return not self.problems

    def rank(self) -> tuple[int, float]:
        """Fewer problems first, then the closer title: to pick the best rejected candidate."""
        return (-len(self.problems), self.similarity)


def judge(row: Exemplar, record: Record) -> Verdict:
    """Whether `record` describes the work `row` lists, and if not, why not."""
    similarity = _title_similarity(row.title, record)
    problems = []
    if similarity < TITLE_SIMILARITY:
        problems.append(f'title "{record.title}" is not the row\'s ({similarity:.0%} alike)')
    if not _shares_a_surname(row.authors, record):
        names = ", ".join(a.name for a in record.authors[:5]) or "none"
        problems.append(f"no author in common with the row (record's authors: {names})")
    if record.year is None:
        problems.append("the record has no year")
    elif abs(record.year - row.year) > 1:
        problems.append(f"year {record.year} is more than one from the row's {row.year}")
    return Verdict(record, similarity, tuple(problems))


def _title_similarity(title: str, record: Record) -> float:
    """The best of: full titles; the record's without its subtitle; the row's without its own
    (never both shortened: two works may share a main title and differ in the subtitle)."""
    main = title.split(":")[0] if ":" in title else ""
    pairs = [(title, record.title), (title, record.short_title), (main, record.title)]
    return max((title_similarity(fold(a), fold(b)) for a, b in pairs if a and b), default=0.0)


def named_authors(authors: list[str]) -> list[str]:
    """The list's authors without a closing "et al."."""
    return [name for name in authors if fold(name) != "et al"]


def surname(name: str) -> str:
    """The folded surname of a full name as the list writes it ("Aäron van den Oord")."""
    person = Person(name)
    return fold(" ".join(person.last_names)) or fold(name)


def _shares_a_surname(row_authors: list[str], record: Record) -> bool:
    wanted = {surname(name) for name in named_authors(row_authors)}
    names = [f" {author.folded} " for author in record.authors]
    return any(f" {family} " in name for family in wanted for name in names)
