"""What a page (`.qmd`, `.md`, `.Rmd`, `.ipynb`) cites, links and labels, read from pandoc's
JSON AST.

Pandoc (shipped by pypandoc-binary) parses the page the way Quarto does, with its `markdown`
reader, after the one step Quarto takes first: executable cells become code blocks. So a
citation is whatever pandoc calls a Cite: never a guess from a regular expression.
That reader records no source positions, so each element found in the AST is then *located* in
the source text to report a line; the text search only places what the AST already found.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from exemplars.findings import UnreadableInput, finding
from exemplars.textio import read_text

# Quarto's cross-reference prefixes: `@fig-x` is a reference to a figure, not a citation.
# https://quarto.org/docs/authoring/cross-references.html (figures to theorems) and
# https://quarto.org/docs/authoring/cross-references-callouts.html (nte- to cau-).
CROSSREF_PREFIXES = (
    "fig", "tbl", "lst", "sec", "eq", "thm", "lem", "cor", "prp", "cnj", "def", "exm", "exr",
    "sol", "rem", "alg", "apx", "nte", "tip", "wrn", "imp", "cau",
)  # fmt: skip


@dataclass(frozen=True)
class Located:
    value: str
    line: int


@dataclass
class MarkdownDocument:
    path: Path
    meta: dict[str, Any]
    meta_lines: dict[str, int] = field(default_factory=dict)  # line of each front-matter key
    citations: list[Located] = field(default_factory=list)  # bibliography keys
    crossrefs: list[Located] = field(default_factory=list)  # @fig-..., @sec-...
    links: list[Located] = field(default_factory=list)  # link targets, as written
    images: list[Located] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)  # anchors: headings, divs, spans, images, cells
    # Cell labels whose numbered sub-labels exist too: `fig-x` with `fig-subcap` gives fig-x-1...
    numbered_labels: set[str] = field(default_factory=set)

    def has_label(self, label: str) -> bool:
        """Whether `label` (a cross-reference target such as fig-x) is defined here."""
        if label in self.ids:
            return True
        family, dash, number = label.rpartition("-")
        return bool(dash) and number.isdigit() and family in self.numbered_labels


def is_crossref(key: str, prefixes: tuple[str, ...] | frozenset[str] = CROSSREF_PREFIXES) -> bool:
    """`@fig-x` and `@Fig-x` (capitalised reference) are cross-references, not citations."""
    prefix, dash, _ = key.partition("-")
    return bool(dash) and prefix.lower() in prefixes


def crossref_label(key: str) -> str:
    """The label a cross-reference points at: `@Fig-x` refers to `fig-x`."""
    return key[:1].lower() + key[1:]


# An executable cell opens with ```{python}, ```{r label} or ```{r label, fig.width=9}: a
# language of letters, then knitr-style options after a space or a comma. Quarto finds cells with
# this pattern (breakQuartoMd in quarto-cli) before pandoc sees the page, and hands them to the
# engine; pandoc alone would read such a fence as inline code in a paragraph, and its contents
# (R comments, roxygen `#' @param`) as headings and citations. `{=html}` is a raw block, which
# pandoc reads itself. Header options: https://quarto.org/docs/computations/r.html#chunk-options
_CELL_FENCE = re.compile(r"^([ \t]*`{3,})[ \t]*\{([A-Za-z]+)((?: *[ ,].*)?)\}[ \t]*$", re.MULTILINE)
# ```{{python}} shows a cell without running it: a code block to pandoc, never prose.
# https://quarto.org/docs/computations/execution-options.html#unexecuted-blocks
_UNEXECUTED_FENCE = re.compile(
    r"^([ \t]*`{3,})[ \t]*\{\{([A-Za-z]*)[^{}\n]*\}\}[ \t]*$", re.MULTILINE
)
# Cell options are comment lines at the top of the cell, with the language's comment mark.
_OPTION_LINE = re.compile(r"^(?:#|//|%%|--)\|[ \t]?")


@cache
def pandoc_path() -> str:
    """The pandoc binary pypandoc-binary ships, found without importing pypandoc.

    pypandoc's own lookup runs `pandoc --version` on every candidate path and its conversion
    runs pandoc twice more to list formats, which triples the cost of reading one file.
    """
    if override := os.environ.get("PYPANDOC_PANDOC"):
        return override
    from importlib.util import find_spec

    spec = find_spec("pypandoc")
    if spec and spec.origin:
        for name in ("pandoc", "pandoc.exe"):
            bundled = Path(spec.origin).parent / "files" / name
            if bundled.is_file():
                return str(bundled)
    import pypandoc  # a pypandoc without the binary: let it search the system

    return pypandoc.get_pandoc_path()


# Pandoc's Lua interpreter reads many pages in one process, each as `--from=markdown` would
# (its own document, its own heading ids): starting pandoc costs more than reading a page.
# One line of JSON out per page, in order; a page pandoc rejects gives {"error": ...}.
_READ_PAGES = """
for _, text in ipairs(pandoc.json.decode(io.read("a"))) do
  local ok, doc = pcall(pandoc.read, text, "markdown")
  io.write(ok and pandoc.write(doc, "json") or pandoc.json.encode({error = tostring(doc)}), "\\n")
