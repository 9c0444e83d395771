"""Watch the corpus folder and bring the index up to date, coalescing bursts of changes.

Only events that change content count (reading a file, which the indexer itself does, wakes
nothing), and a file still being written is left as it was until it is closed: a slow copy is
never searchable half-written.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from indexer.index import store
from indexer.index.build import update_index
from indexer.index.plan import Summary
from indexer.ingest.readers import is_supported
from indexer.partners.curated import CURATED_FILE

log = logging.getLogger(__name__)

SETTLE_SECONDS = 1.0  # quiet time after the last change before updating
RETRY_SECONDS = 2.0  # how long to wait before trying again when another writer holds the lock
WRITE_TIMEOUT = 60.0  # a file written but never closed (no close events here) counts as done
_CONTENT_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed"})
# Only writes hold a file, and "created" neither holds nor releases one: watchdog may report a
# "created" again after the file's close (its walk of a folder that arrived whole), which held
# finished files for the whole timeout.
_WRITES = frozenset({"modified"})


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
        self._due = 0.0  # when (monotonic) the next update is due
        self._poke = threading.Event()  # a new event: reconsider when the update is due
        self._writing: dict[str, float] = {}  # source -> last write seen, until it is closed
        self._observer = Observer()
        self._worker = threading.Thread(target=self._run, name="corpus-watcher", daemon=True)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CONTENT_EVENTS:
            return  # opened, closed without writing, attributes: nothing to index
        if event.is_directory:
            if event.event_type == "modified":
                return  # a folder "changes" whenever a file in it does: that file tells us
            self._touched()
            return
        for path, what in ((event.src_path, event.event_type), (event.dest_path, "moved in")):
            if path and (is_supported(Path(str(path))) or Path(str(path)).name == CURATED_FILE):
                self._note(str(path), what)

    def _note(self, path: str, kind: str) -> None:
        try:
            source = Path(path).relative_to(self.corpus).as_posix()
        except ValueError:
            return
        if kind in _WRITES:
            self._writing[source] = time.monotonic()
        elif kind != "created":  # closed after writing, deleted, moved away or moved in whole
            self._writing.pop(source, None)
        self._touched()

    def _touched(self) -> None:
        self._schedule(self.settle)
        self._poke.set()

    def _still_written(self) -> frozenset[str]:
        """Files written to lately and not closed since: left as they were for now."""
        now = time.monotonic()
        for source, seen in list(self._writing.items()):
            if now - seen > WRITE_TIMEOUT:
                self._writing.pop(source, None)
        return frozenset(self._writing)

    def start(self) -> None:
        """Watch from now on, after one update for what changed while nobody watched."""
        self.corpus.mkdir(parents=True, exist_ok=True)
        self.corpus = self.corpus.resolve()  # event paths are absolute
        self._observer.schedule(self, str(self.corpus), recursive=True)
        self._observer.start()
        self._changed.set()
        self._worker.start()
        log.info("watching %s", self.corpus)

    def stop(self) -> None:
        self._stopping.set()
        self._changed.set()
        self._poke.set()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._worker.join(timeout=30)

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._changed.wait()
            if self._stopping.is_set():
                return
            wait = self._due - time.monotonic()
            if wait > 0:  # a burst is still arriving, or a retry is pending: wait, but wake
                self._poke.wait(wait)  # for a new event, which may bring the update nearer
                self._poke.clear()
                continue
            self._changed.clear()
            self._update()

    def _update(self) -> None:
        """Update the index; a busy lock or a failure is retried, never dropped."""
        held = self._still_written()
        try:
            summary = update_index(self.corpus, self.index_dir, wait_seconds=60, hold=held)
        except store.IndexBusy:
            log.info("another writer holds the index; retrying")
        except Exception:
            log.exception("updating the index from %s failed; retrying", self.corpus)
        else:
            if summary.changed:
                log.info("index updated: %s", summary.line())
                self.on_update(summary)
            if not held:
                return
            # A file still open for writing: its close wakes us; the timeout is the fallback.
            self._retry(WRITE_TIMEOUT)
            return
        self._retry(RETRY_SECONDS)

    def _schedule(self, seconds: float) -> None:
        """An update `seconds` from now (each new event moves it: a burst is one update)."""
        self._due = time.monotonic() + seconds
        self._changed.set()

    def _retry(self, seconds: float) -> None:
        """Another update at the latest `seconds` from now; sooner when events came in while
        this one ran (a retry must never put off the files closed meanwhile)."""
        due = time.monotonic() + seconds
        if self._changed.is_set():
            due = min(due, self._due)
        self._due = due
        self._changed.set()
