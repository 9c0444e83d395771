"""Search the live index: generations opened once, a searcher per thread, typed results."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.index import store
from indexer.index.manifest import Manifest
from indexer.partners.aliases import PartnerNames
from indexer.partners.directory import read_directory
from indexer.search.budget import budgeted, check_time
from indexer.search.cache import MAX_RESULTS, ResultCache, cache_key
from indexer.search.compile import DEFAULT_WEIGHTS, Weights, weighting
from indexer.search.digestrank import DigestRanker
from indexer.search.execute import CompiledQuery, compile_query, grouped, top_passages
from indexer.search.highlight import Highlighter
from indexer.search.query import QueryError
from indexer.search.results import DigestHit, PassageHit, SearchResult
from indexer.whoosh_ext import open_index

log = logging.getLogger(__name__)


def _years(searcher, manifest: Manifest, ranked: list) -> dict[str, int]:
    """How many of the matching digests each year holds (the search page's histogram)."""
    doc_ids = searcher.reader().column_reader("doc_id")
    docs = {doc_ids[docnum] for _, docnum in ranked}
    years = Counter(
        entry.date[:4] for d in docs if (entry := manifest.docs.get(d)) is not None and entry.date
    )
    return dict(sorted(years.items()))


def _named(partner: dict) -> dict:
    return {"slug": partner["slug"], "name": partner["name"]}


@dataclass
class _Generation:
    name: str
    index: object
    manifest: Manifest
    partners: PartnerNames
    listing: list[dict] | None = None  # every digest, newest first, made on first use
    results: ResultCache = field(default_factory=ResultCache)  # its recent searches


class SearchIndex:
    """The live index for reading: searchers reused per thread, reopened on a new generation."""

    def __init__(self, index_dir: Path, weights: Weights = DEFAULT_WEIGHTS,
                 cached: int = MAX_RESULTS):  # fmt: skip
        self.index_dir = Path(index_dir)
        self.weights = weights
        self.cached = cached  # recent results kept per generation (0: score every search)
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
                ix = open_index(path)
                partners = PartnerNames(read_directory(path))
                self._generation = _Generation(path.name, ix, store.read_manifest(path), partners,
                                               results=ResultCache(self.cached))  # fmt: skip
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
    ) -> SearchResult:
        """Ranked results for q; without passages, the best passage of each digest.

        With facet, also the partners mentioned in the matching passages (the search page).
        The whole of it runs within the query budget (budget.SEARCH_SECONDS)."""
        with budgeted():
            return self._search(q, limit, page, passages, filters, facet)

    def _search(self, q, limit, page, passages, filters, facet) -> SearchResult:
        started = time.perf_counter()
        generation, searcher = self._generation_searcher()
        key = cache_key(q, limit, page, passages, filters, facet)
        kept = generation.results.get(key) if key is not None else None
        if kept is not None:  # the same search of the same generation: the same result
            return replace(kept, took_ms=round((time.perf_counter() - started) * 1000, 1))
        query = compile_query(q, filters, searcher, generation.partners, self.weights)
        check_time()
        window = slice((page - 1) * limit, page * limit)
        if passages:
            ranked, total, holding = top_passages(searcher, query, page * limit)
            hits = [self._hit(searcher, query, hit, hit[1] in holding) for hit in ranked[window]]
        else:
            found = grouped(searcher, query, self._digests, generation.name)
            ranked, total = found.passages, len(found.digests)
            hits = [
                self._hit(searcher, query, hit, found.owner[hit[1]] in found.named,
                          found.per_digest[found.owner[hit[1]]] - 1)
                for hit in found.digests[window]
            ]  # fmt: skip
        result = SearchResult(q, total, 0.0, query.suggestion, hits)
        if query.linked.partner is not None:
            result.partner = _named(query.linked.partner)
        result.partner_choices = [_named(p) for p in query.linked.choices]
        check_time()
        if facet:
            passage_ids = searcher.reader().column_reader("passage_id")
            result.partners = generation.partners.facet(passage_ids[n] for _, n in ranked)
            result.years = _years(searcher, generation.manifest, ranked)
        result.took_ms = round((time.perf_counter() - started) * 1000, 1)
        if key is not None:
            generation.results.put(key, result)
        return result

    def rank(self, q: str, limit: int = 100) -> list[tuple[str, float]]:
        """(doc_id, score) of the top digests, ranked as grouped results are (for evaluation)."""
        generation, searcher = self._generation_searcher()
        query = compile_query(q, None, searcher, generation.partners, self.weights)
        doc_ids = searcher.reader().column_reader("doc_id")
        found = grouped(searcher, query, self._digests, generation.name)
        return [(doc_ids[docnum], score) for score, docnum in found.digests[:limit]]

    def marks(self, q: str, link: str = "") -> Highlighter | None:
        """What the document view marks for the query a reader came from: what its results'
        snippets mark (a name whole, with its aliases); None for an empty or unusable query."""
        if not q.strip():
            return None
        generation, searcher = self._generation_searcher()
        try:
            filters = {"link": link}
            return compile_query(q, filters, searcher, generation.partners, self.weights).marks
        except QueryError:
            return None

    @staticmethod
    def _hit(searcher, query: CompiledQuery, hit: tuple, whole: bool,
             more: int | None = None) -> PassageHit:  # fmt: skip
        """A match as a typed hit; with `more` (grouped results), a digest hit. whole: it
        holds the whole name of a name query."""
        check_time()  # per hit: an export's thousands of snippets count against the budget
        score, docnum = hit
        fields = searcher.stored_fields(docnum)
        text, heading = fields.get("text", ""), fields.get("heading", "")
        snippet = query.marks.snippet(text)
        # The heading is shown marked when the passage matched through it alone.
        marked_heading = query.marks.full(heading) if heading and not snippet.spans else None
        shown = dict(
            doc_id=fields["doc_id"], passage_id=fields["passage_id"],
            title=fields.get("title", ""), heading=heading, date=fields.get("date"),
            lang=fields.get("lang"), score=round(score, 4), text=text,
            snippet=snippet, matched_as=query.matched_as(text + "\n" + heading),
            heading_marked=marked_heading if marked_heading and marked_heading.spans else None,
            match=None if query.name is None else ("name" if whole else "partial"),
        )  # fmt: skip
        return PassageHit(**shown) if more is None else DigestHit(**shown, other_passages=more)

    def document(self, doc_id: str) -> dict | None:
        """A digest's metadata and its passages in reading order, or None."""
        entry = self.generation().manifest.docs.get(doc_id)
        if entry is None:
            return None
        stored = sorted(self.searcher().documents(doc_id=doc_id), key=lambda f: f["position"])
        keys = ("passage_id", "kind", "heading", "text", "lang", "position")
        return {
            "doc_id": doc_id,
            **{k: getattr(entry, k) for k in ("title", "date", "url", "lang")},
            "ocr": entry.ocr,
            "partly_unreadable": entry.partly_unreadable,
            "passages": [{k: fields.get(k) for k in keys} for fields in stored],
        }

    def passages(self, passage_ids: list[str]) -> dict[str, dict]:
        """Title, heading, text and language of some passages, by id."""
        searcher = self.searcher()
        found = {}
        for passage_id in passage_ids:
            fields = searcher.document(passage_id=passage_id)
            if fields:
                found[passage_id] = {k: fields.get(k) for k in ("title", "heading", "text", "lang")}
        return found

    def digests(self, contains: str = "", limit: int | None = None) -> tuple[int, list[dict]]:
        """Digests whose title or id contains a text (all for ""), newest first: how many,
        and the first `limit` of them."""
        generation = self.generation()
        if generation.listing is None:  # once per generation, not per page
            docs = generation.manifest.docs
            keys = ("title", "date", "lang", "url", "passages")
            listed = [{"doc_id": i, **{k: getattr(e, k) for k in keys}} for i, e in docs.items()]
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
            "digests": manifest.digests,
            "passages": manifest.passages,
            "updated": manifest.updated,
            "partners_error": generation.partners.error,  # a broken partners.toml, or None
        }
