"""Staff add, replace and delete digests: the upload page (several files at once), the JSON
API for scripts, and each digest's own buttons in its document view; the index follows at
once. A deletion from the browser can be undone by the person who made it.

Every request needs a signed-in session with its CSRF token, or the API's bearer token (the
admin blueprint's check).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from indexer import (
    SUPPORTED,
    CorpusWriter,
    DigestError,
    Duplicate,
    IdConflict,
    IndexBusy,
    Removed,
    UnknownDigest,
    UnsupportedType,
)
from indexer.locale import Message

from .admin import LOCK_WAIT_SECONDS, MAX_UPLOAD_BYTES, require_admin
from .auth import signed_in
from .i18n import error_text, said
from .i18n import gettext as _
from .views import ApiError, document_view, search_index

log = logging.getLogger(__name__)
bp = Blueprint("digests", __name__)
bp.before_request(require_admin)

MAX_REPLY_DIGESTS = 50  # an export of many records is described by its first ones
DELETED_FOLDER = "deleted"  # beside the index: each person's last deletion, for its undo


@bp.get("/admin/upload")
def upload_page():
    return render_template("upload.html", outcomes=[], error=None)


@bp.record_once
def _template_globals(state) -> None:
    """The file types an upload takes, and whether the signed-in person has a deletion to
    undo: asked by the page that offers it, not for every page."""
    state.app.jinja_env.globals.update(supported_types=",".join(SUPPORTED),
                                       can_undo_delete=can_undo_delete)  # fmt: skip


@bp.post("/admin/upload")
def upload_form():
    """Several files at once (chosen or dropped): one index update, each file's outcome."""
    uploads = [u for u in request.files.getlist("file") if u.filename]
    if not uploads:
        return render_template("upload.html", outcomes=[], error=_("upload_none")), 400
    try:
        outcomes = _change_each(uploads, _replacing())
    except ApiError as exc:
        return render_template("upload.html", outcomes=[], error=error_text(exc)), exc.status
    status = 201 if any(o["digests"] for o in outcomes) else 409 if any(
        o["duplicate"] for o in outcomes) else 400  # fmt: skip
    return render_template("upload.html", outcomes=outcomes, error=None), status


@bp.post("/api/digests")
def add_digest():
    return jsonify(_change(_add)), 201


@bp.put("/api/digests/<doc_id>")
def replace_digest(doc_id: str):
    content = _json_body() if request.is_json else _upload_bytes()
    return jsonify(_change(lambda writer: writer.replace(doc_id, content)))


@bp.delete("/api/digests/<doc_id>")
def delete_digest(doc_id: str):
    def delete(writer: CorpusWriter) -> None:
        writer.remove(doc_id)  # a script keeps its own copy: no undo

    _change(delete)
    return jsonify({"deleted": doc_id})


@bp.post("/admin/digests/<doc_id>/replace")
def replace_page(doc_id: str):
    """A new file for a digest, from its document view."""
    if not request.files.get("file"):
        flash(_("upload_none"), "error")
    else:
        data = _upload_bytes()
        _change(lambda writer: writer.replace(doc_id, data))
        flash(_("done_replace"), "status")
    return redirect(url_for("pages.doc", doc_id=doc_id))


@bp.post("/admin/digests/<doc_id>/delete")
def delete_page(doc_id: str):
    """Delete a digest from its document view; the person's last deletion can be undone."""
    title = document_view(doc_id)["title"]

    def delete(writer: CorpusWriter) -> None:
        _keep_deleted(writer.remove(doc_id), title)

    _change(delete)
    flash(_("done_delete", title=title), "deleted")
    return redirect(url_for("pages.search"))


@bp.post("/admin/digests/undo")
def undo_delete():
    """Put back the signed-in person's last deleted digest."""
    restored: dict = {}

    def restore(writer: CorpusWriter) -> Path | None:
        kept = _deleted_file()
        if not kept.exists():
            return None
        saved = json.loads(kept.read_text(encoding="utf-8"))
        data = base64.b64decode(saved["data"])
        path = writer.restore(Removed(saved["doc_id"], saved["source"], data, saved["record"]))
        kept.unlink()
        restored["title"] = saved["title"]
        return path

    described = _change(restore)
    if not restored:
        flash(_("nothing_deleted"), "status")
        return redirect(url_for("pages.search"))
    flash(_("done_restore", title=restored["title"]), "status")
    return redirect(described["digests"][0]["url"] if described.get("digests") else "/")


def can_undo_delete() -> bool:
    return bool(signed_in()) and _deleted_file().exists()


def _deleted_file() -> Path:
    """Where the signed-in person's last deletion is kept (one file each, by a hash of the
    name: any name is a safe file name so)."""
    person = hashlib.sha256(signed_in().encode()).hexdigest()[:24]
    return Path(current_app.config["INDEX_DIR"]).parent / DELETED_FOLDER / f"{person}.json"


