"""What one query may cost: prefix expansions and collection time, refused with a reason.

A query is a few words a person typed; these bounds leave every such query alone and stop
the ones that would hold a worker for seconds ("co* pr* re* …": 64 prefixes took 17.5 s).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import islice

from whoosh import collectors

from indexer.search.query import ParsedQuery, QueryError, indexed, terms_of

MAX_PREFIXES = 8  # prefix words (word*) in one query
MAX_PREFIX_WORDS = 300  # index words one prefix may stand for
SEARCH_SECONDS = 3.0  # time for one query, all of it: collecting, scoring, snippets, facets

# When the query being answered must be done (time.monotonic()); None outside a search.
_deadline: ContextVar[float | None] = ContextVar("search_deadline", default=None)


@contextmanager
def budgeted(seconds: float | None = None):
    """Everything inside shares one deadline (an export's rows count as its search does)."""
    if _deadline.get() is not None:  # already inside a budget: the outer one holds
        yield
        return
    token = _deadline.set(time.monotonic() + (SEARCH_SECONDS if seconds is None else seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """QueryError once the query's budget is spent (called between stages and per hit)."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline:
        raise too_slow()


def check_prefixes(searcher, parsed: ParsedQuery) -> None:
    """Refuse a query whose prefixes would expand into too many index words."""
    prefixes = [t for t in terms_of(parsed.root, excluded=True) if t.prefix]
    if len(prefixes) > MAX_PREFIXES:
        raise QueryError(
            f"A query may hold at most {MAX_PREFIXES} prefix searches (word*); this one holds "
            f"{len(prefixes)}. Leave some out or write the words whole."
        )
    reader = searcher.reader()
    for term in prefixes:
        for name in map(indexed, term.fields):  # text: is searched in content
            words = islice(reader.expand_prefix(name, term.exact), MAX_PREFIX_WORDS + 1)
            if sum(1 for _ in words) > MAX_PREFIX_WORDS:
                raise QueryError(
                    f"{term.raw!r} stands for more than {MAX_PREFIX_WORDS} words; "
                    "type more letters before the *."
                )


class Deadline(collectors.WrappingCollector):
    """Stops a search with TimeLimit once the query's budget is spent.

    It wraps the innermost collector and checks the clock while the matches are walked, so a
    filter above it is still applied (Whoosh's TimeLimitCollector skips a FilterCollector's
    filtering and needs a timer thread)."""

    CHECK_EVERY = 256  # matches between two looks at the clock

    def prepare(self, top_searcher, q, context):
        self.deadline = _deadline.get() or time.monotonic() + SEARCH_SECONDS
        self.child.prepare(top_searcher, q, context)

    def matches(self):
        for seen, docnum in enumerate(self.child.matches(), start=1):
            if seen % self.CHECK_EVERY == 0 and time.monotonic() > self.deadline:
                raise collectors.TimeLimit
            yield docnum


def too_slow() -> QueryError:
    return QueryError(
        f"This query needs more than {SEARCH_SECONDS:g} s; narrow it: fewer words or prefixes, "
        "a phrase in quotes, or a date or language filter."
    )
