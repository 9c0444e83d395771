"""The JSON API: the same dicts the pages show."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

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
    """The index's state and this worker's searches: 503 while they queue, stall or are
    refused, so that a monitor sees a worker that cannot answer searches."""
    answer = search_index().health()
    load = current_app.extensions.get("search_load")
    if load is None:  # not behind the dispatcher (a test client, a plain WSGI server)
        return jsonify(answer)
    report = load.report()
    searches = {k: getattr(report, k) for k in ("running", "capacity", "oldest_seconds",
                                                "refused_last_minute")}  # fmt: skip
    answer = {**answer, "status": "busy" if report.busy else "ok", "searches": searches}
    return jsonify(answer), 503 if report.busy else 200
