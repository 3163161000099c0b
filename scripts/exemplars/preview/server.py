"""The built site served on 127.0.0.1, with a page that follows the preview.

Every HTML page gets a short script that listens to the preview's events (server-sent events, a
plain HTTP response the browser keeps open and reconnects by itself): `reload` when a render
has updated the site, `problems` with the findings that kept a save from being rendered, shown
over the page until a clean save clears them. Quarto's own preview server is not used: it
re-renders a page whose data changed from its frozen cell outputs, without running the cells.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from exemplars.serve import QuietHandler
from exemplars.serve import serving as served

EVENTS_PATH = "/__preview/events"
KEEPALIVE_SECONDS = 15
FOLLOWER = """<script>
(() => {
  // exemplars preview: reload after each render, show the findings that held one back.
  const events = new EventSource("%(events)s?since=%(generation)d");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problems", (event) => {
    let banner = document.getElementById("exemplars-preview-problems");
    if (!event.data) { if (banner) banner.remove(); return; }
    if (!banner) {
      banner = document.createElement("pre");
      banner.id = "exemplars-preview-problems";
      banner.setAttribute("role", "alert");
      banner.style.cssText = "position:fixed;inset:0 0 auto 0;z-index:10000;margin:0;" +
        "padding:1em;max-height:50vh;overflow:auto;white-space:pre-wrap;" +
        "background:#7a1c1c;color:#fff;font:14px/1.4 monospace";
      document.body.prepend(banner);
    }
    banner.textContent = event.data;
  });
})();
</script>
"""


class PortUnavailable(Exception):
    """The port asked for is taken (or not ours to serve on)."""


class Broadcast:
    """What the open pages are told: how many renders have completed, and the problems."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.generation = 0
        self.problems = ""
        self.closed = False

    def reload(self, problems: str = "") -> None:
        """A render updated the site: the pages reload, and show `problems` (usually none)."""
        with self._changed:
            self.generation += 1
            self.problems = problems
            self._changed.notify_all()

    def show_problems(self, text: str) -> None:
        with self._changed:
            self.problems = text
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def _news(self, since: int, shown: str) -> bool:
        return self.closed or self.generation != since or self.problems != shown

    def events(self, since: int) -> Iterator[tuple[str, str]]:
        """(event, data) as they come for a page served at generation `since`; ("", "") when
        nothing happened for a while, so the connection is kept alive."""
        shown = ""
        while True:
            with self._changed:
                self._changed.wait_for(partial(self._news, since, shown), timeout=KEEPALIVE_SECONDS)
                if self.closed:
                    return
                generation, problems = self.generation, self.problems
            if generation != since:
                yield "reload", ""
                return
            if problems != shown:
                shown = problems
                yield "problems", problems
            else:
                yield "", ""


class _PreviewHandler(QuietHandler):
    broadcast: Broadcast

    def __init__(self, *args, broadcast: Broadcast, **kwargs) -> None:
        self.broadcast = broadcast
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            since = parse_qs(url.query).get("since", ["0"])[0]
            self._stream_events(int(since) if since.isdigit() else 0)
            return
        page = self._html_file(url.path)
        if page is None:
            super().do_GET()
            return
        self._send_page(page)

    def _html_file(self, url_path: str) -> Path | None:
        """The HTML file a URL serves, when it serves one (a folder serves its index.html)."""
        path = Path(self.translate_path(url_path))
        if path.is_dir() and url_path.endswith("/"):
            path = path / "index.html"
        return path if path.suffix == ".html" and path.is_file() else None

    def _send_page(self, page: Path) -> None:
        html = page.read_text(encoding="utf-8", errors="replace")
        script = FOLLOWER % {"events": EVENTS_PATH, "generation": self.broadcast.generation}
        at = html.rfind("</body>")
        html = html[:at] + script + html[at:] if at >= 0 else html + script
        body = html.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new render
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self, since: int) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            for event, data in self.broadcast.events(since):
                self.wfile.write(_event_text(event, data).encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page went away


def _event_text(event: str, data: str) -> str:
    """One server-sent event; an empty `event` is a comment that keeps the connection open.
    https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation"""
    if not event:
        return ": waiting\n\n"
    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
    return f"event: {event}\n{lines}\n"


@contextmanager
def serving(folder: Path, port: int, broadcast: Broadcast) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1:`port` (0: a free port) for the block; yields the base URL.
    Raises PortUnavailable when the port is taken."""
    with ExitStack() as stack:
        try:
            url = stack.enter_context(served(folder, port, _PreviewHandler, broadcast=broadcast))
        except OSError as exc:
            raise PortUnavailable(f"cannot serve on port {port}: {exc.strerror}") from exc
        # Undone first: the open event streams end, so that the server can stop.
        stack.callback(broadcast.close)
        yield url
