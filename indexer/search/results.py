"""What a search returns, typed: hits with marked snippets, the totals and the suggestion.

Built once by the engine; the JSON API, the HTML page and the CLI are three renderings of it.
Text is escaped in one place, `Marked.html()`, as `markupsafe.Markup`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

ELLIPSIS = "…"
_SENTENCE_ENDS = (".", "!", "?", "…", "»", "”", '"', ")")


@dataclass(frozen=True)
class Marked:
    """A piece of text with the spans a query matched in it, and whether it was cut."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    cut_before: bool = False
    cut_after: bool = False

    def html(self) -> Markup:
        """The text escaped, each span in <mark>, an ellipsis where the text was cut."""
        return Markup("").join(self._parts(Markup("<mark>"), Markup("</mark>"), escape))

    def plain(self, open_mark: str = "[", close_mark: str = "]") -> str:
        """The text with each span between two marks of the caller's choosing."""
        return "".join(self._parts(open_mark, close_mark, str))

    def _parts(self, open_mark, close_mark, text):
        if self.cut_before:
            yield ELLIPSIS
        cursor = 0
        for start, end in self.spans:
            yield text(self.text[cursor:start])
            yield open_mark
            yield text(self.text[start:end])
            yield close_mark
            cursor = end
        yield text(self.text[cursor:])
        if self.cut_after and not self.text.rstrip().endswith(_SENTENCE_ENDS):
            yield ELLIPSIS  # a fragment that ends its sentence needs no ".…"


@dataclass
class PassageHit:
    """One matching passage, with its digest's title and date."""

    doc_id: str
    passage_id: str
    title: str
    heading: str
    date: str | None
    lang: str | None
    score: float
    text: str
    snippet: Marked
    matched_as: str | None = None  # found only through another name of a partner
    heading_marked: Marked | None = None  # the heading, when the query matched in it
    match: str | None = None  # a name query's: "name" (holds it whole) or "partial"

    @property
    def url(self) -> str:
        return f"/doc/{self.doc_id}#{self.passage_id}"

    @property
    def more_in_doc(self) -> int:
        return 0

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "passage_id": self.passage_id,
            "title": self.title,
            "heading": self.heading,
            "date": self.date,
            "lang": self.lang,
            "score": self.score,
            "text": self.text,
            "snippet": str(self.snippet.html()),
            "url": self.url,
            "more_in_doc": self.more_in_doc,
            "matched_as": self.matched_as,
            "match": self.match,
            "heading_snippet": str(self.heading_marked.html()) if self.heading_marked else None,
        }


@dataclass
class DigestHit(PassageHit):
    """A digest in grouped results: its best passage, and how many more of its passages match."""

    other_passages: int = 0

    @property
    def more_in_doc(self) -> int:
        return self.other_passages


@dataclass
class SearchResult:
    """A page of hits, the total (passages, or digests when grouped) and a suggestion."""

    query: str
    total: int
    took_ms: float
    suggestion: str | None
    hits: list[PassageHit] = field(default_factory=list)
    partners: list[tuple[dict, int]] | None = None  # the partner facet, for the search page
    years: dict[str, int] | None = None  # matching digests per year, for the search page
    partner: dict | None = None  # {slug, name} of the partner the query was linked to
    partner_choices: list[dict] = field(default_factory=list)  # ... or those it may name

    def to_json(self) -> dict:
        """The `digest-search search --json` and `/api/search` contract."""
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": self.took_ms,
            "suggestion": self.suggestion,
            "partner": self.partner,
            "partner_choices": self.partner_choices,
            "results": [hit.to_json() for hit in self.hits],
        }
