"""One concurrency limit for every search surface (page, API, feeds, exports) of a worker."""

from __future__ import annotations

import contextlib
import threading


class SearchSlots:
    """At most `running` searches at once; one more waits up to `wait` seconds for a slot,
    then is refused. Sized below the worker's threads, so one thread is always left for the
    health probe, the document view and every other cheap request."""

    def __init__(self, running: int, wait: float):
        self.running, self.wait = running, wait
        self._slots = threading.BoundedSemaphore(running)

    @contextlib.contextmanager
    def slot(self):
        """Hold a slot for one search; raises SlotsFull when none frees in time."""
        if not self._slots.acquire(timeout=self.wait):
            raise SlotsFull(self.running)
        try:
            yield
        finally:
            self._slots.release()


class SlotsFull(RuntimeError):
    """Every search slot of this worker stayed busy."""
