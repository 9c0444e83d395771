"""Turn a parsed query into a weighted Whoosh query, and score it with BM25F."""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass

from whoosh import matching
from whoosh import query as wq
from whoosh.query.compound import PreloadedOr

from indexer.search.count import AllWordsBonus, NearBonus
from indexer.search.highlight import Highlighter
from indexer.search.query import (
    SEARCH_FIELDS,
    TEXT_ONLY,
    Group,
    ParsedQuery,
    Phrase,
    Term,
    indexed,
    is_year,
)
from indexer.whoosh_ext import BM25FWithLengths


@dataclass(frozen=True)
class Weights:
    """Every ranking parameter in one place (chosen on SciFact train: docs/benchmarks.md)."""

    content: float = 1.0
    title: float = 1.0
    heading: float = 1.0
    stem: float = 2.0  # the stem's weight; the exact form adds 1.0 on top, so exact ranks first
    proximity: float = 0.3  # adjacent query words standing close together
    proximity_slop: int = 3
    proximity_max_terms: int = 4  # long natural-language queries get no proximity bonus
    joined: float = 0.3  # "IL-6" as a phrase, on top of its words
    all_words: float = 0.5  # a bonus for passages holding every word of a short query
    all_words_max_terms: int = 4
    fuzzy: float = 0.25  # a typo-tolerant match, below any exact one
    name_form: float = 1.0  # the word in another script (Сиань as xian): below exact and stem
    b: float = 0.6
    k1: float = 1.2
    digest: float = 0.8  # share of a digest's whole-text score in its rank (grouped results)
    digest_b: float = 0.75
    digest_k1: float = 1.5

    def field(self, name: str) -> float:
        return getattr(self, indexed(name))


DEFAULT_WEIGHTS = Weights()
MANY_CLAUSES = 6


def lucene_idf(reader, fieldname: str, text: str) -> float:
    """Lucene's idf of a word over passages (a reader or a searcher)."""
    df = reader.doc_frequency(fieldname, text)
    n = reader.doc_count_all()
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class LuceneBM25F(BM25FWithLengths):
    """BM25F with Lucene's idf, which rewards rare names more than Whoosh's flatter one."""

    def idf(self, searcher, fieldname, text):
        return lucene_idf(searcher, fieldname, text)


def weighting(weights: Weights = DEFAULT_WEIGHTS) -> LuceneBM25F:
    return LuceneBM25F(B=weights.b, K1=weights.k1)


