"""The engines measured by bench/run.py: digest-search and SQLite FTS5 on the same passages,
and for the build, Whoosh alone (the library digest-search writes with) as its ceiling.

Builds run in child processes (`python bench/engines.py ours_build|fts5_build|whoosh_build SRC
DST`) so that each one's CPU time and peak memory are its own.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
FTS5_SCHEMA = (
    "CREATE VIRTUAL TABLE p USING fts5("
    "doc_id UNINDEXED, title, heading, text, tokenize='porter unicode61')"
)


def child(name: str, source: Path, target: Path) -> dict:
    """Run one build in a fresh process and return what it measured."""
    done = subprocess.run([sys.executable, __file__, name, str(source), str(target)],
                          capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _usage(started: float, passages: int) -> dict:
    """Wall time, CPU time and peak memory of this process and its workers."""
    own, workers = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    return {"wall": time.perf_counter() - started, "cpu": cpu, "passages": passages,
            "maxrss_mb": max(own.ru_maxrss, workers.ru_maxrss) / 1024}  # fmt: skip


def ours_build(corpus: Path, index_dir: Path) -> dict:
    from indexer.index.build import update_index

    started = time.perf_counter()
    summary = update_index(corpus, index_dir, rebuild=True)
    return _usage(started, summary.passages)


def passages_of(corpus: Path):
    """The project's own passages of a corpus (so both engines index exactly the same text)."""
    from indexer.index import corpus_files
    from indexer.ingest.digest import Digest
    from indexer.ingest.readers import read
    from indexer.ingest.segment import segment

    for path in corpus_files(corpus):
        for digest in read(path, corpus):
            if isinstance(digest, Digest):
                for passage in segment(digest):
                    yield digest.doc_id, digest.title, passage.heading, passage.text


def fts5_build(corpus: Path, database: Path) -> dict:
    rows = list(passages_of(corpus))  # reading is not timed: FTS5 gets its text ready-made
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    usage_before = resource.getrusage(resource.RUSAGE_SELF)
    connection = sqlite3.connect(database)
    connection.execute(FTS5_SCHEMA)
    connection.executemany("INSERT INTO p VALUES (?, ?, ?, ?)", rows)
    connection.commit()
    connection.close()
    measured = _usage(started, len(rows))
    measured["cpu"] -= usage_before.ru_utime + usage_before.ru_stime
    return measured


def whoosh_build(corpus: Path, index_dir: Path) -> dict:
    """Plain Whoosh on the same passages, ready-made as for FTS5: its stemming analyzer and its
    fastest writer here (2 processes, notes/performance.md), no project code."""
    import shutil

    from whoosh import fields, index
    from whoosh.analysis import StemmingAnalyzer

    rows = list(passages_of(corpus))
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(parents=True)
    text = fields.TEXT(analyzer=StemmingAnalyzer(), phrase=True)
    schema = fields.Schema(doc_id=fields.ID(stored=True), title=text, heading=text, text=text)
    started = time.perf_counter()
    writer = index.create_in(str(index_dir), schema).writer(procs=2, multisegment=True,
                                                              limitmb=256)  # fmt: skip
    for doc_id, title, heading, body in rows:
        writer.add_document(doc_id=doc_id, title=title, heading=heading, text=body)
    writer.commit()
    return _usage(started, len(rows))


def incremental(corpus: Path, index_dir: Path, database: Path) -> tuple[tuple, tuple]:
    """Seconds to add one digest and to change it, in each engine; the corpus is restored."""
    from indexer.index.build import update_index

    source = next(corpus.glob("bbc-*.txt"))
    extra = corpus / "bench-extra-digest.txt"
    connection = sqlite3.connect(database)
    try:
        extra.write_bytes(source.read_bytes())
        added = (
            _timed(lambda: update_index(corpus, index_dir)),
            _timed(lambda: _fts_put(connection, extra, corpus)),
        )
        extra.write_bytes(
            source.read_bytes() + b"\n\nOne more paragraph about Zhejiang University.\n"
        )
        changed = (
            _timed(lambda: update_index(corpus, index_dir)),
            _timed(lambda: _fts_put(connection, extra, corpus)),
        )
    finally:
        extra.unlink(missing_ok=True)
        update_index(corpus, index_dir)
        connection.execute("DELETE FROM p WHERE doc_id = 'bench-extra-digest'")
        connection.commit()
        connection.close()
    return added, changed  # fmt: skip


