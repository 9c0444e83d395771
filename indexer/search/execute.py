"""Running one query: parse, correct and compile it, then collect its matches, as the top
passages or as every match grouped into ranked digests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from whoosh import collectors
from whoosh import query as wq

from indexer.index.analysis import words
from indexer.partners.aliases import PartnerNames
from indexer.search.budget import Deadline, check_prefixes, too_slow
from indexer.search.compile import Compiler, Weights, filter_query, union
from indexer.search.count import total_matches
from indexer.search.digestrank import DigestRanker
from indexer.search.highlight import Highlighter
from indexer.search.names import han_names, name_forms
from indexer.search.query import ParsedQuery, QueryError, name_phrase, parse
from indexer.search.spelling import corrections, doc_frequency

ALIAS = 0.9  # another name of the partner a query names counts almost as much as the one typed
COMMON_SHARE = 0.05  # a word in more passages than this share is not scored alone


@dataclass
class CompiledQuery:
    """A query ready to run: the Whoosh query and filter, and how its matches are marked."""

    parsed: ParsedQuery
    suggestion: str | None
    wquery: wq.Query
    filter: wq.Query | None
    clauses: list[wq.Query]  # every term's alternatives: what whole-digest scores count
    typed: Highlighter  # what the query matches as typed (with stems and typos)
    own: Highlighter  # ... and in other scripts (Сиань as Xi'an)
    aliases: list[tuple[str, Highlighter]]  # each other name of a partner the query names
    marks: Highlighter  # everything a snippet marks: the query and those names
    others: bool  # the query has spellings in other scripts or partner aliases at all

    def matched_as(self, shown: str) -> str | None:
        """The other name or spelling a passage was found through, when the query as typed
        is not in it ("matched as Xi'an")."""
        if not self.others or self.typed.has_match(shown):
            return None
        spans = self.own.spans(words(shown))
        if spans:
            return shown[spans[0][0] : spans[0][1]]
        return next((name for name, marks in self.aliases if marks.has_match(shown)), None)


@dataclass
class Grouped:
    """Every match grouped by digest: the best passage of each, ranked, and the counts."""

    digests: list[tuple[float, int]]  # (rank, docnum of the digest's best passage), best first
    per_digest: Counter  # matching passages per digest number
    owner: list  # passage number -> digest number
    passages: list[tuple[float, int]]  # every matching passage, best first


def compile_query(
    q: str, filters: dict | None, searcher, partners: PartnerNames, weights: Weights
) -> CompiledQuery:
    """Parse, bound, correct and compile q for one searcher and its partner directory."""
    parsed = parse(q)
    parsed.filters.update({k: v for k, v in (filters or {}).items() if v})
    check_prefixes(searcher, parsed)
    fuzzy, suggestion = corrections(searcher, parsed, q)
    spelled = weights.name_form > 0  # 0 turns spellings in other scripts off (bench/names.py)
    forms = name_forms(searcher, parsed) if spelled else {}
    names = partners.expansions([t.raw for t in parsed.terms()], q)
    names += han_names(searcher, parsed) if spelled else []
    aliases = [(name, phrase) for name in names if (phrase := name_phrase(name)) is not None]
    compiler = Compiler(weights, fuzzy, _common_words(searcher, parsed), forms)
    phrases = [compiler.phrase(phrase, 1, ALIAS) for _, phrase in aliases]
    wquery = union([compiler.compile(parsed), *phrases])
    if parsed.filters.get("partner"):
        parsed.filters["passages"] = partners.passage_ids(parsed.filters["partner"])
        if parsed.filters["passages"] is None:
            raise QueryError(f"There is no partner {parsed.filters['partner']!r}.")
    typed = Highlighter(parsed, fuzzy)
    own = Highlighter(parsed, {k: [*fuzzy.get(k, ()), *forms.get(k, ())] for k in {*fuzzy, *forms}})
    alias_marks = [(name, Highlighter.of_phrases([phrase])) for name, phrase in aliases]
    return CompiledQuery(
        parsed, suggestion, wquery, filter_query(parsed.filters),
        [c for term in parsed.terms() for c in compiler.alternatives(term)],
        typed, own, alias_marks, Highlighter.combined(own, [marks for _, marks in alias_marks]),
        bool(forms or aliases),
    )  # fmt: skip


def top_passages(searcher, query: CompiledQuery, depth: int) -> tuple[list, int]:
    """The best `depth` (score, docnum) matches, and the exact number of all matches."""
    found = _collect(searcher, query, depth)
    return list(found.top_n), total_matches(searcher, query.wquery, query.filter)


def grouped(searcher, query: CompiledQuery, ranker: DigestRanker, generation: str) -> Grouped:
    """Every match, grouped by digest and ranked by its best passage and its whole text."""
    passages = list(_collect(searcher, query, None).top_n)
    lengths = ranker.lengths(generation, searcher.reader())
    best: dict[int, tuple[float, int]] = {}
    per_digest: Counter = Counter()
    for score, docnum in passages:
        digest = lengths.owner[docnum]
        best.setdefault(digest, (score, docnum))
        per_digest[digest] += 1
    digests = ranker.rank(lengths, searcher.reader(), query.clauses, list(best.values()))
    return Grouped(digests, per_digest, lengths.owner, passages)


def _collect(searcher, query: CompiledQuery, depth: int | None):
    """Run the query: the top `depth` matches, or every match (depth None)."""
    if depth is None or depth >= searcher.doc_count():
        top = collectors.UnlimitedCollector()
    else:
        # Pruned to the heap's lowest score: the right top N, but a wrong count (counted apart).
        top = collectors.TopCollector(depth)
    top = Deadline(top)
    # Whoosh's own collapse is not used: combined with a filter it returns duplicates.
    collector = top if query.filter is None else collectors.FilterCollector(top, query.filter)
    try:
        searcher.search_with_collector(query.wquery, collector)
    except collectors.TimeLimit:
        raise too_slow() from None
    return collector.results()


def _common_words(searcher, parsed: ParsedQuery) -> frozenset[str]:
    """Query words found in more than COMMON_SHARE of all passages."""
    limit = COMMON_SHARE * searcher.doc_count()
    return frozenset(t.exact for t in parsed.terms() if doc_frequency(searcher, t.exact) > limit)
