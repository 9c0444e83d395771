"""The `digest-search` console script: the index commands plus `serve`."""

from __future__ import annotations

from pathlib import Path

import click

from indexer import store
from indexer.cli import cli, corpus_option, index_option, run_index, start_watcher


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--watch", is_flag=True, help="Also update the index when the corpus changes.")
@index_option
@corpus_option
def serve(host: str, port: int, threads: int, watch: bool, index_dir: Path, corpus: Path) -> None:
    """Serve the web app with waitress, building the index first when there is none."""
    import waitress

    from . import create_app

    try:
        store.current_generation(index_dir)
    except store.NoIndex:
        if not corpus.is_dir():
            raise click.UsageError(
                f"no index in {index_dir} and no corpus folder {corpus}"
            ) from None
        click.echo(f"No index yet: indexing {corpus} into {index_dir}...")
        click.echo(run_index(corpus, index_dir).line())
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)})
    if watch:
        start_watcher(corpus, index_dir)
    health = app.extensions["search_index"].health()
    click.echo(
        f"Serving {health['digests']} digests ({health['passages']} passages) "
        f"on http://{host}:{port}/ (Ctrl-C to stop)"
    )
    waitress.serve(app, host=host, port=port, threads=threads, ident="digest-search")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
