"""Request parameters and the plain dicts that both the pages and the JSON API show."""

from __future__ import annotations

import re

from flask import current_app

from indexer import LANGUAGES, QueryError, SearchIndex, SearchResult, clean_line, parse_date_bound
from indexer.locale import Message

MAX_QUERY_CHARS = 500
MAX_LIMIT = 100
MAX_PAGE = 1000
DEFAULT_LIMIT = 10
_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class ApiError(Exception):
    """An error for the client: an HTTP status, a stable code and a message for people (a
    catalogue Message is said in the reader's language)."""

    def __init__(self, status: int, code: str, message: str | Message, retry_after: int = 1):
        super().__init__(str(message))
        self.status, self.code, self.message = status, code, str(message)
        self.said = message if isinstance(message, Message) else None
        self.retry_after = retry_after  # seconds, for a 429


def search_index() -> SearchIndex:
    return current_app.extensions["search_index"]


def search_params(args) -> dict:
    """Validated search parameters from a query string (pages and API alike)."""
    q = args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        raise ApiError(
            413, "query_too_long", f"The query is longer than {MAX_QUERY_CHARS} characters."
        )
    lang = args.get("lang", "")
    if lang and lang not in LANGUAGES:
        raise ApiError(400, "bad_parameter", f"lang must be one of {', '.join(LANGUAGES)}.")
    doc = _digest_id(args.get("doc", "").strip())
    partner = args.get("partner", "")
    if partner and not _DOC_ID.match(partner):
        raise ApiError(400, "bad_parameter", "partner is not a partner id.")
    link = args.get("link", "")
    if link and not _DOC_ID.match(link):
        raise ApiError(400, "bad_parameter", 'link is "none" or a partner id.')
    return {
        "q": clean_line(q),  # no control character reaches a page, feed or export
        "limit": bounded_int(args, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        "page": bounded_int(args, "page", 1, MAX_PAGE),
        "passages": args.get("passages", "") in ("1", "true", "yes", "on"),
        "lang": lang,
        "from": _date(args, "from", end=False),
        "to": _date(args, "to", end=True),
        "doc": doc,
        "partner": partner,
        "link": link,  # "none": the words only; a partner id: that partner
    }


def _digest_id(doc: str) -> str:
    """The digest a filter names: by its id, or by its title as the filter field shows it
    (the newest digest of that title)."""
    if not doc or doc in search_index().generation().manifest.docs:
        return doc
    title = doc.casefold()
    _, listed = search_index().digests(doc)  # newest first
    found = next((d["doc_id"] for d in listed if d["title"].casefold() == title), None)
    if found is None and not _DOC_ID.match(doc):
        raise ApiError(400, "bad_parameter", "doc is neither a digest id nor a digest's title.")
    return found or doc


def query_args(params: dict, *, drop=()) -> dict:
    """The non-empty search parameters as a query string holds them (a flag as 1), for links
    to the same search; drop: those the link leaves out."""
    return {k: 1 if v is True else v for k, v in params.items() if v and k not in drop}


def bounded_int(args, name: str, default: int, maximum: int) -> int:
    raw = args.get(name, "")
    if raw == "":
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ApiError(400, "bad_parameter", f"{name} must be a whole number from 1 to {maximum}.")
    return int(raw)


def _date(args, name: str, *, end: bool) -> str | None:
    try:
        return parse_date_bound(args.get(name, ""), end=end)
    except QueryError as exc:
        raise ApiError(400, "bad_parameter", f"{name}: {exc}") from None


def searched(params: dict, search):
    """search(q, filters) for validated parameters: a missing or unusable query is a 400
    (pages, API, feeds and exports alike)."""
    if not params["q"]:
        raise ApiError(400, "missing_query", "Give a query in the q parameter.")
    filters = {key: params[key] for key in ("lang", "from", "to", "doc", "partner", "link")}
    try:
        return search(params["q"], filters)
    except QueryError as exc:
        raise ApiError(400, "bad_query", str(exc)) from None


def search_view(params: dict, facet: bool = False) -> SearchResult:
    """The search the page and the API render (facet: the partners too, for the page)."""
    return searched(params, lambda q, filters: search_index().search(
        q, limit=params["limit"], page=params["page"], passages=params["passages"],
        filters=filters, facet=facet,
    ))  # fmt: skip


def document_view(doc_id: str) -> dict:
    """A digest's metadata and passages, or a 404."""
    document = search_index().document(doc_id) if _DOC_ID.match(doc_id) else None
    if document is None:
        raise ApiError(404, "not_found", Message("no_digest_id"))
    return document
