"""The `digest-search` console script: the index commands plus `serve`."""

from __future__ import annotations

from pathlib import Path

import click

from indexer import store
from indexer.cli import cli, corpus_option, index_option, run_index, start_watcher


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
    help="Threads in each worker.",
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
        store.current_generation(index_dir)
    except store.NoIndex:
        if not corpus.is_dir():
            raise click.UsageError(
                f"no index in {index_dir} and no corpus folder {corpus}"
            ) from None
        click.echo(f"No index yet: indexing {corpus} into {index_dir}...")
        click.echo(run_index(corpus, index_dir).line())
    # Only the counts: the workers are forked from this process, and each would start with
    # whatever it holds (an open index with its manifest and partner directory: ~25 MB).
    manifest = store.read_manifest(store.current_generation(index_dir))
    digests, passages = manifest["digests"], manifest["passages"]
    del manifest
    click.echo(
        f"Serving {digests} digests ({passages} passages) on http://{host}:{port}/ (Ctrl-C to stop)"
    )
    config = {"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)}
    on_ready = (lambda: start_watcher(corpus, index_dir)) if watch else None
    server.serve(config, host, port, workers or server.default_workers(), threads, on_ready)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
