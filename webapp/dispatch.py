"""Requests as the worker's event loop sees them: which threads serve them, and when a search
is refused because too many already run or wait.

gunicorn's asyncio worker reads every request without a thread, so slow clients hold none.
The Flask app then runs on the worker's threads (a2wsgi); the health probe and refused
searches run on a thread of their own, so they answer while every other thread searches.
"""

from __future__ import annotations

from a2wsgi import WSGIMiddleware
from flask import request

from .views import ApiError

REFUSED = "digest_search.refused"  # set in the ASGI scope of a search refused for load
QUEUE_PER_THREAD = 4  # searches running or waiting per thread before a 429
_SIDE_PATHS = frozenset({"/api/health"})


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
        self.queue = QUEUE_PER_THREAD * threads if queue is None else queue
        self.searches = 0  # only the event loop's one thread changes it: no lock

    def close(self) -> None:
        """At worker exit: close the app's index (its searchers' open files)."""
        self.app.extensions["search_index"].close()

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not (scope["path"] in _SIDE_PATHS or is_search(scope)):
            await self.main(scope, receive, send)
        elif scope["path"] in _SIDE_PATHS:
            await self.side(scope, receive, send)
        elif self.searches >= self.queue:
            await self.side({**scope, REFUSED: True}, receive, send)
        else:
            self.searches += 1
            try:
                await self.main(scope, receive, send)
            finally:
                self.searches -= 1


def init_app(app) -> None:
    @app.before_request
    def refuse_when_full():
        if request.environ.get("asgi.scope", {}).get(REFUSED):
            raise ApiError(429, "too_many_requests", "Too many searches at once; retry shortly.")