end
"""


def pandoc_asts(
    texts: Sequence[str], paths: Sequence[Path]
) -> list[dict[str, Any] | UnreadableInput]:
    """Pandoc's JSON AST of each Quarto Markdown text, read by one pandoc process; for a text
    pandoc rejects, the UnreadableInput naming it (`paths` names each text). Texts are read as
    Quarto hands them to pandoc: each cell a code block.

    Raises UnreadableInput when pandoc cannot be run at all.
    """
    prepared = [_as_pandoc_reads(text) for text in texts]
    one = len(prepared) == 1  # one page: pandoc's own reader, which skips the trip through Lua
    command = ["--from=markdown", "--to=json"] if one else ["lua", "-e", _READ_PAGES]
    import subprocess  # not loaded by a command that starts no pandoc

    try:
        result = subprocess.run(
            [pandoc_path(), *command],
            input=(prepared[0] if one else json.dumps(prepared)).encode("utf-8"),
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise UnreadableInput(finding(paths[0], 1, "MD001", f"cannot run pandoc ({exc})")) from None
    message = result.stderr.decode("utf-8", "replace").strip() or "pandoc failed"
    if one:
        read = json.loads(result.stdout) if result.returncode == 0 else {"error": message}
        return [_ast_or_problem(read, paths[0])]
    lines = result.stdout.splitlines()
    if result.returncode != 0 or len(lines) != len(texts):
        raise UnreadableInput(finding(paths[0], 1, "MD001", f"cannot run pandoc ({message})"))
    return [
        _ast_or_problem(json.loads(line), path) for line, path in zip(lines, paths, strict=True)
    ]


def _ast_or_problem(read: dict[str, Any], path: Path) -> dict[str, Any] | UnreadableInput:
    if "blocks" in read:
        return read
    message = str(read.get("error") or "pandoc failed")
    found = re.search(r"line (\d+)", message)
    line = int(found.group(1)) if found else 1
    first = " ".join(message.split())
    return UnreadableInput(finding(path, line, "MD001", f"pandoc cannot read this: {first}"))


def pandoc_ast(text: str, path: Path = Path("<text>")) -> dict[str, Any]:
    """Pandoc's JSON AST of Quarto Markdown text; UnreadableInput if pandoc rejects it."""
    (read,) = pandoc_asts([text], [path])
    if isinstance(read, UnreadableInput):
        raise read
    return read


@dataclass(frozen=True)
class MarkdownSource:
    """A page's text and front matter: all a page's metadata needs, before pandoc."""

    path: Path
    text: str  # Quarto Markdown, as pandoc reads it
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    written: str = ""  # the file's own text, when it is not `text` (a notebook's JSON)


def read_markdown(path: Path) -> MarkdownSource:
    """The text and front matter of a page (`.qmd`, `.md`, `.Rmd` or a Jupyter notebook).

    Raises UnreadableInput for a file that is not UTF-8, whose front matter is not YAML, or a
    notebook that is not JSON.
    """
    text = read_text(path)
    if path.suffix.lower() != ".ipynb":
        meta, meta_lines = _front_matter(text, path)
        return MarkdownSource(path, text, meta, meta_lines)
    markdown = notebook_markdown(text, path)
    meta, _ = _front_matter(markdown, path)
    # A key's line in the notebook's JSON, where an editor shows it.
    lines = {key: _line_of(text, f'"{key}:') for key in meta}
    return MarkdownSource(path, markdown, meta, lines, written=text)


