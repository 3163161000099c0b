"""Local stand-ins for Crossref, DBLP, arXiv and doi.org: one HTTP server on 127.0.0.1.

Each service lives under its own path prefix (`/crossref/works/...`, `/dblp/search/publ/api`,
...), answering with the replies a test queued for a path (and, optionally, query parameters):
stored real-shape bodies from tests/fixtures/fetch/, or errors, delays and Retry-After headers.
The last reply queued for a route repeats. Unrouted paths get Crossref's plain 404. Handler
threads are daemons and every wait is bounded, so the server always stops by itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
SOURCES = ("crossref", "dblp", "arxiv", "doi")
LONGEST_WAIT = 10.0  # seconds a held reply waits for its release before answering anyway


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@dataclass
class Reply:
    body: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: a slow service, or a timeout
    hold: threading.Event | None = None  # answer only once set (or after LONGEST_WAIT)
    content_type: str = "application/json"


@dataclass(frozen=True)
class Seen:
    source: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FakeServices:
    """The server, its routes and every request it has seen."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, str, dict[str, str], list[Reply]]] = []
        self.seen: list[Seen] = []
        self.arrived = threading.Event()  # set on every request, for tests that wait for one
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.server.block_on_close = False
        # A short poll interval so that shutdown() returns at once at the end of each test.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, source: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/{source}"

    def add(
        self, source: str, path: str, *replies: Reply, query: dict[str, str] | None = None
    ) -> None:
        """Queue replies for GET /<source><path> (whose query has these parameters)."""
        with self.lock:
            self.routes.insert(0, (source, path, query or {}, list(replies)))

    def requests_to(self, source: str | None = None) -> list[Seen]:
        return [s for s in self.seen if source is None or s.source == source]

    def _reply_for(self, source: str, path: str, query: dict[str, str]) -> Reply:
        with self.lock:
            for route_source, route_path, wanted, replies in self.routes:
                matches = all(query.get(k) == v for k, v in wanted.items())
                if (route_source, route_path) == (source, path) and matches:
                    return replies.pop(0) if len(replies) > 1 else replies[0]
        return Reply("Resource not found.", 404, content_type="text/plain")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        services = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                source, _, path = parts.path.lstrip("/").partition("/")
                query = dict(parse_qsl(parts.query))
                services.seen.append(Seen(source, "/" + path, query, dict(self.headers)))
                services.arrived.set()
                reply = services._reply_for(source, "/" + path, query)
                if reply.hold is not None:
                    reply.hold.wait(LONGEST_WAIT)
                time.sleep(reply.delay)
                body = reply.body.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test) or was killed

            def log_message(self, *args) -> None:
                pass

        return Handler

    def __enter__(self) -> FakeServices:
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=LONGEST_WAIT)
