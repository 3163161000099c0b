"""How long each `exemplars` command takes as a whole process, start included, on a warm cache.

Copies the project into a temporary folder and, so that everything runs offline:
- serves 1,000 URLs from loopback hosts and checks them once with `exemplars links`, so that the
  link cache answers every one of them (the servers of benchmarks/links.py);
- reads the project's pages into the link cache, as an online `exemplars links` leaves it, so the
  offline run (the pre-render step) starts no pandoc;
- copies the test fixture's built site (tests/fixtures/_built) for `check-site --no-browser`.
Then runs each command as its own process: one untimed run writes the bytecode caches, then the
median and best of a few timed runs are printed with the CPU time, beside bare `python -c pass`.

    uv run python benchmarks/start.py [--repeat 7]

Goals: `exemplars --help` under 0.1 s; `exemplars links` over 1,000 cached URLs under 0.2 s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exemplars.cli import _parser  # noqa: E402
from exemplars.links.cache import LinkCache  # noqa: E402
from exemplars.links.collect import collect_links, project_files  # noqa: E402
from exemplars.links.documents import MarkdownReader  # noqa: E402
from exemplars.links.settings import load_config  # noqa: E402
from exemplars.project import Project  # noqa: E402
from links import free_port, serve, write_pages  # noqa: E402  (benchmarks/links.py, beside this)

from tests.helpers import BIB  # noqa: E402
from tests.rendering import copy_project  # noqa: E402

PYTHON = sys.executable
EXEMPLARS = str(Path(PYTHON).parent / "exemplars")
BUILT = ROOT / "tests" / "fixtures" / "_built"
URLS = 1000
# The project's .linksignore skips 127.0.0.1 (a preview server): the links are on the 20 hosts
# after it, 127.0.0.2 to 127.0.0.21.
HOSTS = 20
LINKS_FILE = "benchmark-links.md"
GOALS = {"exemplars --help": 0.1, f"exemplars links {LINKS_FILE}": 0.2}
# Bytecode caches are part of the measure: the first run of each command writes them.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def commands() -> list[str]:
    """The command line's commands, read from its parser, so that a new one is timed too."""
    [choices] = [action.choices for action in _parser()._actions if action.dest == "command"]
    return list(choices)


def warm_links(project: Path) -> None:
    """Check LINKS_FILE's 1,000 URLs once against loopback servers, so the cache holds them."""
    context = multiprocessing.get_context("spawn")
    served, ready, stop = context.Value("l", 0), context.Event(), context.Event()
    port = free_port(HOSTS + 1)
    server = context.Process(
        target=serve, args=(HOSTS + 1, port, 0.0, served, ready, stop), daemon=True
    )
    server.start()
    try:
        if not ready.wait(30):
            raise SystemExit("the servers did not start")
        urls = [f"http://127.0.0.{2 + i % HOSTS}:{port}/page/{i}" for i in range(URLS)]
        markdown, html = write_pages(project, urls)
        markdown.rename(project / LINKS_FILE)
        html.unlink()
        result = subprocess.run(
            [EXEMPLARS, "links", LINKS_FILE],
            cwd=project,
            env=ENVIRONMENT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0 or served.value != URLS:
            raise SystemExit(f"the cold run failed ({served.value} requests):\n{result.stdout}")
    finally:
        stop.set()
        server.join(10)
        if server.is_alive():
            server.terminate()


def read_pages(project: Path) -> None:
    """The project's pages read into the link cache, as an online `exemplars links` leaves it."""
    settings = load_config(project).settings
    cache = LinkCache(project / settings.cache_file, timedelta(days=settings.max_age_days))
    collect_links(project_files(Project(project)), settings.arxiv_abs, MarkdownReader(cache))
    cache.save()


def built_site(folder: Path) -> Path:
    """The fixture's built site in a project of its own, with the downloads its post offers, as
    tests/test_check_site.py sets it up."""
    shutil.copytree(BUILT / "_site", folder / "_site")
    for csv in (folder / "data" / "exemplars.csv", folder / "_site" / "data" / "exemplars.csv"):
        csv.parent.mkdir(parents=True)
        shutil.copy(BUILT / "list.csv", csv)
    (folder / "_site" / "references.bib").write_text(BIB, encoding="utf-8")
    return folder


def timed(command: list[str], cwd: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of `repeat` runs, after one untimed run."""
    wall, cpu = [], []
    for run in range(repeat + 1):
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        result = subprocess.run(
            command, cwd=cwd, env=ENVIRONMENT, capture_output=True, text=True, check=False
        )
        elapsed, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
        if run:
            wall.append(elapsed)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def runs(project: Path, site: Path) -> list[tuple[str, list[str], Path]]:
    """(name, command, folder) of every run to time."""
    listed = [("python -c pass", [PYTHON, "-c", "pass"], project)]
    helps = [[], *([command] for command in commands())]
    work = [
        (["check"], project),
        (["links", "--offline"], project),
        (["links", LINKS_FILE], project),
        (["fetch-bib", "--offline", "--dry-run"], project),
        (["check-site", "--no-browser"], site),
    ]
    for arguments, folder in [*(([*h, "--help"], project) for h in helps), *work]:
        listed.append((" ".join(["exemplars", *arguments]), [EXEMPLARS, *arguments], folder))
    return listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        warm_links(project)
        read_pages(project)
        site = built_site(Path(scratch) / "site")
        print(f"whole process, warm caches ({URLS:,} URLs in the link cache), {args.repeat} runs")
        print(f"{'command':<45} {'median s':>9} {'best s':>7} {'cpu s':>6} {'goal s':>7}")
        for name, command, folder in runs(project, site):
            wall, cpu = timed(command, folder, args.repeat)
            median = statistics.median(wall)
            goal = ""
            if name in GOALS:
                goal = f"{GOALS[name]:7.2f} {'met' if median < GOALS[name] else 'missed'}"
            print(f"{name:<45} {median:9.3f} {min(wall):7.3f} {statistics.median(cpu):6.3f} {goal}")


if __name__ == "__main__":
    main()
