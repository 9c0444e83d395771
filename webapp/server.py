"""Serve the app with gunicorn: several worker processes (Whoosh is pure Python, so threads of
one process share one core), each with its own searchers; the corpus watcher runs in the master.

Each worker reads requests on an event loop (gunicorn's asyncio worker), so a client that sends
its headers slowly holds no thread; `dispatch.Dispatcher` runs the app on the worker's threads."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication

MAX_REQUEST_LINE = 8190  # longer request lines get gunicorn's own plain 414


class DigestServer(BaseApplication):
    """gunicorn configured in code, serving `create_app(config)` in every worker."""

    def __init__(self, config: dict, options: dict, threads: int, on_ready=None):
        self.config, self.options, self.threads, self.on_ready = config, options, threads, on_ready
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)
        if self.on_ready is not None:
            self.cfg.set("when_ready", lambda server: self.on_ready())
        self.cfg.set("worker_exit", lambda server, worker: _close(worker))

    def load(self):
        from . import create_app
        from .dispatch import Dispatcher

        return Dispatcher(create_app(self.config), self.threads)


def _close(worker) -> None:
    """Close a leaving worker's app (its index); the asyncio worker keeps it as `asgi`, and
    holds gunicorn's own error app there instead when ours failed to load."""
    app = getattr(worker, "asgi", None)
    if hasattr(app, "close"):
        app.close()


def default_workers() -> int:
    return (os.cpu_count() or 1) + 1


def serve(config: dict, host: str, port: int, workers: int, threads: int, on_ready=None) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "asgi",
        "timeout": 120,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "digest-search",
        # gunicorn's largest request line: a 500-character query in 4-byte characters is
        # ~6,000 bytes percent-encoded, and must reach the app to get its JSON 413.
        "limit_request_line": MAX_REQUEST_LINE,
    }
    DigestServer(config, options, threads, on_ready).run()
