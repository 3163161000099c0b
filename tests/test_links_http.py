"""How `exemplars links` judges a link, against real HTTP servers on 127.0.0.1.

Each test serves a route the way some real server answers (a 404, a redirect chain, a 429 with
Retry-After, a page too big to download) and checks the verdict a reader of the report would see.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from exemplars.links.check import probe_targets
from exemplars.links.collect import doi_target, web_target
from exemplars.links.outcome import Outcome, Status
from exemplars.links.settings import LinkSettings
from exemplars.retrying import retry_after_seconds

from tests.link_server import LinkServer, Reply, loopback_only, refused_url  # noqa: F401

pytestmark = pytest.mark.usefixtures("loopback_only")

FIXTURES = Path(__file__).parent / "fixtures" / "links"
TRIES = 3  # the first try and two retries
PAGE = b'<!doctype html><title>t</title><h2 id="present">Here</h2><a name="old-style">x</a>'
BIG = 1 << 30  # a 1 GiB body: never to be downloaded whole
MOST_STREAMED = 16 << 20  # what a stopped reader may still have pulled through socket buffers
_JSON = {"Content-Type": "application/json"}


def settings(server: LinkServer, **changes: object) -> LinkSettings:
    """Short timeouts and waits, so the failure cases stay quick."""
    return LinkSettings.model_validate(
        {
            "timeouts": {"connect": 1, "read": 0.5, "request": 5},
            "retries": {"attempts": TRIES, "backoff": 0.01, "max_wait": 2},
            "limits": {"min_interval": 0},
            "max_body_bytes": 256 * 1024,
            "doi_handle_api": server.url("/api/handles/"),
            "walls": {"hosts": []},
        }
        | changes
    )


class Waits(list):
    """Stands in for asyncio.sleep: records each wait instead of waiting it out."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        await asyncio.sleep(0)


def check(
    server: LinkServer, *urls: str, waits: Waits | None = None, **changes: object
) -> list[Outcome]:
    targets = [web_target(url) for url in urls]
    sleep = Waits() if waits is None else waits
    outcomes, _ = asyncio.run(probe_targets(targets, settings(server, **changes), sleep=sleep))
    return outcomes


def check_one(routes: dict[str, list[Reply]], path: str, **changes: object) -> Outcome:
    with LinkServer(routes) as server:
        return check(server, server.url(path), **changes)[0]


@pytest.mark.parametrize(
    ("reply", "status", "reason"),
    [
        (Reply(200), Status.OK, ""),
        (Reply(404), Status.BROKEN, "404 Not Found"),
        (Reply(410), Status.BROKEN, "410 Gone"),
        (Reply(500), Status.BROKEN, "500 Internal Server Error"),
    ],
)
def test_status_codes(reply, status, reason):
    outcome = check_one({"/page": [reply]}, "/page")
    assert (outcome.status, outcome.code, outcome.reason) == (status, reply.status, reason)


def test_head_first_and_no_body_is_read_for_a_plain_link():
    with LinkServer({"/page": [Reply(200, stream_bytes=BIG)]}) as server:
        [outcome] = check(server, server.url("/page"))
        assert outcome.status == Status.OK
        assert server.requests() == ["HEAD /page"]
        assert server.streamed == 0


def test_a_500_is_retried_then_reported_broken():
    with LinkServer({"/page": [Reply(500)]}) as server:
        [outcome] = check(server, server.url("/page"))
        assert outcome.status == Status.BROKEN
        # each try is HEAD, then GET in case only HEAD fails on that server
        assert server.requests() == ["HEAD /page", "GET /page"] * TRIES


def test_a_permanent_then_temporary_redirect_is_a_warning_with_the_new_url():
    routes = {
        "/old": [Reply(301, b"", {"Location": "/moved"})],
        "/moved": [Reply(302, b"", {"Location": "/today"})],
        "/today": [Reply(200)],
    }
    with LinkServer(routes) as server:
        [outcome] = check(server, server.url("/old"))
        assert outcome.status == Status.REDIRECTED
        assert outcome.reason == f"moved permanently to {server.url('/moved')}"
        assert outcome.final_url == server.url("/today")


def test_a_chain_of_permanent_redirects_points_at_its_end_and_keeps_the_fragment():
    routes = {
        "/a": [Reply(308, b"", {"Location": "/b"})],
        "/b": [Reply(301, b"", {"Location": "/c"})],
        "/c": [Reply(200, PAGE)],
    }
    with LinkServer(routes) as server:
        [outcome] = check(server, server.url("/a#present"))
        assert outcome.status == Status.REDIRECTED
        assert outcome.reason == f"moved permanently to {server.url('/c')}#present"


