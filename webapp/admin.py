"""Adding, replacing and removing digests over HTTP, behind a token; the index follows at once."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path

from flask import Blueprint, current_app, jsonify, render_template, request

from indexer import corpus as corpus_files
from indexer import store
from indexer.build import update_index
from indexer.digest import DigestError

from .views import ApiError, document_view, search_index

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
LOCK_WAIT_SECONDS = 120  # an upload waits this long for another writer, then says so


@bp.before_request
def require_token():
    """Off without a configured token (404); 401 without one, 403 for a wrong one."""
    expected = current_app.config["ADMIN_TOKEN"]
    if not expected:
        raise ApiError(404, "not_found", "Uploads are off: no admin token is configured.")
    if request.method == "GET" and request.endpoint == "admin.upload_page":
        return None  # the form itself; posting it needs the token
    given = _given_token()
    if not given:
        raise ApiError(401, "unauthorized", "An admin token is needed (Authorization: Bearer …).")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(403, "forbidden", "The admin token is wrong.")
    if request.content_length and request.content_length > MAX_UPLOAD_BYTES:
        _drain()
        raise ApiError(413, "too_large", f"Digests are limited to {MAX_UPLOAD_BYTES // 2**20} MB.")
    return None


def _drain(limit: int = 4 * MAX_UPLOAD_BYTES) -> None:
    """Read (and drop) a refused body, so the client gets the 413 instead of a broken pipe."""
    stream, left = request.stream, limit
    while left > 0 and (chunk := stream.read(min(left, 1 << 16))):
        left -= len(chunk)


def _given_token() -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[len("Bearer ") :].strip()
    return request.form.get("token", "") if request.mimetype == "multipart/form-data" else ""


@bp.get("/admin/upload")
def upload_page():
    return render_template("upload.html", result=None, error=None)


@bp.post("/admin/upload")
def upload_form():
    try:
        result = _store(_add)
    except ApiError as exc:
        return render_template("upload.html", result=None, error=exc.message), exc.status
    return render_template("upload.html", result=result, error=None), 201


@bp.post("/api/digests")
def add_digest():
    return jsonify(_store(_add)), 201


@bp.put("/api/digests/<doc_id>")
def replace_digest(doc_id: str):
    source = _source_of(doc_id)
    data = _upload_bytes(Path(source).suffix)
    return jsonify(_store(lambda corpus: corpus_files.replace_file(corpus, source, data)))


@bp.delete("/api/digests/<doc_id>")
def delete_digest(doc_id: str):
    source = _source_of(doc_id)
    _store(lambda corpus: corpus_files.remove_digest(corpus, source, doc_id))
    return jsonify({"deleted": doc_id})


def _add(corpus: Path) -> Path:
    """The uploaded file, or a digest given as JSON fields."""
    if request.is_json:
        record = request.get_json(silent=True)
        if not isinstance(record, dict) or not str(record.get("text") or "").strip():
            raise ApiError(400, "bad_digest", "Send JSON with title and text (date, url optional).")
        return corpus_files.add_record(corpus, record)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "bad_digest", "Send a file in the 'file' field, or JSON fields.")
    return corpus_files.add_file(
        corpus, upload.filename, _upload_bytes(Path(upload.filename).suffix)
    )


def _upload_bytes(suffix: str) -> bytes:
    upload = request.files.get("file")
    data = upload.read(MAX_UPLOAD_BYTES + 1) if upload else request.get_data()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApiError(413, "too_large", f"Digests are limited to {MAX_UPLOAD_BYTES // 2**20} MB.")
    return data


def _store(change) -> dict:
    """Apply a change to the corpus, update the index, and describe what is now searchable."""
    corpus = Path(current_app.config["CORPUS_DIR"])
    try:
        path = change(corpus)
    except corpus_files.UnsupportedType as exc:
        raise ApiError(415, "unsupported_type", str(exc)) from None
    except DigestError as exc:
        raise ApiError(400, "bad_digest", str(exc)) from None
    try:
        summary = update_index(corpus, Path(current_app.config["INDEX_DIR"]),
                               wait_seconds=LOCK_WAIT_SECONDS)  # fmt: skip
    except store.IndexBusy:
        raise ApiError(
            503, "busy", "Saved; the index is busy and will include it shortly."
        ) from None
    if path is None:
        return {"summary": summary.line()}
    source = path.relative_to(corpus).as_posix()
    docs = search_index().generation().manifest["sources"].get(source, {}).get("doc_ids", [])
    return {
        "source": source,
        "summary": summary.line(),
        "digests": [_described(doc_id) for doc_id in docs],
    }


def _described(doc_id: str) -> dict:
    document = document_view(doc_id)
    return {
        "doc_id": doc_id,
        "title": document["title"],
        "url": f"/doc/{doc_id}",
        "passages": [p["passage_id"] for p in document["passages"]],
    }


def _source_of(doc_id: str) -> str:
    entry = search_index().generation().manifest["docs"].get(doc_id)
    if entry is None:
        raise ApiError(404, "not_found", "There is no digest with this id.")
    return entry["source"]
