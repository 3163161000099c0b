"""`exemplars preview` run as the author runs it, for the tests and the benchmark: a process of
its own, its output read as it comes, its pages fetched over HTTP, stopped with Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psutil

STARTED = re.compile(r"^Serving (http://127\.0\.0\.1:\d+/)")
RUN_VARIABLE = "EXEMPLARS_TEST_PREVIEW_RUN"  # inherited by all it starts, detached or not


class RunningPreview:
    """`exemplars preview --no-browser` on `project`, with `environment` added to this one's."""

    def __init__(self, project: Path, environment: dict[str, str] | None = None) -> None:
        self.project = project
        self.run = uuid.uuid4().hex
        self.lines: list[str] = []
        self.ended = False  # its output closed: it has stopped
        self._arrived = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "exemplars", "preview", "--no-browser", "--root", str(project)],
            env=os.environ | dict(environment or {}) | {RUN_VARIABLE: self.run},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._arrived:
                self.lines.append(line.rstrip("\n"))
                self._arrived.notify_all()
        with self._arrived:
            self.ended = True
            self._arrived.notify_all()

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 60) -> re.Match[str]:
        """The first line from line `after` on that matches `pattern`; fails after `timeout` s."""
        wanted = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for line in self.lines[after:]:
                    if found := wanted.search(line):
                        return found
                left = deadline - time.monotonic()
                if left <= 0 or self.ended:
                    raise AssertionError(
                        f"no line matching {pattern!r} within {timeout} s; the preview said:\n"
                        + "\n".join(self.lines)
                    )
                self._arrived.wait(left)

    @property
    def url(self) -> str:
        return self.wait_for(STARTED.pattern, timeout=600)[1]

    def page(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def interrupt(self, timeout: float = 60) -> int:
        """Ctrl-C, as a terminal sends it; the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout)

    def processes(self) -> list[psutil.Process]:
        """The preview and every process it started that is still running."""
        found = []
        for process in psutil.process_iter(["environ"]):
            if (process.info.get("environ") or {}).get(RUN_VARIABLE) == self.run:
                found.append(process)
        return found

    def kill(self) -> None:
        """For a test that failed midway: nothing left running."""
        if self.process.poll() is None:
            self.interrupt()


def edit_row(csv_file: Path, key: str, *replacements: tuple[str, str]) -> int:
    """Each (old, new) of `replacements` made in the row of `key`, saved in one write as an
    editor saves; the row's line."""
    lines = csv_file.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key},"))
    for old, new in replacements:
        assert old in lines[number], f"{old!r} is not in the row of {key}"
        lines[number] = lines[number].replace(old, new, 1)
    csv_file.write_text("".join(lines), encoding="utf-8")
    return number + 1
