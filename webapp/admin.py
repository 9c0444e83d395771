"""Adding, replacing and removing digests over HTTP; the index follows at once.

Staff sign in once at /admin/login with their own name and password (a session kept on the
server, every form with a CSRF token); scripts send `Authorization: Bearer <token>` to the API.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

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
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from indexer import (
    MAX_FILE_BYTES,
    SUPPORTED,
    CorpusWriter,
    DigestError,
    IdConflict,
    IndexBusy,
    UnknownDigest,
    UnsupportedType,
)

from . import auth
from .accounts import AccountError
from .i18n import gettext as _
from .views import ApiError, document_view, search_index

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__)

MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # per file: the readers' own limit, for the CLI and watcher too
MAX_REQUEST_BYTES = 5 * MAX_UPLOAD_BYTES  # several files at once
LOCK_WAIT_SECONDS = 120  # a change waits this long for another writer, then says so
MAX_REPLY_DIGESTS = 50  # an export of many records is described by its first ones
_OPEN = ("admin.login_page", "admin.login")
_UNSAFE_NEXT = re.compile(r"[\x00-\x20\x7f\\]")  # controls, CR/LF, spaces, backslashes


@bp.before_request
def require_admin():
    """Off without a configured token (404); the API takes a bearer token or a session with
    its CSRF header, the pages a signed-in session and a CSRF token on every form."""
    if not auth.admin_enabled():
        raise ApiError(404, "not_found", "Uploads are off: no staff account or admin token "
                       "is configured.")  # fmt: skip
    if request.endpoint in _OPEN:
        return None
    if request.path.startswith("/api/"):
        _check_api_caller()
    elif not auth.signed_in():
        if request.method == "GET":
            return redirect(url_for("admin.login_page", next=request.full_path.rstrip("?")))
        raise ApiError(401, "unauthorized", "Sign in first.")
    elif request.method == "POST":
        _check_csrf(request.form.get("csrf_token", ""))
    if request.content_length and request.content_length > MAX_REQUEST_BYTES:
        _drain()
        raise ApiError(413, "too_large", f"Digests are limited to {MAX_UPLOAD_BYTES // 2**20} MB "
                       f"each, {MAX_REQUEST_BYTES // 2**20} MB together.")  # fmt: skip
    return None


def _check_api_caller() -> None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        auth.check_bearer(header[len("Bearer ") :])
    elif auth.signed_in():
        _check_csrf(request.headers.get("X-CSRFToken", ""))
    else:
        raise ApiError(401, "unauthorized", "An admin token is needed (Authorization: Bearer …).")


def _check_csrf(token: str) -> None:
    try:
        validate_csrf(token)
    except ValidationError as exc:
        raise ApiError(400, "bad_csrf", f"{exc} Reload the page and try again.") from None


def _drain(limit: int = 4 * MAX_UPLOAD_BYTES) -> None:
    """Read (and drop) a refused body, so the client gets the 413 instead of a broken pipe."""
    stream, left = request.stream, limit
    while left > 0 and (chunk := stream.read(min(left, 1 << 16))):
        left -= len(chunk)


@bp.get("/admin/login")
def login_page():
    return render_template("login.html", error=None, next=_safe_next())


@bp.post("/admin/login")
def login():
    _check_csrf(request.form.get("csrf_token", ""))
    name, password = request.form.get("name", ""), request.form.get("password", "")
    try:
        if not auth.sign_in(name, password):
            return _login_again(_("login_wrong"), name, 403)
    except ApiError as error:  # throttled: the page says how long to wait
        page = _login_again(error.message, name, error.status)
        return page[0], page[1], {"Retry-After": str(error.retry_after)}
    return redirect(_safe_next())


def _login_again(error: str, name: str, status: int):
    return render_template("login.html", error=error, name=name, next=_safe_next()), status


@bp.post("/admin/logout")
def logout():
    auth.sign_out()
    return redirect(url_for("pages.search"))


@bp.get("/admin/password")
def password_page():
    return render_template("password.html", error=None)


@bp.post("/admin/password")
def change_password():
    """A new password for the signed-in person: every other session of theirs ends."""
    name = auth.signed_in()
    if not auth.staff().check(name, request.form.get("current", "")):
        return render_template("password.html", error=_("password_wrong")), 403
    try:
        auth.staff().set_password(name, request.form.get("new", ""))
    except AccountError as error:
        return render_template("password.html", error=str(error)), 400
    auth.sign_in(name, request.form.get("new", ""))
    flash(_("password_changed"), "status")
    return redirect(url_for("admin.upload_page"))


def _safe_next() -> str:
    """Where to go after signing in: a path of this site only."""
    return safe_path(request.values.get("next", ""), url_for("admin.upload_page"))


def safe_path(target: str, default: str) -> str:
    """target when it is a path of this site (no scheme, host, "//", control or backslash)."""
    parts = urlsplit(target) if not _UNSAFE_NEXT.search(target) else None
    if parts is None or not target.startswith("/") or target.startswith("//"):
        return default
    return target if not (parts.scheme or parts.netloc) else default


@bp.get("/admin/upload")
def upload_page():
    return render_template("upload.html", outcomes=[], error=None)


@bp.app_context_processor
def upload_types() -> dict:
    return {"supported_types": ",".join(SUPPORTED)}


@bp.post("/admin/upload")
def upload_form():
    """Several files at once (chosen or dropped): one index update, each file's outcome."""
    uploads = [u for u in request.files.getlist("file") if u.filename]
    if not uploads:
        return render_template("upload.html", outcomes=[], error=_("upload_none")), 400
    try:
        outcomes = _change_each(uploads)
    except ApiError as exc:
        return render_template("upload.html", outcomes=[], error=exc.message), exc.status
    status = 201 if any(o["digests"] for o in outcomes) else 400
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
    _change(lambda writer: writer.remove(doc_id))
    return jsonify({"deleted": doc_id})


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
    return writer.add_file(upload.filename, _upload_bytes())


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
        raise ApiError(413, "too_large", f"Digests are limited to {MAX_UPLOAD_BYTES // 2**20} MB.")
    return data


