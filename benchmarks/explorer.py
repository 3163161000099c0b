"""How long the list's explorer takes per keystroke, in a real Chromium, as the list grows.

Builds the post's list page the way the tests do (tests/explorer_page.py: the post's list
functions, real pandoc with citeproc, the skeleton of the post's markup, the post's own
explorer.js and explorer.css), once from this repository's list and once from a list of 1,000
exemplars made by repeating it under new keys. Serves each from 127.0.0.1, then types a query one
character at a time, deletes it again, and changes each filter. Around each input event, inside
the page, `performance.now()` measures the filter alone (the event's handler: matching, hiding,
the count, the URL), then the same plus the style and layout it causes (forced by reading
`offsetHeight`). Prints the median, the 95th percentile and the maximum, in milliseconds.

    uv run python benchmarks/explorer.py [--sizes 1000] [--rounds 3]

Goal: the filter under 16 ms per keystroke (one frame at 60 Hz) for 1,000 exemplars. The style
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

from exemplars.data.schema import Exemplar, Venue  # noqa: E402
from exemplars.post.list_markdown import group_of, groups_in_order  # noqa: E402
from exemplars.post.site import load_bibtex, load_list_and_venues  # noqa: E402
from exemplars.site.serve import serving  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser import chromium_path  # noqa: E402
from tests.explorer_page import list_markdown, page_html, write_site  # noqa: E402

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


def repeated(exemplars: list[Exemplar], bibtex: dict[str, str], size: int):
    """`size` exemplars from the real ones under new keys, each group's rows kept together."""
    copies = -(-size // len(exemplars))
    rows, entries = [], {}
    for group in groups_in_order(exemplars):
        for n in range(copies):
            for exemplar in exemplars:
                if group_of(exemplar) != group:
                    continue
                key = f"{exemplar.key}-{n}"
                rows.append(exemplar.model_copy(update={"key": key}))
                entries[key] = bibtex[exemplar.key].replace(exemplar.key, key, 1)
    kept = rows[:size]
    return kept, {row.key: entries[row.key] for row in kept}


def build(folder: Path, exemplars, venues: dict[str, Venue], bibtex: dict[str, str]) -> Path:
    bibliography = folder / "references.bib"
    folder.mkdir(parents=True)
    bibliography.write_text("\n\n".join(bibtex.values()) + "\n", encoding="utf-8")
    html = page_html(list_markdown(exemplars, venues, bibtex), bibliography)
    return write_site(folder / "site", html)


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):7.2f} {p95:7.2f} {ordered[-1]:7.2f}"


def measure(browser, url: str, rounds: int) -> dict[str, list[list[float]]]:
    timings: dict[str, list[list[float]]] = {"keystroke": [], "filter change": []}
    for _ in range(rounds):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        timings["keystroke"] += page.evaluate(TYPE_AND_TIME, ["#explorer-q", QUERY])
        page.evaluate("document.querySelector('#explorer-q').value = ''")
        for select in ("#explorer-section", "#explorer-venue", "#explorer-kind"):
            timings["filter change"] += page.evaluate(SELECT_AND_TIME, select)
        page.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("no Chromium found (apt-get install chromium, or set EXEMPLARS_CHROMIUM)")
    exemplars, venues = load_list_and_venues(ROOT)
    bibtex = load_bibtex(ROOT)
    lists = [("this repository", exemplars, bibtex)]
    lists += [(f"{size:,} exemplars", *repeated(exemplars, bibtex, size)) for size in args.sizes]
    print(f"query {QUERY!r} typed and deleted, then every option of each filter; ms per event")
    print(f"{'list':>16} {'event':>14} {'what':>16} {'median':>7} {'p95':>7} {'max':>7}")
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        for n, (name, rows, entries) in enumerate(lists):
            site = build(Path(scratch) / str(n), rows, venues, entries)
            with serving(site) as url:
                timings = measure(browser, url, args.rounds)
            for event, pairs in timings.items():
                for what, index in (("filter", 0), ("filter + layout", 1)):
                    figures = summary([pair[index] for pair in pairs])
                    print(f"{name:>16} {event:>14} {what:>16} {figures}")
        browser.close()


if __name__ == "__main__":
    main()
