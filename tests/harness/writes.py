"""Writes, slow clients and expensive queries against the real server (the safe-writes runs).

Each scenario returns its figures as a dict whose "failures" list must stay empty; the quick
versions run in the test suite, the long ones from bench/soak.py.
"""

from __future__ import annotations

import json
import random
import shutil
import socket
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

from whoosh.filedb.filestore import FileStorage

from indexer.index import corpus_files, store
from indexer.ingest.digest import Digest
from indexer.ingest.readers import read
from tests.harness.server import ROOT, LiveServer
from webapp.accounts import StaffStore

TOKEN = "soak-token-" + uuid.uuid4().hex
STAFF = {"Anna": "anna-password-1", "Boris": "boris-password-2"}  # two people, for undo
DOCUMENTED = {200, 201, 404, 409}  # 404: deleted meanwhile; 409: an id that is taken
TAKEN_ID = "2023-06-06-china-route-rector-visit"
PROBE_SECONDS = 2.0  # a health probe not answered in this long counts as starved
# 50 two-letter prefixes: far beyond the query budget, cheap to refuse.
EXPENSIVE = " ".join(f"{a}{b}*" for a in "cprstmdbfg" for b in "aeiou")


def bearer() -> dict:
    return {"Authorization": f"Bearer {TOKEN}"}


