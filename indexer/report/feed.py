"""Atom feeds of a search or a partner with feedgen: one entry per digest, newest first."""

from __future__ import annotations

import datetime as dt

from indexer.ingest.text import xml_safe
from indexer.locale import ENGLISH, Words
from indexer.report.rows import Table

MAX_ENTRIES = 100


def atom_bytes(table: Table, feed_url: str, page_url: str, indexed: str,
               words: Words = ENGLISH) -> bytes:  # fmt: skip
    """The feed: each digest once, at its best passage, dated by the digest (else by when the
    index was written, `indexed`, an ISO time); an empty table is a valid empty feed."""
    from feedgen.feed import FeedGenerator

    fallback = _parse(indexed) or dt.datetime.now(dt.UTC)
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(xml_safe(f"digest-search — {words.message(table.title)}"))
    feed.link(href=feed_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.updated(fallback)
    best = {}
    for row in table.rows:  # rows come best first: the first of a digest is its best passage
        best.setdefault(row.digest_id, row)
    newest = sorted(best.values(), key=lambda r: (r.date or "", r.digest_id), reverse=True)
    for row in reversed(newest[:MAX_ENTRIES]):  # feedgen prepends: add the oldest first
        entry = feed.add_entry()
        entry.id(row.url.split("#", 1)[0])  # the digest's address: stable across rebuilds
        entry.title(xml_safe(row.title or row.digest_id))
        entry.link(href=row.url)
        entry.summary(xml_safe(row.snippet or row.text[:300]))
        entry.updated(_parse(row.date) or fallback)
    return feed.atom_str(pretty=True)


def _parse(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
