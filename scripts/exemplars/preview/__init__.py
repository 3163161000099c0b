"""`exemplars preview`: the site served while the author writes, the open page following each save.

A save of the list, the venues, the bibliography or a page is checked first, with every offline
check of `exemplars check`. A save with errors is not rendered: its findings are printed in the
terminal and shown over the open page, which keeps its last good render. A clean save renders
the pages it concerns with Quarto (the list's post for a data file, the page itself for a page,
the site for its configuration), and the open page reloads. A clean save of the list, the
venues or the bibliography first updates the list's part of the open page (list_swap), which
takes a second or two, then renders it.
"""

from __future__ import annotations

import itertools
import signal
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import watchfiles
from watchfiles import Change

from exemplars.findings import Finding, UnreadableInput, as_text, exit_code, sort_findings
from exemplars.preview.changes import Plan, is_followed, list_pages, output_page, plan
from exemplars.preview.list_swap import swap_groups
from exemplars.preview.renderer import Renderer
from exemplars.preview.server import Broadcast, PortUnavailable, serving
from exemplars.project import Project
from exemplars.quarto.globs import OUTPUT_DIR
from exemplars.textio import write_text_atomically

CHECKED = "exemplars check"
Check = Callable[[Path], list[Finding]]  # the project's offline checks, as `exemplars check`
# The list's groups as a list page prints them (root, page): exemplars.post.list_html.
ListGroups = Callable[[Path, Path], list[str]]
Say = Callable[[str], None]
WATCH_TIMEOUT_MS = 500


@dataclass(frozen=True)
class PreviewOptions:
    port: int = 0  # 0: a free port
    open_browser: bool = True


def preview(
    root: Path,
    options: PreviewOptions,
    check: Check,
    renderer: Renderer,
    say: Say,
    list_groups: ListGroups | None = None,
) -> int:
    """Serve the site of the project at `root` and follow its saves until Ctrl-C (or SIGTERM);
    then stop every process the renders started. Returns 0, or 2 when the port is taken.
    `list_groups`, when given, shows a saved list in the open page before its render."""
    project = Project(root)
    broadcast = Broadcast()
    loop = _Loop(project, check, renderer, broadcast, say, list_groups)
    try:
        with _stopped_by_signals(), serving(root / OUTPUT_DIR, options.port, broadcast) as url:
            saves = loop.watch()  # before the first render: a save during it is not missed
            loop.start()
            shown = _page_url(project, url)
            say(f"Serving {shown} (Ctrl-C stops the preview)")
            if options.open_browser:
                webbrowser.open(shown)
            loop.follow(saves)
    except PortUnavailable as exc:
        say(f"exemplars preview: {exc}")
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        renderer.stop()
    say("Preview stopped.")
    return 0