def multipart(filename: str, data: bytes, **fields: str) -> tuple[bytes, dict]:
    """A multipart/form-data body with one file and some text fields."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def add_staff(index_dir: Path) -> None:
    """The accounts of STAFF, in the staff file beside index_dir (as `users add` makes them)."""
    store = StaffStore.beside(index_dir)
    for name, password in STAFF.items():
        if name not in store.names():
            store.add(name, password)


def admin_server(work: Path, corpus: Path = ROOT / "corpus", quiet: bool = True) -> LiveServer:
    """A server with uploads on (the admin token and STAFF's accounts), watching a copy of
    corpus."""
    shutil.copytree(corpus, work / "corpus")
    add_staff(work / "index")
    return LiveServer(work / "corpus", work / "index", "--watch", quiet=quiet,
                      env={"DIGEST_SEARCH_ADMIN_TOKEN": TOKEN})  # fmt: skip


def mixed_writes(work: Path, clients: int = 8, operations: int = 100) -> dict:
    """`clients` at once send `operations` uploads (JSON, files, exports), PUTs, DELETEs and
    takeover attempts; then corpus, manifest and Whoosh must agree, with no result twice."""
    server = admin_server(work)
    try:
        created: list[tuple[str, str]] = []
        started = time.monotonic()
        with ThreadPoolExecutor(clients) as pool:
            answers = list(pool.map(lambda n: _operation(server, n, created), range(operations)))
        seconds = time.monotonic() - started
        failures = [f"{kind}: {status}" for kind, status in answers if status not in DOCUMENTED]
        if ("takeover", 409) not in answers:
            failures.append("no takeover attempt was refused with 409")
        failures += _agreement(server)
    finally:
        server.stop()
    statuses = Counter(status for _, status in answers)
    return {"clients": clients, "operations": operations, "seconds": round(seconds, 1),
            "answers": dict(sorted(statuses.items())), "failures": failures}  # fmt: skip


def _operation(server: LiveServer, number: int, created: list[tuple[str, str]]) -> tuple[str, int]:
    """One of the changes staff and scripts make, chosen by number."""
    rng = random.Random(number)
    kind = rng.choice(["json", "json", "file", "export", "put", "delete", "takeover"])
    if kind in ("put", "delete") and created:
        doc_id, made_as = rng.choice(created)
        if kind == "delete":
            return kind, server.request("DELETE", f"/api/digests/{doc_id}", headers=bearer())[0]
        if made_as == "file":  # a file takes a file; a record its fields
            body, headers = multipart("x.txt", f"Changed\n\nSoakword changed {number}.\n".encode())
        else:
            body = json.dumps({"title": "Changed", "text": f"Soakword changed {number}."}).encode()
            headers = {"Content-Type": "application/json"}
        return kind, server.request("PUT", f"/api/digests/{doc_id}", body,
                                    {**headers, **bearer()})[0]  # fmt: skip
    if kind == "export":
        lines = "".join(json.dumps({"id": f"soak-{number}-{n}", "text": f"Soakword {n}."}) + "\n"
                        for n in range(3))  # fmt: skip
        body, headers = multipart(f"soak-{number}.jsonl", lines.encode())
    elif kind == "takeover":
        body, headers = multipart(
            "takeover.jsonl", json.dumps({"id": TAKEN_ID, "text": "X."}).encode()
        )
    elif kind == "file":
        body, headers = multipart(
            "soak.txt", f"Soak {number}\n\nSoakword file {number}.\n".encode()
        )
    else:
        body = json.dumps({"title": "Soak title", "text": f"Soakword json {number}."}).encode()
        headers = {"Content-Type": "application/json"}
    status, _, reply = server.request("POST", "/api/digests", body, {**headers, **bearer()})
    if status == 201:
        created.extend((d["doc_id"], kind) for d in json.loads(reply)["digests"])
    return kind, status


def _agreement(server: LiveServer) -> list[str]:
    """Corpus, manifest and Whoosh counts equal, and no passage found twice."""
    live = store.current_generation(server.index_dir)
    manifest = store.read_manifest(live)
    in_corpus = [r for p in corpus_files(server.corpus) for r in read(p, server.corpus)]
    failures = [f"skipped in the corpus: {r}" for r in in_corpus if not isinstance(r, Digest)]
    if not len(in_corpus) == manifest.digests == len(manifest.docs):
        failures.append(f"{len(in_corpus)} digests in the corpus, {manifest.digests} indexed")
    ix = FileStorage(str(live)).open_index()
    try:
        if ix.doc_count() != manifest.passages:
            failures.append(f"Whoosh {ix.doc_count()} passages, manifest {manifest.passages}")
    finally:
        ix.close()
    ids: list[str] = []
    total, page = 1, 1
    while len(ids) < total and page <= 100:  # every page of results
        found = server.json(f"/api/search?passages=1&limit=100&page={page}&q=Soakword")[1]
        total, page = found["total"], page + 1
        ids += [hit["passage_id"] for hit in found["results"]]
    if len(ids) != len(set(ids)) or total != len(ids):
        failures.append(f"{len(ids)} results, {len(set(ids))} distinct, total {total}")
    return failures


def probe(server: LiveServer) -> float | None:
    """Seconds the health probe took, or None when it did not answer in PROBE_SECONDS."""
    started = time.monotonic()
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=PROBE_SECONDS)
    try:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = connection.recv(64)
    except TimeoutError:
        return None
    finally:
        connection.close()
    # 503 is an answer too: a worker busy with searches says so (dispatch.LoadReport).
    return (
        time.monotonic() - started
        if answer.startswith((b"HTTP/1.1 200", b"HTTP/1.1 503"))
        else None
    )


def slow_clients(server: LiveServer, connections: int = 24, probes: int = 5) -> dict:
    """`connections` send their headers a byte at a time while the health probe is asked."""
    slow = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(connections)]
    took: list[float | None] = []
    try:
        for connection in slow:
            connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        for _ in range(probes):
            took.append(probe(server))
            for connection in slow:
                connection.sendall(b"X")
            time.sleep(0.3)
    finally:
        for connection in slow:
            connection.close()
    answered = [t for t in took if t is not None]
    failures = [f"probe {n} not answered in {PROBE_SECONDS:g} s"
                for n, t in enumerate(took) if t is None]  # fmt: skip
    return {"slow connections": connections, "probes answered": f"{len(answered)}/{probes}",
            "slowest probe (ms)": round(max(answered, default=0) * 1000, 1),
            "failures": failures}  # fmt: skip


def expensive_queries(server: LiveServer, at_once: int = 12) -> dict:
    """`at_once` queries far beyond the budget while the health probe is asked."""
    path = "/api/search?q=" + quote(EXPENSIVE)
    started = time.monotonic()
    with ThreadPoolExecutor(at_once) as pool:
        pending = [pool.submit(server.get, path) for _ in range(at_once)]
        took = probe(server)
        statuses = Counter(f.result()[0] for f in pending)
    seconds = time.monotonic() - started
    failures = [] if took is not None else ["the health probe was not answered"]
    failures += [f"{n} answered {s}" for s, n in statuses.items() if s not in (400, 429)]
    return {"queries": at_once, "answers": dict(statuses), "seconds": round(seconds, 2),
            "probe (ms)": round((took or 0) * 1000, 1), "failures": failures}  # fmt: skip
