"""Search the live index: one function builds the plain dict that the CLI, page and API show."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq

from . import store
from .highlight import Highlighter
from .query import ParsedQuery, QueryError, parse
from .ranking import DEFAULT_WEIGHTS, Compiler, Weights, filter_query, is_stem, weighting

log = logging.getLogger(__name__)

FEW_HITS = 2  # a word found in this many passages or fewer is also matched with typos
MAX_CORRECTIONS = 5
SHORT_QUERY = 4  # words; longer queries get typo tolerance only for words found nowhere
_FIELDS = ("content",)

__all__ = ["QueryError", "SearchIndex"]


def max_edits(word: str) -> int:
    """Edit distance allowed for a word of this length: none for short words, up to 2."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass
class _Run:
    parsed: ParsedQuery
    fuzzy: dict
    suggestion: str | None
    results: object
    query: object
    filter: object


@dataclass
class _Generation:
    name: str
    index: object
    manifest: dict


class SearchIndex:
    """The live index for reading: searchers reused per thread, reopened on a new generation."""

    def __init__(self, index_dir: Path, weights: Weights = DEFAULT_WEIGHTS):
        self.index_dir = Path(index_dir)
        self.weights = weights
        self._lock = threading.Lock()
        self._generation: _Generation | None = None
        self._local = threading.local()

    def generation(self) -> _Generation:
        """The live generation, opened once and reopened when CURRENT names another."""
        path = store.current_generation(self.index_dir)
        current = self._generation
        if current is not None and current.name == path.name:
            return current
        with self._lock:
            if self._generation is None or self._generation.name != path.name:
                ix = whoosh_index.open_dir(str(path))
                self._generation = _Generation(path.name, ix, store.read_manifest(path))
                log.info("reading index generation %s", path.name)
            return self._generation

    def searcher(self):
        """This thread's searcher over the live generation."""
        generation = self.generation()
        cached = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] == generation.name:
            return cached[1]
        if cached is not None:
            cached[1].close()
        searcher = generation.index.searcher(weighting=weighting(self.weights))
        self._local.searcher = (generation.name, searcher)
        return searcher

    def close(self) -> None:
        cached = getattr(self._local, "searcher", None)
        if cached is not None:
            cached[1].close()
            self._local.searcher = None

    def search(
        self,
        q: str,
        *,
        limit: int = 10,
        page: int = 1,
        passages: bool = False,
        filters: dict | None = None,
    ) -> dict:
        """Ranked results for q; without passages, the best passage of each digest."""
        started = time.perf_counter()
        run = self._run(q, limit * page, passages, filters)
        counts = {} if passages else self._passages_per_digest(run)
        highlighter = Highlighter(run.parsed, run.fuzzy)
        page_hits = run.results[(page - 1) * limit : page * limit]
        return {
            "query": q,
            "total": len(counts) if not passages else len(run.results),
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
            "suggestion": run.suggestion,
            "results": [self._result(hit, highlighter, counts) for hit in page_hits],
        }

    def rank(self, q: str, limit: int = 100) -> list[tuple[str, float]]:
        """(doc_id, score) of the top digests, each scored by its best passage (for evaluation)."""
        run = self._run(q, limit, passages=False, filters=None)
        return [(hit["doc_id"], hit.score) for hit in run.results[:limit]]

    def _run(self, q: str, depth: int, passages: bool, filters: dict | None):
        """Parse, correct, compile and execute q, keeping what results and snippets need."""
        parsed = parse(q)
        parsed.filters.update({k: v for k, v in (filters or {}).items() if v})
        searcher = self.searcher()
        fuzzy, suggestion = self._corrections(searcher, parsed, q)
        wquery = Compiler(self.weights, fuzzy).compile(parsed)
        wfilter = filter_query(parsed.filters)
        collapse = None if passages else "doc_id"
        results = searcher.search(wquery, filter=wfilter, limit=depth, collapse=collapse)
        return _Run(parsed, fuzzy, suggestion, results, wquery, wfilter)

    def _passages_per_digest(self, run: _Run) -> Counter:
        """How many passages of each digest match (an unscored pass over the matches)."""
        searcher = run.results.searcher
        matching = run.query if run.filter is None else wq.And([run.query, run.filter])
        doc_ids = searcher.reader().column_reader("doc_id")
        return Counter(doc_ids[docnum] for docnum in searcher.docs_for_query(matching))

    @staticmethod
    def _result(hit, highlighter: Highlighter, counts: dict) -> dict:
        fields = hit.fields()
        doc_id = fields["doc_id"]
        return {
            "doc_id": doc_id,
            "passage_id": fields["passage_id"],
            "title": fields.get("title", ""),
            "heading": fields.get("heading", ""),
            "date": fields.get("date"),
            "lang": fields.get("lang"),
            "score": round(hit.score, 4),
            "text": fields.get("text", ""),
            "snippet": highlighter.snippet(fields.get("text", "")),
            "url": f"/doc/{doc_id}#{fields['passage_id']}",
            "more_in_doc": max(counts.get(doc_id, 1) - 1, 0),
        }

    def _corrections(self, searcher, parsed: ParsedQuery, q: str) -> tuple[dict, str | None]:
        """Close index words for rare query words, and a corrected query when one finds more."""
        fuzzy: dict[str, list[str]] = {}
        suggestion = q
        terms = parsed.terms()
        # In a long query a rare word is most likely a real rare word, not a typo.
        few = FEW_HITS if len(terms) <= SHORT_QUERY else 0
        for term in terms:
            edits = max_edits(term.exact)
            if term.prefix or not edits:
                continue
            found = _doc_frequency(searcher, term.exact)
            if found > few:
                continue
            close = _close_words(searcher, term.exact, edits)
            if close:
                fuzzy[term.exact] = [word for word, _ in close]
                best, best_count = close[0]
                if best_count > found and term.raw:
                    suggestion = suggestion.replace(term.raw, _same_case(best, term.raw), 1)
        return fuzzy, (suggestion if suggestion != q else None)

    def document(self, doc_id: str) -> dict | None:
        """A digest's metadata and its passages in reading order, or None."""
        entry = self.generation().manifest["docs"].get(doc_id)
        if entry is None:
            return None
        stored = sorted(self.searcher().documents(doc_id=doc_id), key=lambda f: f["position"])
        keys = ("passage_id", "kind", "heading", "text", "lang", "position")
        return {
            "doc_id": doc_id,
            **{k: entry.get(k) for k in ("title", "date", "url", "lang")},
            "passages": [{k: fields.get(k) for k in keys} for fields in stored],
        }

    def digests(self) -> list[dict]:
        """Every digest with its passage count, newest first."""
        docs = self.generation().manifest["docs"]
        listed = [
            {
                "doc_id": doc_id,
                **{k: e.get(k) for k in ("title", "date", "lang", "url", "passages")},
            }
            for doc_id, e in docs.items()
        ]
        return sorted(listed, key=lambda d: (d["date"] or "", d["doc_id"]), reverse=True)

    def health(self) -> dict:
        generation = self.generation()
        manifest = generation.manifest
        return {
            "status": "ok",
            "generation": generation.name,
            "digests": manifest["digests"],
            "passages": manifest["passages"],
            "updated": manifest["updated"],
        }


def _doc_frequency(searcher, exact: str) -> int:
    return max(searcher.doc_frequency(name, exact) for name in _FIELDS)


def _close_words(searcher, exact: str, edits: int) -> list[tuple[str, int]]:
    """Index words within `edits` of exact (same first letter), most frequent first."""
    reader = searcher.reader()
    candidates = set()
    for name in _FIELDS:
        candidates.update(
            word
            for word in reader.terms_within(name, exact, edits, prefix=1)
            if word != exact and not is_stem(word)
        )
    ranked = sorted(
        ((w, _doc_frequency(searcher, w)) for w in candidates), key=lambda x: (-x[1], x[0])
    )
    return ranked[:MAX_CORRECTIONS]


def _same_case(word: str, like: str) -> str:
    """Spell a correction the way the user typed the original (Zhejang -> Zhejiang)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
