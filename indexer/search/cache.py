"""Recent results of one generation, so that a repeated search (the home page's examples, a
feed polled every minute, the same name typed by several people) costs no scoring.

A generation never changes, so its results never go stale: a new generation starts with an
empty cache (the cache lives on the generation), and nothing has to be invalidated.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

MAX_RESULTS = 128  # searches kept per generation and process: a few MB (the 400 MB budget)
MAX_CACHED_ROWS = 200  # a page of results; an export's thousands of rows are not kept


class ResultCache:
    """The last `size` results, least recently used out first; safe across threads."""

    def __init__(self, size: int = MAX_RESULTS):
        self.size = size
        self._kept: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key, result) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._kept[key] = result
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


def cache_key(q: str, limit: int, page: int, passages: bool, filters: dict | None,
              facet: bool) -> tuple | None:  # fmt: skip
    """Everything that shapes a result, or None for a result too large to keep."""
    if limit * page > MAX_CACHED_ROWS:
        return None
    given = tuple(sorted((k, str(v)) for k, v in (filters or {}).items() if v))
    return (q, limit, page, passages, given, facet)
