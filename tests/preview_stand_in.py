"""A stand-in for `quarto render [PAGE]` in the preview's tests (EXEMPLARS_PREVIEW_RENDERER).

Run in the project folder, as Quarto is. It notes each render in `stand-in-renders.log`, writes
the page into `_site/` with the list's text in it (the list's post) so a test can see which save
a served page shows, and, like Quarto's Jupyter daemon, leaves a process behind in a session of
its own, whose id it notes in `stand-in-daemons.log`: the preview must stop it on Ctrl-C.
With a file `stand-in-post-render-fails` in the project, it fails after writing the page, as
Quarto does when a post-render step fails. The list's post holds the list's groups as the post's
cells print them (exemplars.post.list_html), which the preview can replace after a save; with a
file `stand-in-waits` in the project, a render of the post takes that many seconds first.
"""

from __future__ import annotations

import html
import subprocess
import sys
import time
from pathlib import Path

from exemplars.post.list_html import PostSections

POST = "posts/exemplars/index.qmd"
SITE_PAGES = ("index.qmd", POST)


def main(arguments: list[str]) -> int:
    root = Path.cwd()
    pages = arguments or list(SITE_PAGES)
    with (root / "stand-in-renders.log").open("a", encoding="utf-8") as log:
        log.write(" ".join(arguments) or "site")
        log.write("\n")
    for page in pages:
        output = root / "_site" / Path(page).with_suffix(".html")
        output.parent.mkdir(parents=True, exist_ok=True)
        shown = (root / "data" / "exemplars.csv").read_text(encoding="utf-8")
        groups = ""
        if page == POST:
            waits = root / "stand-in-waits"
            time.sleep(float(waits.read_text()) if waits.exists() else 0)
            groups = "\n".join(PostSections.for_post(root, root / POST).groups_html())
        body = f"<pre>{html.escape(shown)}</pre>\n{groups}"
        output.write_text(f"<html><body>{body}</body></html>\n")
    daemon = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(600)"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    with (root / "stand-in-daemons.log").open("a", encoding="utf-8") as log:
        log.write(f"{daemon.pid}\n")
    if (root / "stand-in-post-render-fails").exists():
        print("ERROR: a post-render step failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
