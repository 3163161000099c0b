"""Check web links and DOIs over HTTP: concurrently, politely, and reading as little as possible.

Politeness: at most `max_concurrency` requests in flight, at most `per_host` to one host with
their starts `min_interval` apart, retries on 429 and 5xx after the wait the server asks for
(capped), a User-Agent that says who is asking, and HEAD first so no page is downloaded unless a
#fragment has to be found in it. Redirects are followed by hand, one hop at a time, so every hop
passes its host's gate, a loop is named as such, and a permanent move is reported with its new URL.
DOIs are looked up in the DOI system's handle service, which answers honestly where publishers'
pages often answer checkers with 403.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urldefrag

import httpx
from tenacity import RetryCallState, retry_if_result

from exemplars.config import HostLimits, LinkSettings
from exemplars.links.collect import Kind, Target
from exemplars.links.fragments import Anchor, find_anchor, wants_check
from exemplars.links.outcome import Outcome, Status
from exemplars.links.settings import host_matches
from exemplars.retrying import async_retrying, retry_after_seconds

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
HEAD_REFUSED = frozenset({405, 501})  # a host that says so is asked with GET from then on
ACCEPT = "text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8"
MAX_JSON_BYTES = 1_000_000
DRAIN_BYTES = 64 * 1024  # an unwanted body up to this size is read to keep its connection

Inspector = Callable[[httpx.Response], Awaitable[Any]]


@dataclass(frozen=True)
class Answer:
    """What one HTTP exchange said, and what was read from its body if anything."""

    url: str
    method: str
    status: int
    phrase: str
    location: str | None = None
    retry_after: str | None = None
    detail: Any = None  # an Anchor for a page searched for a #fragment, the JSON of a DOI lookup

    @property
    def label(self) -> str:
        """`404 Not Found`, as people know statuses."""
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = self.phrase
        return f"{self.status} {phrase}".strip()


Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class HostGate:
    """At most `slots` requests at once to one host, their starts at least `interval` apart."""

    def __init__(self, slots: int, interval: float, clock: Clock, sleep: Sleep) -> None:
        self._slots = asyncio.Semaphore(slots)
        self._interval = interval
        self._next_start = 0.0
        self._clock, self._sleep = clock, sleep

    async def __aenter__(self) -> None:
        await self._slots.acquire()
        now = self._clock()
        start = max(now, self._next_start)
        self._next_start = start + self._interval  # reserved before sleeping: no two share a slot
        try:
            await self._sleep(start - now)
        except BaseException:
            self._slots.release()
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self._slots.release()


class Prober:
    """Checks targets, with one HTTP client per host; counts the requests it makes.

    Use as `async with Prober(settings) as prober:` so every connection is closed at the end.
    `clock` and `sleep` pace the hosts and time the retries: the event loop's by default, a
    test's own so that nothing waits on the wall clock.
    """

    def __init__(
        self, settings: LinkSettings, clock: Clock | None = None, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.settings = settings
        self._clock = clock or (lambda: asyncio.get_running_loop().time())
        self._sleep = sleep
        self.requests = 0
        self._slots = asyncio.Semaphore(settings.limits.max_concurrency)
        self._gates: dict[str, HostGate] = {}
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._tls: ssl.SSLContext | None = None
        self._get_only: set[str] = set()

    async def __aenter__(self) -> Prober:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for client in self._clients.values():
            await client.aclose()

    async def check(self, target: Target) -> Outcome:
        """The outcome of one web or DOI target; never raises for network trouble."""
        timeouts = self.settings.timeouts
        try:
            if target.kind == Kind.DOI:
                return await self._check_doi(target.doi)
            return await self._check_url(target.url)
        except httpx.ConnectTimeout:
            return Outcome(Status.TIMEOUT, reason=f"no connection within {timeouts.connect:g} s")
        except httpx.TimeoutException:
            return Outcome(Status.TIMEOUT, reason=f"no answer within {timeouts.read:g} s")
        except TimeoutError:
            return Outcome(Status.TIMEOUT, reason=f"no full answer within {timeouts.request:g} s")
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            return Outcome(Status.BROKEN, reason=_network_reason(exc))

    async def _check_url(self, url: str) -> Outcome:
        address, fragment = urldefrag(url)
        fragment = fragment if wants_check(fragment) else ""
        chain = [address]
        moved_to = None  # where the leading run of permanent redirects ends: the link's new URL
        only_permanent = True
        for _ in range(self.settings.max_redirects + 1):
            answer = await self._retrying(self._head_or_get, chain[-1], fragment)
            if answer.status not in REDIRECTS or not answer.location:
                return self._verdict(answer, chain, fragment, moved_to)
            following = str(httpx.URL(chain[-1]).join(answer.location))
            following, new_fragment = urldefrag(following)
            fragment = new_fragment if wants_check(new_fragment) else fragment
            only_permanent = only_permanent and answer.status in PERMANENT
            if only_permanent:
                moved_to = following
            if following in chain:
                loop = " -> ".join([*chain[chain.index(following) :], following])
                return Outcome(Status.BROKEN, answer.status, reason=f"redirect loop: {loop}")
            chain.append(following)
        limit = self.settings.max_redirects
        return Outcome(Status.BROKEN, reason=f"more than {limit} redirects")

    def _verdict(
        self, answer: Answer, chain: list[str], fragment: str, moved_to: str | None
    ) -> Outcome:
        with_fragment = (lambda url: f"{url}#{fragment}") if fragment else (lambda url: url)
        final = with_fragment(chain[-1])
        if not 200 <= answer.status < 300:
            return self._failure(answer, chain, final)
        if answer.detail is Anchor.MISSING:
            return Outcome(Status.BROKEN, answer.status, final, f"#{fragment} is not on the page")
        if answer.detail is Anchor.UNKNOWN:
            read = f"{self.settings.max_body_bytes:,} bytes"
            reason = f"#{fragment} is not in the first {read} of the page"
            return Outcome(Status.UNVERIFIABLE, answer.status, final, reason)
        if moved_to is not None:
            reason = f"moved permanently to {with_fragment(moved_to)}"
            return Outcome(Status.REDIRECTED, answer.status, final, reason)
        return Outcome(Status.OK, answer.status, final)

    def _failure(self, answer: Answer, chain: list[str], final: str | None) -> Outcome:
        walls = self.settings.walls
        if answer.status == 429:
            reason = f"{answer.label}: the server asks checkers to slow down"
            return Outcome(Status.UNVERIFIABLE, answer.status, final, reason)
        walled = next(
            (host for host in self._hosts(chain) if host_matches(host, walls.hosts)), None
        )
        if walled and answer.status in walls.statuses:
            reason = f"{answer.label}: {walled} walls off link checkers"
            return Outcome(Status.UNVERIFIABLE, answer.status, final, reason)
        return Outcome(Status.BROKEN, answer.status, final, answer.label)

    async def _check_doi(self, doi: str) -> Outcome:
        url = f"{self.settings.doi_handle_api}{quote(doi, safe='/')}?type=URL"
        answer = await self._retrying(self._send, "GET", url, _read_json)
        found = answer.detail if isinstance(answer.detail, dict) else {}
        if answer.status == 200 and found.get("responseCode") == 1:
            return Outcome(Status.OK, answer.status, _registered_url(found))
        if answer.status == 404 or found.get("responseCode") == 100:
            reason = "DOI not found: the DOI system has no such handle"
            return Outcome(Status.BROKEN, answer.status, None, reason)
        return self._failure(answer, [url], None)

    async def _head_or_get(self, url: str, fragment: str) -> Answer:
        host = httpx.URL(url).host
        if fragment:
            max_bytes = self.settings.max_body_bytes
            return await self._send("GET", url, lambda r: find_anchor(r, fragment, max_bytes))
        answer = await self._send("HEAD", url)
        if answer.method == "HEAD" and answer.status >= 400 and answer.status != 429:
            # Many servers mishandle HEAD: a GET has the last word.
            if answer.status in HEAD_REFUSED:
                self._get_only.add(host)
            answer = await self._send("GET", url)
        return answer

    async def _send(self, method: str, url: str, inspect: Inspector | None = None) -> Answer:
        """One request; the body is read only by `inspect`, and only for a success."""
        host = httpx.URL(url).host
        client = self._client(host)  # made outside the gate: the first one takes a while
        async with self._gate(host), self._slots:
            if method == "HEAD" and host in self._get_only:  # learnt while waiting at the gate
                method = "GET"
            self.requests += 1
            async with asyncio.timeout(self.settings.timeouts.request):
                response = await client.send(client.build_request(method, url), stream=True)
                try:
                    if inspect and response.is_success:
                        detail = await inspect(response)
                    else:
                        detail = await _drain_if_small(response)
                finally:
                    await response.aclose()  # closes the connection if the body was left unread
        headers = response.headers
        return Answer(
            url,
            method,
            response.status_code,
            response.reason_phrase,
            headers.get("location"),
            headers.get("retry-after"),
            detail,
        )

    async def _retrying(self, exchange: Callable[..., Awaitable[Answer]], *args: Any) -> Answer:
        """Run `exchange` again after 429 and 5xx answers, waiting as asked, up to a limit;
        the last answer stands when the tries run out."""
        tries = async_retrying(
            self.settings.retries,
            self._sleep,
            _asked_wait,
            retry=retry_if_result(self._worth_retrying),
            retry_error_callback=lambda state: state.outcome.result(),
        )
        return await tries(exchange, *args)

    def _worth_retrying(self, answer: Answer) -> bool:
        if answer.status == 429:
            return not host_matches(httpx.URL(answer.url).host, self.settings.walls.hosts)
        return 500 <= answer.status < 600

    def _gate(self, host: str) -> HostGate:
        if host not in self._gates:
            slots, interval = self._per_host(host), self._min_interval(host)
            self._gates[host] = HostGate(slots, interval, self._clock, self._sleep)
        return self._gates[host]

    def _client(self, host: str) -> httpx.AsyncClient:
        """The host's own client. One pool for all hosts would do, but httpx's pool scans every
        connection for every waiting request, which grows quadratically with hosts kept alive."""
        if host not in self._clients:
            if self._tls is None:
                self._tls = httpx.create_ssl_context()  # built once: it costs tens of ms
            timeouts = self.settings.timeouts
            slots = self._per_host(host)
            self._clients[host] = httpx.AsyncClient(
                headers={"User-Agent": self.settings.user_agent, "Accept": ACCEPT},
                timeout=httpx.Timeout(timeouts.read, connect=timeouts.connect, pool=None),
                limits=httpx.Limits(max_connections=slots, max_keepalive_connections=slots),
                verify=self._tls,
            )
        return self._clients[host]

    def _per_host(self, host: str) -> int:
        special = self._host_limits(host)
        return (special and special.per_host) or self.settings.limits.per_host

    def _min_interval(self, host: str) -> float:
        special = self._host_limits(host)
        if special and special.min_interval is not None:
            return special.min_interval
        return self.settings.limits.min_interval

    def _host_limits(self, host: str) -> HostLimits | None:
        return self.settings.hosts.get(host_matches(host, self.settings.hosts) or "")

    @staticmethod
    def _hosts(chain: list[str]) -> list[str]:
        return [httpx.URL(url).host for url in chain]


def _asked_wait(state: RetryCallState) -> float | None:
    """The Retry-After of the answer that asked to try again, if it gave one."""
    return retry_after_seconds(state.outcome.result().retry_after) if state.outcome else None


async def _drain_if_small(response: httpx.Response) -> None:
    """Read a short body to its end, so its connection can serve the next request."""
    length = response.headers.get("content-length", "")
    if response.request.method == "HEAD" or (length.isdigit() and int(length) <= DRAIN_BYTES):
        read = 0
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read > DRAIN_BYTES:
                break


async def _read_json(response: httpx.Response) -> Any:
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > MAX_JSON_BYTES:
            return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def _registered_url(handle: dict[str, Any]) -> str | None:
    """The URL a DOI resolves to, from the handle service's answer."""
    for value in handle.get("values", []):
        if isinstance(value, dict) and value.get("type") == "URL":
            return str(value.get("data", {}).get("value") or "") or None
    return None


def _network_reason(exc: Exception) -> str:
    """A short reason for a failed connection, from the error that caused it."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate not accepted ({cause.verify_message})"
        cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__
