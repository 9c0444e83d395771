"""What the partner page, its brief and the brief's .docx show beyond the mentions: the
timeline over the years the corpus covers, the partners named in the same digests, and
each mention with the partner's names marked."""

from __future__ import annotations

from flask import request

from indexer import Highlighter
from indexer.locale import Message
from indexer.report import Brief, co_mentioned, timeline
from indexer.search.query import name_phrase

from .i18n import also_named, named
from .views import ApiError, search_index


def corpus_span() -> tuple[str | None, str | None]:
    """The first and last digest dates of the corpus."""
    dates = [d.date for d in search_index().generation().manifest.docs.values() if d.date]
    return (min(dates), max(dates)) if dates else (None, None)


def brief_of(slug: str) -> Brief:
    """The brief of a partner, or a 404."""
    generation = search_index().generation()
    partner = generation.partners.by_slug.get(slug)
    if partner is None:
        raise ApiError(404, "not_found", Message("no_partner_id"))
    mentions = partner["passages"]
    first, last = corpus_span()
    # Every name of the partner, marked in its mentions (declined forms meet by their stems).
    marks = Highlighter.of_phrases(
        [p for n in [partner["name"], *partner["names"]] if (p := name_phrase(n))]
    )
    texts = search_index().passages([m["passage_id"] for m in mentions])
    base = request.host_url.rstrip("/")  # the brief's links work outside the site too
    entries = [
        {"date": m["date"], "title": texts.get(m["passage_id"], {}).get("title") or m["doc_id"],
         "marked": marks.full(texts.get(m["passage_id"], {}).get("text") or ""),
         "url": f"{base}/doc/{m['doc_id']}#{m['passage_id']}", "doc_id": m["doc_id"],
         "lang": texts.get(m["passage_id"], {}).get("lang"),
         "passage_id": m["passage_id"]}
        for m in mentions
    ]  # fmt: skip
    others = [({"slug": other["slug"], "name": named(other)}, shared)
              for other, shared in co_mentioned(generation.partners.partners, slug)]  # fmt: skip
    return Brief(
        named(partner), also_named(partner), partner["mentions"], partner["digests"],
        partner["first"], partner["last"], timeline([m["date"] for m in mentions], first, last),
        others, entries,
    )  # fmt: skip
