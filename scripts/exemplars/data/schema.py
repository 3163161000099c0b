"""The declared schema of the two CSV files, checked by pydantic.

pydantic rather than pandas + pandera: importing pandas alone takes about a second here, which
would put `exemplars check` (run before every render and commit) over its one-second budget.
The figures still read the list into pandas.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from exemplars.data.fields import ARXIV_PATTERN, DOI_PATTERN, KEY_PATTERN, KINDS, VENUE_TYPES

FIRST_YEAR, LAST_YEAR = 1600, dt.date.today().year + 1


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError("is not a year")
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"is outside {FIRST_YEAR}-{LAST_YEAR}")
    return year


def _iso_date(text: str) -> dt.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a date (YYYY-MM-DD)") from None


def _authors(text: str) -> list[str]:
    if not text:
        raise ValueError("is not allowed to be empty")
    names = [name.strip() for name in text.split(";")]
    if any(not name for name in names):
        raise ValueError("has an empty name between semicolons")
    return names


def _url(text: str) -> str:
    if text and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text):
        raise ValueError("is not an http(s) URL")
    return text


def _matching(pattern: str, what: str, optional: bool = False) -> AfterValidator:
    def check(text: str) -> str:
        if (text or not optional) and not re.fullmatch(pattern, text):
            raise ValueError(f"is not {what}")
        return text

    return AfterValidator(check)


def _one_of(choices: tuple[str, ...]) -> AfterValidator:
    def check(text: str) -> str:
        if text not in choices:
            raise ValueError(f"is not one of: {', '.join(choices)}")
        return text

    return AfterValidator(check)


Text = Annotated[str, _matching(r"(?s).+", "allowed to be empty")]
OptionalText = Annotated[str, Field(default="")]


class Exemplar(BaseModel):
    """One row of data/exemplars.csv."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    key: Annotated[str, _matching(KEY_PATTERN, "a key (a lowercase letter, then a-z 0-9 _ : -)")]
    section: Text
    subsection: OptionalText
    title: Text
    authors: Annotated[list[str], BeforeValidator(_authors)]
    year: Annotated[int, BeforeValidator(_year)]
    venue: Text
    kind: Annotated[str, _one_of(KINDS)]
    doi: Annotated[
        str, _matching(DOI_PATTERN, "a DOI (10.NNNN/suffix, without https://doi.org/)", True)
    ] = ""
    arxiv: Annotated[
        str, _matching(ARXIV_PATTERN, "an arXiv id (2103.03123 or hep-th/9901001)", True)
    ] = ""
    url: Annotated[str, AfterValidator(_url)] = ""
    note: Text
    added: Annotated[dt.date, BeforeValidator(_iso_date)]


class Venue(BaseModel):
    """One row of data/venues.csv: a venue spelling as listed -> label and type for Figure 2."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    venue: Text
    label: Text
    type: Annotated[str, _one_of(VENUE_TYPES)]


EXEMPLAR_COLUMNS = list(Exemplar.model_fields)
VENUE_COLUMNS = list(Venue.model_fields)

__all__ = ["EXEMPLAR_COLUMNS", "KINDS", "VENUE_COLUMNS", "Exemplar", "ValidationError", "Venue"]
