"""The render is gated: the `pre-render` step of `_quarto.yml` runs `exemplars check`, and a post
citing a key missing from the bibliography makes it fail, which stops `quarto render`.

Quarto cannot run in the tests (see DESIGN.md), so the steps are read from `_quarto.yml` and run
the way Quarto runs them: each entry split into words (double quotes group), run in the project
folder without a shell, `.py` scripts with Python (Quarto's project-scripts documentation,
https://quarto.org/docs/projects/scripts.html).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT

UNKNOWN = "nosuchkey2099"


def pre_render_commands(root: Path) -> list[list[str]]:
    """The commands Quarto runs before rendering the project at `root`, as argument lists."""
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8")) or {}
    steps = (config.get("project") or {}).get("pre-render") or []
    return [split_like_quarto(step) for step in (steps if isinstance(steps, list) else [steps])]


def split_like_quarto(command: str) -> list[str]:
    """Quarto's parseShellRunCommand: whitespace separates words, double quotes group them."""
    words, word, quoted, started = [], "", False, False
    for char in command:
        if char == '"':
            quoted, started = not quoted, True
        elif char.isspace() and not quoted:
            if started:
                words.append(word)
            word, started = "", False
        else:
            word, started = word + char, True
    return [*words, word] if started else words


def run_like_quarto(command: list[str], root: Path) -> subprocess.CompletedProcess[str]:
    if command[0].endswith(".py"):
        command = [sys.executable, *command]
    env = os.environ | {
        # `uv run quarto render` puts the project's environment first on PATH.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        # A step written as `uv run ...` finds this repository's environment, as is, offline.
        "UV_PROJECT": str(ROOT),
        "UV_NO_SYNC": "1",
        "UV_OFFLINE": "1",
        # What Quarto tells pre-render steps.
        "QUARTO_PROJECT_RENDER_ALL": "1",
        "QUARTO_PROJECT_OUTPUT_DIR": "_site",
    }
    return subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def cite_an_unknown_key(root: Path) -> tuple[str, int]:
    """Add a citation of a key no bibliography has to the first post; its file and line."""
    post = sorted((root / "posts").glob("*/index.qmd"))[0]
    text = post.read_text(encoding="utf-8")
    post.write_text(text + f"\n\nAs shown before [@{UNKNOWN}].\n", encoding="utf-8")
    return post.relative_to(root).as_posix(), text.count("\n") + 3


def assert_unknown_citation_stops_the_render(root: Path) -> None:
    """The check the render depends on, for the project at `root`."""
    commands = pre_render_commands(root)
    assert commands, f"{root / '_quarto.yml'} has no pre-render step"
    shown, line = cite_an_unknown_key(root)
    failed = first_failure(commands, root)
    assert failed, "the render would go on despite an unknown citation"
    output = failed.stdout + failed.stderr
    assert f"{shown}:{line}: error: @{UNKNOWN} is not in the bibliography" in output
    assert "Traceback" not in output


def first_failure(commands: list[list[str]], root: Path) -> subprocess.CompletedProcess | None:
    """Quarto runs the steps in order and stops the render at the first that fails."""
    for command in commands:
        result = run_like_quarto(command, root)
        if result.returncode != 0:
            return result
    return None


def test_the_test_blog_renders_only_after_its_check(blog_project):
    assert first_failure(pre_render_commands(blog_project), blog_project) is None
    assert_unknown_citation_stops_the_render(blog_project)


def test_this_repository_renders_only_after_its_check(real_project):
    if not (real_project / "_quarto.yml").exists() or not list(real_project.glob("posts/*/")):
        pytest.skip("this repository has no _quarto.yml or post yet")
    assert_unknown_citation_stops_the_render(real_project)


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("exemplars check", ["exemplars", "check"]),
        (
            'uv run  "exemplars" check --root "."',
            ["uv", "run", "exemplars", "check", "--root", "."],
        ),
        ('say "two words"', ["say", "two words"]),
    ],
)
def test_steps_are_split_as_quarto_splits_them(command, words):
    assert split_like_quarto(command) == words
