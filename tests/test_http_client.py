"""The HTTP client's manners: retries, Retry-After, pacing, timeouts, caching.

Waits are recorded by a stand-in for `time.sleep` (with a clock it advances), so the tests check
what the client waits without waiting.
"""

from __future__ import annotations

import email.utils
import json
import time

import pytest
from exemplars.config import Settings
from exemplars.http import FetchError, HttpClient

from tests.fake_services import SOURCES, FakeServices, Reply

OK = Reply(json.dumps({"answer": 42}))


class Clock:
    """A monotonic clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def services():
    with FakeServices() as running:
        yield running


def client_for(services: FakeServices, tmp_path, clock: Clock, **options) -> HttpClient:
    fetch = {"attempts": 3, "backoff": 2.0, "timeout": 2.0} | options
    fetch |= {s: {"url": services.url(s), "interval": 3.0 if s == "arxiv" else 0} for s in SOURCES}
    settings = Settings.model_validate({"contact": "tests@example.org", "fetch-bib": fetch})
    return HttpClient(settings, tmp_path / "cache", sleep=clock.sleep, clock=clock)


def get(client: HttpClient, source: str = "crossref", path: str = "/works/x", **params: str):
    return client.get(source, path, params, parse=json.loads)


def test_429_waits_what_retry_after_asks(services, tmp_path):
    services.add("crossref", "/works/x", Reply("slow down", 429, {"Retry-After": "7"}), OK)
    clock = Clock()
    assert get(client_for(services, tmp_path, clock)) == {"answer": 42}
    assert clock.sleeps == [7]
    assert len(services.requests_to()) == 2


def test_503_with_an_http_date_retry_after(services, tmp_path):
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    services.add("crossref", "/works/x", Reply("busy", 503, {"Retry-After": later}), OK)
    clock = Clock()
    assert get(client_for(services, tmp_path, clock)) == {"answer": 42}
    (waited,) = clock.sleeps
    assert 25 <= waited <= 30


def test_retry_after_is_capped(services, tmp_path):
    services.add("crossref", "/works/x", Reply("later", 429, {"Retry-After": "86400"}), OK)
    clock = Clock()
    assert get(client_for(services, tmp_path, clock, max_wait=60)) == {"answer": 42}
    assert clock.sleeps == [60]


def test_500_then_success_backs_off(services, tmp_path):
    services.add("crossref", "/works/x", Reply("oops", 500), Reply("oops", 500), OK)
    clock = Clock()
    assert get(client_for(services, tmp_path, clock)) == {"answer": 42}
    assert clock.sleeps == [2.0, 4.0]


def test_giving_up_says_why(services, tmp_path):
    services.add("crossref", "/works/x", Reply("oops", 502))
    with pytest.raises(FetchError, match=r"^crossref: HTTP 502 after 3 attempts$"):
        get(client_for(services, tmp_path, Clock()))
    assert len(services.requests_to()) == 3


def test_other_client_errors_are_not_retried(services, tmp_path):
    services.add("crossref", "/works/x", Reply("bad request", 400))
    with pytest.raises(FetchError, match="HTTP 400"):
        get(client_for(services, tmp_path, Clock()))
    assert len(services.requests_to()) == 1


def test_a_timeout_then_success(services, tmp_path):
    services.add("crossref", "/works/x", Reply(OK.body, delay=1.0), OK)
    clock = Clock()
    notes: list[str] = []
    client = client_for(services, tmp_path, clock, timeout=0.2)
    client.notify = notes.append
    assert get(client) == {"answer": 42}
    assert notes == ["crossref: timed out; trying again in 2 s"]


def test_arxiv_is_asked_at_most_once_in_three_seconds(services, tmp_path):
    services.add("arxiv", "/api/query", OK)
    clock = Clock()
    client = client_for(services, tmp_path, clock)
    for identifier in ("1", "2", "3"):
        get(client, "arxiv", "/api/query", id_list=identifier)
    get(client, "crossref", "/works/y")  # another service is not held back by arXiv's pace
    assert clock.sleeps == [3.0, 3.0]


def test_answers_and_404s_are_cached_without_the_contact_address(services, tmp_path):
    services.add("crossref", "/works/x", OK)
    clock = Clock()
    first = client_for(services, tmp_path, clock)
    assert get(first, mailto="a@example.org") == {"answer": 42}
    assert get(first, path="/works/missing") is None
    again = client_for(services, tmp_path, clock)
    assert get(again, mailto="b@example.org") == {"answer": 42}
    assert get(again, path="/works/missing") is None
    assert len(services.requests_to()) == 2
    assert first.requests_sent == 2 and again.requests_sent == 0
