"""The long reliability runs, with their figures written to docs/reliability.md.

    python bench/soak.py [--no-write]

Hostile files (520 with the full-size giants), 10,000 generated queries over HTTP, 8 clients for
60 s during rebuilds and updates of a 300-digest corpus, 20 SIGKILLed index runs, a full disk
(a 3 MB tmpfs where one can be mounted, and an injected ENOSPC), 400 concurrent uploads, edits
and deletes from 8 clients, 48 slow clients and 24 over-budget queries. The quick versions of the
same code run in tests/test_reliability.py.
"""

from __future__ import annotations

import datetime as dt
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.harness import bounded, faults, reliability, writes
from tests.harness.server import ROOT, LiveServer

DOC = ROOT / "docs" / "reliability.md"
START, END = "<!-- soak:start -->", "<!-- soak:end -->"


def scenarios(work: Path) -> list[tuple[str, callable]]:
    """(title, run) for each long run; every run returns figures with a "failures" list."""
    return [
        ("Hostile digests", lambda: reliability.hostile_files(work / "hostile", count=520)),
        ("Generated queries over HTTP", lambda: _fuzz(work / "fuzz", 10_000)),
        ("8 clients for 60 s during rebuilds and updates",
         lambda: faults.load_with_updates(work / "load", seconds=60, clients=8, digests=300)),
        ("SIGKILL of the indexer at 20 random moments",
         lambda: faults.kills(work / "kills", count=20, digests=300)),
        ("A full disk during a build (tmpfs)", lambda: faults.disk_full(work / "tmpfs")),
        ("A full disk during a build (injected ENOSPC)",
         lambda: faults.disk_full(work / "enospc", tmpfs=False)),
        ("8 clients uploading, replacing and deleting at once",
         lambda: writes.mixed_writes(work / "writes", clients=8, operations=400)),
        ("Slow clients and expensive queries against one server",
         lambda: _starving(work / "starve")),
        ("Hostile uploads while 8 clients search",
         lambda: bounded.hostile_uploads(work / "bounded", clients=8)),
    ]  # fmt: skip


def _starving(work: Path) -> dict:
    """48 slow-header connections, then 24 queries far beyond the budget at once."""
    server = writes.admin_server(work)
    try:
        slow, costly = (
            writes.slow_clients(server, 48, probes=10),
            writes.expensive_queries(server, 24),
        )
    finally:
        server.stop()
    failures = slow.pop("failures") + costly.pop("failures")
    return {**slow, **{f"expensive {k}": v for k, v in costly.items()}, "failures": failures}


def _fuzz(work: Path, examples: int) -> dict:
    corpus = faults.corpus_with_digests(work / "corpus", 40)
    shutil.copy(ROOT / "tests" / "fixtures" / "digest_with_markup.txt", corpus)
    reliability.index(corpus, work / "index")
    server = LiveServer(corpus, work / "index", quiet=True)
    try:
        return reliability.query_fuzz(server, examples)
    finally:
        server.stop()


@click.command()
@click.option("--write/--no-write", default=True, help="Record the figures in docs/reliability.md.")
def main(write: bool) -> None:
    """Run every long reliability scenario and print (and record) what held."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="soak-") as folder:
        for title, run in scenarios(Path(folder)):
            started = time.monotonic()
            figures = run()
            seconds = time.monotonic() - started
            failures = figures.pop("failures")
            rows.append((title, figures, failures, seconds))
            click.echo(f"{title}: {figures} — {len(failures)} failures ({seconds:.0f} s)")
            for failure in failures[:20]:
                click.echo(f"    {failure}", err=True)
    table = _table(rows)
    if write:
        text = DOC.read_text(encoding="utf-8")
        head, tail = text.split(START)[0], text.split(END)[1]
        DOC.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
    sys.exit(1 if any(failures for _, _, failures, _ in rows) else 0)


def _table(rows) -> str:
    machine = f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}"
    lines = [f"Run on {dt.date.today().isoformat()} ({machine}) with `python bench/soak.py`.", "",
             "| scenario | figures | failures | seconds |", "|---|---|---|---|"]  # fmt: skip
    for title, figures, failures, seconds in rows:
        shown = "; ".join(f"{k}: {v}" for k, v in figures.items())
        lines.append(f"| {title} | {shown} | {len(failures)} | {seconds:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