def _fts_put(connection, path: Path, corpus: Path) -> None:
    from indexer.ingest.readers import read
    from indexer.ingest.segment import segment

    (digest,) = read(path, corpus)
    connection.execute("DELETE FROM p WHERE doc_id = ?", (digest.doc_id,))
    rows = [(digest.doc_id, digest.title, p.heading, p.text) for p in segment(digest)]
    connection.executemany("INSERT INTO p VALUES (?, ?, ?, ?)", rows)
    connection.commit()


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def fts5_query(words: list[str]) -> str:
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


def latencies(index_dir: Path, database: Path, queries: list[str]) -> tuple[dict, dict]:
    """In-process milliseconds per query (search and snippets of the top 10), each engine."""
    from indexer.index.analysis import words
    from indexer.search.engine import SearchIndex

    index = SearchIndex(index_dir, cached=0)  # every search scored: the warm-up leaves no results
    connection = sqlite3.connect(database)
    sql = ("SELECT doc_id, bm25(p), snippet(p, 3, '<mark>', '</mark>', '…', 24) FROM p "
           "WHERE p MATCH ? ORDER BY bm25(p) LIMIT 10")  # fmt: skip

    def ours(q):
        index.search(q, limit=10, passages=True)

    def theirs(q):
        match = fts5_query([w.exact for w in words(q)])
        connection.execute(sql, (match,)).fetchall()

    for q in queries:  # warm both up once
        ours(q)
        theirs(q)
    return _percentiles([_timed(lambda q=q: ours(q)) for q in queries]), _percentiles(
        [_timed(lambda q=q: theirs(q)) for q in queries]
    )


def _percentiles(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    cut = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50": statistics.median(ms), "p95": cut[94], "p99": cut[98]}


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else list(path.rglob("*"))
    return sum(f.stat().st_size for f in files if f.is_file()) / 2**20


ZIPF_EXPONENT, ZIPF_REQUESTS = 1.1, 300  # a day's mix: a few names asked again and again


def load(server, queries: list[str], clients: int) -> dict:
    """Each client sends every query once (starting at its own offset): a bounded loop."""

    def paths(number: int):
        offset = number * 7
        for q in queries[offset:] + queries[:offset]:
            yield "/api/search?passages=1&limit=10&q=" + quote(q)

    return _run(server, clients, paths)


def load_zipf(server, queries: list[str], clients: int) -> dict:
    """Each client sends ZIPF_REQUESTS queries drawn by a Zipf law over the queries (the
    first most often, each client with its own seed): repeated searches, as in real use."""
    import random

    weights = [1 / rank**ZIPF_EXPONENT for rank in range(1, len(queries) + 1)]

    def paths(number: int):
        drawn = random.Random(number).choices(queries, weights=weights, k=ZIPF_REQUESTS)
        for q in drawn:
            yield "/api/search?passages=1&limit=10&q=" + quote(q)

    return _run(server, clients, paths)


def _run(server, clients: int, paths) -> dict:
    result = server.clients(clients, paths, lambda path, status, body: status != 200 and path)
    return {
        **_percentiles(result["latencies"]),
        "rps": len(result["latencies"]) / result["wall"],
        "errors": len(result["failures"]),
    }


if __name__ == "__main__":
    name, source, target = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    builds = {"ours_build": ours_build, "fts5_build": fts5_build, "whoosh_build": whoosh_build}
    print(json.dumps(builds[name](source, target)))
