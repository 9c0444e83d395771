"""Readers run in a child process under a time and a memory limit, so that one file (a PDF
page of thousands of fragments, a Flate bomb, a table of thousands of columns) can neither hold
the writer lock for minutes nor a worker's memory for gigabytes.

The parent sends a file's path and limits down a pipe; the child lowers its address-space
limit (`resource.RLIMIT_AS`), reads the file with `readers.read` and sends the digests back.
The parent waits at most the time limit, then kills the child: the limit holds inside a page or
a stream, wherever the reader is. Children are kept for the next file and replaced when one
crashed, was killed or grew. Frames are length-prefixed pickles between our own processes.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.ingest import ocr
from indexer.ingest.digest import Digest, Skipped
from indexer.ingest.readers import read, source_name

log = logging.getLogger(__name__)

BASE_SECONDS = 20.0  # any file: a digest of a few pages reads in well under a second
SECONDS_PER_MB = 2.0  # and more for a larger one (a 14 MB JSON-lines export reads in ~5 s)
BASE_MEMORY_MB = 384  # beyond what the child holds before it reads
MEMORY_PER_BYTE = 40  # and more for a larger file (text decoded, parsed and segmented)
RECYCLE_MB = 512  # a child whose resident memory grew past this is replaced after the file
MAX_IDLE = 2  # children kept waiting for the next file
OCR_SECONDS = ocr.MAX_SECONDS  # what OCR of a scan adds, once begun (ocr.py stops by then)
_OCR_BEGUN = "ocr begun"  # the frame a child sends when it starts OCR: its deadline moves once
_HEADER = struct.Struct("!Q")
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from indexer.ingest.sandbox import serve; serve()"
)


@dataclass(frozen=True)
class Limits:
    """What reading one file may take."""

    seconds: float
    memory_mb: int

    @classmethod
    def for_size(cls, size: int) -> Limits:
        megabytes = size / (1024 * 1024)
        return cls(BASE_SECONDS + SECONDS_PER_MB * megabytes,
                   int(BASE_MEMORY_MB + MEMORY_PER_BYTE * megabytes))  # fmt: skip


class _Child:
    """One reading process and its pipes."""

    def __init__(self):
        package_root = str(Path(__file__).resolve().parents[2])
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOT, package_root],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
        )  # fmt: skip
        self.rss_mb = 0.0

    def read(self, request: tuple, seconds: float) -> list | None:
        """The child's answer, or None when it did not answer in time or died (then killed)."""
        deadline, extended = time.monotonic() + seconds, False
        try:
            _send(self.process.stdin, request)
            answer = _receive(self.process.stdout.fileno(), deadline)
            while answer == _OCR_BEGUN:  # the text layer was read in time: OCR gets its own
                deadline, extended = deadline + (0 if extended else OCR_SECONDS), True
                answer = _receive(self.process.stdout.fileno(), deadline)
        except (OSError, EOFError, pickle.UnpicklingError):
            answer = None
        if answer is None:
            self.kill()
            return None
        results, self.rss_mb = answer
        return results

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            pipe.close()


class _Pool:
    """Idle children, shared by a process's threads (uploads are checked in request threads)."""

    def __init__(self):
        self._idle: list[_Child] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def take(self) -> _Child:
        with self._lock:
            if self._pid != os.getpid():  # forked (a server's worker): the parent's are not ours
                self._idle, self._pid = [], os.getpid()
            while self._idle:
                child = self._idle.pop()
                if child.alive():
                    return child
        return _Child()

    def give_back(self, child: _Child) -> None:
        with self._lock:
            if child.alive() and child.rss_mb < RECYCLE_MB and len(self._idle) < MAX_IDLE:
                self._idle.append(child)
                return
        child.kill()


_POOL = _Pool()


def read_limited(path: Path, root: Path, doc_id: str | None = None) -> list[Digest | Skipped]:
    """`readers.read` in a child process within Limits.for_size(the file's size), and OCR's
    own time besides once the child says it has begun OCR of a scan."""
    source = source_name(path, root)
    try:
        limits = Limits.for_size(path.stat().st_size)
    except OSError as error:
        return [Skipped.because(source, "read_os_error", reason=error.strerror)]
    child = _POOL.take()
    results = child.read((str(path), str(root), doc_id, limits.memory_mb), limits.seconds)
    _POOL.give_back(child)
    if results is None:
        log.warning("%s: stopped after %.0f s or %d MB", source, limits.seconds, limits.memory_mb)
        return [Skipped.because(source, "read_limits", seconds=f"{limits.seconds:.0f}",
                                mb=limits.memory_mb)]  # fmt: skip
    return results


def serve() -> None:
    """The child's loop: read each file asked for, under the memory limit it comes with."""
    requests, answers = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a library's print() must not corrupt the frames
    logging.basicConfig(level=logging.WARNING)
    ocr.on_start = lambda: _send(answers, _OCR_BEGUN)
    while True:
        try:
            path, root, doc_id, memory_mb = _receive_blocking(requests)
        except EOFError:  # the parent has gone
            return
        _limit_memory(memory_mb)
        try:
            results = read(Path(path), Path(root), doc_id)
        finally:
            _limit_memory(None)
        _send(answers, (results, _rss_mb()))


def _limit_memory(memory_mb: int | None) -> None:
    """The address space the child may use while it reads: what it has now plus memory_mb."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    soft = hard if memory_mb is None else _vm_bytes() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (soft if hard < 0 else min(soft, hard), hard))


def _vm_bytes() -> int:
    return _status_kb("VmSize") * 1024


def _rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _send(pipe, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


def _receive_blocking(pipe):
    header = pipe.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = pipe.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


def _receive(fd: int, deadline: float):
    """One frame from fd, or None when the deadline passes first."""
    data = bytearray()
    needed = _HEADER.size
    while len(data) < needed:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, max(needed - len(data), 65536))
        if not chunk:
            raise EOFError
        data += chunk
        if needed == _HEADER.size and len(data) >= _HEADER.size:
            needed += _HEADER.unpack_from(data)[0]
    return pickle.loads(bytes(data[_HEADER.size : needed]))
