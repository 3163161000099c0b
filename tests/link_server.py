"""Web servers on 127.0.0.1 that answer the way real ones do, for the link checker's tests.

Each route is a list of responses served in turn (the last one repeats), so "503, then 200" is
`[Reply(503), Reply(200)]`. Servers run in a thread of the test process, listen on loopback only
and stop with the test; a request that is told to hang gives up by itself after a few seconds.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

HANG_SECONDS = 5.0  # the longest a hanging request keeps its thread
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b"<!doctype html><title>ok</title><p>ok</p>"
    headers: dict[str, str] = field(default_factory=dict)
    head_status: int | None = None  # a different status for HEAD (405: HEAD refused)
    hang: bool = False  # accept the request and never answer
    delay: float = 0.0  # seconds to think before answering
    stream_bytes: int = 0  # announce and stream this many bytes after `body`


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    at: float
    user_agent: str


class LinkServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with scripted routes; records every request."""

    def __init__(self, routes: dict[str, list[Reply]]) -> None:
        self.routes = routes
        self.hits: list[Hit] = []
        self.streamed = 0  # body bytes of streamed replies that reached the socket
        self.in_flight = 0
        self.most_in_flight = 0  # the most requests being answered at once
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}{path}"

    def requests(self, path: str | None = None) -> list[str]:
        """`METHOD /path` of each request so far (to one path, if given)."""
        return [f"{h.method} {h.path}" for h in self.hits if path in (None, h.path)]

    def __enter__(self) -> LinkServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _next_reply(self, method: str, path: str, user_agent: str) -> Reply:
        with self._lock:
            self.hits.append(Hit(method, path, time.monotonic(), user_agent))
            replies = self.routes.get(path.split("?")[0], [Reply(404, b"<p>no such page</p>")])
            served = self._served.get(path, 0)
            self._served[path] = served + 1
        return replies[min(served, len(replies) - 1)]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # or each keep-alive answer waits on a delayed ACK

            def do_HEAD(self) -> None:
                self._answer("HEAD")

            def do_GET(self) -> None:
                self._answer("GET")

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _answer(self, method: str) -> None:
                reply = server._next_reply(method, self.path, self.headers.get("User-Agent", ""))
                with server._lock:
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                try:
                    self._reply(method, reply)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _reply(self, method: str, reply: Reply) -> None:
                if reply.delay:
                    server._stopping.wait(reply.delay)
                if reply.hang:
                    server._stopping.wait(HANG_SECONDS)
                    self.close_connection = True
                    return
                status = (reply.head_status if method == "HEAD" else None) or reply.status
                self.send_response(status)
                headers = {"Content-Type": "text/html; charset=utf-8"} | reply.headers
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body) + reply.stream_bytes))
                self.end_headers()
                if method == "GET":
                    self._write_body(reply)

            def _write_body(self, reply: Reply) -> None:
                try:
                    self.wfile.write(reply.body)
                    for _ in range(reply.stream_bytes // CHUNK):
                        self.wfile.write(b" " * CHUNK)
                        with server._lock:
                            server.streamed += CHUNK
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the checker stopped reading, as it should

        return Handler


def refused_url() -> str:
    """A loopback URL where nothing listens: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def loopback_only(monkeypatch) -> Iterator[None]:
    """A connection to, or a name lookup of, anything but loopback fails the test instead."""
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            raise AssertionError(f"a test tried to reach {address[0]}: tests stay on loopback")
        return connect(sock, address)

    resolve = socket.getaddrinfo

    def guarded_lookup(host, *args, **kwargs):
        if host is not None and not _loopback(host.decode() if isinstance(host, bytes) else host):
            raise AssertionError(f"a test tried to look up {host}: tests stay on loopback")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    yield


def _loopback(host: str) -> bool:
    return host.startswith("127.") or host in ("::1", "localhost")