def _change_each(uploads) -> list[dict]:
    """Add every uploaded file as the one writer, then describe each: its digests, or why
    it was refused (the others are added all the same)."""
    refused: dict[str, str] = {}
    paths: dict[str, Path] = {}

    def add_all(writer: CorpusWriter) -> None:
        for upload in uploads:
            try:
                data = upload.read(MAX_UPLOAD_BYTES + 1)
                if len(data) > MAX_UPLOAD_BYTES:
                    raise DigestError(f"larger than {MAX_UPLOAD_BYTES // 2**20} MB")
                paths[upload.filename] = writer.add_file(upload.filename, data)
            except (UnsupportedType, IdConflict, DigestError) as exc:
                refused[upload.filename] = str(exc)

    _change(add_all)
    corpus = Path(current_app.config["CORPUS_DIR"])
    return [_outcome(corpus, u.filename, paths.get(u.filename), refused.get(u.filename))
            for u in uploads]  # fmt: skip


def _outcome(corpus: Path, name: str, path: Path | None, error: str | None) -> dict:
    """What became of one uploaded file: its digests, or why it was refused."""
    described = _described(corpus, path, None) if path is not None else {"digests": []}
    return {"name": name, "error": error, **described}


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
        raise ApiError(415, "unsupported_type", str(exc)) from None
    except IdConflict as exc:
        raise ApiError(409, "id_conflict", str(exc)) from None
    except DigestError as exc:
        raise ApiError(400, "bad_digest", str(exc)) from None
    except UnknownDigest:
        raise ApiError(404, "not_found", "There is no digest with this id.") from None
    except IndexBusy:
        raise ApiError(503, "busy", "Another change is being indexed; nothing was saved. "
                       "Try again in a minute.") from None  # fmt: skip
    except OSError as exc:  # a read-only or full disk: the reason, never a bare 500
        log.warning("cannot change the corpus %s", corpus, exc_info=True)
        raise ApiError(503, "cannot_write", f"The digests cannot be saved here: "
                       f"{exc.strerror or exc}.") from None  # fmt: skip
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
