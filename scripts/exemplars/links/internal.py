"""Links between the project's own pages, judged by the rules of `exemplars check`.

`quarto.internal_links` knows how Quarto resolves a link (a page's source or its `.html`, a
folder's index page, ids Quarto adds itself); this module only turns its findings into outcomes,
so the two commands never disagree. A file Quarto does not render has no internal links to judge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from exemplars.links.collect import Target
from exemplars.links.outcome import Outcome, Status
from exemplars.project import Project
from exemplars.quarto.markdown import Located

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from exemplars.quarto.markdown import MarkdownDocument
    from exemplars.quarto.pages import Site


class InternalLinks:
    def __init__(self, project: Project, parsed: Mapping[Path, MarkdownDocument] | None = None):
        """`parsed`: documents pandoc already read in this run (not read again)."""
        self.project = project
        self.parsed = parsed
        self._site: Site | None = None

    def check(self, target: Target) -> Outcome:
        """The outcome of an internal link (a path or #anchor) written in a page."""
        from exemplars.quarto.internal_links import check_link  # loaded only for internal links
        from exemplars.quarto.pages import Site

        assert target.document is not None
        if self._site is None:
            # Parses every page not read yet: only when a link needs it.
            self._site = Site(self.project, parsed=self.parsed)
        page = self._site.page_for(target.document)
        if page is None:
            return Outcome(Status.SKIPPED, reason="in a file Quarto does not render")
        problems = check_link(self._site, page, Located(target.url, target.sources[0].line))
        if not problems:
            return Outcome(Status.OK)
        prefix = f'link "{unquote(target.url)}": '
        return Outcome(Status.BROKEN, reason=problems[0].message.removeprefix(prefix))
