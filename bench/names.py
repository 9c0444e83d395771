"""What names in any script cost and bring, with the figures docs/benchmarks.md records.

    python bench/names.py

1. Search time of the benchmark's 208 queries on its index (`python bench/run.py` builds it),
   four rounds alternating with and without spellings in other scripts (Weights.name_form 0).
2. What indexing the name keys as extra tokens would add instead: the key tokens per word of
   the benchmark corpus (every key, and transliterations of capitalised words only).
3. The seed partner queries over the seeds: hit@1, hit@10 and MRR@10 of passages that hold the
   query, with and without the spellings.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
import corpus as bench_corpus
from indexer import SearchIndex, update_index
from indexer.index import corpus_files
from indexer.index.analysis import words
from indexer.index.nameforms import (
    latin_forms,
    modern_pinyin,
    name_keys,
    organisation_concept,
    pinyin_of_cyrillic,
)
from indexer.ingest import Digest, read
from indexer.search.compile import DEFAULT_WEIGHTS

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
WITHOUT = dataclasses.replace(DEFAULT_WEIGHTS, name_form=0.0)


def timings(index_dir: Path, rounds: int = 4) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of every query, with and without the spellings, rounds alternating."""
    queries = bench_corpus.queries()
    indexes = {"with": SearchIndex(index_dir), "without": SearchIndex(index_dir, WITHOUT)}
    took: dict[str, list[float]] = {name: [] for name in indexes}
    for index in indexes.values():
        for q in queries:  # warm: searchers, word lists, caches
            index.search(q, limit=10, passages=True)
    for n in range(rounds):
        for name in sorted(indexes, reverse=n % 2 == 1):
            for q in queries:
                started = time.perf_counter()
                indexes[name].search(q, limit=10, passages=True)
                took[name].append((time.perf_counter() - started) * 1000)
    return {name: _p50_p95(values) for name, values in took.items()}


def index_keys(corpus: Path) -> dict[str, float]:
    """Extra tokens the name keys would add, as a share of the corpus's words (in %)."""
    counts: Counter = Counter()
    for path in corpus_files(corpus):
        for digest in read(path, corpus):
            if isinstance(digest, Digest):
                for block in digest.blocks:
                    counts.update(block.text[w.start : w.end] for w in words(block.text))
    total = sum(counts.values())
    every = sum(n * (len(name_keys(w)) - 1) for w, n in counts.items())
    capitalised = sum(n * _restricted_keys(w) for w, n in counts.items())
    return {"words": total, "every key": 100 * every / total,
            "translits of capitalised words only": 100 * capitalised / total}  # fmt: skip


def _restricted_keys(word: str) -> int:
    lower = word.lower()
    keys = int(bool(organisation_concept(lower)))
    if re.search(r"[а-яё]", lower):
        keys += int(bool(pinyin_of_cyrillic(lower)))
        keys += len(latin_forms(lower)) if word[:1].isupper() else 0
    else:
        keys += int(bool(modern_pinyin(lower)))
    return keys


def partner_queries() -> dict[str, str]:
    """hit@1, hit@10, MRR@10 over the seeds: relevant are passages that hold the query."""
    index_dir = Path(tempfile.mkdtemp()) / "index"
    update_index(ROOT / "corpus", index_dir)
    found = {}
    for name, weights in (("with", DEFAULT_WEIGHTS), ("without", WITHOUT)):
        index, first, any_hit, rr = SearchIndex(index_dir, weights), 0, 0, 0.0
        for q in bench_corpus.PARTNER_QUERIES:
            hits = index.search(q, passages=True, limit=10).hits
            ranks = [i for i, h in enumerate(hits) if q.lower() in f"{h.text} {h.heading}".lower()]
            first += bool(ranks and ranks[0] == 0)
            any_hit += bool(ranks)
            rr += 1 / (ranks[0] + 1) if ranks else 0.0
        n = len(bench_corpus.PARTNER_QUERIES)
        found[name] = f"hit@1 {first / n:.3f}, hit@10 {any_hit / n:.3f}, MRR@10 {rr / n:.3f}"
    return found


def _p50_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return round(values[len(values) // 2], 2), round(values[int(len(values) * 0.95)], 2)


if __name__ == "__main__":
    index_dir, corpus = OUT / "index-s1", OUT / "corpus-s1"
    if not index_dir.exists():
        sys.exit(f"{index_dir} is absent: run `python bench/run.py` first")
    print("search p50 / p95 (ms):", timings(index_dir))
    print("extra tokens if keys were indexed (% of words):", index_keys(corpus))
    print("seed partner queries:", partner_queries())
