"""`digest-search serve` in a real process on 127.0.0.1, for the tests and the benchmarks."""

from __future__ import annotations

import functools
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "webapp.cli"]


def at_once(calls: list[Callable[[], object]]) -> None:
    """Run every call in a thread of its own, all started before any is waited for."""
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """A running server; raw requests are sent exactly as given (no normalisation)."""

    def __init__(self, corpus: Path, index_dir: Path, *extra: str, env: dict | None = None,
                 quiet: bool = False, start_seconds: float = 120,
                 cwd: Path | None = None):  # fmt: skip
        """With cwd, the server starts there with the default paths (./corpus, ./var/index),
        as the README starts it; corpus and index_dir then name those."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.index_dir, self.corpus = index_dir, corpus
        paths = [] if cwd else ["--index", str(index_dir), "--corpus", str(corpus)]
        command = [*CLI, "serve", "--port", str(self.port), *paths, *extra]
        # The server's output goes to a file beside its index (a pipe nobody reads can fill
        # and stall it); stop() returns what it wrote.
        self.log = None if quiet else index_dir.parent / f"server-{self.port}.log"
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        output = open(self.log, "w") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(command, cwd=cwd or ROOT, stdout=output,
                                        stderr=subprocess.STDOUT, text=True,
                                        env={**os.environ, **(env or {})})  # fmt: skip
        if self.log:
            output.close()  # the child holds its own copy
        deadline = time.monotonic() + start_seconds
        while True:
            try:
                self.get("/api/health")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    output = self.stop()
                    raise RuntimeError(f"the server did not start:\n{output}") from None
                time.sleep(0.1)

    def get(self, path: str, headers: dict | None = None) -> tuple[int, Message, bytes]:
        return self.request("GET", path, headers=headers)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, Message, bytes]:  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            return send(connection, method, path, body, headers)
        finally:
            connection.close()

    def json(self, path: str) -> tuple[int, dict]:
        status, _, body = self.get(path)
        return status, json.loads(body)

    def total(self, query: str) -> int:
        """How many passages a search finds now."""
        return self.json("/api/search?passages=1&q=" + quote(query))[1]["total"]

    def clients(self, count: int, requests: Callable[[int], object], check: Callable) -> dict:
        """Run `count` clients, each on one kept-alive connection; check(path, status, body).

        requests(n) yields client n's paths (a bounded loop); returns latencies and failures.
        """
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def client(number: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            for path in requests(number):
                started = time.perf_counter()
                try:
                    status, _, body = send(connection, "GET", path)
                    problem = check(path, status, body)
                except OSError as exc:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                    problem = f"{path}: {exc.__class__.__name__}: {exc}"
                except Exception as exc:  # a check that cannot read the answer is a failure too
                    problem = f"{path}: {exc.__class__.__name__}: {exc}"
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        failures.append(problem)
            connection.close()

        started = time.perf_counter()
        at_once([functools.partial(client, n) for n in range(count)])
        return {"latencies": latencies, "failures": failures,
                "wall": time.perf_counter() - started}  # fmt: skip

    def rss_mb(self) -> float:
        """Resident memory of the server: its master process and every worker."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [self.process.pid, *(int(p) for p in children.read_text().split())]
        total = 0
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        return total / 1024

    def stop(self) -> str:
        """Stop the server; what it printed (empty when started quiet)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log.read_text(errors="replace") if self.log else ""


def send(connection, method: str, path: str, body: bytes | None = None,
         headers: dict | None = None) -> tuple[int, Message, bytes]:  # fmt: skip
    """One request on an open connection: status, headers (names in any case, as HTTP has
    them) and the whole body."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.headers, response.read()
