"""Hostile uploads while clients search (issue: bounded cost): each of bombs.HOSTILE is uploaded
to a served copy while `clients` threads search; no search may run past its budget, the health
probe must answer, every worker's peak memory must stay under WORKER_PEAK_MB, and nothing that
was searchable before may be lost."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from indexer.search.budget import SEARCH_SECONDS
from tests.harness import bombs
from tests.harness.writes import admin_server, bearer, multipart, probe

WORKER_PEAK_MB = 600  # a worker's peak resident memory (VmHWM); readers run in children
QUERIES = ("Geely", "Hangzhou officials", "Zhejiang University", "w1*", "университет")
SLACK_SECONDS = 2.0  # beyond the budget: the HTTP round trip and a busy machine's scheduling


def hostile_uploads(work: Path, clients: int = 8, files: dict | None = None) -> dict:
    server = admin_server(work)
    try:
        before = server.json("/api/health")[1]["digests"]
        stop, answers, lock = threading.Event(), [], threading.Lock()

        def search(n: int) -> None:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    status = server.get(f"/api/search?q={quote(QUERIES[n % len(QUERIES)])}")[0]
                except OSError:  # no answer at all: counted as a failure below
                    status = 599
                with lock:
                    answers.append((status, time.monotonic() - started))
                n += 1

        threads = [threading.Thread(target=search, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        uploads, probes = {}, []
        for name, make in (files or bombs.HOSTILE).items():
            body, headers = multipart(name, make())
            uploads[name] = server.request("POST", "/api/digests", body,
                                           {**headers, **bearer()})[0]  # fmt: skip
            probes.append(probe(server))
        stop.set()
        for thread in threads:
            thread.join()
        after = server.json("/api/health")[1]["digests"]
        peaks = _worker_peaks_mb(server)
    finally:
        server.stop()
    slowest = max((seconds for _, seconds in answers), default=0.0)
    failures = [f"search answered {s}" for s in {s for s, _ in answers} if s >= 500]
    if slowest > SEARCH_SECONDS + SLACK_SECONDS:
        failures.append(f"a search took {slowest:.1f} s")
    failures += [f"{n} answered {s}" for n, s in uploads.items() if s not in (201, 400)]
    failures += ["a health probe was not answered" for took in probes if took is None]
    failures += [f"a worker peaked at {p:.0f} MB" for p in peaks if p > WORKER_PEAK_MB]
    accepted = sum(1 for s in uploads.values() if s == 201)
    if after < before + accepted:
        failures.append(f"digests before {before}, accepted {accepted}, after {after}")
    return {"clients": clients, "searches": len(answers),
            "search answers": dict(Counter(s for s, _ in answers)),
            "slowest search (s)": round(slowest, 2), "uploads": uploads,
            "worker peak RSS (MB)": round(max(peaks, default=0)),
            "bound (MB)": WORKER_PEAK_MB, "failures": failures}  # fmt: skip


def _worker_peaks_mb(server) -> list[float]:
    """VmHWM of every worker process of the server (its master's children)."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    peaks = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text().splitlines()
        peaks.append(next(int(line.split()[1]) for line in status if line.startswith("VmHWM")))
    return [kb / 1024 for kb in peaks]
