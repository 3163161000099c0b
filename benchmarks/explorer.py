"""How long the list's explorer takes per keystroke, in a real Chromium, as the list grows.

Builds the post's list page the way the tests do (tests/explorer_page.py: the post's list
functions, real pandoc with citeproc, the skeleton of the post's markup, the post's own
explorer.js and explorer.css), once from this repository's list and once from a copy of the
project whose list is repeated (tests/rendering.py: 9 times, 1,053 exemplars). Serves each from
127.0.0.1, then types a query one character at a time, deletes it again, and changes each filter.
Around each input event, inside the page, `performance.now()` measures the filter alone (the
event's handler: matching, hiding, the count, the URL), then the same plus the style and layout
it causes (forced by reading `offsetHeight`). Prints the median, the 95th percentile and the
maximum, in milliseconds.

    uv run python benchmarks/explorer.py [--times 9] [--rounds 3]

Goal: the filter under 16 ms per keystroke (one frame at 60 Hz) for 1,053 exemplars. The style
and layout it causes are printed beside it: they grow with the number of items that reappear.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exemplars.post.site import load_list_and_venues  # noqa: E402
from exemplars.serve import serving  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import chromium_path  # noqa: E402
from tests.explorer_page import list_markdown, page_html, write_site  # noqa: E402
from tests.rendering import copy_project, multiply_list  # noqa: E402

QUERY = "variational inference"

# Runs in the page: one input event per keystroke, timed without and with the layout it causes.
TYPE_AND_TIME = """
([selector, text]) => {
  const input = document.querySelector(selector);
  const steps = [...Array.from(text, (_, i) => text.slice(0, i + 1)),
                 ...Array.from(text, (_, i) => text.slice(0, text.length - i - 1))];
  return steps.map((value) => {
    input.value = value;
    const start = performance.now();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const filtered = performance.now();
    void document.body.offsetHeight;
    return [filtered - start, performance.now() - start];
  });
}
"""

SELECT_AND_TIME = """
(selector) => {
  const select = document.querySelector(selector);
  return Array.from(select.options, (option) => {
    select.value = option.value;
    const start = performance.now();
    select.dispatchEvent(new Event("change", { bubbles: true }));
    const filtered = performance.now();
    void document.body.offsetHeight;
    return [filtered - start, performance.now() - start];
  });
}
"""


def build(folder: Path, times: int) -> tuple[int, Path]:
    """The explorer's page for a copy of the project with its list repeated `times` times."""
    project = copy_project(folder / "project")
    multiply_list(project, times)
    exemplars, venues = load_list_and_venues(project)
    html = page_html(list_markdown(exemplars, venues, project))
    return len(exemplars), write_site(folder / "site", html, project)


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):7.2f} {p95:7.2f} {ordered[-1]:7.2f}"


def measure(browser, url: str, rounds: int) -> dict[str, list[list[float]]]:
    timings: dict[str, list[list[float]]] = {"keystroke": [], "filter change": []}
    for _ in range(rounds):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        timings["keystroke"] += page.evaluate(TYPE_AND_TIME, ["#explorer-find", QUERY])
        page.evaluate("document.querySelector('#explorer-find').value = ''")
        for select in ("#explorer-section", "#explorer-venue", "#explorer-kind"):
            timings["filter change"] += page.evaluate(SELECT_AND_TIME, select)
        page.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=9, help="repetitions of the list (9)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("no Chromium found (apt-get install chromium, or set EXEMPLARS_CHROMIUM)")
    print(f"query {QUERY!r} typed and deleted, then every option of each filter; ms per event")
    print(f"{'list':>16} {'event':>14} {'what':>16} {'median':>7} {'p95':>7} {'max':>7}")
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for times in sorted({1, args.times}):
            count, site = build(Path(scratch) / str(times), times)
            name = f"{count:,} exemplars"
            with serving(site) as url:
                timings = measure(browser, url, args.rounds)
            for event, pairs in timings.items():
                for what, index in (("filter", 0), ("filter + layout", 1)):
                    figures = summary([pair[index] for pair in pairs])
                    print(f"{name:>16} {event:>14} {what:>16} {figures}")
        browser.close()


if __name__ == "__main__":
    main()
