"""Quarto rendering a page for the preview, and stopping everything that rendering started.

Each render is `quarto render PAGE` with the project's environment, in a process group of its
own so that stopping it stops Quarto's pandoc, sass and Python children with it. Quarto runs the
post's cells in its Jupyter daemon (`--execute-daemon`), which keeps the kernel and its imports
warm from one render to the next; the daemon and its kernel detach from Quarto's process group
on purpose, so they are found by a variable set in the environment they inherit, and stopped
with the preview.

EXEMPLARS_PREVIEW_RENDERER, for tests only, names a command run in place of `quarto render`
(the page's path relative to the project is appended; nothing for the whole site).
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil

from exemplars.quarto.executable import quarto_path, render_environment

RENDERER_VARIABLE = "EXEMPLARS_PREVIEW_RENDERER"
SESSION_VARIABLE = "EXEMPLARS_PREVIEW_SESSION"
# How long Quarto's daemon keeps an idle kernel. The preview stops it on exit; this bounds its
# life should the preview itself be killed outright.
DAEMON_SECONDS = 1800
GRACE_SECONDS = 5


@dataclass(frozen=True)
class Rendered:
    ok: bool
    seconds: float
    output: str  # what the renderer printed, for the terminal when it failed


class Renderer:
    """Renders pages of the project at `root` with `command`, one render at a time."""

    def __init__(self, root: Path, command: list[str], options: tuple[str, ...] = ()) -> None:
        self.root = root
        self.command = command
        self.options = options  # after the page: Quarto's flags
        self.session = uuid.uuid4().hex
        self._running: subprocess.Popen[str] | None = None

    @classmethod
    def find(cls, root: Path) -> Renderer | None:
        """The stand-in renderer when one is set, else Quarto; None without either."""
        if stand_in := os.environ.get(RENDERER_VARIABLE):
            return cls(root, shlex.split(stand_in))
        quarto = quarto_path()
        if quarto is None:
            return None
        return cls(root, [quarto, "render"], ("--execute-daemon", str(DAEMON_SECONDS)))

    def render(self, page: Path | None) -> Rendered:
        """Render `page` (None: the whole site) and wait for it."""
        target = [] if page is None else [page.relative_to(self.root).as_posix()]
        environment = render_environment()
        environment[SESSION_VARIABLE] = self.session
        started = time.monotonic()
        self._running = subprocess.Popen(
            [*self.command, *target, *self.options],
            cwd=self.root,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,  # its own group: Ctrl-C reaches the preview, which stops it
        )
        output, _ = self._running.communicate()
        code = self._running.returncode
        self._running = None
        return Rendered(code == 0, time.monotonic() - started, output)

    def stop(self) -> None:
        """Stop a render under way, then every process left from this preview's renders."""
        if self._running is not None and self._running.poll() is None:
            _end_group(self._running)
        _end_processes(_session_processes(self.session))


def _end_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM to the render's process group, SIGKILL to whatever outlives the grace period."""
    members = [member for member in psutil.process_iter() if _group_of(member.pid) == process.pid]
    _signal_group(process.pid, signal.SIGTERM)
    _, alive = psutil.wait_procs(members, timeout=GRACE_SECONDS)
    if alive:
        _signal_group(process.pid, signal.SIGKILL)
        psutil.wait_procs(alive, timeout=GRACE_SECONDS)
    process.wait()


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:  # gone, or not ours to ask about
        return None


def _signal_group(group: int, sent: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, sent)


def _session_processes(session: str) -> list[psutil.Process]:
    """The processes whose environment carries this preview's session: whatever its renders
    started, including those that left the render's process group."""
    found = []
    marker = {SESSION_VARIABLE: session}
    for process in psutil.process_iter(["environ"]):
        environment = process.info.get("environ") or {}
        if process.pid != os.getpid() and marker.items() <= environment.items():
            found.append(process)
    return found


def _end_processes(processes: list[psutil.Process]) -> None:
    """SIGTERM to each of `processes`, SIGKILL to those alive after the grace period."""
    for ending in (psutil.Process.terminate, psutil.Process.kill):
        for process in processes:
            try:
                ending(process)
            except psutil.NoSuchProcess:
                continue
        _, processes = psutil.wait_procs(processes, timeout=GRACE_SECONDS)
        if not processes:
            return
