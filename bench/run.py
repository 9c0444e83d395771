"""Benchmark digest-search side by side with SQLite FTS5 on the same passages and queries.

    python bench/run.py [--scale N] [--clients 1 --clients 8] [--no-write]

Builds bench/out/corpus-sN from ../shared/data (skips with a message when it is absent), then
measures full build, adding and changing one digest, in-process search latency (search and
snippets of the top 10), HTTP latency against `digest-search serve`, server memory and index
size, prints the table and writes it into docs/benchmarks.md.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
import engines

import corpus as bench_corpus
from tests.harness.server import LiveServer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


@click.command()
@click.option("--scale", default=1, show_default=True, type=click.IntRange(1, 20))
@click.option("--clients", multiple=True, type=int, default=(1, 8), show_default=True)
@click.option("--write/--no-write", default=True, help="Write the table into docs/benchmarks.md.")
def main(scale: int, clients: tuple[int, ...], write: bool) -> None:
    """Run every measurement and print project / FTS5 ratios."""
    if not bench_corpus.available():
        click.echo(f"skipped: {bench_corpus.DATA} is absent (BBC and Russian news are needed)")
        return
    corpus = bench_corpus.build_corpus(OUT / f"corpus-s{scale}", scale)
    index_dir, database = OUT / f"index-s{scale}", OUT / f"fts5-s{scale}.sqlite"
    queries = bench_corpus.queries()
    rows = []
    ours, theirs = (
        engines.child("ours_build", corpus, index_dir),
        engines.child("fts5_build", corpus, database),
    )
    rows += _build_rows(ours, theirs, engines.child("whoosh_build", corpus, OUT / "whoosh-alone"))
    rows += _update_rows(corpus, index_dir, database, ours)
    ours_lat, fts_lat = engines.latencies(index_dir, database, queries)
    rows += [
        (f"search {p} in-process (ms)", ours_lat[p], fts_lat[p], None)
        for p in ("p50", "p95", "p99")
    ]
    rows[-2] = (*rows[-2][:3], ("≤ 2× FTS5", ours_lat["p95"] <= 2 * fts_lat["p95"]))
    rows += _http_rows(index_dir, corpus, queries, clients, fts_lat["p95"])
    rows.append(("index size on disk (MB)", engines.size_mb(store_dir(index_dir)),
                 engines.size_mb(database), None))  # fmt: skip
    table = _table(rows, scale, len(queries), ours["passages"])
    click.echo(table)
    if write:
        _write_doc(table)


def store_dir(index_dir: Path) -> Path:
    from indexer.index.store import current_generation

    return current_generation(index_dir)


def _build_rows(ours: dict, theirs: dict, library: dict) -> list[tuple]:
    wall = ours["passages"] / ours["wall"], theirs["passages"] / theirs["wall"]
    cpu = ours["passages"] / ours["cpu"], theirs["passages"] / theirs["cpu"]
    alone = library["passages"] / library["wall"]
    return [
        ("full build: passages", ours["passages"], theirs["passages"], None),
        ("full build: wall seconds", ours["wall"], theirs["wall"], None),
        ("full build: passages/s (wall)", *wall, ("≥ 1/15 of FTS5", wall[0] * 15 >= wall[1])),
        (
            "Whoosh alone, same passages, 2 processes: passages/s (wall)",
            alone,
            wall[1],
            ("the library's own ceiling ≥ 1/15 of FTS5", alone * 15 >= wall[1]),
        ),
        ("full build: passages/s (CPU)", *cpu, None),
        ("full build: peak memory (MB)", ours["maxrss_mb"], theirs["maxrss_mb"], None),
    ]


def _update_rows(corpus: Path, index_dir: Path, database: Path, ours: dict) -> list[tuple]:
    added, changed = engines.incremental(corpus, index_dir, database)
    limit = ours["wall"] / 100
    return [
        ("add one digest (s)", added[0], added[1], ("≤ 1/100 of full build", added[0] <= limit)),
        ("change one digest (s)", changed[0], changed[1], None),
    ]


def _http_rows(index_dir, corpus, queries, clients, fts_p95) -> list[tuple]:
    # Every search scored, as in earlier runs: each client sends the same queries.
    server = LiveServer(corpus, index_dir, quiet=True, env={"DIGEST_SEARCH_RESULT_CACHE": "0"})
    rows = []
    try:
        for count in clients:
            result = engines.load(server, queries, count)
            target = None
            if count == max(clients):
                met = result["p95"] <= 3 * fts_p95 and result["errors"] == 0
                target = ("p95 ≤ 3× FTS5 in-process p95, 0 errors", met)
            latency = f"{result['p50']:.1f} / {result['p95']:.1f}"
            throughput = f"{result['rps']:.0f}, {result['errors']}"
            rows += [
                (f"HTTP {count} client(s): p50 / p95 (ms)", latency, "—", target),
                (f"HTTP {count} client(s): requests/s, errors", throughput, "—", None),
            ]
        rows.append(_zipf_row(server, queries, max(clients), "every search scored"))
    finally:
        server.stop()
    return rows + _cached_rows(index_dir, corpus, queries, max(clients))


def _zipf_row(server, queries, clients: int, how: str) -> tuple:
    result = engines.load_zipf(server, queries, clients)
    latency = (
        f"{result['p50']:.1f} / {result['p95']:.1f}, {result['rps']:.0f}/s, {result['errors']}"
    )
    return (f"HTTP {clients} clients, Zipf mix, {how}: p50 / p95 (ms), rps, errors", latency,
            "—", None)  # fmt: skip


def _cached_rows(index_dir, corpus, queries, clients: int) -> list[tuple]:
    """The served app as it runs (recent results kept): the Zipf mix, and the memory."""
    server = LiveServer(corpus, index_dir, quiet=True)
    try:
        rows = [_zipf_row(server, queries, clients, "recent results kept")]
        rss = server.rss_mb()
        rows.append(("server RSS, all processes (MB)", rss, "—", ("≤ 400 MB", rss <= 400)))
    finally:
        server.stop()
    return rows


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 10 else f"{value:.3f}"
    return str(value)


def _table(rows: list[tuple], scale: int, queries: int, passages: int) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"Measured {dt.date.today().isoformat()} on {machine}; scale {scale}: "
        f"{passages:,} passages, {queries} queries (OR of the words, top 10 with snippets).",
        "",
        "Command: `python bench/run.py" + (f" --scale {scale}" if scale > 1 else "") + "`",
        "",
        "| measurement | digest-search | SQLite FTS5 | ratio | target |",
        "|---|---|---|---|---|",
    ]
    for name, ours, theirs, target in rows:
        ratio = (
            f"{ours / theirs:.2f}"
            if isinstance(ours, float | int) and isinstance(theirs, float | int) and theirs
            else "—"
        )
        goal = f"{target[0]}: {'met' if target[1] else '**not met**'}" if target else ""
        lines.append(f"| {name} | {_fmt(ours)} | {_fmt(theirs)} | {ratio} | {goal} |")
    return "\n".join(lines)


def _write_doc(table: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = f"{START}\n{table}\n{END}"
    if START in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = (
            text.rstrip()
            + "\n\n## Speed and memory, side by side with SQLite FTS5\n\n"
            + block
            + "\n"
        )
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
