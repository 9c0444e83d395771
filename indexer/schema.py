"""The Whoosh schema: what is searched, and what a result shows without reading the corpus."""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from .analysis import NameAnalyzer

SEARCHED_FIELDS = ("title", "heading", "text")


def build_schema() -> Schema:
    """One document per passage; digest metadata is repeated so results need nothing else."""
    analyzer = NameAnalyzer()
    return Schema(
        passage_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True),
        title=TEXT(analyzer=analyzer, stored=True, phrase=True),
        heading=TEXT(analyzer=analyzer, stored=True, phrase=True),
        text=TEXT(analyzer=analyzer, stored=True, phrase=True),
        date=ID(stored=True),
        lang=ID(stored=True),
        kind=ID(stored=True),
        position=NUMERIC(int, stored=True, sortable=True),
        doc_hash=ID(stored=True),
        url=STORED(),
    )
