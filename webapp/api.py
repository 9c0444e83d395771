"""The JSON API: the same dicts the pages show."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .views import (
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    bounded_int,
    document_view,
    search_index,
    search_params,
    search_view,
)

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    return jsonify(search_view(search_params(request.args)).to_json())


@bp.get("/doc/<doc_id>")
def doc(doc_id: str):
    return jsonify(document_view(doc_id))


@bp.get("/digests")
def digests():
    """Digests whose title or id contains q, newest first (the digest filter's suggestions)."""
    limit = bounded_int(request.args, "limit", 20, MAX_LIMIT)
    total, found = search_index().digests(request.args.get("q", "")[:MAX_QUERY_CHARS], limit)
    return jsonify({"total": total, "digests": found})


@bp.get("/health")
def health():
    return jsonify(search_index().health())
