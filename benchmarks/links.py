"""How fast is `exemplars links`? 1,000 distinct URLs on 20 loopback hosts, 100 ms latency each.

Serves the URLs from 127.0.0.1 to 127.0.0.20 (a separate process, so the servers do not share
the checker's interpreter), then prints the cold time (empty cache), the warm time (a rerun) and
the requests the warm run made. When markdown-link-check (npm) or linkchecker (PyPI) is installed,
it checks the same URLs too and the ratio is printed. Loopback only; every run has a time limit.

    uv run python benchmarks/links.py [--urls 1000] [--hosts 20] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exemplars.links import check_links
from exemplars.links.report import summarize

OTHER_TOOL_SECONDS = 900  # the slowest known competitor takes about six minutes


def serve(hosts: int, port: int, latency: float, served, ready, stop) -> None:
    """Answer every GET and HEAD with 200 after `latency` seconds, on 127.0.0.1..127.0.0.N.

    An asyncio server with keep-alive, like a real web server: waiting costs no thread.
    """
    page = b"<!doctype html><title>page</title><p>page</p>"

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while request := await reader.readuntil(b"\r\n\r\n"):
                with served.get_lock():
                    served.value += 1
                await asyncio.sleep(latency)
                head = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(page)
                )
                writer.write(head if request.startswith(b"HEAD") else head + page)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        servers = [
            await asyncio.start_server(answer, f"127.0.0.{i}", port, backlog=1024)
            for i in range(1, hosts + 1)
        ]
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for server in servers:
            server.close()

    asyncio.run(main())


def free_port(hosts: int) -> int:
    """A port free on every one of the loopback addresses."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        try:
            for i in range(2, hosts + 1):
                with socket.socket() as other:
                    other.bind((f"127.0.0.{i}", port))
            return port
        except OSError:
            continue
    raise SystemExit("no port is free on all loopback addresses")


def write_pages(folder: Path, urls: list[str]) -> tuple[Path, Path]:
    markdown = folder / "links.md"
    markdown.write_text("".join(f"- [page {i}]({url})\n" for i, url in enumerate(urls)))
    html = folder / "links.html"
    anchors = "".join(f'<li><a href="{url}">page {i}</a></li>\n' for i, url in enumerate(urls))
    html.write_text(f"<!doctype html><title>links</title><ul>\n{anchors}</ul>\n")
    return markdown, html


def timed_check(root: Path, markdown: Path, served) -> tuple[float, int, dict]:
    before = served.value
    start = time.perf_counter()
    report = check_links(root, [markdown])
    return time.perf_counter() - start, served.value - before, summarize(report)


def run_other(name: str, command: list[str], served) -> float | None:
    before = served.value
    start = time.perf_counter()
    try:
        subprocess.run(command, capture_output=True, timeout=OTHER_TOOL_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        print(f"{name}: stopped after {OTHER_TOOL_SECONDS} s")
        return None
    elapsed = time.perf_counter() - start
    print(f"{name}: {elapsed:.2f} s, {served.value - before} requests")
    return elapsed


def other_tools(markdown: Path, html: Path, wanted: str) -> list[tuple[str, list[str]]]:
    tools = []
    mlc = shutil.which("markdown-link-check")
    if mlc and wanted in ("all", "markdown-link-check"):
        tools.append(("markdown-link-check", [mlc, "--quiet", str(markdown)]))
    linkchecker = shutil.which("linkchecker")
    if linkchecker and wanted in ("all", "linkchecker"):
        command = [linkchecker, "--check-extern", "--no-status", "--no-warnings", str(html)]
        tools.append(("linkchecker", command))
    return tools


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per answer")
    parser.add_argument(
        "--compare",
        choices=("all", "markdown-link-check", "linkchecker", "none"),
        default="all",
        help="which installed tools to run on the same URLs (default: all found)",
    )
    args = parser.parse_args()
    if not 1 <= args.hosts <= 254:
        parser.error("--hosts must be between 1 and 254")

    context = multiprocessing.get_context("spawn")
    served, ready, stop = context.Value("l", 0), context.Event(), context.Event()
    port = free_port(args.hosts)
    server = context.Process(
        target=serve, args=(args.hosts, port, args.latency, served, ready, stop), daemon=True
    )
    server.start()
    try:
        if not ready.wait(30):
            raise SystemExit("the servers did not start")
        urls = [f"http://127.0.0.{1 + i % args.hosts}:{port}/page/{i}" for i in range(args.urls)]
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            root.chmod(0o755)  # linkchecker run as root reads files as the user nobody
            markdown, html = write_pages(root, urls)
            print(
                f"{args.urls} URLs on {args.hosts} loopback hosts, {args.latency * 1000:g} ms each"
            )
            cold, cold_requests, summary = timed_check(root, markdown, served)
            print(
                f"exemplars links, cold: {cold:.2f} s, {cold_requests} requests, {summary['ok']} ok"
            )
            warm, warm_requests, summary = timed_check(root, markdown, served)
            print(
                f"exemplars links, warm: {warm:.3f} s, {warm_requests} requests, "
                f"{summary['from_cache']} from the cache"
            )
            command = [str(Path(sys.executable).parent / "exemplars"), "links", str(markdown)]
            before, start = served.value, time.perf_counter()
            subprocess.run(command, cwd=root, capture_output=True, timeout=60, check=False)
            elapsed, asked = time.perf_counter() - start, served.value - before
            print(
                f"exemplars links, warm, the command with Python's start: {elapsed:.2f} s, ", end=""
            )
            print(f"{asked} requests")
            for name, command in other_tools(markdown, html, args.compare):
                elapsed = run_other(name, command, served)
                if elapsed is not None:
                    print(f"{name} / exemplars links (cold): {elapsed / cold:.1f}x")
    finally:
        stop.set()
        server.join(10)
        if server.is_alive():
            server.terminate()


if __name__ == "__main__":
    main()
