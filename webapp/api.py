"""The JSON API: the same dicts the pages show."""

from __future__ import annotations

import contextlib

from flask import Blueprint, current_app, jsonify, request

from .views import ApiError, document_view, search_index, search_params, search_view

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    with _search_slot():
        return jsonify(search_view(search_params(request.args)))


@bp.get("/doc/<doc_id>")
def doc(doc_id: str):
    return jsonify(document_view(doc_id))


@bp.get("/health")
def health():
    return jsonify(search_index().health())


@contextlib.contextmanager
def _search_slot():
    """Refuse (429) searches beyond MAX_CONCURRENT_SEARCHES instead of queueing without end."""
    slots = current_app.extensions["search_slots"]
    if not slots.acquire(blocking=False):
        raise ApiError(429, "too_many_requests", "Too many searches at once; retry shortly.")
    try:
        yield
    finally:
        slots.release()
