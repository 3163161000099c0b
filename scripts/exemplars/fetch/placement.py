"""Where a new row goes in data/exemplars.csv, and the text of the file with it inserted.

A new row goes after the last row of its section and subsection, so that the CSV's order stays
the post's; the first row of a group that only the post has so far (a cell asks for it) goes
after the groups the post shows before it. Every existing byte is kept: the row is inserted as
text between two lines, written by the csv module with the file's own line ending.
"""

from __future__ import annotations

import csv
import io
from difflib import get_close_matches

from exemplars.data.reading_list import ListedRow
from exemplars.data.schema import Exemplar

Group = tuple[str, str]  # (section, subsection)


class UnknownGroup(ValueError):
    """A section or subsection the list does not have; the message lists those it has."""


def insertion_line(
    rows: list[ListedRow[Exemplar]], text: str, group: Group, post: str, post_groups: list[Group]
) -> int:
    """The line number the new row will have: just after its group's last row.

    A group with no row yet but a cell in the post (`post_groups`, in the post's order) starts
    after the last row of the groups the post shows before it. `post` names the post file in
    messages. Raises UnknownGroup.
    """
    last_rows = {(i.row.section, i.row.subsection): i.line for i in rows}
    if group not in last_rows and group in post_groups:
        before = post_groups[: post_groups.index(group)]
        shown_before = [g for g in before if g in last_rows]
        if not shown_before:
            return 2  # the post shows it first: right after the header
        group = max(shown_before, key=last_rows.__getitem__)
    if group not in last_rows:
        raise UnknownGroup(_unknown(rows, *group, post))
    return _end_lines(text)[last_rows[group]] + 1


def with_row(text: str, line: int, values: list[str]) -> str:
    """`text` with a CSV row holding `values` starting on line `line` (1-based)."""
    lines = io.StringIO(text, newline="").readlines()
    above = lines[line - 2]
    ending = "\r\n" if lines[0].endswith("\r\n") else "\n"  # the header's is the file's
    if not above.endswith(("\n", "\r")):
        lines[line - 2] = above + ending  # the last line had no line ending
    lines.insert(line - 1, csv_line(values, ending))
    return "".join(lines)


def csv_line(values: list[str], ending: str = "\n") -> str:
    """One CSV row as the csv module writes it: quoted only where a value needs it."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=ending).writerow(values)
    return buffer.getvalue()


def appended_row(text: str, values: list[str]) -> tuple[str, int]:
    """`text` with a CSV row holding `values` at its end, and the line it starts on."""
    line = len(io.StringIO(text, newline="").readlines()) + 1
    return with_row(text, line, values), line


def _end_lines(text: str) -> dict[int, int]:
    """For each record of the CSV text, its first line -> its last (a quoted field may span
    lines)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    ends, start = {}, 1
    for _ in reader:
        ends[start] = reader.line_num
        start = reader.line_num + 1
    return ends


def _unknown(rows: list[ListedRow[Exemplar]], section: str, subsection: str, post: str) -> str:
    sections = list(dict.fromkeys(item.row.section for item in rows))
    cell = f'print(sections.markdown("{section}", "{subsection}"))'
    needs = (
        f"A new {'subsection' if section in sections else 'section'} needs its heading, its "
        f"introduction and a cell `{cell}` in {post}, which are yours to write; once the cell "
        "is there, `exemplars add` files rows under it"
    )
    if section not in sections:
        return f'no section "{section}" in the list{_closest(section, sections)}. {needs}'
    subsections = list(dict.fromkeys(i.row.subsection for i in rows if i.row.section == section))
    shown = ", ".join(f'"{name}"' for name in subsections)
    if not subsection:
        return f'section "{section}" has subsections: give one with --subsection ({shown})'
    closest = _closest(subsection, [name for name in subsections if name])
    return f'no subsection "{subsection}" in "{section}"{closest}. {needs}'


def _closest(name: str, names: list[str]) -> str:
    """`; did you mean "X"? It has: ...` with the nearest name, case aside."""
    by_fold = {candidate.casefold(): candidate for candidate in names}
    starting = [folded for folded in by_fold if folded.startswith(name.casefold())]
    near = starting or get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=0.4)
    listed = "; ".join(f'"{candidate}"' for candidate in names)
    suggestion = f'; did you mean "{by_fold[near[0]]}"?' if near else "."
    return f"{suggestion} It has: {listed}"