def test_temporary_redirects_are_fine():
    routes = {"/login": [Reply(302, b"", {"Location": "/home"})], "/home": [Reply(200)]}
    with LinkServer(routes) as server:
        [outcome] = check(server, server.url("/login"))
        assert outcome.status == Status.OK
        assert outcome.final_url == server.url("/home")


def test_a_redirect_loop_is_named():
    routes = {
        "/a": [Reply(302, b"", {"Location": "/b"})],
        "/b": [Reply(302, b"", {"Location": "/a"})],
    }
    with LinkServer(routes) as server:
        [outcome] = check(server, server.url("/a"))
        assert outcome.status == Status.BROKEN
        a, b = server.url("/a"), server.url("/b")
        assert outcome.reason == f"redirect loop: {a} -> {b} -> {a}"
        assert len(server.hits) == 2


def test_redirects_are_followed_up_to_a_limit():
    routes = {f"/{i}": [Reply(302, b"", {"Location": f"/{i + 1}"})] for i in range(10)}
    with LinkServer(routes) as server:
        [outcome] = check(server, server.url("/0"), max_redirects=3)
        assert outcome.status == Status.BROKEN
        assert outcome.reason == "more than 3 redirects"
        assert len(server.hits) == 4


def test_head_refused_falls_back_to_get_and_the_host_is_remembered():
    routes = {"/a": [Reply(head_status=405)], "/b": [Reply(head_status=405)]}
    with LinkServer(routes) as server:
        first = check(server, server.url("/a"))
        assert first[0].status == Status.OK
        assert server.requests() == ["HEAD /a", "GET /a"]
    with LinkServer(routes) as server:
        outcomes = check(server, server.url("/a"), server.url("/b"), limits={"per_host": 1})
        assert [o.status for o in outcomes] == [Status.OK, Status.OK]
        assert sorted(server.requests()) == ["GET /a", "GET /b", "HEAD /a"]  # no HEAD /b


def test_429_waits_as_long_as_retry_after_asks_then_succeeds():
    routes = {"/busy": [Reply(429, headers={"Retry-After": "1"}), Reply(200)]}
    with LinkServer(routes) as server:
        waits = Waits()
        [outcome] = check(server, server.url("/busy"), waits=waits)
        assert outcome.status == Status.OK
        assert len(server.hits) == 2
        assert 1.0 in waits  # as asked, not the backoff's 0.01


def test_retry_after_is_capped_and_a_lasting_429_is_unverifiable_not_broken():
    routes = {"/busy": [Reply(429, headers={"Retry-After": "3600"})]}
    with LinkServer(routes) as server:
        [outcome] = check(server, server.url("/busy"), retries={"attempts": 2, "max_wait": 0.05})
        assert outcome.status == Status.UNVERIFIABLE
        assert outcome.reason.startswith("429 Too Many Requests")
        assert server.requests() == ["HEAD /busy", "HEAD /busy"]


def test_503_then_200_is_fine():
    routes = {"/flaky": [Reply(503), Reply(503), Reply(200)]}
    with LinkServer(routes) as server:
        [outcome] = check(server, server.url("/flaky"))
        assert outcome.status == Status.OK
        assert server.requests() == ["HEAD /flaky", "GET /flaky", "HEAD /flaky"]


def test_retry_after_as_a_date():
    then = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=then) == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # past: no wait
    assert retry_after_seconds("soon") is None


def test_a_server_that_never_answers_times_out():
    outcome = check_one({"/slow": [Reply(hang=True)]}, "/slow")
    assert outcome.status == Status.TIMEOUT
    assert outcome.reason == "no answer within 0.5 s"


def test_a_refused_connection_is_broken():
    with LinkServer({}) as server:
        [outcome] = check(server, refused_url())
    assert outcome.status == Status.BROKEN
    assert outcome.reason == "connection refused"


@pytest.mark.parametrize(
    ("fragment", "status"),
    [("present", Status.OK), ("old-style", Status.OK), ("absent", Status.BROKEN)],
)
def test_fragment_is_looked_up_in_the_page(fragment, status):
    outcome = check_one({"/page": [Reply(200, PAGE)]}, f"/page#{fragment}")
    assert outcome.status == status
    if status == Status.BROKEN:
        assert outcome.reason == f"#{fragment} is not on the page"


