"""What the list's fields may hold: kinds, venue types and the forms of keys, DOIs and arXiv ids.

Plain values, apart from the schema that checks them (`data.schema`, which loads pydantic), so the
command line and the link checker can use them without paying for the schema's import.
"""

from __future__ import annotations

KINDS = (
    "article",
    "inproceedings",
    "book",
    "chapter",
    "tutorial",
    "talk",
    "video",
    "post",
    "preprint",
)
VENUE_TYPES = ("conference", "journal", "preprint", "book", "talk/video", "web", "other")
KEY_PATTERN = r"^[a-z][a-z0-9_:-]*$"
# Crossref's recommended pattern for modern DOIs.
DOI_PATTERN = r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9<>\[\]]+$"
# New-style (2007+) and old-style (archive/YYMMNNN) arXiv identifiers, optional version.
ARXIV_PATTERN = r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$"