class _Loop:
    """Check, render and tell the open pages, for the start and for each save."""

    def __init__(
        self,
        project: Project,
        check: Check,
        renderer: Renderer,
        broadcast: Broadcast,
        say: Say,
        list_groups: ListGroups | None = None,
    ) -> None:
        self.project = project
        self.check = check
        self.renderer = renderer
        self.broadcast = broadcast
        self.say = say
        self.list_groups = list_groups

    def start(self) -> None:
        """Bring the site up to date: the whole site when it was never rendered, else the
        list's pages (the list may have changed since their last render)."""
        if not (self.project.root / OUTPUT_DIR / "index.html").is_file():
            self._update(Plan(site=True), "The site is not rendered yet")
        else:
            self._update(Plan(pages=list_pages(self.project)), "Bringing the list up to date")

    def watch(self) -> Iterator[set[tuple[Change, str]]]:
        """The saves of followed files, in batches, from now on; an empty batch each half
        second without a save."""
        watching = watchfiles.watch(
            self.project.root,
            watch_filter=lambda _, path: is_followed(Path(path), self.project),
            yield_on_timeout=True,
            rust_timeout=WATCH_TIMEOUT_MS,
        )
        # The watch starts with the first batch asked for: ask for it now.
        return itertools.chain([next(watching)], watching)

    def follow(self, saves: Iterator[set[tuple[Change, str]]]) -> None:
        """Each batch of saves, until interrupted."""
        for changes in saves:
            if not changes:
                continue
            saved = sorted({Path(path) for _, path in changes})
            wanted = plan(self.project, saved)
            if wanted:
                names = ", ".join(self.project.shown(path) for path in saved)
                self._update(wanted, f"{names} saved")

    def _update(self, wanted: Plan, why: str) -> None:
        if not wanted:
            return
        self.say(f"{why}: checking")
        findings = self._findings()
        if findings:
            self.say(as_text(findings, CHECKED, self.project.root))
        if exit_code(findings):  # errors; warnings are shown and rendered
            self.say("Not rendered: the page keeps its last good render until this is fixed.")
            self.broadcast.show_problems(_banner(findings, self.project.root))
            return
        if wanted.list_data:
            self._show_list(wanted.pages)
        self._render(wanted)

    def _show_list(self, pages: tuple[Path, ...]) -> None:
        """Put the list as it is now into the built list pages, and reload the open pages."""
        if self.list_groups is None:
            return
        started = time.monotonic()
        shown = [page for page in pages if self._swap_list(page)]
        if shown:
            names = ", ".join(self.project.shown(page) for page in shown)
            self.say(f"Showed the list in {names} in {time.monotonic() - started:.1f} s")
            self.broadcast.reload()

    def _swap_list(self, page: Path) -> bool:
        output = output_page(self.project, page)
        try:
            built = output.read_text(encoding="utf-8")
        except OSError:
            return False  # never rendered: the render will make it
        swapped = swap_groups(built, self.list_groups(self.project.root, page))
        if swapped is None:
            return False
        write_text_atomically(output, swapped)
        return True

    def _findings(self) -> list[Finding]:
        try:
            return sort_findings(self.check(self.project.root), self.project.root)
        except UnreadableInput as exc:
            return [exc.finding]

    def _render(self, wanted: Plan) -> None:
        """Render each page wanted; reload the open pages when the renders wrote them, even if
        a step after the render (the post-render checks) failed, which the page then says."""
        problems = ""
        for page in [None] if wanted.site else wanted.pages:
            name = "the site" if page is None else self.project.shown(page)
            output = output_page(self.project, page or self.project.root / "index.qmd")
            before = _modified(output)
            self.say(f"Rendering {name}")
            rendered = self.renderer.render(page)
            if not rendered.ok:
                self.say(rendered.output.rstrip())
            if not rendered.ok and _modified(output) == before:
                self.say(f"The render of {name} failed; the page keeps its last good render.")
                self.broadcast.show_problems(f"The render of {name} failed: see the terminal.")
                return
            self.say(f"Rendered {name} in {rendered.seconds:.1f} s")
            if not rendered.ok:
                self.say("A step after the render failed (see above); the page shows the render.")
                problems = f"The page is rendered, but a step after the render of {name} failed."
        self.broadcast.reload(problems)


def _modified(path: Path) -> int | None:
    """When `path` was last written, in nanoseconds; None when it does not exist."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _banner(findings: list[Finding], root: Path) -> str:
    """What the open page shows over its last good render."""
    return "This page is the last good render: the saved files have errors.\n" + as_text(
        findings, CHECKED, root
    )


def _page_url(project: Project, base: str) -> str:
    """The list's post when there is one (where the author looks), else the home page."""
    for page in list_pages(project):
        if output_page(project, page).is_file():
            return base + page.relative_to(project.root).with_suffix(".html").as_posix()
    return base


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM stop the preview, and with it the renders' processes; SIGINT
    too, because a process started in the background by a shell inherits it ignored."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {sent: signal.signal(sent, interrupt) for sent in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sent, handler in previous.items():
            signal.signal(sent, handler)
