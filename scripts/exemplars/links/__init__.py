"""`exemplars links`: collect every link of the post, the list and the bibliography, and check it.

`collect` finds links with the file and line they are written on; `internal` checks links between
the project's own files; `probe` checks web links and DOIs over HTTP, politely; `cache` remembers
successes so reruns make no requests; `check` ties these together and `report` turns the result
into findings. Settings: `[tool.exemplars.links]` in pyproject.toml and `.linksignore` (`settings`).
"""

from exemplars.links.check import LinkReport, LinkResult, UsageError, check_links

__all__ = ["LinkReport", "LinkResult", "UsageError", "check_links"]
