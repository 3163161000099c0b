"""Which Quarto renders the project, and the environment it renders in.

The real-render tests, the preview and the render benchmark all find Quarto here:
EXEMPLARS_QUARTO (the path of a `quarto` launcher) when set, else `quarto` on PATH. Quarto runs
the post's cells and the pre- and post-render commands with whatever Python and `exemplars` it
finds first, so the environment puts the running interpreter's folder (the project's `.venv`)
first on PATH and names that interpreter in QUARTO_PYTHON.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

QUARTO_VARIABLE = "EXEMPLARS_QUARTO"
INSTALL_HINT = (
    f"install Quarto (https://quarto.org/docs/get-started/) or set {QUARTO_VARIABLE} "
    "to the path of a quarto launcher"
)


def quarto_path() -> str | None:
    """The Quarto launcher to use: EXEMPLARS_QUARTO if set (None when it is not executable),
    else `quarto` on PATH, else None."""
    if configured := os.environ.get(QUARTO_VARIABLE):
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("quarto")


def render_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with this interpreter's folder first on
    PATH and QUARTO_PYTHON set to it, so Quarto's kernel and hooks run this environment."""
    environment = dict(os.environ if base is None else base)
    folder = str(Path(sys.executable).parent)
    environment["PATH"] = os.pathsep.join([folder, environment.get("PATH", "")])
    environment["QUARTO_PYTHON"] = sys.executable
    return environment
