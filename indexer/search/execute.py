"""Running one query: parse, correct and compile it, then collect its matches, as the top
passages or as every match grouped into ranked digests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from whoosh import collectors
from whoosh import query as wq

from indexer.index.analysis import words
from indexer.partners.aliases import PartnerNames
from indexer.search.budget import Deadline, check_prefixes, too_slow
from indexer.search.compile import Compiler, Weights, filter_query, union
from indexer.search.count import total_matches
from indexer.search.digestrank import DigestRanker
from indexer.search.highlight import Highlighter
from indexer.search.namequery import (
    LinkedQuery,
    NameQuery,
    link_query,
    name_of,
    unknown_name_of,
)
from indexer.search.names import han_names, name_forms
from indexer.search.query import ParsedQuery, Phrase, QueryError, is_year, name_phrase, parse
from indexer.search.spelling import corrections, doc_frequency

ALIAS = 0.9  # another name of the partner a query names counts almost as much as the one typed
YEAR_BONUS = 3.0  # a passage of a digest dated in a year the query names, in BM25 points
YEAR_RANK = 0.3  # ... and a digest, in shares of the best digest's rank
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
    name: NameQuery | None = None  # the partner's name the query is, if it is one
    years: tuple[str, ...] = ()  # bare years typed ("2017"): digests of those years first
    linked: LinkedQuery = field(default_factory=LinkedQuery)  # the partner it names, if one

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
    named: set[int]  # digest numbers holding the whole name of a name query


def compile_query(
    q: str, filters: dict | None, searcher, partners: PartnerNames, weights: Weights
) -> CompiledQuery:
    """Parse, bound, link, correct and compile q for one searcher and its partner directory.

    filters["link"]: "" links the query to the partner it names, "none" searches its words,
    a slug searches that partner."""
    filters = dict(filters or {})
    link = filters.pop("link", "") or ""
    parsed = parse(q)
    parsed.filters.update({k: v for k, v in filters.items() if v})
    check_prefixes(searcher, parsed)
    linked = link_query(parsed, partners, link)
    # The words naming a partner are never "corrected" (Шанхайском is no typo of Шанхайским).
    known = partners.name_words | {t.exact for t in linked.terms}
    fuzzy, suggestion = corrections(searcher, parsed, q, known)
    if suggestion and not link and linked == LinkedQuery():  # "Shanghai Maritme University"
        linked = link_query(parse(suggestion), partners)
    spelled = weights.name_form > 0  # 0 turns spellings in other scripts off (bench/names.py)
    forms = name_forms(searcher, parsed) if spelled else {}
    if linked.partner is not None:
        names = partners.other_names(linked.partner, " ".join(t.raw for t in linked.terms))
    else:
        names = partners.expansions([t.raw for t in parsed.terms()], q)
    names += han_names(searcher, parsed) if spelled else []
    aliases = [(name, phrase) for name in names if (phrase := name_phrase(name)) is not None]
    compiler = Compiler(weights, fuzzy, _common_words(searcher, parsed), forms)
    phrases = [compiler.alias(phrase, ALIAS) for _, phrase in aliases]
    alias_phrases = [phrase for _, phrase in aliases]
    if linked.partner is not None:
        ids = tuple(partners.passage_ids(linked.partner["slug"]) or ())
        typed_name = [Phrase(linked.terms)] if linked.terms else []  # none: '"quoted" link=…'
        name = NameQuery((*typed_name, *alias_phrases), frozenset(linked.terms), ids)
        unmatched = name.unmatched(searcher)
        phrases += [unmatched] if unmatched is not None else []
    else:
        name = name_of(parsed, partners, alias_phrases) or unknown_name_of(parsed, forms)
    wquery = union([compiler.compile(parsed), *phrases])
    if parsed.filters.get("partner"):
        parsed.filters["passages"] = partners.passage_ids(parsed.filters["partner"])
        if parsed.filters["passages"] is None:
            raise QueryError(f"There is no partner {parsed.filters['partner']!r}.")
    typed = Highlighter(parsed, fuzzy)
    own = Highlighter(parsed, {k: [*fuzzy.get(k, ()), *forms.get(k, ())] for k in {*fuzzy, *forms}})
    alias_marks = [(name, Highlighter.of_phrases([phrase])) for name, phrase in aliases]
    # A name query marks its whole name and aliases, never its common words standing alone.
    shown = own if name is None else Highlighter.combined(own.without(name.terms), [name.marks()])
    years = tuple(t.exact for t in parsed.terms() if is_year(t))
    return CompiledQuery(
        parsed, suggestion, _year_bonus(wquery, years), filter_query(parsed.filters),
        [c for term in parsed.terms() for c in compiler.alternatives(term)],
        typed, own, alias_marks, Highlighter.combined(shown, [marks for _, marks in alias_marks]),
        bool(forms or aliases), name, years, linked,
    )  # fmt: skip


def _year_bonus(wquery: wq.Query, years: tuple[str, ...]) -> wq.Query:
    """Passages of digests dated in a year the query names score a little more."""
    if not years:
        return wquery
    dated = wq.Or([wq.Prefix("date", year) for year in years])
    return wq.AndMaybe(wquery, wq.ConstantScoreQuery(dated, YEAR_BONUS))


def top_passages(searcher, query: CompiledQuery, depth: int) -> tuple[list, int, set[int]]:
    """The best `depth` (score, docnum) matches, the exact number of all matches, and the
    passages holding the whole name of a name query: those come first."""
    total = total_matches(searcher, query.wquery, query.filter)
    if query.name is None:
        return list(_collect(searcher, query, depth).top_n), total, set()
    holding, _ = query.name.passages(searcher)
    first = list(_collect(searcher, query, depth, allow=holding).top_n)
    rest = [] if len(first) >= depth else list(_collect(searcher, query, depth, mask=holding).top_n)
    return first + rest, total, holding


def grouped(searcher, query: CompiledQuery, ranker: DigestRanker, generation: str) -> Grouped:
    """Every match, grouped by digest and ranked by its best passage and its whole text; for
    a name query, digests holding the whole name first, each shown by a passage holding it."""
    passages = list(_collect(searcher, query, None).top_n)
    lengths = ranker.lengths(generation, searcher.reader())
    holding, in_digest = query.name.passages(searcher) if query.name else (set(), set())
    named = {lengths.owner[docnum] for docnum in in_digest}
    best: dict[int, tuple[float, int]] = {}
    per_digest: Counter = Counter()
    for score, docnum in passages:
        digest = lengths.owner[docnum]
        shown = best.get(digest)
        if shown is None or (docnum in holding and shown[1] not in holding):
            best[digest] = (score, docnum)
        per_digest[digest] += 1
    digests = ranker.rank(lengths, searcher.reader(), query.clauses, list(best.values()))
    if query.years:
        digests = _dated_first(searcher, digests, query.years)
    if named:
        digests.sort(key=lambda hit: lengths.owner[hit[1]] not in named)  # stable: ranks kept
    return Grouped(digests, per_digest, lengths.owner, passages, named)


def _dated_first(searcher, digests: list, years: tuple[str, ...]) -> list:
    """Digests dated in a year the query names move up by YEAR_RANK of the best rank."""

    def dated(docnum: int) -> bool:
        date = searcher.stored_fields(docnum).get("date")
        return bool(date) and str(date)[:4] in years

    top = digests[0][0] if digests else 0.0
    moved = [
        ((rank + YEAR_RANK * top) if dated(docnum) else rank, docnum) for rank, docnum in digests
    ]
    return sorted(moved, key=lambda hit: -hit[0])


def _collect(searcher, query: CompiledQuery, depth: int | None, allow=None, mask=None):
    """Run the query: the top `depth` matches, or every match (depth None); with allow, only
    among those passages; with mask, never those."""
    if depth is None or depth >= searcher.doc_count():
        top = collectors.UnlimitedCollector()
    else:
        # Pruned to the heap's lowest score: the right top N, but a wrong count (counted apart).
        top = collectors.TopCollector(depth)
    top = Deadline(top)
    # Whoosh's own collapse is not used: combined with a filter it returns duplicates.
    if allow is not None and query.filter is not None:
        allow = allow & set(searcher.docs_for_query(query.filter))
    elif allow is None:
        allow = query.filter
    collector = (
        top if allow is None and mask is None else collectors.FilterCollector(top, allow, mask)
    )
    try:
        searcher.search_with_collector(query.wquery, collector)
    except collectors.TimeLimit:
        raise too_slow() from None
    return collector.results()


def _common_words(searcher, parsed: ParsedQuery) -> frozenset[str]:
    """Query words found in more than COMMON_SHARE of all passages, when some other query word
    is in the index (in a small corpus "Xian Univ of Technology" is not "Univ" alone)."""
    limit = COMMON_SHARE * searcher.doc_count()
    found = {t.exact: doc_frequency(searcher, t.exact) for t in parsed.terms()}
    if not any(0 < n <= limit for n in found.values()):
        return frozenset()
    return frozenset(word for word, n in found.items() if n > limit)
