"""The Whoosh schema: what is searched, and what a result shows without reading the corpus."""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from indexer.index.analysis import NameAnalyzer
from indexer.whoosh_ext import NamePositions

# Title, heading and passage text are searched as one field (one posting list per word keeps
# queries fast); title and heading are also indexed alone for title: and heading: searches.
CONTENT = "content"


def content_of(title: str, heading: str, text: str) -> str:
    """The searched text of a passage: its digest's title, its section heading and itself."""
    return "\n".join(part for part in (title, heading, text) if part)


def searched_text(**options) -> TEXT:
    """A text field analysed by NameAnalyzer, with positions for phrases."""
    field = TEXT(analyzer=NameAnalyzer(), phrase=True, **options)
    field.format = NamePositions(field_boost=field.format.field_boost)
    return field


def build_schema() -> Schema:
    """One document per passage; digest metadata is repeated so results need nothing else."""
    return Schema(
        passage_id=ID(stored=True, unique=True, sortable=True),
        doc_id=ID(stored=True, sortable=True),  # a column: cheap grouping
        content=searched_text(),
        title=searched_text(stored=True),
        heading=searched_text(stored=True),
        text=STORED(),
        date=ID(stored=True),
        lang=ID(stored=True),
        kind=ID(stored=True),
        position=NUMERIC(int, stored=True, sortable=True),
        doc_hash=ID(stored=True),
        url=STORED(),
    )
