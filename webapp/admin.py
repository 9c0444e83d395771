"""Who may change things: staff sign in once at /admin/login with their own name and password
(a session kept on the server, every form with a CSRF token); scripts send
`Authorization: Bearer <token>` to the API. The guard here serves every blueprint that
changes the corpus (digests, curation, history).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from indexer import (
    MAX_FILE_BYTES,
)
from indexer.locale import Message

from . import auth
from .accounts import AccountError
from .i18n import error_text
from .i18n import gettext as _
from .views import ApiError

log = logging.getLogger(__name__)
bp = Blueprint("admin", __name__)

MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # per file: the readers' own limit, for the CLI and watcher too
MAX_REQUEST_BYTES = 5 * MAX_UPLOAD_BYTES  # several files at once
LOCK_WAIT_SECONDS = 120  # a change waits this long for another writer, then says so
_OPEN = ("admin.login_page", "admin.login")
_UNSAFE_NEXT = re.compile(r"[\x00-\x20\x7f\\]")  # controls, CR/LF, spaces, backslashes


@bp.before_request
def require_admin():
    """Off without a configured token (404); the API takes a bearer token or a session with
    its CSRF header, the pages a signed-in session and a CSRF token on every form."""
    if not auth.admin_enabled():
        raise ApiError(404, "not_found", Message("uploads_off"))
    if request.endpoint in _OPEN:
        return None
    if request.path.startswith("/api/"):
        _check_api_caller()
    elif not auth.signed_in():
        if request.method == "GET":
            return redirect(url_for("admin.login_page", next=request.full_path.rstrip("?")))
        raise ApiError(401, "unauthorized", Message("sign_in_first"))
    elif request.method == "POST":
        _check_csrf(request.form.get("csrf_token", ""))
    if request.content_length and request.content_length > MAX_REQUEST_BYTES:
        _drain()
        raise ApiError(413, "too_large", Message("too_large_together", each=MAX_UPLOAD_BYTES >> 20,
                                                 total=MAX_REQUEST_BYTES >> 20))  # fmt: skip
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
        raise ApiError(400, "bad_csrf", Message("bad_csrf", reason=str(exc))) from None


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
        page = _login_again(error_text(error), name, error.status)
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
    return redirect(url_for("digests.upload_page"))


def _safe_next() -> str:
    """Where to go after signing in: a path of this site only."""
    return safe_path(request.values.get("next", ""), url_for("digests.upload_page"))


def safe_path(target: str, default: str) -> str:
    """target when it is a path of this site (no scheme, host, "//", control or backslash)."""
    parts = urlsplit(target) if not _UNSAFE_NEXT.search(target) else None
    if parts is None or not target.startswith("/") or target.startswith("//"):
        return default
    return target if not (parts.scheme or parts.netloc) else default
