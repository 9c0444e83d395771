"""Evaluate ranking against relevance judgments (TREC or BEIR), doc-level, with ir-measures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import ir_measures
from ir_measures import AP, RR, R, nDCG

from indexer.search.engine import SearchIndex
from indexer.search.query import QueryError

MEASURES = {"nDCG@10": nDCG @ 10, "MAP@100": AP @ 100, "Recall@100": R @ 100, "MRR@10": RR @ 10}
DEPTH = 100


def load_queries(path: Path) -> dict[str, str]:
    """Queries from BEIR `queries.jsonl` ({"_id", "text"}) or TSV `id<TAB>text`."""
    queries = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            if path.suffix in (".jsonl", ".json"):
                record = json.loads(line)
                queries[str(record["_id"])] = record["text"]
            else:
                qid, _, text = line.rstrip("\n").partition("\t")
                queries[qid] = text
    return queries


def load_qrels(path: Path) -> list[ir_measures.Qrel]:
    """Judgments from BEIR TSV (query-id, corpus-id, score; header) or TREC (qid 0 docid rel)."""
    qrels = []
    with open(path, encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            fields = row if len(row) > 1 else (row[0].split() if row else [])
            if len(fields) == 4:
                fields = [fields[0], fields[2], fields[3]]
            if len(fields) != 3 or not fields[2].lstrip("-").isdigit():
                continue  # a header or a blank line
            qrels.append(ir_measures.Qrel(fields[0], fields[1], int(fields[2])))
    return qrels


def run_queries(index: SearchIndex, queries: dict[str, str]) -> list[ir_measures.ScoredDoc]:
    """Each query's top digests (each scored by its best passage)."""
    run = []
    for qid, text in queries.items():
        try:
            ranked = index.rank(text, limit=DEPTH)
        except QueryError:
            continue
        run += [ir_measures.ScoredDoc(qid, doc_id, score) for doc_id, score in ranked]
    return run


def evaluate(index: SearchIndex, queries_path: Path, qrels_path: Path) -> dict:
    """Scores of the judged queries: {"queries": n, "nDCG@10": ..., ...}."""
    qrels = load_qrels(qrels_path)
    judged = {q.query_id for q in qrels}
    queries = {qid: text for qid, text in load_queries(queries_path).items() if qid in judged}
    scores = ir_measures.calc_aggregate(MEASURES.values(), qrels, run_queries(index, queries))
    return {"queries": len(queries)} | {
        name: round(scores[measure], 4) for name, measure in MEASURES.items()
    }