def notebook_markdown(text: str, path: Path) -> str:
    """A Jupyter notebook as the Quarto Markdown it stands for: Markdown cells as they are, the
    first cell's front matter too, code cells as fenced cells, other raw cells as raw blocks.
    https://quarto.org/docs/tools/jupyter-lab.html#yaml-front-matter
    """
    try:
        notebook = json.loads(text)
        cells = notebook.get("cells", [])
        kernel = notebook.get("metadata", {}).get("kernelspec", {}) or {}
    except (ValueError, AttributeError):
        raise UnreadableInput(finding(path, 1, "MD001", "not a Jupyter notebook (JSON)")) from None
    language = re.sub(r"[^A-Za-z]", "", str(kernel.get("language") or "python")) or "python"
    pieces = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        kind = cell.get("cell_type")
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", source)), default=0))
        if kind == "code":
            source = f"{fence}{{{language}}}\n{source}\n{fence}"
        elif kind == "raw" and not (pieces == [] and source.startswith("---")):
            source = f"{fence}{{=raw}}\n{source}\n{fence}"  # passed through, never prose
        pieces.append(source)
    return "\n\n".join(pieces) + "\n"


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def parse_sources(sources: Sequence[MarkdownSource]) -> list[MarkdownDocument | UnreadableInput]:
    """Citations, cross-references, links, images and anchors of each page, from one pandoc
    process; for a page pandoc rejects, the UnreadableInput that names it."""
    asts = pandoc_asts([s.text for s in sources], [s.path for s in sources])
    return [
        ast if isinstance(ast, UnreadableInput) else _document(source, ast)
        for source, ast in zip(sources, asts, strict=True)
    ]


def parse_source(source: MarkdownSource) -> MarkdownDocument:
    """Citations, cross-references, links, images and anchors, from one pandoc run."""
    return _document(source, pandoc_ast(source.text, source.path))


def _document(source: MarkdownSource, ast: dict[str, Any]) -> MarkdownDocument:
    document = MarkdownDocument(source.path, source.meta, source.meta_lines)
    reader = _AstReader(document, _Locator(source.written or _code_blanked(source.text)))
    reader.read(ast.get("meta", {}).get("nocite"))
    reader.read(ast["blocks"])
    reader.read_equation_labels()
    return document


def parse_markdown(path: Path) -> MarkdownDocument:
    """Citations, cross-references, links, images and anchors of one Markdown file.

    Raises UnreadableInput (naming the path) for a file that is not UTF-8,
    whose front matter is not YAML, or that pandoc rejects.
    """
    return parse_source(read_markdown(path))


# Elements with nothing to read: most of a long post, skipped without a function call.
_LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "Code", "RawInline", "RawBlock"})
_WITH_ID = frozenset({"Header", "Div", "Span", "CodeBlock", "Figure", "Table", "Image", "Link"})


