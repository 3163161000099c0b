"""The package's layers, read from the source: core, then data/, then quarto/, then one package
per command (and post/), then the CLI. A module imports its own layer or lower ones, and a
command never imports a sibling command: shared rules move down."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "scripts" / "exemplars"
LAYERS = {"core": 0, "data": 1, "quarto": 2, "command": 3, "cli": 4}
COMMANDS = frozenset({"check", "fetch", "links", "site", "post", "export", "preview"})


def part_of(module: str) -> str:
    """`exemplars.links.probe` -> `links`; a top-level core module -> `core`."""
    parts = module.split(".")
    if parts[1:2] == ["cli"] or parts[1:2] == ["__main__"]:
        return "cli"
    if len(parts) > 2 and parts[1] in (*COMMANDS, "data", "quarto"):
        return parts[1]
    if len(parts) == 2 and parts[1] in (*COMMANDS, "data", "quarto"):
        return parts[1]  # the package's own __init__
    return "core"


def layer(part: str) -> int:
    return LAYERS["command"] if part in COMMANDS else LAYERS[part]


def imports(path: Path, module: str) -> list[tuple[int, str]]:
    """Every `exemplars` module that the file imports, with its line, including lazy imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:  # relative: resolve against this module's package
                package = module.split(".")[: -node.level]
                base = ".".join([*package, node.module])
            found.append((node.lineno, base))
    return [(line, name) for line, name in found if name.split(".")[0] == "exemplars"]


def crossings(package: Path) -> list[str]:
    """`file:line: a -> b` for every import that climbs a layer or crosses between commands."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent).with_suffix("")
        module = ".".join(part for part in relative.parts if part != "__init__")
        importer = part_of(module)
        for line, imported in imports(path, module):
            target = part_of(imported) if "." in imported else "core"
            climbs = layer(target) > layer(importer)
            sideways = importer in COMMANDS and target in COMMANDS and target != importer
            if climbs or sideways:
                where = path.relative_to(package.parent)
                problems.append(f"{where}:{line}: {importer} imports {target} ({imported})")
    return problems


def test_no_import_climbs_a_layer_or_crosses_between_commands():
    assert crossings(PACKAGE) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        (
            "links/probe.py",
            "from exemplars.fetch.sources import Record\n",
            "links imports fetch (exemplars.fetch.sources)",
        ),
        ("data/schema.py", "import exemplars.quarto.pages\n", "data imports quarto"),
        ("findings.py", "    from exemplars.check import check_project\n", "core imports check"),
        ("check/bibliography.py", "from ..links import check_links\n", "check imports links"),
    ],
)
def test_a_crossing_import_is_caught(tmp_path, module, source, expected):
    package = tmp_path / "exemplars"
    path = package / module
    path.parent.mkdir(parents=True)
    path.write_text(("def lazy():\n" if source.startswith(" ") else "") + source)
    [problem] = crossings(package)
    assert problem.startswith(f"exemplars/{module}:")
    assert expected in problem


def test_the_wheel_holds_the_exemplars_package_only(tmp_path):
    """The distribution's import name is its name: no top-level `scripts` or `tests` installed."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH to build the wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path), "--quiet"], cwd=ROOT, check=True
    )
    [wheel] = tmp_path.glob("*.whl")
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert tops == {"exemplars", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}


def test_nothing_imports_the_old_scripts_package():
    pattern = re.compile(r"^\s*(from|import)\s+scripts\b", re.MULTILINE)
    sources = [*ROOT.glob("scripts/**/*.py"), *ROOT.glob("tests/**/*.py")]
    sources += [*ROOT.glob("benchmarks/*.py"), *ROOT.glob("**/*.qmd")]
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if ".venv" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
