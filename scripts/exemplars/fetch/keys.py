"""Citation keys in the list's style: first author's surname, year, first significant title word.

`kingma2014autoencoding`, `vonkugelgen2021simpson`: lower-case ASCII (accents folded, particles
kept, hyphens and apostrophes closed up), as Google Scholar and most reference managers write
them. An organisation stands for its initials (`osc2015estimating`). A key already taken gets a
suffix, `b`, `c`, ..., as BibTeX styles do for two works of one author and year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import count, product
from string import ascii_lowercase

from exemplars.data.schema import KEY_PATTERN
from exemplars.fetch.sources import Author
from exemplars.normalise import fold

# Words that start many titles and say nothing about the work.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "the", "on", "of", "in", "for", "to", "and", "or", "with", "from", "by", "at",
    "as", "is", "are", "do", "does", "can", "we", "our", "this", "how", "what", "when",
    "which", "who",
})
# fmt: on
# Apostrophes and hyphens join a word's parts ("Simpson's", "Auto-Encoding").
POSSESSIVE = re.compile(r"['\u2019]s\b", re.IGNORECASE)
JOINERS = re.compile(r"['\u2019\u2010\u2011-]")


class InvalidKey(ValueError):
    """A key given with --key that the schema refuses or the list already uses."""


def citation_key(first_author: Author | None, year: int, title: str, taken: Iterable[str]) -> str:
    """The key for a work, unique among `taken` (compared without regard to case)."""
    taken = {key.lower() for key in taken}
    stem = f"{_author_part(first_author)}{year}{_title_word(title)}"
    if not re.fullmatch(KEY_PATTERN, stem):
        stem = f"ref{stem}"  # the surname was empty or began with a digit
    for suffix in _suffixes():
        if stem + suffix not in taken:
            return stem + suffix
    raise AssertionError("unreachable: the suffixes never run out")


def checked_key(key: str, taken: Iterable[str]) -> str:
    """A key given by hand, if the schema accepts it and no row or entry has it."""
    if not re.fullmatch(KEY_PATTERN, key):
        raise InvalidKey(f'key "{key}" is not a key (a lowercase letter, then a-z 0-9 _ : -)')
    if key.lower() in {k.lower() for k in taken}:
        raise InvalidKey(f'key "{key}" is taken by a row or an entry already')
    return key


def _author_part(author: Author | None) -> str:
    if author is None:
        return "anon"
    if author.organisation:
        return "".join(word[0] for word in fold(author.name).split() if word not in STOPWORDS)
    return _ascii_word(author.family or author.name.split()[-1])


def _title_word(title: str) -> str:
    for word in POSSESSIVE.sub("", title).split():
        closed = _ascii_word(word)
        if closed and closed not in STOPWORDS:
            return closed
    return ""


def _ascii_word(text: str) -> str:
    """Folded to ASCII letters and digits, its parts closed up."""
    return re.sub(r"[^a-z0-9]", "", fold(JOINERS.sub("", text)).encode("ascii", "ignore").decode())


def _suffixes() -> Iterator[str]:
    """ "", then b ... z, then aa, ab, ...: "a" is the unsuffixed key itself."""
    yield ""
    yield from ascii_lowercase[1:]
    for length in count(2):
        yield from ("".join(letters) for letters in product(ascii_lowercase, repeat=length))