def _keep_deleted(removed: Removed, title: str) -> None:
    """Write what a deletion took away, whole or not at all (under the writer lock)."""
    target = _deleted_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    saved = {"doc_id": removed.doc_id, "source": removed.source, "record": removed.record,
             "title": title, "data": base64.b64encode(removed.data).decode()}  # fmt: skip
    fd, name = tempfile.mkstemp(prefix=".deleted-", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(saved, handle, ensure_ascii=False)
    os.replace(name, target)


def _replacing() -> bool:
    return request.values.get("replace", "") in ("1", "on", "true")


def _add(writer: CorpusWriter) -> Path:
    """The uploaded file, or a digest given as JSON fields."""
    if request.is_json:
        record = _json_body()
        if not str(record.get("text") or "").strip():
            raise ApiError(400, "bad_digest", "Send JSON with title and text (date, url optional).")
        return writer.add_record(record)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ApiError(400, "bad_digest", "Send a file in the 'file' field, or JSON fields.")
    return writer.add_file(upload.filename, _upload_bytes(), replace=_replacing())


def _json_body() -> dict:
    """A JSON object body; anything else, however deep or broken, is a 400."""
    try:
        record = request.get_json(silent=True)
    except RecursionError:
        record = None
    if not isinstance(record, dict):
        raise ApiError(400, "bad_json", 'Send a JSON object: {"title": …, "text": …}.')
    return record


def _upload_bytes() -> bytes:
    upload = request.files.get("file")
    data = upload.read(MAX_UPLOAD_BYTES + 1) if upload else request.get_data()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ApiError(413, "too_large", Message("too_large", each=MAX_UPLOAD_BYTES >> 20))
    return data


def _change_each(uploads, replace: bool) -> list[dict]:
    """Add every uploaded file as the one writer, then describe each: its digests, or why
    it was refused (the others are added all the same)."""
    refused: dict[str, DigestError] = {}
    paths: dict[str, Path] = {}

    def add_all(writer: CorpusWriter) -> None:
        for upload in uploads:
            try:
                data = upload.read(MAX_UPLOAD_BYTES + 1)
                if len(data) > MAX_UPLOAD_BYTES:
                    raise DigestError("read_too_large", mb=MAX_UPLOAD_BYTES >> 20)
                paths[upload.filename] = writer.add_file(upload.filename, data, replace)
            except DigestError as exc:  # its kinds too: unsupported, an id taken, a duplicate
                refused[upload.filename] = exc

    _change(add_all)
    corpus = Path(current_app.config["CORPUS_DIR"])
    return [_outcome(corpus, u.filename, paths.get(u.filename), refused.get(u.filename))
            for u in uploads]  # fmt: skip


def _outcome(corpus: Path, name: str, path: Path | None, error: DigestError | None) -> dict:
    """What became of one uploaded file: its digests, or why it was refused (a duplicate
    with links to the digests it repeats)."""
    described = _described(corpus, path, None) if path is not None else {"digests": []}
    duplicate = [_digest(i) for i in error.doc_ids] if isinstance(error, Duplicate) else []
    return {"name": name, "error": said(error.said) if error else None, "duplicate": duplicate,
            **described}  # fmt: skip


def _change(apply) -> dict:
    """Apply one change to the corpus as the one writer, then describe what is searchable."""
    corpus, index_dir = (
        Path(current_app.config["CORPUS_DIR"]),
        Path(current_app.config["INDEX_DIR"]),
    )
    try:
        with CorpusWriter(corpus, index_dir, LOCK_WAIT_SECONDS) as writer:
            path = apply(writer)
    except UnsupportedType as exc:
        raise ApiError(415, "unsupported_type", exc.said) from None
    except Duplicate as exc:
        said = Message("duplicate_upload", why=exc.said, url=f"/doc/{exc.doc_ids[0]}")
        raise ApiError(409, "duplicate", said) from None
    except IdConflict as exc:
        raise ApiError(409, "id_conflict", exc.said) from None
    except DigestError as exc:
        raise ApiError(400, "bad_digest", exc.said) from None
    except UnknownDigest:
        raise ApiError(404, "not_found", Message("no_digest_id")) from None
    except IndexBusy:
        raise ApiError(503, "busy", Message("busy_index")) from None
    except OSError as exc:  # a read-only or full disk: the reason, never a bare 500
        log.warning("cannot change the corpus %s", corpus, exc_info=True)
        reason = exc.strerror or str(exc)
        raise ApiError(503, "cannot_write", Message("cannot_write", reason=reason)) from None
    return _described(corpus, path, writer.summary)


def _described(corpus: Path, path: Path | None, summary) -> dict:
    if path is None:
        return {"summary": summary.line()}
    source = path.relative_to(corpus.resolve()).as_posix()
    entry = search_index().generation().manifest.sources.get(source)
    docs = entry.doc_ids if entry else []
    described = {
        "source": source,
        "digests": [_digest(doc_id) for doc_id in docs[:MAX_REPLY_DIGESTS]],
        **({"summary": summary.line()} if summary is not None else {}),
    }
    if len(docs) > MAX_REPLY_DIGESTS:
        described["more_digests"] = len(docs) - MAX_REPLY_DIGESTS
    return described


def _digest(doc_id: str) -> dict:
    document = document_view(doc_id)
    return {
        "doc_id": doc_id,
        "title": document["title"],
        "url": f"/doc/{doc_id}",
        "passages": [p["passage_id"] for p in document["passages"]],
    }
