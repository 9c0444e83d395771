"""The `digest-search` commands that work on the index: index, search, evaluate, watch,
partners and export (in export.py)."""

from __future__ import annotations

import json
import logging
import os
import shlex
import sys
from pathlib import Path

import click

from indexer import (
    IndexBusy,
    NoIndex,
    QueryError,
    SearchIndex,
    SearchResult,
    looser,
    update_index,
)
from indexer.index import corpus_files
from indexer.locale import ENGLISH

log = logging.getLogger(__name__)

EXIT_SKIPPED = 3


def default_corpus() -> Path:
    return Path(os.environ.get("DIGEST_SEARCH_CORPUS", "corpus"))


def default_index() -> Path:
    return Path(os.environ.get("DIGEST_SEARCH_INDEX", "var/index"))


corpus_option = click.option(
    "--corpus", type=click.Path(path_type=Path), default=default_corpus,
    help="Folder of digests [env DIGEST_SEARCH_CORPUS; default ./corpus].",
)  # fmt: skip
index_option = click.option(
    "--index", "index_dir", type=click.Path(path_type=Path), default=default_index,
    help="Index folder [env DIGEST_SEARCH_INDEX; default ./var/index].",
)  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log progress and details to stderr.")
def cli(verbose: bool) -> None:
    """Search the news digests of SPbPU's international office."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@cli.command("index")
@corpus_option
@index_option
@click.option("--rebuild", is_flag=True, help="Build a fresh index aside and switch to it.")
@click.option(
    "--wait", default=10.0, show_default=True, help="Seconds to wait for another indexer."
)
def index_command(corpus: Path, index_dir: Path, rebuild: bool, wait: float) -> None:
    """Index new and changed digests; remove deleted ones."""
    if not corpus.is_dir():
        raise click.UsageError(
            f"There is no corpus folder at {corpus.resolve()}: give it with --corpus DIR "
            "or the DIGEST_SEARCH_CORPUS variable."
        )
    summary = run_index(corpus, index_dir, rebuild=rebuild, wait=wait)
    click.echo(summary.line())
    for skipped in summary.skipped:
        click.echo(f"skipped {skipped.source}: {skipped.reason}", err=True)
    sys.exit(EXIT_SKIPPED if summary.skipped else 0)


def run_index(corpus: Path, index_dir: Path, *, rebuild: bool = False, wait: float = 10.0):
    """Update the index, with a progress bar on a terminal; a busy index is a clean exit."""
    try:
        if not sys.stderr.isatty():
            return update_index(corpus, index_dir, rebuild=rebuild, wait_seconds=wait)
        total = len(corpus_files(corpus))
        with click.progressbar(length=total, label="Reading digests", file=sys.stderr) as bar:
            return update_index(
                corpus, index_dir, rebuild=rebuild, wait_seconds=wait, progress=bar.update
            )
    except IndexBusy as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:  # a full disk, a read-only folder: the live generation is untouched
        log.debug("index update failed", exc_info=True)
        click.echo(
            f"Error: could not write the index in {index_dir}: {exc.strerror or exc}. "
            "Nothing was changed; the previous index is still live.",
            err=True,
        )
        sys.exit(1)


@cli.command("search")
@click.argument("query", required=False)
@index_option
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--passages", is_flag=True, help="List passages, not the best one per digest.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON contract.")
@click.option("--json-lines", is_flag=True, help="Read one query per line on stdin; JSON out.")
@click.option("--base-url", default="", help="Print absolute links: https://search.example")
@click.option(
    "--link",
    default="",
    metavar="SLUG|none",
    help="Search this partner (its id), or 'none': the words, never a partner.",
)
def search_command(query: str | None, index_dir: Path, limit: int, passages: bool,
                   as_json: bool, json_lines: bool, base_url: str, link: str) -> None:  # fmt: skip
    """Search the index for QUERY (a partner's name in any form searches that partner)."""
    base_url = base_url.rstrip("/")
    if json_lines == (query is not None):
        raise click.UsageError("Give a QUERY, or --json-lines with queries on stdin.")
    index = open_index(index_dir)
    if json_lines:
        for line in sys.stdin:
            if line.strip():
                click.echo(
                    json.dumps(
                        _search_or_error(index, line.strip(), limit, passages, link),
                        ensure_ascii=False,
                    )
                )
        return
    if as_json:
        result = _search_or_error(index, query, limit, passages, link)
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    try:
        result = index.search(query, limit=limit, passages=passages, filters={"link": link})
        _print_results(result, passages, base_url)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None


def open_index(index_dir: Path) -> SearchIndex:
    """The index for reading, or a clear error when none has been built."""
    index = SearchIndex(index_dir)
    click.get_current_context().call_on_close(index.close)
    try:
        index.generation()
    except NoIndex:
        raise click.ClickException(
            f"There is no index in {Path(index_dir).resolve()}: run `digest-search index` "
            "first, or give another with --index DIR or the DIGEST_SEARCH_INDEX variable."
        ) from None
    return index


def _search_or_error(index: SearchIndex, query: str, limit: int, passages: bool,
                     link: str = "") -> dict:  # fmt: skip
    """The JSON contract of a search, or of its error."""
    try:
        filters = {"link": link}
        return index.search(query, limit=limit, passages=passages, filters=filters).to_json()
    except QueryError as exc:
        return {"query": query, "error": {"code": "bad_query", "message": str(exc)}}


def _print_results(result: SearchResult, passages: bool, base_url: str = "") -> None:
    what = "passage" if passages else "digest"
    click.echo(
        f"{result.total} {what}{'' if result.total == 1 else 's'} found in {result.took_ms} ms"
    )
    if result.partner:
        click.echo(f"Results for the partner {result.partner['name']} (--link none: the words)")
    elif result.partner_choices:
        names = " · ".join(f"{p['name']} (--link {p['slug']})" for p in result.partner_choices)
        click.echo(f"These words name more than one partner: {names}")
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    if not result.hits:
        _print_looser(result.query)
    for number, hit in enumerate(result.hits, start=1):
        more = f" (+{hit.more_in_doc} more)" if hit.more_in_doc else ""
        click.echo(f"\n{number}. {hit.title} [{hit.date or 'undated'}]{more}")
        if hit.heading:
            click.echo(f"   § {hit.heading}")
        click.echo(f"   {hit.snippet.plain()}")
        click.echo(f"   {base_url}{hit.url}")


def _print_looser(query: str) -> None:
    """What to try when nothing was found, as the search page offers it."""
    click.echo(f"{ENGLISH('no_results', q=query)} {ENGLISH('no_results_tips')}")
    for other in looser(query):
        click.echo(f"  {other.said}: digest-search search {shlex.quote(other.q)}")


@cli.command("evaluate")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="TSV id<TAB>text, or BEIR queries.jsonl.")  # fmt: skip
@click.option("--qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="TREC qrels, or BEIR qrels TSV.")  # fmt: skip
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate_command(queries: Path, qrels: Path, index_dir: Path, as_json: bool) -> None:
    """Score ranking against relevance judgments (doc-level: each digest's best passage)."""
    from indexer.search.evaluate import evaluate

    scores = evaluate(open_index(index_dir), queries, qrels)
    if as_json:
        click.echo(json.dumps(scores))
    else:
        click.echo("  ".join(f"{name} {value}" for name, value in scores.items()))


@cli.command("watch")
@corpus_option
@index_option
@click.option("--settle", default=1.0, show_default=True, help="Quiet seconds before updating.")
def watch_command(corpus: Path, index_dir: Path, settle: float) -> None:
    """Update the index whenever digests are added, changed or removed (Ctrl-C to stop)."""
    import time

    watcher = start_watcher(corpus, index_dir, settle)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()


def start_watcher(corpus: Path, index_dir: Path, settle: float = 1.0):
    """A running CorpusWatcher that prints each update's summary line."""
    from indexer.index.watch import CorpusWatcher

    watcher = CorpusWatcher(
        corpus, index_dir, settle=settle, on_update=lambda s: click.echo(s.line(), err=True)
    )
    watcher.start()
    click.echo(f"Watching {corpus} (index {index_dir})", err=True)
    return watcher


@cli.command("partners")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the directory as JSON.")
def partners_command(index_dir: Path, as_json: bool) -> None:
    """List the partners with their mentions, digests and first and last mention."""
    partners = open_index(index_dir).generation().partners.summaries()
    if as_json:
        click.echo(json.dumps({"partners": partners}, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'mentions':>8} {'digests':>7}  {'first':10}  {'last':10}  partner (other names)")
    for p in partners:
        aliases = f"  ({', '.join(p['names'])})" if p["names"] else ""
        first, last = p["first"] or "—", p["last"] or "—"
        click.echo(
            f"{p['mentions']:8d} {p['digests']:7d}  {first:10}  {last:10}  {p['name']}{aliases}"
        )


from indexer.cli import export  # noqa: E402, F401  (registers the export command)
