"""The Atom feed of additions: one entry per exemplar, the newest first, written by feedgen.

A reader who follows the feed learns of each exemplar the day it joins the list, which the
site's own feed (one entry per post) cannot tell. Each entry is the item on the post: the
row's title, the work's authors (all of them, from its entry), our note as the summary, its
permalink as link and id, and the day it was added as `updated`. The feed is valid Atom
(RFC 4287): an id, a title, an author, `updated` (the newest addition) and a link to itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from exemplars.data.csl import CslItem, names
from exemplars.data.schema import Exemplar


@dataclass(frozen=True)
class FeedSite:
    """What the feed says about where it lives and who keeps it."""

    title: str
    author: str
    feed_url: str  # the feed's own address: its id and its `self` link
    post_url: str  # the list's post


def additions_feed(
    rows: Sequence[Exemplar],
    items: Mapping[str, CslItem],
    site: FeedSite,
    permalink: Callable[[str], str],
) -> str:
    """The feed's XML: an entry for each row, newest `added` first (list order within a day)."""
    feed = FeedGenerator()
    feed.id(site.feed_url)
    feed.title(site.title)
    feed.author({"name": site.author})
    feed.link(href=site.feed_url, rel="self", type="application/atom+xml")
    feed.link(href=site.post_url, rel="alternate", type="text/html")
    newest_first = sorted(rows, key=lambda row: row.added, reverse=True)
    if newest_first:
        feed.updated(_midnight(newest_first[0].added))
    for row in newest_first:
        entry = feed.add_entry(order="append")
        address = permalink(row.key)
        entry.id(address)
        entry.title(row.title)
        entry.link(href=address, rel="alternate", type="text/html")
        entry.summary(row.note)
        entry.updated(_midnight(row.added))
        for name in names(items.get(row.key, {})):
            entry.author({"name": name.natural})
    return feed.atom_str(pretty=True).decode("utf-8")


def _midnight(day: dt.date) -> dt.datetime:
    # Atom dates are instants; the list records days, so an addition is dated at midnight UTC.
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
