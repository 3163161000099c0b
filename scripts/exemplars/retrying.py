"""The one retry mechanism of the commands that talk HTTP (fetch-bib and links): tenacity,
driven by one policy, waiting what a server's `Retry-After` asks or else backing off.

Both callers pass their own sleep (and tenacity's clock is never consulted for waits), so tests
replace the waiting with a function that records it instead of the wall clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from tenacity import AsyncRetrying, RetryCallState, Retrying, stop_after_attempt

from exemplars.config import RetryPolicy

# What the server asked for, read from a finished attempt (its result or its exception).
AskedWait = Callable[[RetryCallState], float | None]


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (a number or an HTTP date), or None.

    RFC 9110, section 10.2.3; a date in the past asks for no wait.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def wait_for(policy: RetryPolicy, asked: AskedWait) -> Callable[[RetryCallState], float]:
    """What the server asked for, else 1, 2, 4... times `backoff`; never over `max_wait`.

    No jitter: each host is paced by its own gate, so there is no crowd of clients to spread out.
    """

    def wait(state: RetryCallState) -> float:
        requested = asked(state)
        if requested is None:
            requested = policy.backoff * 2 ** (state.attempt_number - 1)
        return min(requested, policy.max_wait)

    return wait


def retrying(
    policy: RetryPolicy, sleep: Callable[[float], None], asked: AskedWait, **options: Any
) -> Retrying:
    """A tenacity `Retrying` for blocking calls; `options` say what to retry and what to report."""
    return Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_for(policy, asked),
        sleep=sleep,
        **options,
    )


def async_retrying(
    policy: RetryPolicy,
    sleep: Callable[[float], Awaitable[None]],
    asked: AskedWait,
    **options: Any,
) -> AsyncRetrying:
    """The same policy for coroutines."""
    return AsyncRetrying(
        stop=stop_after_attempt(policy.attempts),
        wait=wait_for(policy, asked),
        sleep=sleep,
        **options,
    )