class _AstReader:
    """Reads a pandoc AST into a MarkdownDocument, element by element in document order."""

    def __init__(self, document: MarkdownDocument, locator: _Locator) -> None:
        self.document = document
        self.locator = locator
        self.paragraphs: list[list] = []
        self.display_math = False

    def read(self, root: Any) -> None:
        # An explicit stack rather than recursion: the AST of a long list is deep, and a
        # recursive generator hands every element up through each level (3 times slower).
        stack = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                kind = item.get("t")
                if kind is None:  # a citation: its prefix and suffix hold elements
                    stack.extend(reversed([v for v in item.values() if isinstance(v, list)]))
                elif kind not in _LEAVES:
                    content = item.get("c")
                    self._read_element(kind, content)
                    if isinstance(content, list):
                        stack.append(content)

    def _read_element(self, kind: str, content: Any) -> None:
        document = self.document
        if kind == "Cite":
            _add_citations(document, self.locator, content[0])
        elif kind in ("Link", "Image"):
            target = content[2][0]
            written = unquote(target)  # pandoc escapes characters such as spaces and braces
            # Whole targets first, so a link to /a is not placed at an earlier link to /a#b.
            needles = ("(" + target + ")", "(" + target + " ", "<" + target + ">")
            needles += ("(" + target, "(" + written, "<" + target, "<" + written, target, written)
            found = Located(target, self.locator.find(*needles))
            (document.links if kind == "Link" else document.images).append(found)
        elif kind in ("Para", "Plain"):
            self.paragraphs.append(content)
        elif kind == "Math":
            self.display_math = self.display_math or content[0].get("t") == "DisplayMath"
        if kind in _WITH_ID:
            attributes = content[1] if kind == "Header" else content[0]
            if attributes[0]:
                document.ids.add(attributes[0])
            if kind == "CodeBlock" and "cell" in attributes[1]:
                _add_cell_labels(document, attributes, content[1])

    def read_equation_labels(self) -> None:
        if self.display_math:  # most pages have none: no second look at their paragraphs
            for inlines in self.paragraphs:
                self.document.ids.update(_equation_labels(inlines))


def _add_citations(document: MarkdownDocument, locator: _Locator, citations: list) -> None:
    for citation in citations:
        key = citation["citationId"]
        if key == "*":  # nocite: '@*' asks for the whole bibliography
            continue
        found = Located(key, locator.citation(key))
        (document.crossrefs if is_crossref(key) else document.citations).append(found)


def _equation_labels(inlines: list) -> Iterator[str]:
    """`$$ x $$ {#eq-x}`: Quarto reads the label that follows display math; pandoc leaves it
    as the next Str of the paragraph."""
    after_math = False
    for inline in inlines:
        kind = inline.get("t")
        if kind == "Math" and inline["c"][0].get("t") == "DisplayMath":
            after_math = True
        elif kind in ("Space", "SoftBreak"):
            continue
        elif after_math and kind == "Str" and inline["c"].startswith("{#"):
            yield inline["c"][2:].split("}")[0]
            after_math = False
        else:
            after_math = False


@cache
def _yaml_loader() -> type:
    """libyaml's loader where PyYAML has it: the same documents and marks, ten times faster.

    PyYAML is imported on first use: a command that reads no YAML (`exemplars links` answered
    from its cache) does not load it."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def _front_matter(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter and the line of each of its top-level keys."""
    found = _FRONT_MATTER.match(text)
    if not found or not found.group(1):
        return {}, {}
    return read_yaml(found.group(1), path, first_line=2)


def read_yaml(text: str, path: Path, first_line: int = 1) -> tuple[dict[str, Any], dict[str, int]]:
    """A YAML mapping and the line of each of its top-level keys; {} for anything else.

    Raises UnreadableInput naming the line of a syntax error.
    """
    import yaml

    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        reason = getattr(exc, "problem", None) or "cannot be read"
        raise UnreadableInput(finding(path, line, "YAML001", f"YAML: {reason}")) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        return {}, {}
    lines = {
        str(key.value): first_line + key.start_mark.line
        for key, _ in node.value
        if isinstance(key, yaml.ScalarNode)
    }
    return data, lines


