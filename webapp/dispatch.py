"""Requests as the worker's event loop sees them: which threads serve them, and when a search
is refused because too many already run or wait.

gunicorn's asyncio worker reads every request without a thread, so slow clients hold none.
The Flask app then runs on the worker's threads (a2wsgi); the health probe and refused
searches run on a thread of their own, so they answer while every other thread searches.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

from a2wsgi import WSGIMiddleware
from flask import request

from indexer.search.budget import SEARCH_SECONDS

from .views import ApiError

REFUSED = "digest_search.refused"  # set in the ASGI scope of a search refused for load
QUEUE_PER_THREAD = 4  # searches running or waiting per thread before a 429
_SIDE_PATHS = frozenset({"/api/health"})
SLOW_SECONDS = 2 * SEARCH_SECONDS  # a search running this long is stuck, not just slow
REFUSED_WINDOW = 60.0  # seconds of refusals the health probe reports


@dataclass
class LoadReport:
    """What /api/health says of this worker's searches."""

    running: int  # admitted: on a thread or waiting for one
    capacity: int
    oldest_seconds: float
    refused_last_minute: int

    @property
    def busy(self) -> bool:
        return (self.running >= self.capacity or self.oldest_seconds > SLOW_SECONDS
                or self.refused_last_minute > 0)  # fmt: skip


class SearchLoad:
    """The searches a worker has admitted and refused, read by the health probe's thread."""

    def __init__(self, capacity: int):
        self.capacity, self._lock = capacity, threading.Lock()
        self._started: dict[int, float] = {}
        self._refused: deque[float] = deque(maxlen=1000)

    def __len__(self) -> int:
        return len(self._started)

    def start(self, key: int) -> None:
        with self._lock:
            self._started[key] = time.monotonic()

    def end(self, key: int) -> None:
        with self._lock:
            self._started.pop(key, None)

    def refuse(self) -> None:
        with self._lock:
            self._refused.append(time.monotonic())

    def report(self) -> LoadReport:
        now = time.monotonic()
        with self._lock:
            oldest = min(self._started.values(), default=now)
            refused = sum(1 for t in self._refused if now - t <= REFUSED_WINDOW)
            return LoadReport(len(self._started), self.capacity, round(now - oldest, 2), refused)


def is_search(scope: dict) -> bool:
    """Every surface that runs a search: the page, the API and their feed and export twins."""
    path = scope["path"]
    if path == "/":
        return b"q=" in scope.get("query_string", b"")
    return path in ("/search", "/api/search") or path.startswith(("/search.", "/api/search."))


class Dispatcher:
    """ASGI: searches on the worker's threads, at most `queue` of them running or waiting."""

    def __init__(self, app, threads: int, queue: int | None = None):
        self.app = app
        self.main = WSGIMiddleware(app, workers=threads)
        self.side = WSGIMiddleware(app, workers=1)
        self.load = SearchLoad(QUEUE_PER_THREAD * threads if queue is None else queue)
        app.extensions["search_load"] = self.load

    def close(self) -> None:
        """At worker exit: close the app's index (its searchers' open files)."""
        self.app.extensions["search_index"].close()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not (scope["path"] in _SIDE_PATHS or is_search(scope)):
            await self.main(scope, receive, send)
        elif scope["path"] in _SIDE_PATHS:
            await self.side(scope, receive, send)
        elif len(self.load) >= self.load.capacity:
            self.load.refuse()
            await self.side({**scope, REFUSED: True}, receive, send)
        else:
            self.load.start(id(scope))
            try:
                await self.main(scope, receive, send)
            finally:
                self.load.end(id(scope))


def init_app(app) -> None:
    @app.before_request
    def refuse_when_full():
        if request.environ.get("asgi.scope", {}).get(REFUSED):
            raise ApiError(429, "too_many_requests", "Too many searches at once; retry shortly.")
