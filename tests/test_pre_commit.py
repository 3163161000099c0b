"""The pre-commit hooks run offline on a clean copy of the repository and pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def test_pre_commit_passes_offline_on_a_copy(tmp_path):
    tracked = git("ls-files", "--cached", "--others", "--exclude-standard", cwd=ROOT).splitlines()
    copy = tmp_path / "repo"
    for name in tracked:
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    git("init", "-q", cwd=copy)
    git("add", "-A", cwd=copy)
    env = os.environ | {
        "UV_OFFLINE": "1",  # no index, no hook repository: everything must come from here
        "UV_PROJECT_ENVIRONMENT": str(tmp_path / "venv"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    result = subprocess.run(
        # pre-commit as a module of this interpreter: no need for the venv on PATH.
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--show-diff-on-failure"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "exemplars check" in result.stdout
    assert "exemplars links" in result.stdout
    assert "Passed" in result.stdout
