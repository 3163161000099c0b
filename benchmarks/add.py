"""How long `exemplars add` takes when its answers are cached (warm), whole process.

Copies this project's list, venues, bibliography and posts into a temporary folder, points the
services at a local stand-in for Crossref (tests/fake_services.py) and adds one work by its DOI
once to fill the response cache. Then, each time from the original files again, it times the
same add as a separate process, which sends no request: what the author waits for on a second
attempt or with `--offline`. Prints the best and median of the runs and the requests sent.

    uv run python benchmarks/add.py [--repeat 5]

Goal: under 1 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_services import FakeServices, Reply, fixture  # noqa: E402
from tests.fetch_helpers import CONTACT  # noqa: E402

EXEMPLARS = str(Path(sys.executable).parent / "exemplars")
DOI = "10.1109/JPROC.2021.3058954"
WRITTEN = ("data/exemplars.csv", "data/venues.csv", "references.bib")


def copy_project(folder: Path, services: FakeServices) -> Path:
    """This project's files, with settings that send fetch-bib's requests to `services`."""
    for name in ("data", "posts"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy2(ROOT / "references.bib", folder / "references.bib")
    settings = [
        "[tool.exemplars]",
        f'contact = "{CONTACT}"',
        "[tool.exemplars.fetch-bib.crossref]",
        f'url = "{services.url("crossref")}"',
        "interval = 0",
    ]
    (folder / "pyproject.toml").write_text("\n".join(settings) + "\n", encoding="utf-8")
    return folder


def timed_add(root: Path) -> float:
    command = [EXEMPLARS, "add", DOI, "--root", str(root), "--section", "Miscellaneous Topics"]
    command += ["--subsection", "Causality", "--note", "A benchmark's note."]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"exemplars add failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with FakeServices() as services, tempfile.TemporaryDirectory() as folder:
        services.add("crossref", f"/works/{DOI}", Reply(fixture("crossref-work-scholkopf.json")))
        root = copy_project(Path(folder), services)
        originals = {name: (root / name).read_bytes() for name in WRITTEN}
        cold = timed_add(root)
        cold_requests = len(services.requests_to())
        times = []
        for _ in range(args.repeat):
            for name, data in originals.items():
                (root / name).write_bytes(data)
            times.append(timed_add(root))
        warm_requests = len(services.requests_to()) - cold_requests
    print(f"cold add (fills the cache): {cold:.2f} s, {cold_requests} requests")
    print(
        f"warm add, {args.repeat} runs: best {min(times):.2f} s, median "
        f"{statistics.median(times):.2f} s, {warm_requests} requests (goal: under 1 s, 0 requests)"
    )


if __name__ == "__main__":
    main()
