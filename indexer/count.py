"""Exact match counts from posting lists, without scoring every match."""

from __future__ import annotations

from whoosh import query as wq


class Bonus:
    """A clause that only raises the score of passages its siblings in a union already match."""


class NearBonus(Bonus, wq.Phrase):
    """Query words standing close together."""


class AllWordsBonus(Bonus, wq.And):
    """A passage holding every word of a short query."""


def matching(query: wq.Query, searcher) -> set[int]:
    """The numbers of the live passages a Whoosh query matches."""
    if isinstance(query, wq.Term):
        reader = searcher.reader()
        if (query.fieldname, query.text) not in reader:
            return set()
        return set(reader.postings(query.fieldname, query.text).all_ids())
    if isinstance(query, wq.Or):
        scored = [q for q in query.subqueries if not isinstance(q, Bonus)]
        return set().union(*(matching(q, searcher) for q in scored))
    if isinstance(query, wq.And) and not isinstance(query, Bonus):
        found = [matching(q, searcher) for q in query.subqueries]
        return set.intersection(*found) if found else set()
    if isinstance(query, wq.AndNot):
        return matching(query.a, searcher) - matching(query.b, searcher)
    return set(query.docs(searcher))  # phrases, prefixes: rare, left to Whoosh
