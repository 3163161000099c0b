"""How long `exemplars check` takes, whole process, as the list grows.

Builds synthetic projects of 100, 1,000 and 10,000 exemplars in a temporary folder (the CSV,
the venue map, a BibTeX entry per exemplar, and a post citing every one of them under section
headings), runs `exemplars check` on each as a separate process, and prints the best and median
of a few runs, and the time per 1,000 exemplars to show how it grows. This repository's own
project is timed too when its data is there.

    uv run python benchmarks/check.py [--sizes 100 1000 10000] [--repeat 5]

Goals: this project under 1 s; 10,000 exemplars under 5 s; growth no faster than linear.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exemplars.data.schema import EXEMPLAR_COLUMNS, VENUE_COLUMNS  # noqa: E402

EXEMPLARS = str(Path(sys.executable).parent / "exemplars")
VENUES = [f"Venue {i}" for i in range(40)]
SECTION_SIZE = 25


def row(i: int) -> dict[str, str]:
    return {
        "key": f"author{i}{2000 + i % 25}topic",
        "section": f"Section {i // (SECTION_SIZE * 4)}",
        "subsection": f"Subsection {i // SECTION_SIZE}",
        "title": f"A study of topic number {i}, with a subtitle",
        "authors": "Ada Lovelace; Alan Turing; Grace Hopper",
        "year": str(2000 + i % 25),
        "venue": VENUES[i % len(VENUES)],
        "kind": "inproceedings",
        "doi": f"10.1234/bench.{i}",
        "arxiv": "",
        "url": "",
        "note": "A note of two sentences about this exemplar. It says why it is on the list.",
        "added": "2024-11-04",
    }


def bib_entry(item: dict[str, str]) -> str:
    return (
        f"@inproceedings{{{item['key']},\n"
        f"  title = {{{item['title']}}},\n"
        "  author = {Lovelace, Ada and Turing, Alan and Hopper, Grace},\n"
        f"  booktitle = {{{item['venue']}}},\n"
        f"  year = {{{item['year']}}},\n"
        f"  doi = {{{item['doi']}}},\n"
        "  x-curated = {synthetic benchmark entry},\n"
        "}\n\n"
    )


def post(rows: list[dict[str, str]]) -> str:
    lines = [
        "---",
        'title: "Exemplars"',
        "date: 2024-11-04",
        'description: "Every exemplar, cited."',
        "---",
        "",
        "See @fig-years for the years.",
        "",
    ]
    subsection = None
    for item in rows:
        if item["subsection"] != subsection:
            subsection = item["subsection"]
            lines += ["", f"## {subsection}", ""]
        lines.append(f"- **{item['title']}** ({item['year']}). {item['note']} [@{item['key']}]")
    lines += ["", "```{python}", "#| label: fig-years", "print('figure')", "```", ""]
    return "\n".join(lines)


def build(folder: Path, size: int) -> Path:
    rows = [row(i) for i in range(size)]
    (folder / "data").mkdir(parents=True)
    (folder / "posts" / "exemplars").mkdir(parents=True)
    with (folder / "data" / "exemplars.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=EXEMPLAR_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with (folder / "data" / "venues.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=VENUE_COLUMNS)
        writer.writeheader()
        writer.writerows({"venue": v, "label": v, "type": "conference"} for v in VENUES)
    (folder / "references.bib").write_text("".join(map(bib_entry, rows)), encoding="utf-8")
    (folder / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    (folder / "posts" / "_metadata.yml").write_text(
        'author: "Benchmark"\nbibliography: ../references.bib\n', encoding="utf-8"
    )
    (folder / "posts" / "exemplars" / "index.qmd").write_text(post(rows), encoding="utf-8")
    (folder / "index.qmd").write_text("---\ntitle: Home\n---\n\n[List](posts/exemplars/)\n")
    return folder


def time_check(root: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(
            [EXEMPLARS, "check", "--root", str(root)], capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            report = "\n".join(result.stdout.splitlines()[:10])
            raise SystemExit(f"check failed on {root}:\n{report}\n{result.stderr}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"{'project':>24} {'best s':>8} {'median s':>9} {'s per 1,000':>12}")
    if (ROOT / "data" / "exemplars.csv").exists():
        times = time_check(ROOT, args.repeat)
        print(f"{'this repository':>24} {min(times):8.3f} {statistics.median(times):9.3f}")
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            root = build(Path(scratch) / str(size), size)
            times = time_check(root, args.repeat)
            per_thousand = min(times) / size * 1000
            print(
                f"{f'{size:,} exemplars':>24} {min(times):8.3f} "
                f"{statistics.median(times):9.3f} {per_thousand:12.3f}"
            )


if __name__ == "__main__":
    main()
