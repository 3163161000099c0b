"""How long `exemplars preview` takes from a save to the updated page in a browser.

Runs the preview with a real Quarto (EXEMPLARS_QUARTO or `quarto` on PATH) on a copy of this
project, and on a copy whose list is repeated (tests/rendering.py: new keys, titles, locators
and entries), opens the list's post in the machine's Chromium, then saves, one at a time: a note
of the list (data/exemplars.csv) and a sentence of the post's prose, each `--repeat` times. Each
save writes a word the page did not have; the time runs from the save to the moment the reloaded
page in the browser shows it. Prints, per list size and kind of edit, the median, the fastest
and the slowest, and beside them the median of the render alone as the preview reports it.

    uv run python benchmarks/preview.py [--times 1 9] [--repeat 5]

Goals: under 5 s (median) at this project's list, for a note and for a sentence; under 10 s
with the list repeated nine times (1,053 exemplars).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exemplars.quarto.executable import INSTALL_HINT, quarto_path
from exemplars.site.chromium import chromium_path
from playwright.sync_api import Error, Page, sync_playwright

from tests.preview_process import RunningPreview

POST = "posts/exemplars/index.qmd"
ROW = "kim2018tutorial"  # a row on one line, in the first section
SENTENCE = "This is a reading list that keeps changing."
RENDERED = re.compile(rf"^Rendered {re.escape(POST)} in ([0-9.]+) s$")
SHOWS = "(word) => document.body !== null && document.body.textContent.includes(word)"


def shown_after(page: Page, word: str, timeout: float = 600) -> float:
    """Seconds until the page shows `word`, across the reload the preview asks for."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if page.evaluate(SHOWS, word):
                return time.perf_counter() - start
        except Error:  # the page is reloading
            pass
        time.sleep(0.05)
    raise TimeoutError(f"the page never showed {word!r}")


def save_note(project: Path, n: int) -> str:
    word = f"notesave{n}x"
    csv = project / "data/exemplars.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{ROW},"))
    lines[at] = re.sub(r'( notesave\d+x)?(",\d{4}-\d\d-\d\d\r?\n)$', rf" {word}\2", lines[at])
    assert word in lines[at], lines[at]
    csv.write_text("".join(lines), encoding="utf-8")
    return word


def save_prose(project: Path, n: int) -> str:
    word = f"prosesave{n}x"
    post = project / POST
    text = re.sub(r"(keeps changing\.)( prosesave\d+x\.)?", rf"\1 {word}.", post.read_text())
    assert word in text
    post.write_text(text, encoding="utf-8")
    return word


def measure(page: Page, preview: RunningPreview, save, repeat: int) -> tuple[list, list]:
    """Seconds from save to page, and the preview's render times, for `repeat` saves."""
    shown, rendered = [], []
    for n in range(repeat):
        seen = len(preview.lines)
        word = save(preview.project, n + int(time.time()))
        shown.append(shown_after(page, word))
        rendered.append(float(preview.wait_for(RENDERED.pattern, after=seen)[1]))
        time.sleep(1)
    return shown, rendered


def run(chromium: str, folder: Path, times: int, repeat: int) -> list[str]:
    from tests.rendering import copy_project, multiply_list  # the list repeated, as the tests do

    project = copy_project(folder)
    rows = multiply_list(project, times)
    preview = RunningPreview(project)
    lines = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium)
            page = browser.new_page()
            page.goto(preview.url.rstrip("/") + "/posts/exemplars/index.html", timeout=600_000)
            for kind, save in (("note", save_note), ("prose", save_prose)):
                shown, rendered = measure(page, preview, save, repeat)
                lines.append(
                    f"{rows:9d} {kind:>6} {statistics.median(shown):7.1f} {min(shown):6.1f} "
                    f"{max(shown):6.1f} {statistics.median(rendered):7.1f}"
                )
                print(lines[-1], flush=True)
            browser.close()
    finally:
        preview.kill()
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, nargs="+", default=[1, 9], help="list repetitions")
    parser.add_argument("--repeat", type=int, default=5, help="saves of each kind (5)")
    options = parser.parse_args()
    quarto, chromium = quarto_path(), chromium_path()
    if quarto is None or chromium is None:
        print(f"preview: needs Quarto ({INSTALL_HINT}) and Chromium", file=sys.stderr)
        return 2
    print("exemplars   edit  median fastest slowest  render (seconds, save to page)")
    with tempfile.TemporaryDirectory() as scratch:
        for times in options.times:
            run(chromium, Path(scratch) / f"x{times}", times, options.repeat)
    print("goals: median under 5 s at this project's list, under 10 s at 1,053 exemplars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
