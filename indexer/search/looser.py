"""Searches that may find something when one found nothing: without its filters, without
its quotes, any of its words. The web page links them; the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.locale import Message


@dataclass(frozen=True)
class Looser:
    """Another search to try: what it does, and its query (never with the filters)."""

    said: Message
    q: str


def looser(q: str, filtered: bool = False) -> list[Looser]:
    """The looser searches of q, most like it first; filtered when filters narrowed it."""
    found = [Looser(Message("without_filters"), q)] if filtered else []
    words = q.replace('"', " ").split()
    if '"' in q and words:
        found.append(Looser(Message("without_quotes"), " ".join(words)))
    if len(words) > 1 and " OR " not in q:
        any_word = " OR ".join(words)
        found.append(Looser(Message("any_of_the_words", q=any_word), any_word))
    return found
