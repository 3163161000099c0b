"""Which files a list of Quarto globs names, such as `project: resources:` in `_quarto.yml`.

Quarto's rules (https://quarto.org/docs/reference/globs.html, and `resolvePathGlobs` in Quarto's
`src/core/path.ts`): a glob matches anywhere below the project folder unless it starts with `/`,
which anchors it at the project folder, so `references.bib` also names
`tests/fixtures/references.bib` while `/references.bib` names only the project's own. A leading
`./` anchors too; a glob ending in `/`, or naming a folder, means everything inside it; a glob
starting with `!` excludes what it matches (`\\!` is a literal `!`).

One glob language for every list of them (`project: render:` too): `**`, `*`, `?`, `[abc]`,
`[!abc]` and `{a,b}`, matched against paths relative to the project folder; a pattern that
matches a folder takes in everything under it.

Two differences from Quarto, both on the side of matching less: hidden files and folders
(`.git`, `.venv`) are not searched, and the output folder is left out, as Quarto leaves it out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

OUTPUT_DIR = "_site"  # a website's default output folder


def resolve_globs(root: Path, patterns: Sequence[str], output_dir: str = OUTPUT_DIR) -> list[Path]:
    """The files under `root` the patterns name, less those the `!` patterns name, sorted."""
    # `./` anchors a resource glob at the project folder, as `/` does.
    anchored = [re.sub(r"^(!?)\./+", r"\1/", pattern) for pattern in patterns]
    includes = [glob_pattern(p, anywhere=True) for p in anchored if not p.startswith("!")]
    excludes = [glob_pattern(p[1:], anywhere=True) for p in anchored if p.startswith("!")]
    return sorted(
        root / relative
        for relative in _files(root, output_dir)
        if matches(includes, relative) and not matches(excludes, relative)
    )


def glob_pattern(entry: str, anywhere: bool) -> re.Pattern[str]:
    """A glob as a regular expression over paths relative to the project folder. With
    `anywhere`, one that does not start with `/` matches at any depth (Quarto's implicit `**/`);
    otherwise it is relative to the folder. A leading `./` and a trailing `/` change nothing;
    `\\!` is a literal `!`."""
    entry = entry.removeprefix("\\")
    entry = re.sub(r"^\./+", "", entry).rstrip("/")
    if anywhere and not entry.startswith("/"):
        entry = "**/" + entry
    return re.compile(glob_regex(entry.strip("/")))


def is_glob(entry: str) -> bool:
    return any(char in entry for char in "*?[{")


def matches(patterns: Sequence[re.Pattern[str]], relative: str) -> bool:
    """Whether a path (relative, with `/`) or a folder above it matches one of the patterns."""
    parts = relative.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(pattern.fullmatch(c) for pattern in patterns for c in candidates)


def _files(root: Path, output_dir: str) -> list[str]:
    """Every file below `root`, relative and with `/`, outside hidden folders and the output."""
    found = []
    for folder, subfolders, files in os.walk(root):
        relative = Path(folder).relative_to(root)
        subfolders[:] = [
            name
            for name in subfolders
            if not name.startswith(".") and (relative / name).as_posix() != output_dir
        ]
        found += [(relative / name).as_posix() for name in files if not name.startswith(".")]
    return found


def glob_regex(glob: str) -> str:
    """A glob (`**`, `*`, `?`, `[abc]`, `[!abc]`, `{a,b}`) as a regular expression."""
    out, at = [], 0
    while at < len(glob):
        char = glob[at]
        if glob.startswith("**/", at):
            out.append("(?:.*/)?")
            at += 3
            continue
        if glob.startswith("**", at):
            out.append(".*")
            at += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in glob[at + 1 :]:
            end = glob.index("]", at + 2 if glob[at + 1 : at + 2] in ("!", "]") else at + 1)
            body = glob[at + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            at = end
        elif char == "{" and "}" in glob[at:]:
            end = glob.index("}", at)
            choices = glob[at + 1 : end].split(",")
            out.append("(?:" + "|".join(glob_regex(c) for c in choices) + ")")
            at = end
        else:
            out.append(re.escape(char))
        at += 1
    return "".join(out)