def test_fragment_of_a_pdf_is_not_looked_up():
    pdf = Reply(200, b"%PDF-1.7", {"Content-Type": "application/pdf"})
    assert check_one({"/paper.pdf": [pdf]}, "/paper.pdf#page=3").status == Status.OK


def test_fragment_near_the_top_of_a_huge_page_stops_the_download():
    with LinkServer({"/huge": [Reply(200, PAGE, stream_bytes=BIG)]}) as server:
        [outcome] = check(server, server.url("/huge#present"))
        assert outcome.status == Status.OK
        assert server.streamed < MOST_STREAMED


def test_fragment_missing_from_a_huge_page_is_unverifiable_after_a_capped_read():
    with LinkServer({"/huge": [Reply(200, PAGE, stream_bytes=BIG)]}) as server:
        [outcome] = check(server, server.url("/huge#further-down"))
        assert outcome.status == Status.UNVERIFIABLE
        assert "is not in the first 262,144 bytes" in outcome.reason
        assert server.streamed < MOST_STREAMED


def test_a_huge_body_behind_a_get_is_not_downloaded():
    with LinkServer({"/huge": [Reply(200, stream_bytes=BIG, head_status=405)]}) as server:
        [outcome] = check(server, server.url("/huge"))
        assert outcome.status == Status.OK
        assert server.requests() == ["HEAD /huge", "GET /huge"]
        assert server.streamed < MOST_STREAMED


@pytest.mark.parametrize("status", [403, 999])
def test_walled_hosts_are_unverifiable_other_hosts_broken(status):
    routes = {"/paper": [Reply(status)]}
    walled = check_one(routes, "/paper", walls={"hosts": ["127.0.0.1"]})
    assert walled.status == Status.UNVERIFIABLE
    assert walled.reason.endswith("127.0.0.1 walls off link checkers")
    assert check_one(routes, "/paper").status == Status.BROKEN


def test_a_doi_is_checked_with_the_handle_service_not_the_publisher():
    found = (FIXTURES / "doi-handle-found.json").read_bytes()
    routes = {"/api/handles/10.1002/anie.201804551": [Reply(200, found, _JSON)]}
    with LinkServer(routes) as server:
        outcomes, requests = asyncio.run(
            probe_targets([doi_target("10.1002/anie.201804551")], settings(server))
        )
        [outcome] = outcomes
        assert outcome.status == Status.OK
        assert outcome.final_url == json.loads(found)["values"][0]["data"]["value"]
        assert server.requests() == ["GET /api/handles/10.1002/anie.201804551?type=URL"]
        assert requests == 1


def test_an_unknown_doi_is_broken():
    missing = (FIXTURES / "doi-handle-not-found.json").read_bytes()
    routes = {"/api/handles/10.1002/no-such-doi": [Reply(404, missing, _JSON)]}
    with LinkServer(routes) as server:
        [outcome], _ = asyncio.run(
            probe_targets([doi_target("10.1002/no-such-doi")], settings(server))
        )
    assert outcome.status == Status.BROKEN
    assert outcome.reason.startswith("DOI not found")


def test_per_host_limit_is_kept():
    routes = {f"/{i}": [Reply(200, delay=0.15)] for i in range(6)}
    with LinkServer(routes) as server:
        check(server, *[server.url(f"/{i}") for i in range(6)], limits={"per_host": 2})
        assert server.most_in_flight == 2


def test_requests_to_one_host_start_an_interval_apart():
    routes = {f"/{i}": [Reply(200)] for i in range(6)}
    with LinkServer(routes) as server:
        urls = [server.url(f"/{i}") for i in range(6)]
        waits = Waits()
        check(server, *urls, waits=waits, limits={"per_host": 6, "min_interval": 0.05})
        # Each start is reserved 50 ms after the one before: the gate waits 0, 0.05, ... 0.25 s
        # (less what the loop's clock moved on meanwhile).
        assert len(waits) == 6
        assert sorted(waits)[-1] == pytest.approx(0.25, abs=0.04)
        assert all(b - a == pytest.approx(0.05, abs=0.02) for a, b in pairwise(sorted(waits)))


def test_requests_say_who_is_asking():
    with LinkServer({"/page": [Reply(200)]}) as server:
        check(server, server.url("/page"), user_agent="reading-list-checker (me@example.org)")
        assert {hit.user_agent for hit in server.hits} == {"reading-list-checker (me@example.org)"}
