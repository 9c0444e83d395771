"""Watch the corpus folder and bring the index up to date, coalescing bursts of changes."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import store
from .build import Summary, update_index
from .readers import is_supported

log = logging.getLogger(__name__)

SETTLE_SECONDS = 1.0  # quiet time after the last change before updating
RETRY_SECONDS = 2.0  # how long to wait before trying again when another writer holds the lock


class CorpusWatcher(FileSystemEventHandler):
    """Marks the corpus dirty on relevant events; a worker updates the index once it settles."""

    def __init__(
        self,
        corpus: Path,
        index_dir: Path,
        *,
        settle: float = SETTLE_SECONDS,
        on_update: Callable[[Summary], None] | None = None,
    ):
        self.corpus, self.index_dir, self.settle = Path(corpus), Path(index_dir), settle
        self.on_update = on_update or (lambda summary: None)
        self._changed = threading.Event()
        self._stopping = threading.Event()
        self._last_event = 0.0
        self._observer = Observer()
        self._worker = threading.Thread(target=self._run, name="corpus-watcher", daemon=True)

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "")]
        if any(p and is_supported(Path(str(p))) for p in paths) or event.is_directory:
            self._last_event = time.monotonic()
            self._changed.set()

    def start(self) -> None:
        """Watch from now on, after one update for what changed while nobody watched."""
        self.corpus.mkdir(parents=True, exist_ok=True)
        self._observer.schedule(self, str(self.corpus), recursive=True)
        self._observer.start()
        self._changed.set()
        self._worker.start()
        log.info("watching %s", self.corpus)

    def stop(self) -> None:
        self._stopping.set()
        self._changed.set()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._worker.join(timeout=30)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._changed.wait()
            if self._stopping.is_set():
                return
            quiet = time.monotonic() - self._last_event
            if quiet < self.settle:  # a burst is still arriving: one update for all of it
                time.sleep(self.settle - quiet)
                continue
            self._changed.clear()
            self._update()

    def _update(self) -> None:
        """Update the index; a busy lock or a failure is retried, never dropped."""
        try:
            summary = update_index(self.corpus, self.index_dir, wait_seconds=60)
        except store.IndexBusy:
            log.info("another writer holds the index; retrying")
        except Exception:
            log.exception("updating the index from %s failed; retrying", self.corpus)
        else:
            log.info("index updated: %s", summary.line())
            self.on_update(summary)
            return
        self._last_event = time.monotonic() + RETRY_SECONDS - self.settle
        self._changed.set()
