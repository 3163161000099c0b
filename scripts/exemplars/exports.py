"""Where `exemplars export` puts what readers take away from the built site, so the command that
writes the files and `exemplars check-site`, which reads them, agree on their names.

Beside `references.bib` at the site's root: the whole list as CSL-JSON and as RIS. Beside the
list's post: the Atom feed of additions, and one BibTeX file per exemplar in `bib/`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

CSL_JSON = "references.json"
RIS = "references.ris"
FEED = "additions.xml"
BIB_FOLDER = "bib"


@dataclass(frozen=True)
class ExportPaths:
    """The exported files, as the site names them (relative, with `/`)."""

    csl_json: str
    ris: str
    feed: str
    bib_folder: str

    def bib(self, key: str) -> str:
        """The BibTeX file of one exemplar."""
        return f"{self.bib_folder}/{key}.bib"


def export_paths(post: str) -> ExportPaths:
    """The exports of a site whose list's post is `post` (e.g. `posts/exemplars/index.html`)."""
    folder = posixpath.dirname(post)
    return ExportPaths(
        CSL_JSON, RIS, posixpath.join(folder, FEED), posixpath.join(folder, BIB_FOLDER)
    )


def permalink(site_url: str, post: str, key: str) -> str:
    """The address of an exemplar's item on the published post: `<site-url>/<folder>/#key`."""
    folder = posixpath.dirname(post)
    return f"{site_url.rstrip('/')}/{folder + '/' if folder else ''}#{key}"
