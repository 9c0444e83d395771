"""Load during index updates, SIGKILLed indexers and a full disk, against the real server.

Each scenario returns its figures as a dict whose "failures" list must stay empty; the quick
versions run in tests/test_reliability.py, the long ones from bench/soak.py.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, unquote

from indexer.index import corpus_files
from indexer.ingest.digest import Digest
from indexer.ingest.readers import read
from indexer.ingest.segment import segment
from indexer.search.engine import SearchIndex
from tests.harness import hostile
from tests.harness.reliability import index, index_args, live_manifest
from tests.harness.server import CLI, ROOT, LiveServer

PROBE = "faultprobe"  # one passage of every generated digest, and of nothing else
QUERIES = ["Zhejiang University", PROBE, "partner", "delegation agreement", "Xi'an", "Geely"]
EXTRA = f"Extra digest\n\nZhejiang University partner {PROBE} delegation agreement Geely."


def corpus_with_digests(folder: Path, digests: int, seed: int = hostile.SEED) -> Path:
    """The seeds plus `digests` generated ones, each with one PROBE passage."""
    shutil.copytree(ROOT / "corpus", folder)
    rng = random.Random(seed)
    for n in range(digests):
        write_digest(folder, n, rng)
    return folder


def write_digest(folder: Path, n: int, rng: random.Random, version: int = 0) -> None:
    paragraphs = [hostile.prose(rng, 40) for _ in range(3 + version % 3)]
    body = [*paragraphs, f"Zhejiang University and partner {PROBE} {hostile.marker('load', n)}."]
    (folder / f"load-{n:04d}.txt").write_text(f"Load digest {n}\n\n" + "\n\n".join(body))


def expected_passages(corpus: Path) -> int:
    """Passages the corpus should index to, counted by reading it (no index involved)."""
    digests = [d for path in corpus_files(corpus) for d in read(path, corpus)]
    return sum(len(segment(d)) for d in digests if isinstance(d, Digest))


def indexed_passages(index_dir: Path) -> int:
    """Passages actually in the live Whoosh index (deleted ones not counted)."""
    with SearchIndex(index_dir) as live:
        return live.searcher().doc_count()


def load_with_updates(work: Path, seconds: float, clients: int = 8, digests: int = 40) -> dict:
    """Clients search while the corpus flips between two states, rebuilt and updated in turn."""
    corpus = corpus_with_digests(work / "corpus", digests)
    index_dir, extra = work / "index", corpus / "load-extra.txt"
    index(corpus, index_dir)
    server = LiveServer(corpus, index_dir, quiet=True)
    try:
        totals = [_totals(server)]
        extra.write_text(EXTRA)
        index(corpus, index_dir)
        totals.append(_totals(server))
        allowed = {key: {t[key] for t in totals} for key in totals[0]}
        updates: list[str] = []
        stop = threading.Event()
        updater = threading.Thread(target=_flip, args=(corpus, index_dir, extra, updates, stop))
        updater.start()
        deadline = time.monotonic() + seconds
        result = server.clients(clients, lambda n: _paths(n, deadline), _consistent(allowed))
        stop.set()
        updater.join()
    finally:
        server.stop()
    failures = result["failures"] + [u for u in updates if u.startswith("failed")]
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": len(result["latencies"]),
        "failed requests": len(result["failures"]),
        "index runs during the load": len(updates),
        "failures": failures,
    }


def _totals(server: LiveServer) -> dict:
    """What each probe query and /api/health answer in the current state."""
    totals = {q: server.total(q) for q in QUERIES}
    health = server.json("/api/health")[1]
    totals["health"] = (health["digests"], health["passages"])
    return totals


def _paths(number: int, deadline: float):
    rng = random.Random(number)
    while time.monotonic() < deadline:
        if rng.random() < 0.1:
            yield "/api/health"
        else:
            yield "/api/search?passages=1&q=" + quote(rng.choice(QUERIES))


def _consistent(allowed: dict):
    """A check that a response is 200 and equals what one complete generation answers."""

    def check(path: str, status: int, body: bytes) -> str:
        if status != 200:
            return f"{path}: status {status}"
        answer = json.loads(body)
        if path == "/api/health":
            key, value = "health", (answer["digests"], answer["passages"])
        else:
            key, value = unquote(path.split("q=", 1)[1]), answer["total"]
        return "" if value in allowed[key] else f"{path}: {value} not in {allowed[key]}"

    return check


def _flip(corpus, index_dir, extra: Path, updates: list, stop) -> None:
    """Remove and restore one digest, by incremental update and by rebuild in turn."""
    step = 0
    while not stop.is_set():
        if extra.exists():
            extra.unlink()
        else:
            extra.write_text(EXTRA)
        rebuild = ("--rebuild",) if step % 2 else ()
        run = index(corpus, index_dir, *rebuild)
        updates.append(f"failed: {run['stderr'][-500:]}" if run["code"] else "ok")
        step += 1


def kills(work: Path, count: int = 20, digests: int = 40, seed: int = hostile.SEED) -> dict:
    """SIGKILL `digest-search index` at random moments; the server and the next run must hold."""
    rng = random.Random(seed)
    corpus = corpus_with_digests(work / "corpus", digests)
    index_dir = work / "index"
    durations = {"rebuild": index(corpus, index_dir, "--rebuild")["wall"]}
    write_digest(corpus, digests, rng)
    durations["update"] = index(corpus, index_dir)["wall"]
    server = LiveServer(corpus, index_dir, quiet=True)
    failures, killed_midway, next_digest, attempt = [], 0, digests + 1, 0
    try:
        while killed_midway < count and attempt < 3 * count:  # a run may end before its kill
            attempt += 1
            action = rng.choice(["rebuild", "add", "change", "remove"])
            if action == "add":
                write_digest(corpus, next_digest, rng)
                next_digest += 1
            elif action == "change":
                write_digest(corpus, rng.randrange(next_digest), rng, version=attempt + 1)
            elif action == "remove":
                victims = sorted(corpus.glob("load-*.txt"))
                if victims:
                    rng.choice(victims).unlink()
            kind = "rebuild" if action == "rebuild" else "update"
            moment = rng.uniform(0.1, 0.9) * durations[kind]
            killed_midway += _kill_at(corpus, index_dir, action == "rebuild", moment)
            failures += [f"after kill {attempt} ({action}): {p}" for p in _serving(server)]
            run = index(corpus, index_dir)
            if run["code"] != 0:
                failures.append(f"run after kill {attempt} exited {run['code']}")
            failures += [f"after kill {attempt}: {p}" for p in _exact(server, corpus)]
    finally:
        server.stop()
    failures += [] if killed_midway == count else [f"only {killed_midway} runs were killed"]
    return {"index runs started": attempt, "killed while running": killed_midway,
            "failures": failures}  # fmt: skip


def _kill_at(corpus: Path, index_dir: Path, rebuild: bool, moment: float) -> bool:
    """Start an index run and SIGKILL it after `moment` seconds; True if it was still running."""
    args = index_args(corpus, index_dir, *(["--rebuild"] if rebuild else []))
    process = subprocess.Popen([*CLI, *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        process.wait(timeout=moment)
        return False
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return True


def _serving(server: LiveServer) -> list[str]:
    """The server answers from one complete generation: its counts match that manifest."""
    status, health = server.json("/api/health")
    if status != 200:
        return [f"health status {status}"]
    manifest = live_manifest(server.index_dir)
    problems = [] if health["passages"] == manifest.passages else ["health/manifest differ"]
    generated = sum(doc_id.startswith("load-") for doc_id in manifest.docs)
    found = server.total(PROBE)
    return problems + ([] if found == generated else [f"{PROBE}: {found} ≠ {generated}"])


def _exact(server: LiveServer, corpus: Path) -> list[str]:
    """After a clean run: exactly the expected passages, no duplicates, no losses."""
    expected, indexed = expected_passages(corpus), indexed_passages(server.index_dir)
    problems = [] if expected == indexed else [f"{indexed} passages indexed, {expected} expected"]
    generated = len(list(corpus.glob("load-*.txt")))
    deadline = time.monotonic() + 10  # the server notices the new generation on its next request
    while server.total(PROBE) != generated and time.monotonic() < deadline:
        time.sleep(0.1)
    found = server.total(PROBE)
    return problems + ([] if found == generated else [f"{PROBE}: {found} ≠ {generated} files"])


_ENOSPC = """
import errno, sys
import whoosh.filedb.filestore as filestore
from webapp.cli import main

