"""Who may change the corpus: the admin token, compared one way on every path, and the
signed-in session it opens (signed cookie, HttpOnly, SameSite=Strict, Secure over HTTPS)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf

SESSION_HOURS = 8  # a working day; then staff sign in again
TOKEN_VARIABLE = "DIGEST_SEARCH_ADMIN_TOKEN"


class BlankToken(ValueError):
    """An admin token that is set but blank: refusing to start beats accepting anyone."""


def normalise(token: str) -> str:
    """The token as compared: NFC, without surrounding white space (on every path alike)."""
    return unicodedata.normalize("NFC", token or "").strip()


def configured_token(raw: str | None) -> str:
    """The admin token to require; empty when unset (admin off), BlankToken when blank."""
    if raw is None:
        return ""
    token = normalise(raw)
    if not token:
        raise BlankToken(f"{TOKEN_VARIABLE} is set but blank: give a token, or unset it to "
                         "turn uploads off")  # fmt: skip
    return token


def token_matches(given: str) -> bool:
    expected = current_app.config["ADMIN_TOKEN"]
    given = normalise(given)
    return bool(expected and given) and hmac.compare_digest(given.encode(), expected.encode())


def signed_in() -> bool:
    return session.get("admin") is True


def sign_in() -> None:
    session.clear()
    session.permanent = True
    session["admin"] = True


def sign_out() -> None:
    session.clear()


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def init_app(app) -> None:
    app.context_processor(lambda: {"admin_enabled": bool(app.config["ADMIN_TOKEN"])})
    token = app.config["ADMIN_TOKEN"] = normalise(app.config["ADMIN_TOKEN"])
    if not app.config.get("SECRET_KEY"):
        # Derived from the token: every worker agrees, and a new token ends old sessions.
        app.config["SECRET_KEY"] = (
            hmac.new(token.encode(), b"digest-search session", hashlib.sha256).hexdigest()
            if token
            else secrets.token_hex(32)
        )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    app.session_interface = SessionCookies()
    app.jinja_env.globals.update(csrf_token=generate_csrf, signed_in=signed_in)
