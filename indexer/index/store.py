"""Index generations on disk: build aside, switch atomically, one writer at a time.

Layout of an index directory:
    CURRENT          the name of the live generation (replaced atomically)
    gen-000007/      a complete Whoosh index plus manifest.json
    gen-000008.tmp-<pid>-<nonce>/   a generation being built; never read, removed if abandoned
    .writer.lock     held (lockf) by the one process writing, and within it by one thread
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

from indexer.index.manifest import CANDIDATES, MANIFEST, Manifest

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
KEEP_GENERATIONS = 2  # the live one and the one before it, for readers still using it
_GENERATION = re.compile(r"^gen-(\d{6})$")
_WHOOSH_LOCKS = ("WRITELOCK", "READLOCK")


class IndexBusy(RuntimeError):
    """Another process holds the writer lock longer than we may wait."""


class NoIndex(LookupError):
    """There is no complete generation to read yet."""


def current_generation(index_dir: Path) -> Path:
    """The live generation's directory; raises NoIndex when there is none.

    When CURRENT is missing or names no generation (a disk fault, a hand edit), the newest
    complete generation is live: an intact index is never left unread for want of its pointer.
    """
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        name = ""
    path = index_dir / name
    if _GENERATION.match(name) and (path / MANIFEST).is_file():
        return path
    complete = sorted(
        p for p in _entries(index_dir) if _GENERATION.match(p.name) and (p / MANIFEST).is_file()
    )
    if not complete:
        raise NoIndex(f"no index in {index_dir}; run `digest-search index` first")
    log.warning("%s names no complete generation (%r); reading %s", CURRENT, name[:40],
                complete[-1].name)  # fmt: skip
    return complete[-1]


def ensure_current(index_dir: Path) -> Path:
    """The live generation, with CURRENT rewritten to name it when it did not."""
    live = current_generation(index_dir)
    try:
        named = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        named = ""
    if named != live.name:
        write_atomic(index_dir / CURRENT, live.name + "\n")
        log.warning("repaired %s: it names %s again", CURRENT, live.name)
    return live


def _entries(index_dir: Path) -> list[Path]:
    try:
        return list(index_dir.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def read_manifest(generation: Path, candidates: bool = False) -> Manifest:
    """A generation's manifest: sources, digests and counts (and, for a build, each digest's
    partner candidates)."""
    return Manifest.read(generation, candidates)


_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()
_HELD = threading.local()  # the index directories this thread holds the writer lock of


def _forget_locks_in_child() -> None:
    """A forked child (a respawned web worker) starts with no lock held and none inherited
    locked from a thread of its parent (the watcher's)."""
    global _THREAD_LOCKS_GUARD, _HELD
    _THREAD_LOCKS.clear()
    _THREAD_LOCKS_GUARD = threading.Lock()
    _HELD = threading.local()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextlib.contextmanager
def writer_lock(index_dir: Path, wait_seconds: float):
    """Hold the one-writer lock (clearing builds killed before); IndexBusy after wait_seconds.

    One writer means one thread of one process: a POSIX record lock only excludes other
    processes, so a mutex per index directory excludes the other threads of this one. A thread
    that already holds the lock may take it again (a corpus change, then its index update).
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    key = str(index_dir.resolve())
    held = _HELD.__dict__.setdefault("dirs", set())
    if key in held:
        yield
        return
    deadline = time.monotonic() + wait_seconds
    mutex = _thread_lock(key)
    if not mutex.acquire(timeout=max(wait_seconds, 0)):
        raise _busy(index_dir, wait_seconds)
    try:
        with open(index_dir / ".writer.lock", "a+b") as handle:
            _lock_file(handle, deadline, index_dir, wait_seconds)
            held.add(key)
            try:
                _remove_abandoned(index_dir)
                yield
            finally:
                held.discard(key)
                fcntl.lockf(handle, fcntl.LOCK_UN)
    finally:
        mutex.release()


def _thread_lock(key: str) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(key, threading.Lock())


def _lock_file(handle, deadline: float, index_dir: Path, wait_seconds: float) -> None:
    while True:
        try:
            # A POSIX record lock belongs to this process alone: the writer's worker
            # processes do not inherit it, so a killed build never leaves it held.
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except (BlockingIOError, PermissionError):
            if time.monotonic() >= deadline:
                raise _busy(index_dir, wait_seconds) from None
            time.sleep(0.1)


def _busy(index_dir: Path, wait_seconds: float) -> IndexBusy:
    return IndexBusy(
        f"Another indexer is writing to {index_dir}; gave up after {wait_seconds:g} s."
    )


def new_generation(index_dir: Path, base: Path | None) -> Path:
    """A scratch directory for the next generation, seeded with hard links to base's files.

    Whoosh never rewrites a file it has written (commits add new segment and TOC files), so
    a hard-linked copy can be updated without touching the live generation.
    """
    number = max(_generation_numbers(index_dir), default=0) + 1
    # Unique per attempt: a name shared by two attempts let one delete the other's files.
    scratch = index_dir / f"gen-{number:06d}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    scratch.mkdir(parents=True)
    if base is not None:
        for item in base.iterdir():
            # Only Whoosh's own files: ours (manifest, directory) are written anew each time.
            whoosh_file = item.name.startswith(("_MAIN", "MAIN_"))
            if item.is_file() and whoosh_file and not item.name.endswith(_WHOOSH_LOCKS):
                os.link(item, scratch / item.name)
    return scratch


def publish(index_dir: Path, scratch: Path, manifest: Manifest) -> Path:
    """Make a built generation live: write its manifest, rename it, switch CURRENT atomically."""
    write_atomic(scratch / CANDIDATES, manifest.candidates_json())
    write_atomic(scratch / MANIFEST, manifest.to_json())
    final = index_dir / scratch.name.split(".tmp-")[0]
    scratch.rename(final)
    write_atomic(index_dir / CURRENT, final.name + "\n")
    fsync_dir(index_dir)
    _remove_old(index_dir, final)
    log.info("index generation %s is live", final.name)
    return final


def discard(scratch: Path) -> None:
    """Remove a generation that failed to build."""
    shutil.rmtree(scratch, ignore_errors=True)


def write_atomic(path: Path, text: str) -> None:
    """Write aside, fsync, rename over: readers see the old file or the new one, whole."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _generation_numbers(index_dir: Path) -> list[int]:
    numbers = []
    for item in _entries(index_dir):
        match = re.match(r"^gen-(\d{6})", item.name)
        if match:
            numbers.append(int(match.group(1)))
    return numbers


def _remove_abandoned(index_dir: Path) -> None:
    """Scratch directories left by a killed build (we hold the writer lock, so none is live)."""
    for item in index_dir.glob("gen-*.tmp-*"):
        log.info("removing abandoned build %s", item.name)
        shutil.rmtree(item, ignore_errors=True)


def _remove_old(index_dir: Path, live: Path) -> None:
    """Keep the live generation and the one before it; older ones have no readers left."""
    complete = sorted(p for p in index_dir.iterdir() if _GENERATION.match(p.name) and p != live)
    for old in complete[: max(len(complete) - (KEEP_GENERATIONS - 1), 0)]:
        shutil.rmtree(old, ignore_errors=True)
