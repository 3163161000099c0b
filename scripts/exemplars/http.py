"""The one way fetch-bib talks to a service: polite, paced, patient, cached.

- Polite: a User-Agent naming the project and the contact address from `[tool.exemplars]`.
- Paced: a minimum interval between two requests to the same service (arXiv asks for 3 s).
- Patient: timeouts on every request; 429, 500, 502, 503, 504, timeouts and dropped connections
  are retried with exponential backoff (exemplars.retrying), waiting what `Retry-After` asks.
- Cached: every answer read successfully is kept on disk (exemplars.http_cache); a rerun and
  `--offline` answer from there.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from tenacity import RetryCallState, retry_if_exception_type

from exemplars.config import Settings, user_agent
from exemplars.http_cache import ResponseCache
from exemplars.retrying import retry_after_seconds, retrying

RETRIED_STATUSES = {429, 500, 502, 503, 504}
# Parameters that identify us rather than the question: left out of the cache key.
PRIVATE_PARAMS = {"mailto"}


class FetchError(Exception):
    """A request that could not be answered: the message says which service and why."""


class NotCached(FetchError):
    """`--offline` and no stored answer for this request."""


class MissingContact(Exception):
    """No contact address configured: no request is sent without one."""


class _RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class HttpClient:
    """GET requests to the configured services; `get` returns parsed bodies, None for a 404."""

    def __init__(
        self,
        settings: Settings,
        cache_folder: Path,
        *,
        offline: bool = False,
        refresh: bool = False,
        notify: Callable[[str], None] = lambda message: None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.options = settings.fetch_bib
        self.cache = ResponseCache(cache_folder)
        self.offline, self.refresh = offline, refresh
        self.notify, self.sleep, self.clock = notify, sleep, clock
        self.requests_sent = 0
        self._last_request: dict[str, float] = {}
        self._http: httpx.Client | None = None

    @property
    def contact(self) -> str:
        return self.settings.contact

    def get(
        self,
        source: str,
        path: str,
        params: dict[str, str] | None = None,
        *,
        accept: str = "application/json",
        parse: Callable[[str], Any],
    ) -> Any | None:
        """The parsed body of `source`'s answer to GET `path`, or None when it says 404.

        Raises FetchError when no answer can be had, NotCached under --offline when none is
        stored, and MissingContact when a request would be sent without a contact address.
        """
        url = self.options.service(source).url.rstrip("/") + path
        public = {k: v for k, v in (params or {}).items() if k not in PRIVATE_PARAMS}
        stored_at = self.cache.path(source, _with_query(url, public), accept)
        cached = None if self.refresh and not self.offline else self.cache.load(stored_at)
        if cached is not None:
            return None if cached.status == 404 else _parsed(source, cached.body, parse)
        if self.offline:
            raise NotCached(
                f"{source}: no stored answer for {_with_query(url, public)} (--offline)"
            )
        response = self._fetch(source, url, params or {}, accept)
        if response.status_code == 404:
            self.cache.store(stored_at, _with_query(url, public), 404, "")
            return None
        body = _parsed(source, response.text, parse)  # raises before a bad body is stored
        self.cache.store(stored_at, _with_query(url, public), 200, response.text)
        return body

    def close(self) -> None:
        if self._http is not None:
            self._http.close()

    def _client(self) -> httpx.Client:
        if self._http is None:
            if "@" not in self.contact:
                raise MissingContact(
                    "set a contact address in pyproject.toml, [tool.exemplars] contact = "
                    '"you@example.org": every request to a service carries it'
                )
            self._http = httpx.Client(
                headers={"User-Agent": user_agent(self.contact)},
                timeout=self.options.timeout,
                follow_redirects=True,
            )
        return self._http

    def _fetch(self, source: str, url: str, params: dict[str, str], accept: str) -> httpx.Response:
        tries = retrying(
            self.options,
            self.sleep,
            _asked_wait,
            retry=retry_if_exception_type((_RetryableStatus, httpx.TransportError)),
            before_sleep=lambda state: self._announce_retry(source, state),
            reraise=True,
        )
        try:
            return tries(self._send_once, source, url, params, accept)
        except _RetryableStatus as exc:
            raise FetchError(f"{source}: {exc} after {self.options.attempts} attempts") from None
        except httpx.TimeoutException:
            raise FetchError(
                f"{source}: timed out ({self.options.timeout:g} s) {self.options.attempts} times"
            ) from None
        except httpx.TransportError as exc:
            raise FetchError(f"{source}: cannot connect ({exc or type(exc).__name__})") from None

    def _send_once(self, source: str, url: str, params: dict[str, str], accept: str):
        client = self._client()
        self._pace(source)
        self.requests_sent += 1
        response = client.get(url, params=params, headers={"Accept": accept})
        if response.status_code in RETRIED_STATUSES:
            raise _RetryableStatus(
                response.status_code, retry_after_seconds(response.headers.get("Retry-After"))
            )
        if response.status_code not in (200, 404):
            raise FetchError(f"{source}: HTTP {response.status_code} for {response.url}")
        return response

    def _pace(self, source: str) -> None:
        """Sleep until this service's minimum interval since our last request has passed."""
        last = self._last_request.get(source)
        if last is not None:
            remaining = last + self.options.service(source).interval - self.clock()
            if remaining > 0:
                self.sleep(remaining)
        self._last_request[source] = self.clock()

    def _announce_retry(self, source: str, state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        reason = "timed out" if isinstance(failure, httpx.TimeoutException) else str(failure)
        wait = state.next_action.sleep if state.next_action else 0
        self.notify(f"{source}: {reason}; trying again in {wait:g} s")


def _asked_wait(state: RetryCallState) -> float | None:
    """The Retry-After of the answer that failed, if it gave one."""
    failure = state.outcome.exception() if state.outcome else None
    return failure.retry_after if isinstance(failure, _RetryableStatus) else None


def _with_query(url: str, params: dict[str, str]) -> str:
    return f"{url}?{urlencode(sorted(params.items()))}" if params else url


def _parsed(source: str, body: str, parse: Callable[[str], Any]) -> Any:
    """`parse(body)`; a body that is not what the service documents becomes a FetchError."""
    try:
        return parse(body)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        reason = f"{type(exc).__name__}: {exc}" if not isinstance(exc, ValueError) else str(exc)
        raise FetchError(f"{source}: malformed response ({reason})") from None
