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
                f"There is no index in {index_dir} and no corpus folder at {corpus}: "
                "give one with --corpus DIR."
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


@cli.group("users")
def users() -> None:
    """Staff accounts: each person signs in with their own name and password."""


def _store(index_dir: Path):
    from .accounts import StaffStore

    database = os.environ.get(auth.STAFF_VARIABLE)
    return StaffStore(Path(database)) if database else StaffStore.beside(index_dir.resolve())


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return click.get_text_stream("stdin").readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _account_change(change, done: str) -> None:
    from .accounts import AccountError

    try:
        change()
    except AccountError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(done)


_stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)


@users.command("add")
@click.argument("name")
@_stdin_option
@index_option
def users_add(name: str, password_stdin: bool, index_dir: Path) -> None:
    """Give NAME an account (asks for a password of at least 10 characters)."""
    store = _store(index_dir)
    _account_change(lambda: store.add(name, _password(password_stdin)), f"{name} can sign in.")


@users.command("password")
@click.argument("name")
@_stdin_option
@index_option
def users_password(name: str, password_stdin: bool, index_dir: Path) -> None:
    """Set NAME's password; every session of theirs ends."""
    store = _store(index_dir)
    _account_change(lambda: store.set_password(name, _password(password_stdin)),
                    f"{name}'s password is changed; their sessions have ended.")  # fmt: skip


@users.command("remove")
@click.argument("name")
@index_option
def users_remove(name: str, index_dir: Path) -> None:
    """Remove NAME's account; every session of theirs ends at once."""
    store = _store(index_dir)
    _account_change(lambda: store.remove(name), f"{name} can no longer sign in.")


@users.command("list")
@index_option
def users_list(index_dir: Path) -> None:
    """The names that can sign in."""
    for name in _store(index_dir).names():
        click.echo(name)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