class Compiler:
    """Builds the Whoosh query; fuzzy maps a typed exact form to close index terms; common
    holds the exact forms found in so many passages that they are not scored alone."""

    def __init__(
        self,
        weights: Weights = DEFAULT_WEIGHTS,
        fuzzy: dict | None = None,
        common=frozenset(),
        forms: dict | None = None,
    ):
        self.weights = weights
        self.fuzzy = fuzzy or {}
        self.forms = forms or {}  # typed exact form -> its spellings in other scripts
        self.common = common

    def compile(self, parsed: ParsedQuery) -> wq.Query:
        return self.node(parsed.root)

    def node(self, node) -> wq.Query:
        if isinstance(node, Term | Phrase) and node.fields == (TEXT_ONLY,):
            return self.text_only(node)
        if isinstance(node, Term):
            return union(self.alternatives(node))
        if isinstance(node, Phrase):
            return self.phrase(node, slop=1, boost=1.0)
        return self.group(node)

    def text_only(self, node) -> wq.Query:
        """text:word, text:"a phrase": in the passage's own text, not only its title or heading."""

        def on(fields: tuple[str, ...]):
            if isinstance(node, Term):
                return dataclasses.replace(node, fields=fields)
            terms = tuple(dataclasses.replace(t, fields=fields) for t in node.terms)
            return dataclasses.replace(node, terms=terms, fields=fields)

        marks = Highlighter(ParsedQuery(on(SEARCH_FIELDS)), self.fuzzy)
        return PassageTextOnly(self.node(on(SEARCH_FIELDS)), self.node(on(("title", "heading"))),
                               marks.has_match)  # fmt: skip

    def group(self, group: Group) -> wq.Query:
        if group.op == "and":
            positive = wq.And([self.node(child) for child in group.children])
        elif group.op == "or":
            positive = union([self.node(child) for child in group.children])
        else:  # soft: one flat union of every word's alternatives, plus closeness bonuses
            # Very common words ("в", "the") are left out unless nothing else is left: their
            # posting lists are the slowest part of a search and add next to nothing to ranking.
            scored = [c for c in group.children if not self._common(c)]
            if all(is_year(c) for c in scored):  # a year alone says nothing of the subject
                scored = list(group.children)
            flat = []
            for child in scored:
                if isinstance(child, Term) and child.fields != (TEXT_ONLY,):
                    flat += self.alternatives(child)
                elif isinstance(child, Phrase) and child.joined:
                    flat += [alt for term in child.terms for alt in self.alternatives(term)]
                    flat.append(self.phrase(child, 1, self.weights.joined, NearBonus))
                else:
                    flat.append(self.node(child))
            positive = union(flat + self.closeness(scored))
        if group.excluded:
            return wq.AndNot(positive, union([self.node(child) for child in group.excluded]))
        return positive

    def _common(self, node) -> bool:
        return isinstance(node, Term) and node.exact in self.common

    def closeness(self, children: list) -> list[wq.Query]:
        """Bonuses for words standing close together and for passages holding every word."""
        w = self.weights
        bonus = []
        terms = [c for c in children if isinstance(c, Term) and not c.prefix]
        near = w.proximity and len(terms) <= w.proximity_max_terms
        for left, right in itertools.pairwise(terms if near else []):
            pair = Phrase((left, right), left.fields)
            bonus.append(self.phrase(pair, w.proximity_slop, w.proximity, NearBonus))
        if w.all_words and 1 < len(children) <= w.all_words_max_terms:
            every = [self.node(child) for child in children]
            bonus.append(AllWordsBonus(every, boost=w.all_words))
        return bonus

    def alternatives(self, term: Term) -> list[wq.Query]:
        """The index terms a typed word matches: exact, stem and close spellings, per field."""
        w = self.weights
        found = []
        for name in map(indexed, term.fields):
            boost = w.field(name)
            if term.prefix:
                found.append(wq.Prefix(name, term.exact, boost=boost))
                continue
            found.append(wq.Term(name, term.exact, boost=boost))
            if term.stem and w.stem:
                found.append(wq.Term(name, term.stem, boost=boost * w.stem))
            for close in self.fuzzy.get(term.exact, ()) if w.fuzzy else ():
                found.append(wq.Term(name, close, boost=boost * w.fuzzy))
            for form in self.forms.get(term.exact, ()) if w.name_form else ():
                found.append(wq.Term(name, form, boost=boost * w.name_form))
        return found

    def alias(self, phrase: Phrase, boost: float) -> wq.Query:
        """Another name of a partner: as written, and in stems (its Russian name declined:
        "Шанхайского морского университета")."""
        written = self.phrase(phrase, 1, boost)
        if any(t.stem is None for t in phrase.terms):  # a function word: no stems to match
            return written
        stems = tuple(Term(t.stem, None) for t in phrase.terms)
        return union([written, self.phrase(Phrase(stems, phrase.fields), 1, boost)])

    def phrase(self, phrase: Phrase, slop: int, boost: float, kind=wq.Phrase) -> wq.Query:
        words = [t.exact for t in phrase.terms]
        return union(
            [
                kind(name, words, slop=slop, boost=boost * self.weights.field(name))
                for name in map(indexed, phrase.fields)
            ]
        )


class PassageTextOnly(wq.WrappingQuery):
    """Matches of a query over "content" whose words stand in the passage's own text: a
    passage matching in its title or heading too is kept only when its text holds them."""

    def __init__(self, child: wq.Query, elsewhere: wq.Query, holds):
        super().__init__(child)
        self.elsewhere, self.holds = elsewhere, holds

    def _rewrap(self, child):
        return PassageTextOnly(child, self.elsewhere, self.holds)

    def matcher(self, searcher, context=None):
        inner = self.child.matcher(searcher, context)
        doubtful = [
            docnum for docnum in self.elsewhere.docs(searcher)
            if not self.holds(searcher.stored_fields(docnum).get("text") or "")
        ]  # fmt: skip
        if not doubtful:
            return inner
        return matching.AndNotMatcher(inner, matching.ListMatcher(sorted(doubtful)))


def union(clauses: list[wq.Query]) -> wq.Query:
    """An Or; many clauses are scored term-at-a-time (PreloadedOr), faster than a matcher tree."""
    if len(clauses) == 1:
        return clauses[0]
    return PreloadedOr(clauses) if len(clauses) > MANY_CLAUSES else wq.Or(clauses)


def filter_query(filters: dict) -> wq.Query | None:
    """The Whoosh filter for lang:, doc: and date bounds, or None."""
    clauses = []
    if filters.get("lang"):
        clauses.append(wq.Term("lang", filters["lang"]))
    if filters.get("doc"):
        clauses.append(wq.Term("doc_id", filters["doc"]))
    if filters.get("passages") is not None:  # a partner's passages
        ids = filters["passages"]
        clauses.append(wq.Or([wq.Term("passage_id", i) for i in ids]) if ids else wq.NullQuery)
    if filters.get("from") or filters.get("to"):
        clauses.append(wq.TermRange("date", filters.get("from"), filters.get("to")))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)
