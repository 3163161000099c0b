"""A built site served on 127.0.0.1, as a browser needs it (scripts, storage, fetches): for
check-site's audit, the preview and the tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Say nothing per request: what matters is reported elsewhere."""


@contextmanager
def serving(
    folder: Path, port: int = 0, handler: type[SimpleHTTPRequestHandler] = QuietHandler, **options
) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1:`port` (0: a free one) for the block, each request answered
    by `handler` made with `options`; yields the base URL. OSError when the port is taken."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), partial(handler, directory=str(folder), **options)
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