def _cell_fences(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Each opening fence of a cell or an unexecuted block, and what pandoc reads instead.

    Only lines holding three backticks are tried: a fast search, where a MULTILINE `^` would
    be tried at every character of a long page.
    """
    at = text.find("```")
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if found := _CELL_FENCE.fullmatch(text, start, end):
            yield found, _cell_fence(found)
        elif found := _UNEXECUTED_FENCE.fullmatch(text, start, end):
            yield found, f"{found.group(1)}{{.{found.group(2)}}}"
        at = text.find("```", end)


@dataclass(frozen=True)
class _Block:
    """A cell or an unexecuted block: its opening fence, what pandoc reads instead of that
    fence, and where its code lies (between its fences)."""

    fence: re.Match[str]
    reads_as: str
    code: tuple[int, int]

    @property
    def executable(self) -> bool:
        return self.fence.re is _CELL_FENCE


def _blocks(text: str) -> Iterator[_Block]:
    """The cells and unexecuted blocks of a page, in order; a fence written inside one of them
    is its code, not a block of its own."""
    done = 0
    for fence, reads_as in _cell_fences(text):
        if fence.start() < done:
            continue
        ticks = len(fence.group(1).strip())
        closing = re.compile(rf"^[ \t]*`{{{ticks},}}[ \t]*$", re.MULTILINE)
        end = closing.search(text, fence.end())
        done = end.start() if end else len(text)
        yield _Block(fence, reads_as, (min(fence.end() + 1, done), done))


def _as_pandoc_reads(text: str) -> str:
    """The page as Quarto hands it to pandoc: each cell's fence as a code block's attributes
    (see _CELL_FENCE), and each caption a cell's options give (see _captions) as Markdown of
    the page, where Quarto's engines write it beside the cell's output."""
    pieces, done = [], 0
    for block in _blocks(text):
        pieces.append(text[done : block.fence.start()])
        if block.executable:
            captions, _ = _captions(text[slice(*block.code)])
            indent = block.fence.group(1)[: -len(block.fence.group(1).lstrip())]
            pieces += [_paragraph(caption, indent) for caption in captions]
        pieces.append(block.reads_as)
        done = block.fence.end()
    return "".join(pieces) + text[done:]


def _paragraph(text: str, indent: str) -> str:
    """`text` as blocks of their own, indented as the cell they stand beside (in a list item)."""
    return "\n" + "".join(f"{indent}{line}\n" for line in text.splitlines()) + "\n"


def _code_blanked(text: str) -> str:
    """The text with the insides of cells and unexecuted blocks blanked out, lines kept, so
    that what pandoc found in the prose is placed in the prose, never in code that looks alike
    (`# thanks @someone` in a cell above the citation). A cell's caption options stay: what
    pandoc finds in a caption is placed on its option's line."""
    pieces, done = [], 0
    for block in _blocks(text):
        start, stop = block.code
        pieces.append(text[done:start])
        code = text[start:stop]
        kept = _captions(code)[1] if block.executable else []
        at = 0
        for kept_start, kept_end in kept:
            pieces += [_BLANK.sub(" ", code[at:kept_start]), code[kept_start:kept_end]]
            at = kept_end
        pieces.append(_BLANK.sub(" ", code[at:]))
        done = stop
    return "".join(pieces) + text[done:]


_BLANK = re.compile(r"[^\n]")
# Cell options whose text Quarto's engines write into the page as Markdown, beside the output
# they caption, so pandoc reads their citations and cross-references as the page's own. A list
# gives one caption per figure or table. `fig-alt` is not one: it goes into the image's alt
# attribute as plain text. https://quarto.org/docs/reference/cells/cells-jupyter.html#figures
_CAPTION_OPTIONS = ("fig-cap", "fig-subcap", "tbl-cap", "tbl-subcap")
# A listing's caption, read only for a cell that is a listing (it has an `lst-label`).
_LISTING_CAPTION = "lst-cap"
_OPTION_KEY = re.compile(r"([A-Za-z][\w.-]*)[ \t]*:")


def _captions(code: str) -> tuple[list[str], list[tuple[int, int]]]:
    """The Markdown of the captions a cell's options give, and the spans of `code` that the
    lines of those options take (a value may go on over several `#|` lines)."""
    lines: list[str] = []  # the option lines, without their indentation
    spans: dict[str, list[tuple[int, int]]] = {}
    key, at = "", 0
    for line in code.splitlines(keepends=True):
        stripped = line.lstrip(" \t")
        mark = _OPTION_LINE.match(stripped)
        if not mark:
            break  # the options end where the code starts, as cell_options reads them
        content = stripped[mark.end() :]
        if (named := _OPTION_KEY.match(content)) and not content[:1].isspace():
            key = named.group(1)
        spans.setdefault(key, []).append((at, at + len(line.rstrip("\r\n"))))
        lines.append(stripped)
        at += len(line)
    names = [*_CAPTION_OPTIONS, _LISTING_CAPTION]
    if not any(name in spans for name in names):
        return [], []
    options = cell_options("".join(lines))
    if not options.get("lst-label"):
        names.remove(_LISTING_CAPTION)
    captions = []
    for name in names:
        value = options.get(name)
        for caption in value if isinstance(value, list) else [value]:
            if isinstance(caption, str | int | float) and not isinstance(caption, bool):
                captions.append(str(caption))
    kept = sorted(span for name in names if name in options for span in spans[name])
    return captions, kept


def _cell_fence(found: re.Match[str]) -> str:
    """A cell's opening fence as pandoc attributes: `.cell .r`, and its knitr label if any."""
    fence, language, options = found.groups()
    label = knitr_label(options)
    if label and '"' not in label and "\\" not in label:
        return f'{fence}{{.cell .{language} label="{label}"}}'
    return f"{fence}{{.cell .{language}}}"


def knitr_label(options: str) -> str:
    """The label among a knitr cell header's options: `fig-map` in `{r fig-map, fig.width=9}`.

    knitr reads the header as R arguments: the one option without a name is the label, and
    `label = "x"` names it (https://yihui.org/knitr/options/). Commas inside quotes or brackets
    belong to a value.
    """
    for option in _split_options(options):
        name, equals, value = option.partition("=")
        if not equals:
            return option.strip().strip("'\"")
        if name.strip() == "label":
            return value.strip().strip("'\"")
    return ""


def _split_options(options: str) -> list[str]:
    parts, depth, quote, start = [], 0, "", 0
    for at, char in enumerate(options):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(options[start:at])
            start = at + 1
    parts.append(options[start:])
    return [part.strip() for part in parts if part.strip()]


def cell_options(code: str) -> dict[str, Any]:
    """The option lines at the top of an executable cell (`#| key: value`, or `//|` and `%%|`
    in languages whose comments start so), read as YAML ({} if none or bad)."""
    options = []
    for line in code.splitlines():
        mark = _OPTION_LINE.match(line)
        if not mark:
            break
        options.append(line[mark.end() :])
    import yaml

    try:
        parsed = yaml.load("\n".join(options), Loader=_yaml_loader()) if options else None
    except yaml.YAMLError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _add_cell_labels(document: MarkdownDocument, attributes: list, code: str) -> None:
    """The labels a cell defines: `#| label:` (or the knitr header's label), `#| lst-label:` for
    its code as a listing, and the numbered sub-labels of `fig-subcap`/`tbl-subcap`.
    https://quarto.org/docs/authoring/cross-references.html#computations
    """
    parsed = cell_options(code)
    header = dict(attributes[2]).get("label")
    label = parsed.get("label") or header
    if parsed.get("lst-label"):
        document.ids.add(str(parsed["lst-label"]))
    if not label:
        return
    document.ids.add(str(label))
    if any(parsed.get(option) for option in ("fig-subcap", "tbl-subcap")):
        document.numbered_labels.add(str(label))


# How pandoc spells a citation key: a word, with internal punctuation, or anything in braces.
_CITATION_KEY = re.compile(r"(?<![\w@])@(?:\{([^{}]+)\}|(\w+(?:[:.#$%&\-+?<>~/]+\w+)*))")


class _Locator:
    """Lines of successive occurrences of text, so repeated citations get their own lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: dict[str, int] = {}
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._citations: dict[str, list[int]] | None = None

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def find(self, *needles: str) -> int:
        for needle in needles:
            start = self.seen.get(needle, 0)
            at = self.text.find(needle, start)
            if at < 0 and start:
                at = self.text.find(needle)
            if at >= 0:
                self.seen[needle] = at + len(needle)
                return self.line_of(at)
        return 1

    def citation(self, key: str) -> int:
        """The line of the next `@key` not yet placed.

        One pass over the text indexes every `@key`, so a post with thousands of citations is
        located in linear time rather than one search of the whole text per key.
        """
        if self._citations is None:
            self._citations = {}
            for m in _CITATION_KEY.finditer(self.text):
                self._citations.setdefault(m.group(1) or m.group(2), []).append(m.start())
        offsets = self._citations.get(key)
        if not offsets:
            return self.find("@" + key, "@{" + key)
        return self.line_of(offsets.pop(0) if len(offsets) > 1 else offsets[0])
