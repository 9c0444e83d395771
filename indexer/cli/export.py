"""`digest-search export`: a search's passages or a partner's mentions as CSV, XLSX or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from indexer.cli import cli, index_option, open_index
from indexer.locale import ENGLISH
from indexer.report import csv_bytes, json_bytes, partner_rows, search_rows, xlsx_bytes
from indexer.search import QueryError, SearchIndex, parse_date_bound


@cli.command("export")
@click.argument("query", required=False, default="")
@index_option
@click.option("--format", "kind", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
              show_default=True)  # fmt: skip
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")  # fmt: skip
@click.option("--base-url", default="", help="Make the links absolute: https://search.example")
@click.option("--lang", default="", help="Only passages in this language (en, ru…).")
@click.option("--from", "date_from", default="", help="Digests dated on or after (2023, 2023-06).")
@click.option("--to", "date_to", default="", help="Digests dated on or before.")
@click.option("--doc", default="", help="Only this digest.")
@click.option("--partner", default="", help="Only passages mentioning this partner (its id); "
              "alone, every mention of it.")  # fmt: skip
def export_command(query: str, index_dir: Path, kind: str, output: Path | None,
                   base_url: str, lang: str, date_from: str, date_to: str, doc: str,
                   partner: str) -> None:  # fmt: skip
    """Every passage matching QUERY, or every mention of --partner, as CSV, XLSX or JSON
    (the columns of the web exports)."""
    if kind == "xlsx" and output is None and sys.stdout.isatty():
        raise click.UsageError("An XLSX file is not for a terminal: give --output FILE.")
    table = _export_table(open_index(index_dir), query, partner, base_url.rstrip("/"),
                          {"lang": lang, "from": date_from, "to": date_to, "doc": doc})  # fmt: skip
    data = {"csv": csv_bytes, "xlsx": xlsx_bytes, "json": json_bytes}[kind](table)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"Wrote {ENGLISH('passages_count', n=len(table.rows))} to {output}.")
    if table.cut:
        click.echo(f"{table.note()}; narrow the query or the dates to export the rest.", err=True)


def _export_table(index: SearchIndex, query: str, partner: str, base_url: str, narrow: dict):
    """The rows of a search, or every mention of a partner when no query is given."""
    if not query and not partner:
        raise click.UsageError("Give a QUERY, or --partner ID for every mention of a partner.")
    if not query and any(narrow.values()):
        raise click.UsageError("--lang, --from, --to and --doc narrow a QUERY: give one.")
    if not query:
        table = partner_rows(index, partner, base_url)
        if table is None:
            raise click.UsageError(f"There is no partner {partner!r}.")
        return table
    try:
        filters = {**narrow, "partner": partner,
                   "from": parse_date_bound(narrow["from"], end=False),
                   "to": parse_date_bound(narrow["to"], end=True)}  # fmt: skip
        return search_rows(index, query, filters, base_url)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None
