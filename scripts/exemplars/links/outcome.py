"""What checking one link found: a status from a fixed vocabulary, the HTTP code and a reason."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    OK = "ok"
    REDIRECTED = "redirected"  # works, but moved permanently: the link should be updated
    BROKEN = "broken"
    TIMEOUT = "timeout"
    UNVERIFIABLE = "unverifiable"  # the server would not tell (a wall against checkers)
    SKIPPED = "skipped"  # not checked: ignored, not a web link, or offline and not in the cache


# Statuses that make the command fail.
FAILING = frozenset({Status.BROKEN, Status.TIMEOUT})
# Statuses worth remembering: a rerun within the cache's age trusts them without asking again.
CACHEABLE = frozenset({Status.OK, Status.REDIRECTED})

NOT_IN_CACHE = "not verified: offline and not in the cache"


@dataclass(frozen=True)
class Outcome:
    status: Status
    code: int | None = None
    final_url: str | None = None
    reason: str = ""

    @property
    def not_verified_offline(self) -> bool:
        return self.status == Status.SKIPPED and self.reason == NOT_IN_CACHE
