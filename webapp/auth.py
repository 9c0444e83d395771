"""Who may change the corpus: staff signed in as themselves (sessions kept on the server, in
accounts.StaffStore), and scripts with the long admin token. Wrong guesses of either are
throttled per client address and per account; every sign-in is logged."""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import unicodedata
from pathlib import Path

from flask import current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf

from indexer.locale import Message

from .accounts import SESSION_SECONDS, StaffStore, Throttled
from .views import ApiError

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "DIGEST_SEARCH_ADMIN_TOKEN"
STAFF_VARIABLE = "DIGEST_SEARCH_STAFF_DB"
MIN_TOKEN = 24  # characters: a token scripts keep, never typed, cannot be guessed
MAKE_TOKEN = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
BEARER_ACCOUNT = "the admin token"


class BlankToken(ValueError):
    """An admin token that is blank or too short: refusing to start beats accepting anyone."""


def normalise(token: str) -> str:
    """The token as compared: NFC, without surrounding white space (on every path alike)."""
    return unicodedata.normalize("NFC", token or "").strip()


def configured_token(raw: str | None) -> str:
    """The admin token scripts use; empty when unset, BlankToken when blank or short."""
    if raw is None:
        return ""
    token = normalise(raw)
    if len(token) < MIN_TOKEN:
        raise BlankToken(f"{TOKEN_VARIABLE} must be at least {MIN_TOKEN} characters "
                         f"({len(token)} given); make one with {MAKE_TOKEN}, or unset it "
                         "for staff accounts alone")  # fmt: skip
    return token


def staff() -> StaffStore:
    return current_app.extensions["staff"]


def admin_enabled() -> bool:
    """Uploads and corrections are on with an admin token or at least one staff account."""
    if "admin_enabled" not in g:
        g.admin_enabled = bool(current_app.config["ADMIN_TOKEN"] or staff().names())
    return g.admin_enabled


def client() -> str:
    return f"address {request.remote_addr or 'unknown'}"


def signed_in() -> str | None:
    """The name of the person whose live session this request carries, or None."""
    if "staff_name" not in g:
        session_id = session.get("sid")
        g.staff_name = staff().session_name(session_id) if isinstance(session_id, str) else None
    return g.staff_name


def sign_in(name: str, password: str) -> bool:
    """Check a person's password (throttled); on success a new session on the server."""
    keys = (client(), f"account {name.strip()}")
    _throttled(keys)
    if not staff().check(name, password):
        staff().failed(*keys)
        log.warning("failed sign-in as %r from %s", name[:100], request.remote_addr)
        return False
    staff().succeeded(*keys)
    sign_out()
    session.permanent = True
    session["sid"] = staff().open_session(name.strip())
    g.staff_name = name.strip()
    log.info("%s signed in from %s", name.strip(), request.remote_addr)
    return True


def sign_out() -> None:
    session_id = session.get("sid")
    if isinstance(session_id, str):
        staff().end_session(session_id)
    session.clear()
    g.staff_name = None


def check_bearer(given: str) -> None:
    """ApiError unless given is the admin token; wrong ones are throttled like passwords."""
    keys = (client(), f"account {BEARER_ACCOUNT}")
    _throttled(keys)
    expected = current_app.config["ADMIN_TOKEN"]
    given = normalise(given)
    if not (expected and given and hmac.compare_digest(given.encode(), expected.encode())):
        staff().failed(*keys)
        log.warning("wrong admin token from %s", request.remote_addr)
        raise ApiError(403, "forbidden", "The admin token is wrong.")


def _throttled(keys: tuple[str, ...]) -> None:
    try:
        staff().wait_for(*keys)
    except Throttled as wait:
        raise ApiError(429, "too_many_attempts", Message("too_many_attempts", n=wait.retry_after),
                       wait.retry_after) from None  # fmt: skip


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app) -> None:
    log.setLevel(logging.INFO)  # sign-ins are always logged, whatever the server's level
    app.config["ADMIN_TOKEN"] = normalise(app.config["ADMIN_TOKEN"])
    database = app.config.get("STAFF_DB") or os.environ.get(STAFF_VARIABLE)
    store = StaffStore(Path(database)) if database else StaffStore.beside(app.config["INDEX_DIR"])
    app.extensions["staff"] = store
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = store.secret()  # one for every worker, kept in the file
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=SESSION_SECONDS),
        WTF_CSRF_TIME_LIMIT=SESSION_SECONDS,
    )
    app.session_interface = SessionCookies()
    app.jinja_env.globals.update(csrf_token=generate_csrf, signed_in=signed_in)
    app.context_processor(lambda: {"admin_enabled": admin_enabled()})
