"""Index generations on disk: build aside, switch atomically, one writer at a time.

Layout of an index directory:
    CURRENT          the name of the live generation (replaced atomically)
    gen-000007/      a complete Whoosh index plus manifest.json
    gen-000008.tmp-<pid>/   a generation being built; never read, removed if abandoned
    .writer.lock     held (flock) by the one process writing
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFEST = "manifest.json"
KEEP_GENERATIONS = 2  # the live one and the one before it, for readers still using it
_GENERATION = re.compile(r"^gen-(\d{6})$")
_WHOOSH_LOCKS = ("WRITELOCK", "READLOCK")


class IndexBusy(RuntimeError):
    """Another process holds the writer lock longer than we may wait."""


class NoIndex(LookupError):
    """There is no complete generation to read yet."""


def current_generation(index_dir: Path) -> Path:
    """The live generation's directory; raises NoIndex when there is none."""
    try:
        name = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise NoIndex(f"no index in {index_dir}; run `digest-search index` first") from exc
    path = index_dir / name
    if not _GENERATION.match(name) or not path.is_dir():
        raise NoIndex(f"{index_dir / CURRENT} names a missing generation {name!r}")
    return path


def read_manifest(generation: Path) -> dict:
    """A generation's manifest: sources, digests and counts."""
    return json.loads((generation / MANIFEST).read_text(encoding="utf-8"))


@contextlib.contextmanager
def writer_lock(index_dir: Path, wait_seconds: float):
    """Hold the one-writer lock (clearing builds killed before); IndexBusy after wait_seconds."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".writer.lock", "a+b") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                # A POSIX record lock belongs to this process alone: the writer's worker
                # processes do not inherit it, so a killed build never leaves it held.
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except (BlockingIOError, PermissionError):
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"another indexer is writing to {index_dir}; "
                        f"gave up after {wait_seconds:g} s"
                    ) from None
                time.sleep(0.1)
        try:
            _remove_abandoned(index_dir)
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)


def new_generation(index_dir: Path, base: Path | None) -> Path:
    """A scratch directory for the next generation, seeded with hard links to base's files.

    Whoosh never rewrites a file it has written (commits add new segment and TOC files), so
    a hard-linked copy can be updated without touching the live generation.
    """
    number = max(_generation_numbers(index_dir), default=0) + 1
    scratch = index_dir / f"gen-{number:06d}.tmp-{os.getpid()}"
    scratch.mkdir(parents=True)
    if base is not None:
        for item in base.iterdir():
            # Only Whoosh's own files: ours (manifest, directory) are written anew each time.
            whoosh_file = item.name.startswith(("_MAIN", "MAIN_"))
            if item.is_file() and whoosh_file and not item.name.endswith(_WHOOSH_LOCKS):
                os.link(item, scratch / item.name)
    return scratch


def publish(index_dir: Path, scratch: Path, manifest: dict) -> Path:
    """Make a built generation live: write its manifest, rename it, switch CURRENT atomically."""
    write_atomic(scratch / MANIFEST, json.dumps(manifest, ensure_ascii=False))
    final = index_dir / scratch.name.split(".tmp-")[0]
    scratch.rename(final)
    write_atomic(index_dir / CURRENT, final.name + "\n")
    _fsync_dir(index_dir)
    _remove_old(index_dir, final)
    log.info("index generation %s is live", final.name)
    return final


def discard(scratch: Path) -> None:
    """Remove a generation that failed to build."""
    shutil.rmtree(scratch, ignore_errors=True)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _generation_numbers(index_dir: Path) -> list[int]:
    numbers = []
    for item in index_dir.iterdir():
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
