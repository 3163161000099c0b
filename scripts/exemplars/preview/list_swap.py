"""The list's part of a built page, replaced by the list as it is now, before Quarto re-renders it.

The list's post prints each group of the list as one raw HTML block made by the harness
(`exemplars.post.list_html`), which Quarto passes through untouched. So after a save of the
list, the venues or the bibliography, the preview can make those blocks again with the same
function and put them in place of the old ones in the built page: the open page shows the saved
note in a second or two, while Quarto renders the whole post (figures, counts, search index)
behind it and replaces the page once more. Nothing else of the page is touched; when the page
does not hold the same groups (a group added or removed), nothing is replaced and the render
alone brings the page up to date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

GROUP_START = '<div class="exemplar-group"'
_DIV = re.compile(r"<div\b|</div>")


def group_spans(page: str) -> list[tuple[int, int]]:
    """Where each group block of the list starts and ends in a built page, in order.

    Written by hand rather than with an HTML parser, which keeps no offsets into the text: the
    blocks are the harness's own markup, whose only nested elements that are divs are its
    items and their references, so counting `<div` against `</div>` finds each block's end.
    """
    spans = []
    start = page.find(GROUP_START)
    while start != -1:
        depth = 0
        for tag in _DIV.finditer(page, start):
            depth += 1 if tag.group() == "<div" else -1
            if depth == 0:
                spans.append((start, tag.end()))
                break
        else:
            return []  # a block that never closes: not a page of ours to edit
        start = page.find(GROUP_START, spans[-1][1])
    return spans


def swap_groups(page: str, groups: Sequence[str]) -> str | None:
    """`page` with its group blocks replaced by `groups`, in order; None when the page does not
    hold as many groups (the list's shape changed: only a render can place it)."""
    spans = group_spans(page)
    if not spans or len(spans) != len(groups):
        return None
    parts, position = [], 0
    for (start, end), group in zip(spans, groups, strict=True):
        parts += [page[position:start], group.strip()]
        position = end
    parts.append(page[position:])
    return "".join(parts)
