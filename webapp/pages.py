"""HTML pages: the search page (with the corpus at a glance) and the document view."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from indexer import HEADING_SEPARATOR, Highlighter, Marked, looser

from .exports import export_links
from .i18n import error_text, said
from .views import (
    ApiError,
    document_view,
    query_args,
    search_index,
    search_params,
    search_view,
)

bp = Blueprint("pages", __name__)
NEWEST_DIGESTS = 20  # the corpus at a glance: a page never grows with the corpus
DIGESTS_PER_PAGE = 50
START_EXAMPLES, START_PARTNERS = 5, 8


@bp.get("/")
@bp.get("/search")
def search():
    params = search_params(request.args)
    total, newest = search_index().digests(limit=NEWEST_DIGESTS)
    context = {"params": params, "digests": newest, "digest_total": total, "result": None,
               "error": None, "doc_title": _doc_title(params["doc"])}  # fmt: skip
    if not params["q"]:  # the home page teaches with names; a results page does not need them
        context.update(_start())
    if params["q"]:
        try:
            result = search_view(params, facet=True)
        except ApiError as exc:
            if exc.status != 400:
                raise
            context["error"] = error_text(exc)
            return render_template("search.html", **context), 400
        pages = max(math.ceil(result.total / params["limit"]), 1)
        context["looser"] = _looser(params) if not result.hits else []
        links = export_links(params)
        years = _histogram(result.years or {}, params)
        context.update(result=result, pages=pages, json_url=_api_url(params), exports=links,
                       feed_url=links["feed"], years=years)  # fmt: skip
    return render_template("search.html", **context)


def _start() -> dict:
    """What the home page teaches with: real names to try, the most mentioned partners."""
    partners = search_index().generation().partners.summaries()
    return {"examples": [p["name"] for p in partners[:START_EXAMPLES]],
            "top_partners": partners[:START_PARTNERS]}  # fmt: skip


def _looser(params: dict) -> list[tuple[str, str]]:
    """Searches that may find something when this one found nothing, as links."""
    filtered = any(params[k] for k in ("lang", "from", "to", "doc", "partner"))
    return [(said(other.said), url_for("pages.search", q=other.q))
            for other in looser(params["q"], filtered)]  # fmt: skip


def _histogram(years: dict[str, int], params: dict) -> list[dict]:
    """One bar a year, from the first year with a match to the last, each a link to the same
    search limited to that year."""
    if not years:
        return []
    peak = max(years.values())
    span = range(int(min(years)), int(max(years)) + 1)
    base = query_args(params, drop=("from", "to", "page"))
    return [
        {"year": str(y), "count": years.get(str(y), 0),
         "height": round(100 * years.get(str(y), 0) / peak),
         "url": url_for("pages.search") + "?" + urlencode({**base, "from": y, "to": y})}
        for y in span
    ]  # fmt: skip


def _doc_title(doc_id: str) -> str:
    """The title of the digest a search is limited to, shown beside its filter field."""
    document = search_index().generation().manifest.docs.get(doc_id) if doc_id else None
    return document.title if document else ""


@bp.get("/doc/<doc_id>")
def doc(doc_id: str):
    document = document_view(doc_id)
    q = request.args.get("q", "")[:500]
    link = request.args.get("link", "")
    highlighter = search_index().marks(q, link if link == "none" or _partner(link) else "")
    sections = _sections(document["passages"], highlighter)
    matches = sum(len(p["marked"].spans) for s in sections for p in s["passages"])
    return render_template(
        "doc.html", doc=document, sections=sections, q=q, link=link, matches=matches,
        json_url=url_for("api.doc", doc_id=doc_id),
    )  # fmt: skip


@bp.get("/digests")
def digests_page():
    """Every digest, newest first or by title, a page at a time, optionally those whose
    title holds a text."""
    sort = "title" if request.args.get("sort") == "title" else "date"
    contains = request.args.get("contains", "")[:200]
    total, listed = search_index().digests(contains)
    if sort == "title":
        listed = sorted(listed, key=lambda d: (d["title"].casefold(), d["doc_id"]))
    pages = max(math.ceil(total / DIGESTS_PER_PAGE), 1)
    page = min(max(_page_number(request.args.get("page")), 1), pages)
    shown = listed[(page - 1) * DIGESTS_PER_PAGE : page * DIGESTS_PER_PAGE]
    return render_template("digests.html", digests=shown, total=total, page=page, pages=pages,
                           sort=sort, contains=contains)  # fmt: skip


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 7 else 1


def _partner(slug: str) -> bool:
    return search_index().generation().partners.by_slug.get(slug) is not None


def _sections(passages: list[dict], highlighter: Highlighter | None) -> list[dict]:
    """Passages grouped under the heading path they carry, in reading order."""
    sections: list[dict] = []
    for passage in passages:
        heading = passage["heading"] or ""
        if not sections or sections[-1]["heading"] != heading:
            previous = sections[-1]["parts"] if sections else []
            parts = heading.split(HEADING_SEPARATOR) if heading else []
            shared = _common_prefix(previous, parts)
            # Show only the part of the heading path that changed (h2, then h3 beneath it).
            new = list(enumerate(parts))[shared:]
            sections.append({"heading": heading, "parts": parts, "new": new, "passages": []})
        text = passage["text"] or ""
        marked = highlighter.full(text) if highlighter else Marked(text)
        sections[-1]["passages"].append({**passage, "marked": marked})
    return sections


@bp.app_template_filter("dictupdate")
def dictupdate(args, **changes) -> dict:
    """Query-string arguments with some replaced (None removes one): for links that keep filters."""
    merged = {k: v for k, v in args.items() if v}
    merged.update(changes)
    return {k: v for k, v in merged.items() if v is not None}


def _common_prefix(one: list[str], other: list[str]) -> int:
    return next((i for i, (a, b) in enumerate(zip(one, other, strict=False)) if a != b),
                min(len(one), len(other)))  # fmt: skip


def _api_url(params: dict) -> str:
    return url_for("api.search") + "?" + urlencode(query_args(params))
