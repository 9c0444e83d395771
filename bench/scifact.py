"""SciFact ranking benchmark: index the BEIR corpus through the .jsonl reader, then evaluate.

python bench/scifact.py                      # test split (300 queries), the reported figure
python bench/scifact.py --split train        # the split every parameter was chosen on
python bench/scifact.py --split train --set stem=0.4 --set b=0.6   # try other weights
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import time
from pathlib import Path

import click

from indexer.index.build import update_index
from indexer.search.compile import DEFAULT_WEIGHTS
from indexer.search.engine import SearchIndex
from indexer.search.evaluate import evaluate

ROOT = Path(__file__).resolve().parent.parent
SCIFACT = ROOT.parent / "shared" / "data" / "scifact"
OUT = ROOT / "bench" / "out" / "scifact"


def prepare_index(out: Path) -> Path:
    """Copy the corpus into a folder of its own and bring its index up to date (a link would
    not do: the indexer follows no link out of its corpus)."""
    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    source, copy = SCIFACT / "beir_derived" / "corpus.jsonl", corpus / "scifact.jsonl"
    if copy.is_symlink() or not copy.exists() or copy.stat().st_size != source.stat().st_size:
        copy.unlink(missing_ok=True)
        shutil.copyfile(source, copy)
    summary = update_index(corpus, out / "index")
    click.echo(f"index: {summary.line()}", err=True)
    return out / "index"


@click.command()
@click.option("--split", type=click.Choice(["test", "train"]), default="test", show_default=True)
@click.option("--set", "overrides", multiple=True, help="A ranking weight, name=value.")
@click.option("--out", type=click.Path(path_type=Path), default=OUT, show_default=True)
def main(split: str, overrides: tuple[str, ...], out: Path) -> None:
    """Print nDCG@10, MAP@100, Recall@100 and MRR@10 on SciFact as JSON."""
    if not SCIFACT.exists():
        click.echo(f"skipped: {SCIFACT} is absent (the shared evaluation data)", err=True)
        sys.exit(0)
    changes = {name: float(value) for name, _, value in (o.partition("=") for o in overrides)}
    weights = dataclasses.replace(DEFAULT_WEIGHTS, **changes)
    index = SearchIndex(prepare_index(out), weights)
    started = time.monotonic()
    scores = evaluate(
        index,
        SCIFACT / "beir_derived" / "queries.jsonl",
        SCIFACT / "beir" / "qrels" / f"{split}.tsv",
    )
    scores |= {"split": split, "weights": changes, "seconds": round(time.monotonic() - started)}
    click.echo(json.dumps(scores))


if __name__ == "__main__":
    main()
