"""Searching the live index: query syntax, compiling it for Whoosh, scoring (BM25F, whole-digest
ranking, exact counts), typo tolerance, highlighting, the query budget, the `SearchIndex`
engine with its typed results, and evaluation against relevance judgments.

A new ranking signal goes into `compile.py` (a clause) or `digestrank.py` (a digest's score).
"""

from indexer.search.engine import SearchIndex
from indexer.search.highlight import Highlighter
from indexer.search.looser import Looser, looser
from indexer.search.query import QueryError, parse, parse_date_bound
from indexer.search.results import DigestHit, Marked, PassageHit, SearchResult

__all__ = [
    "DigestHit",
    "Highlighter",
    "Looser",
    "Marked",
    "PassageHit",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "looser",
    "parse",
    "parse_date_bound",
]
