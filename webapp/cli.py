"""The `digest-search` console script: the index commands plus `serve`."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import click

from indexer import Manifest, NoIndex, catch_up, current_generation
from indexer.cli import cli, corpus_option, index_option, run_index, start_watcher

from . import auth

log = logging.getLogger(__name__)


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Worker processes [default: cores + 1].",
)
@click.option(
    "--threads",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Threads in each worker (the health probe has one more of its own).",
)
@click.option("--watch", is_flag=True, help="Also update the index when the corpus changes.")
@index_option
@corpus_option
def serve(
    host: str,
    port: int,
    workers: int | None,
    threads: int,
    watch: bool,
    index_dir: Path,
    corpus: Path,
) -> None:
    """Serve the web app with gunicorn, building the index first when there is none."""
    from . import server

    try:
        auth.configured_token(os.environ.get(auth.TOKEN_VARIABLE))
    except auth.BlankToken as exc:
        raise click.UsageError(str(exc)) from None
    corpus, index_dir = corpus.resolve(), index_dir.resolve()
    try:
        current_generation(index_dir)
    except NoIndex:
        if not corpus.is_dir():
            raise click.UsageError(
                f"no index in {index_dir} and no corpus folder {corpus}"
            ) from None
        click.echo(f"No index yet: indexing {corpus} into {index_dir}...")
        click.echo(run_index(corpus, index_dir).line())
    # Only the counts: the workers are forked from this process, and each would start with
    # whatever it holds (an open index with its manifest and partner directory: ~25 MB).
    digests, passages = Manifest.counts(current_generation(index_dir))
    click.echo(
        f"Serving {digests} digests ({passages} passages) on http://{host}:{port}/ (Ctrl-C to stop)"
    )
    config = {"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)}

    def on_ready() -> None:
        # Serve the intact live generation at once; what changed meanwhile follows.
        threading.Thread(target=_catch_up, args=(corpus, index_dir), daemon=True).start()
        if watch:
            start_watcher(corpus, index_dir)

    server.serve(config, host, port, workers or server.default_workers(), threads, on_ready)


def _catch_up(corpus: Path, index_dir: Path) -> None:
    try:
        summary = catch_up(corpus, index_dir)
    except Exception:
        log.exception("bringing the index up to date with %s failed", corpus)
        return
    if summary.changed or summary.skipped:
        click.echo(f"Caught up with {corpus}: {summary.line()}", err=True)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
