"""How the whole render grows with the list: this project, and a copy with its list repeated.

Renders, with a real Quarto (EXEMPLARS_QUARTO or `quarto` on PATH), a copy of this project as it
is and a copy whose list is repeated to about 1,000 exemplars (tests/rendering.py),
one after the other on this machine, each a whole `quarto render` with the pre- and post-render
steps. Prints both times and their ratio, the post's HTML size, and where the time went, read
from the moments Quarto prints its progress lines:
  pre-render  from the start to the first page
  pages       the other pages (home, about), before the post
  kernel      the post's Python kernel starting
  cells       the post's cells running
  quarto      the post through pandoc and Quarto's HTML processing, and the site-wide files
  post-render from the post-render steps to the end

    uv run python benchmarks/render_scale.py [--times 9] [--rounds 1]

Goals (the list at 1,000): render time at most 1.5x this project's; the post's HTML at most
1.5 MB; both renders exit 0 with the project's default settings.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exemplars.quarto.executable import INSTALL_HINT, quarto_path, render_environment

from tests.rendering import copy_project, multiply_list

POST = Path("_site/posts/exemplars/index.html")
PAGE = re.compile(r"\[\d+/\d+\] (.+)$")
MARKS = ("pre-render", "pages", "kernel", "cells", "quarto", "post-render")


def timed_render(quarto: str, project: Path) -> tuple[int, float, dict[str, float]]:
    """Exit code, seconds, and seconds per phase of one `quarto render` in `project`."""
    start = time.perf_counter()
    moments: dict[str, float] = {}
    process = subprocess.Popen(
        [quarto, "render"],
        cwd=project,
        env=render_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert process.stdout is not None
    for raw in process.stdout:
        line = re.sub(r"\x1b\[[0-9;]*m", "", raw).strip()
        now = time.perf_counter() - start
        page = PAGE.search(line)
        if page:
            moments.setdefault("pages", now)
            if page[1] == "posts/exemplars/index.qmd":
                moments["kernel"] = now
        elif line.startswith("Executing "):
            moments["cells"] = now
        elif "cells" in moments and re.search(r"Cell (\d+)/\1", line):
            moments["quarto"] = now
        elif line.startswith("Running script") and "quarto" in moments:
            moments.setdefault("post-render", now)
    code = process.wait()
    total = time.perf_counter() - start
    return code, total, _phases(moments, total)


def _phases(moments: dict[str, float], total: float) -> dict[str, float]:
    starts = {"pre-render": 0.0, **moments}
    known = [name for name in MARKS if name in starts]
    ends = [starts[name] for name in known[1:]] + [total]
    return {name: end - starts[name] for name, end in zip(known, ends, strict=True)}


def render_copy(quarto: str, folder: Path, times: int) -> tuple[int, int, float, dict, int]:
    """Rows, exit code, seconds, phases and post bytes of a fresh copy repeated `times` times."""
    project = copy_project(folder)
    rows = multiply_list(project, times)
    code, seconds, phases = timed_render(quarto, project)
    post = project / POST
    return rows, code, seconds, phases, post.stat().st_size if post.exists() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=9, help="repetitions of the list (9)")
    parser.add_argument("--rounds", type=int, default=1, help="pairs of renders (1)")
    options = parser.parse_args()
    quarto = quarto_path()
    if quarto is None:
        print(f"render_scale: no Quarto: {INSTALL_HINT}", file=sys.stderr)
        return 2
    results: dict[int, list] = {1: [], options.times: []}
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(options.rounds):
            for times in results:
                folder = Path(scratch) / f"r{round_}x{times}"
                results[times].append(render_copy(quarto, folder, times))
    print(
        f"{'exemplars':>9} {'exit':>4} {'seconds':>8} {'post HTML':>10}  "
        + " ".join(f"{name:>11}" for name in MARKS)
    )
    for runs in results.values():
        for rows, code, seconds, phases, size in runs:
            cells = " ".join(f"{phases.get(name, float('nan')):11.1f}" for name in MARKS)
            print(f"{rows:9d} {code:4d} {seconds:8.1f} {size / 1e6:8.2f}MB  {cells}")
    small = statistics.median(run[2] for run in results[1])
    large = statistics.median(run[2] for run in results[options.times])
    print(f"ratio {large / small:.2f} (goal <= 1.5); post HTML goal <= 1.5 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
