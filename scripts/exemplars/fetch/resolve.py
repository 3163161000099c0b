"""From a row to the record of its work: which services to ask, and which answer to take.

A DOI the row gives decides: its record must match, or the row stays unresolved (a search would
only find some other DOI). Otherwise the arXiv record, and the published version arXiv links to,
are judged; when no published version is accepted yet, Crossref and DBLP are searched by title.
Among the accepted records a published one is preferred to a preprint.
"""

from __future__ import annotations

from dataclasses import dataclass

from exemplars.data.bibliography import CURATED
from exemplars.data.schema import Exemplar
from exemplars.fetch.matching import Verdict, judge, named_authors, surname
from exemplars.fetch.sources import Record, arxiv, crossref, dblp, doi
from exemplars.fetch.sources.doi import ARXIV_DOI
from exemplars.http import HttpClient

# Kinds that no bibliographic service indexes: only a hand-written entry will do.
NOT_INDEXED = {"talk", "video", "post"}


@dataclass(frozen=True)
class Resolution:
    chosen: Record | None
    preprint: Record | None  # the arXiv record, whose identifiers a published entry keeps
    reason: str = ""  # why nothing was chosen


class Lookups:
    """The questions fetch-bib asks, each answered by the service that knows."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client

    def by_doi(self, identifier: str) -> list[Record]:
        """Crossref knows most DOIs; doi.org also resolves DataCite's (arXiv, Zenodo)."""
        if not ARXIV_DOI.match(identifier):
            found = crossref.work(self.client, identifier)
            if found is not None:
                return [found]
        found = doi.csl(self.client, identifier)
        return [found] if found is not None else []

    def by_arxiv(self, identifier: str) -> list[Record]:
        found = arxiv.by_id(self.client, identifier)
        return [found] if found is not None else []

    def by_title(self, row: Exemplar) -> list[Record]:
        first = next((surname(name) for name in named_authors(row.authors)), "")
        return crossref.search(self.client, row.title, first) + dblp.search(self.client, row.title)


def resolve(row: Exemplar, lookups: Lookups) -> Resolution:
    """The record that describes the row's work, or the reason none was accepted.

    Raises FetchError (exemplars.http) when a service cannot be asked.
    """
    if row.doi:
        verdicts = [judge(row, record) for record in lookups.by_doi(row.doi)]
        return _decide(verdicts, None, f"DOI {row.doi} is registered with no agency")
    preprints = lookups.by_arxiv(row.arxiv) if row.arxiv else []
    missing = [f"arXiv has no {row.arxiv}"] if row.arxiv and not preprints else []
    verdicts = [judge(row, record) for record in preprints]
    for record in preprints:
        if record.linked_doi:
            verdicts += [judge(row, linked) for linked in lookups.by_doi(record.linked_doi)]
    if not any(v.accepted and not v.record.preprint for v in verdicts):
        if row.kind in NOT_INDEXED and not verdicts:
            return Resolution(None, None, _not_indexed(row.kind))
        if row.kind not in NOT_INDEXED:
            verdicts += [judge(row, record) for record in lookups.by_title(row)]
            missing.append("a title search of Crossref and DBLP found nothing")
    preprint = next((v.record for v in verdicts if v.accepted and v.record.source == "arxiv"), None)
    return _decide(verdicts, preprint, "; ".join(missing))


def _decide(verdicts: list[Verdict], preprint: Record | None, nothing_found: str) -> Resolution:
    accepted = [v for v in verdicts if v.accepted]
    published = [v for v in accepted if not v.record.preprint]
    if accepted:
        best = max(published or accepted, key=lambda v: (v.similarity, bool(v.record.doi)))
        return Resolution(best.record, preprint)
    if not verdicts:
        return Resolution(None, None, nothing_found)
    best = max(verdicts, key=Verdict.rank)
    return Resolution(
        None, None, f"best candidate {best.record.describe()}: {'; '.join(best.problems)}"
    )


def _not_indexed(kind: str) -> str:
    return (
        f"a {kind} is not indexed by Crossref, DBLP or arXiv: write its entry by hand and "
        f"mark it {CURATED}"
    )