budget = [int(sys.argv.pop(1))]
create_file = filestore.FileStorage.create_file


class Full:
    def __init__(self, raw):
        self.raw = raw

    def write(self, data):
        budget[0] -= len(data)
        if budget[0] < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


def full_disk(self, name, **kwargs):
    handle = create_file(self, name, **kwargs)
    handle.file = Full(handle.file)
    return handle


filestore.FileStorage.create_file = full_disk
sys.argv[0] = "digest-search"
main()
"""


def disk_full(work: Path, digests: int = 40, tmpfs: bool = True) -> dict:
    """A build that runs out of space: a clear error, the previous index live and intact."""
    corpus = corpus_with_digests(work / "corpus", 0)
    index_dir = work / "index"
    mounted = tmpfs and _mount_tmpfs(index_dir, "3m")
    if tmpfs and not mounted:
        return {"full disk": "no tmpfs could be mounted here", "failures": [], "skipped": True}
    try:
        first = index(corpus, index_dir)
        before = (live_manifest(index_dir).passages, indexed_passages(index_dir))
        rng = random.Random(hostile.SEED)
        for n in range(digests):
            (corpus / f"big-{n}.txt").write_text(
                f"Big {n}\n\n" + "\n\n".join(hostile.prose(rng, 100) for _ in range(60))
            )
        args = index_args(corpus, index_dir)
        # Without a tmpfs, the storage layer fails after 200 kB instead.
        command = [*CLI, *args] if mounted else [sys.executable, "-c", _ENOSPC, "200000", *args]
        full = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
        after = (live_manifest(index_dir).passages, indexed_passages(index_dir))
        leftovers = list(index_dir.glob("gen-*.tmp-*"))
    finally:
        if mounted:
            subprocess.run(["umount", str(index_dir)], check=False)
    failures = [] if first["code"] == 0 else [f"the first build exited {first['code']}"]
    if full.returncode != 1 or "No space left on device" not in full.stderr:
        failures.append(f"exit {full.returncode}: {full.stderr[-800:]}")
    if "Traceback" in full.stderr:
        failures.append("a traceback instead of a clear error")
    failures += [] if after == before else [f"index changed from {before} to {after}"]
    failures += [f"scratch left behind: {leftovers}"] if leftovers else []
    return {"full disk": "tmpfs of 3 MB" if mounted else "ENOSPC injected at Whoosh's storage",
            "message": full.stderr.strip().splitlines()[-1] if full.stderr.strip() else "",
            "failures": failures}  # fmt: skip


def _mount_tmpfs(folder: Path, size: str) -> bool:
    """Mount a small tmpfs on folder when this machine allows it (root in a capable container)."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)  # fmt: skip
    return done.returncode == 0
