"""Search the live index: one function builds the plain dict that the CLI, page and API show."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import collectors
from whoosh.filedb.filestore import FileStorage

from . import store
from .aliases import PartnerNames
from .budget import Deadline, check_prefixes, too_slow
from .count import total_matches
from .digestrank import DigestRanker
from .directory import read_directory
from .highlight import Highlighter
from .query import ParsedQuery, QueryError, parse
from .ranking import DEFAULT_WEIGHTS, Compiler, Weights, filter_query, union, weighting
from .spelling import corrections, doc_frequency

log = logging.getLogger(__name__)

ALIAS = 0.9  # another name of the partner a query names counts almost as much as the one typed
COMMON_SHARE = 0.05  # a word in more passages than this share is not scored alone

__all__ = ["QueryError", "SearchIndex"]


@dataclass
class _Run:
    """One executed query: what results, counts and snippets are built from."""

    parsed: ParsedQuery
    fuzzy: dict
    suggestion: str | None
    searcher: object
    query: object
    filter: object
    passages: list = field(default_factory=list)  # (score, docnum) of every match, best first
    digests: list = field(default_factory=list)  # the best (score, docnum) of each digest
    per_digest: Counter = field(default_factory=Counter)  # matching passages per digest number
    owner: list | None = None  # passage number -> digest number (grouped results)
    total: int = 0  # matching passages
    doc_ids: object = None  # docnum -> doc_id (grouped runs)
    highlighter: Highlighter | None = None  # what the query itself matches
    aliases: list = field(default_factory=list)  # (Phrase, Highlighter) per other partner name
    snippets: Highlighter | None = None  # the query and every other partner name
    partners: PartnerNames | None = None  # the partner directory of the searcher's generation


@dataclass
class _Generation:
    name: str
    index: object
    manifest: dict
    partners: PartnerNames
    listing: list[dict] | None = None  # every digest, newest first, made on first use


class SearchIndex:
    """The live index for reading: searchers reused per thread, reopened on a new generation."""

    def __init__(self, index_dir: Path, weights: Weights = DEFAULT_WEIGHTS):
        self.index_dir = Path(index_dir)
        self.weights = weights
        self._lock = threading.Lock()
        self._generation: _Generation | None = None
        self._local = threading.local()
        self._open: list = []  # every searcher handed out, to close them all
        self._digests = DigestRanker(weights)

    def generation(self) -> _Generation:
        """The live generation, opened once and reopened when CURRENT names another."""
        path = store.current_generation(self.index_dir)
        current = self._generation
        if current is not None and current.name == path.name:
            return current
        with self._lock:
            if self._generation is None or self._generation.name != path.name:
                # Read through file handles, not mmap: every thread's searcher mapping the
                # files again counted each mapping in the server's memory (3 GB measured).
                ix = FileStorage(str(path), supports_mmap=False).open_index()
                partners = PartnerNames(read_directory(path))
                self._generation = _Generation(path.name, ix, store.read_manifest(path), partners)
                log.info("reading index generation %s", path.name)
            return self._generation

    def searcher(self):
        """This thread's searcher over the live generation."""
        return self._generation_searcher()[1]

    def _generation_searcher(self) -> tuple[_Generation, object]:
        """The live generation and this thread's searcher over it."""
        generation = self.generation()
        cached = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] == generation.name:
            return generation, cached[1]
        searcher = generation.index.searcher(weighting=weighting(self.weights))
        with self._lock:
            if cached is not None:
                cached[1].close()
                self._open.remove(cached[1])
            self._open.append(searcher)
        self._local.searcher = (generation.name, searcher)
        return generation, searcher

    def close(self) -> None:
        """Close every thread's searcher (their files stay open until then)."""
        with self._lock:
            for searcher in self._open:
                searcher.close()
            self._open.clear()
        self._local = threading.local()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(
        self,
        q: str,
        *,
        limit: int = 10,
        page: int = 1,
        passages: bool = False,
        filters: dict | None = None,
        facet: bool = False,
    ) -> dict:
        """Ranked results for q; without passages, the best passage of each digest.

        With facet, also "partners": [(partner, matching passages)] for the search page."""
        started = time.perf_counter()
        run = self._run(q, filters, depth=page * limit if passages else None)
        ranked = run.passages if passages else run.digests
        result = {
            "query": q,
            "total": run.total if passages else len(ranked),
            "took_ms": 0.0,
            "suggestion": run.suggestion,
            "results": [
                self._result(run, hit, passages)
                for hit in ranked[(page - 1) * limit : page * limit]
            ],
        }
        if facet:
            passage_ids = run.searcher.reader().column_reader("passage_id")
            matching = (passage_ids[docnum] for _, docnum in run.passages)  # all when grouped
            result["partners"] = run.partners.facet(matching)
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return result

    def rank(self, q: str, limit: int = 100) -> list[tuple[str, float]]:
        """(doc_id, score) of the top digests, ranked as grouped results are (for evaluation)."""
        run = self._run(q, filters=None)
        return [(run.doc_ids[docnum], score) for score, docnum in run.digests[:limit]]

    def _run(self, q: str, filters: dict | None, depth: int | None = None) -> _Run:
        """Parse, correct, compile and execute q: the top `depth` passages, or (without depth)
        every match, grouped by digest."""
        parsed = parse(q)
        parsed.filters.update({k: v for k, v in (filters or {}).items() if v})
        generation, searcher = self._generation_searcher()
        check_prefixes(searcher, parsed)
        fuzzy, suggestion = corrections(searcher, parsed, q)
        partners = generation.partners  # the searcher's own, even while the index switches
        aliases = partners.expansions(parsed, q)
        compiler = Compiler(self.weights, fuzzy, _common_words(searcher, parsed))
        wquery = union([compiler.compile(parsed)] + [compiler.phrase(p, 1, ALIAS) for p in aliases])
        if parsed.filters.get("partner"):
            parsed.filters["passages"] = partners.passage_ids(parsed.filters["partner"])
            if parsed.filters["passages"] is None:
                raise QueryError(f"There is no partner {parsed.filters['partner']!r}.")
        run = _Run(parsed, fuzzy, suggestion, searcher, wquery, filter_query(parsed.filters))
        run.partners = partners
        run.highlighter = Highlighter(parsed, fuzzy)
        run.aliases = [(p, Highlighter.of_phrases([p])) for p in aliases]
        run.snippets = Highlighter.combined(run.highlighter, [h for _, h in run.aliases])
        # Whoosh's own collapse is not used: combined with a filter it returns duplicates.
        collector = _collector(searcher, depth, run.filter)
        try:
            searcher.search_with_collector(run.query, collector)
        except collectors.TimeLimit:
            raise too_slow() from None
        results = collector.results()
        run.passages = list(results.top_n)
        run.total = (
            len(results) if depth is None else total_matches(searcher, run.query, run.filter)
        )
        if depth is not None:
            return run
        run.doc_ids = searcher.reader().column_reader("doc_id")  # for rank(): grouped runs only
        lengths = self._digests.lengths(generation.name, searcher.reader())
        run.owner = lengths.owner
        best: dict[int, tuple[float, int]] = {}
        for score, docnum in run.passages:
            digest = run.owner[docnum]
            best.setdefault(digest, (score, docnum))
            run.per_digest[digest] += 1
        clauses = [c for term in parsed.terms() for c in compiler.alternatives(term)]
        run.digests = self._digests.rank(lengths, searcher.reader(), clauses, list(best.values()))
        return run

    @staticmethod
    def _result(run: _Run, hit: tuple, passages: bool) -> dict:
        score, docnum = hit
        fields = run.searcher.stored_fields(docnum)
        doc_id = fields["doc_id"]
        text = fields.get("text", "")
        # Found only through another name of a partner: say which ("matched as ZTU").
        matched_as = None
        shown = text + "\n" + fields.get("heading", "")
        if run.aliases and not run.highlighter.has_match(shown):
            found = (p for p, h in run.aliases if h.has_match(shown))
            matched_as = next((p.terms[0].raw for p in found), None)
        return {
            "doc_id": doc_id,
            "passage_id": fields["passage_id"],
            "title": fields.get("title", ""),
            "heading": fields.get("heading", ""),
            "date": fields.get("date"),
            "lang": fields.get("lang"),
            "score": round(score, 4),
            "text": text,
            "snippet": run.snippets.snippet(text),
            "url": f"/doc/{doc_id}#{fields['passage_id']}",
            "more_in_doc": 0 if passages else run.per_digest[run.owner[docnum]] - 1,
            "matched_as": matched_as,
        }

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

    def passages(self, passage_ids: list[str]) -> dict[str, dict]:
        """Title, heading and text of some passages, by id."""
        searcher = self.searcher()
        found = {}
        for passage_id in passage_ids:
            fields = searcher.document(passage_id=passage_id)
            if fields:
                found[passage_id] = {k: fields.get(k) for k in ("title", "heading", "text")}
        return found

    def digests(self, contains: str = "", limit: int | None = None) -> tuple[int, list[dict]]:
        """Digests whose title or id contains a text (all for ""), newest first: how many,
        and the first `limit` of them."""
        generation = self.generation()
        if generation.listing is None:  # once per generation, not per page
            docs = generation.manifest["docs"]
            keys = ("title", "date", "lang", "url", "passages")
            listed = [{"doc_id": i, **{k: e.get(k) for k in keys}} for i, e in docs.items()]
            generation.listing = sorted(
                listed, key=lambda d: (d["date"] or "", d["doc_id"]), reverse=True
            )
        needle = contains.casefold().strip()
        found = [
            d for d in generation.listing
            if not needle or needle in d["doc_id"] or needle in d["title"].casefold()
        ]  # fmt: skip
        return len(found), found[:limit]

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


def _collector(searcher, depth: int | None, only):
    """A collector of the top `depth` matches, or of every match (depth None)."""
    if depth is None or depth >= searcher.doc_count():
        top = collectors.UnlimitedCollector()
    else:
        # Pruned to the heap's lowest score: the right top N, but a wrong count (below).
        top = collectors.TopCollector(depth)
    top = Deadline(top)
    return top if only is None else collectors.FilterCollector(top, only)


def _common_words(searcher, parsed: ParsedQuery) -> frozenset[str]:
    """Query words found in more than COMMON_SHARE of all passages."""
    limit = COMMON_SHARE * searcher.doc_count()
    return frozenset(t.exact for t in parsed.terms() if doc_frequency(searcher, t.exact) > limit)
