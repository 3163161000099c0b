"""Run a post's Python cells the way Quarto's Jupyter engine does, without Quarto.

Quarto cannot be installed where the tests run, and we never imitate it. What can be reproduced
faithfully is the part underneath it: the `.qmd` is split at its executable cells (Quarto's cell
syntax: a fence opening with ```{python} and closing with the same fence), the pieces become a
notebook (nbformat), and nbclient executes it in a real Jupyter kernel started from this project's
environment, with the post's folder as working directory, as Quarto does by default. Pandoc's AST
of the same file confirms that the split found exactly the cells pandoc sees.

The "generated Markdown" the tests inspect is the Markdown between cells with each `output: asis`
cell replaced by what it printed: the text pandoc would read for those parts of the page.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from exemplars.quarto.markdown import cell_options, pandoc_ast
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from tests.helpers import ast_nodes

KERNEL = "exemplars-tests"
_OPENING = re.compile(r"^(`{3,})\{python\}\s*$")
_INLINE = "{python} "


@dataclass
class Cell:
    source: str
    options: dict[str, Any]


@dataclass
class Post:
    """A post split into Markdown pieces and cells, in document order."""

    pieces: list[str | Cell]
    inline_expressions: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        return [piece for piece in self.pieces if isinstance(piece, Cell)]


def split_post(path: Path) -> Post:
    """The post's Markdown and executable cells, checked against pandoc's reading of the file."""
    text = path.read_text(encoding="utf-8")
    pieces: list[str | Cell] = []
    markdown: list[str] = []
    lines = iter(text.splitlines(keepends=True))
    for line in lines:
        opening = _OPENING.match(line)
        if not opening:
            markdown.append(line)
            continue
        pieces.append("".join(markdown))
        markdown = []
        body = []
        for inner in lines:
            if inner.strip() == opening.group(1):
                break
            body.append(inner)
        else:
            raise ValueError(f"{path}: a cell opened with {line.strip()} is never closed")
        pieces.append(Cell("".join(body).rstrip("\n"), cell_options("".join(body))))
    pieces.append("".join(markdown))
    ast = pandoc_ast(text)["blocks"]  # read once, for the inline expressions and the cells
    post = Post(pieces, _inline_expressions(ast))
    if [cell.source for cell in post.cells] != _pandoc_cells(ast):
        raise ValueError(f"{path}: the cells found differ from the cells pandoc reads")
    return post


def _pandoc_cells(ast: list) -> list[str]:
    return [
        node["c"][1].rstrip("\n")
        for node in ast_nodes(ast)
        if node["t"] == "CodeBlock" and {"cell", "python"} <= set(node["c"][0][1])
    ]


def _inline_expressions(ast: list) -> list[str]:
    """Inline code of the form `{python} expression`, found by pandoc."""
    return [
        node["c"][1].removeprefix(_INLINE)
        for node in ast_nodes(ast)
        if node["t"] == "Code" and node["c"][1].startswith(_INLINE)
    ]


def notebook(post: Post) -> nbformat.NotebookNode:
    """Markdown cells and code cells in document order, then one cell per inline expression."""
    cells = [
        nbformat.v4.new_code_cell(piece.source)
        if isinstance(piece, Cell)
        else nbformat.v4.new_markdown_cell(piece)
        for piece in post.pieces
    ]
    cells += [
        nbformat.v4.new_code_cell(f"print({expression})", metadata={"inline": expression})
        for expression in post.inline_expressions
    ]
    return nbformat.v4.new_notebook(cells=cells)


def kernel_manager(folder: Path) -> KernelManager:
    """A kernel spec for this interpreter (the project's environment), kept out of user paths."""
    write_kernel_spec(str(folder / KERNEL), overrides={"display_name": sys.executable})
    specs = KernelSpecManager(kernel_dirs=[str(folder)])
    return KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)


def execute(post: Post, working_dir: Path, kernel_dir: Path) -> nbformat.NotebookNode:
    """The executed notebook; raises nbclient's CellExecutionError if a cell fails."""
    executed = notebook(post)
    client = NotebookClient(
        executed,
        km=kernel_manager(kernel_dir),
        timeout=180,
        resources={"metadata": {"path": str(working_dir)}},
    )
    client.execute()
    return executed


def printed(cell: nbformat.NotebookNode) -> str:
    outputs = cell.get("outputs", [])
    return "".join(out.get("text", "") for out in outputs if out.output_type == "stream")


def generated_markdown(post: Post, executed: nbformat.NotebookNode) -> str:
    """The post's Markdown with every `output: asis` cell replaced by what it printed."""
    parts = []
    for piece, cell in zip(post.pieces, executed.cells, strict=False):
        if not isinstance(piece, Cell):
            parts.append(piece)
        elif piece.options.get("output") == "asis":
            parts.append("\n" + printed(cell) + "\n")
    return "".join(parts)


def inline_values(executed: nbformat.NotebookNode) -> dict[str, str]:
    return {
        cell.metadata["inline"]: printed(cell).strip()
        for cell in executed.cells
        if "inline" in cell.metadata
    }
