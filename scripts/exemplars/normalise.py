"""Compare titles and names the way a reader would: case, accents, braces and punctuation aside."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

# Letters that NFKD leaves whole: dotless i, l with stroke, o with stroke, d with stroke.
_UNDECOMPOSABLE = str.maketrans({"\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d"})


@lru_cache(maxsize=1)
def _latex_reader() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


# Text pylatexenc would change beyond dropping braces: commands, math, ties, ligatures, quotes.
_LATEX_SPECIALS = re.compile(r"[\\$%~^_`'&#]|--")


@lru_cache(maxsize=8192)
def latex_to_text(value: str) -> str:
    """A BibTeX field's LaTeX (`{\\"o}`, ``` `` ```, `\\&`, `{ML}`) as plain Unicode text."""
    if not _LATEX_SPECIALS.search(value):
        # Most titles only protect capitals with braces; pylatexenc costs ~0.5 ms a call.
        return " ".join(value.replace("{", "").replace("}", "").split())
    text = _latex_reader().latex_to_text(value)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lowercase, accents removed, punctuation turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^\w]+|_", " ", bare.casefold().translate(_UNDECOMPOSABLE))
    return " ".join(words.split())


def normalise_title(title: str, latex: bool = False) -> str:
    """The form two titles are compared in; `latex=True` when it comes from a BibTeX field."""
    return fold(latex_to_text(title) if latex else title)


def title_similarity(a: str, b: str) -> float:
    """How alike two normalised titles are, from 0 to 1 (1: the same words in the same order)."""
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
