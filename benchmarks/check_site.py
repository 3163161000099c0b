"""How long `exemplars export` and `exemplars check-site` take on a site whose post lists 1,000
exemplars.

Builds the test fixture's site (tests/fixtures/_built: home, about, the post, in Quarto's markup)
in a temporary folder with the post's three exemplars replaced by ITEMS generated ones, each in
the fixture's own markup (heading, citation, margin reference, note, COinS, BibTeX), and the
list, its venue and its bibliography to match. Then times, in this process, `exemplars export`
(CSL-JSON, RIS, feed and BibTeX files of every exemplar), the static checks (best and median of
a few runs) and the accessibility audit of the three pages in both themes in the machine's
Chromium.

    uv run python benchmarks/check_site.py [--items 1000] [--repeat 5] [--no-browser]

Goals: export under 3 s; static checks under 1 s; the audit of three pages in two themes under
20 s.
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exemplars.config import CheckSiteSettings  # noqa: E402
from exemplars.data.schema import EXEMPLAR_COLUMNS  # noqa: E402
from exemplars.export import export_site  # noqa: E402
from exemplars.project import Project  # noqa: E402
from exemplars.site import check_site  # noqa: E402
from exemplars.site.accessibility import audit_site  # noqa: E402
from exemplars.site.built_site import read_site  # noqa: E402
from exemplars.site.chromium import INSTALL_HINT, chromium_path  # noqa: E402

BUILT = ROOT / "tests" / "fixtures" / "_built"
POST = Path("_site/posts/exemplars/index.html")
EXEMPLAR = re.compile(
    r'<div id="[^"]+" class="exemplar page-columns page-full">.*?</details>\n</div>\n</div>\n', re.S
)
ENTRY = re.compile(r"@\w+\{(\w+),.*?\n\}\n", re.S)
TEMPLATE_KEY = "kingma2014autoencoding"


def build(folder: Path, items: int) -> None:
    """The fixture's project, its post listing `items` exemplars in the fixture's markup."""
    shutil.copytree(BUILT / "_site", folder / "_site")
    post = (folder / POST).read_text(encoding="utf-8")
    blocks = EXEMPLAR.findall(post)
    template = next(block for block in blocks if TEMPLATE_KEY in block)
    keys = [f"author{i}{2000 + i % 25}topic" for i in range(items)]
    generated = "".join(template.replace(TEMPLATE_KEY, key) for key in keys)
    post = post.replace(blocks[0], generated, 1)
    for block in blocks[1:]:
        post = post.replace(block, "", 1)
    (folder / POST).write_text(post, encoding="utf-8")
    with (BUILT / "list.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["key"] == TEMPLATE_KEY)
    for csv_path in (folder / "data" / "exemplars.csv", folder / "_site/data/exemplars.csv"):
        csv_path.parent.mkdir(parents=True, exist_ok=True)
        with csv_path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=EXEMPLAR_COLUMNS)
            writer.writeheader()
            writer.writerows(row | {"key": key} for key in keys)
    (folder / "data" / "venues.csv").write_text(
        f"venue,label,type\n{row['venue']},{row['venue']},conference\n", encoding="utf-8"
    )
    bib = (BUILT / "list.bib").read_text(encoding="utf-8") + "\n"
    entry = next(m.group(0) for m in ENTRY.finditer(bib) if m.group(1) == TEMPLATE_KEY)
    entries = "\n".join(entry.replace(TEMPLATE_KEY, key) for key in keys)
    for bib_path in (folder / "references.bib", folder / "_site" / "references.bib"):
        bib_path.write_text(entries, encoding="utf-8")
    (folder / "_quarto.yml").write_text(
        "project:\n  type: website\nwebsite:\n  site-url: https://example.org/x\n", "utf-8"
    )


def timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="time the static checks only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        build(folder, args.items)
        project, site_folder = Project(folder), folder / "_site"
        size = (folder / POST).stat().st_size
        print(f"site: 3 pages, the post {size / 1024:,.0f} KiB with {args.items:,} exemplars")
        post = CheckSiteSettings().post
        seconds, _ = timed(lambda: export_site(site_folder, project, post))
        print(f"export: {seconds:.3f} s (goal < 3 s)")
        runs = []
        for _ in range(args.repeat):
            seconds, findings = timed(
                lambda: check_site(site_folder, project, CheckSiteSettings(page_weight_kb=10**6))
            )
            runs.append(seconds)
        print(
            f"static checks: best {min(runs):.3f} s, median {statistics.median(runs):.3f} s "
            f"({len(findings)} findings; goal < 1 s)"
        )
        if args.no_browser:
            return 0
        chromium = chromium_path()
        if chromium is None:
            print(f"audit: skipped, no Chromium ({INSTALL_HINT})")
            return 1
        site = read_site(site_folder, project)
        seconds, findings = timed(lambda: audit_site(site, chromium))
        print(
            f"audit: {seconds:.1f} s for 3 pages in light and dark "
            f"({len(findings)} findings; goal < 20 s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
