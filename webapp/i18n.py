"""Interface text in English and Russian, chosen from ?lang=, a cookie or Accept-Language."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from flask import g, request, url_for

LOCALES = ("en", "ru")
COOKIE = "ui_lang"
_TRANSLATIONS = Path(__file__).parent / "translations"


@cache
def catalog(locale: str) -> dict[str, str | dict[str, str]]:
    return json.loads((_TRANSLATIONS / f"{locale}.json").read_text(encoding="utf-8"))


def select_locale() -> str:
    """The interface language: an explicit ?ui=, then the cookie, then Accept-Language."""
    chosen = request.args.get("ui") or request.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES, default="en")


def gettext(key: str, **values) -> str:
    """The interface string for key in the request's language. A string that counts
    something holds a form for each of the language's plural categories (CLDR, through
    Babel: "one", "few", "many", "other" in Russian), chosen by its n or total."""
    text = catalog(g.locale).get(key) or catalog("en").get(key, key)
    if isinstance(text, dict):
        count = values.get("n", values.get("total", 0))
        text = text.get(plural_form(g.locale, count)) or text["other"]
    return text.format(**values) if values else text


@cache
def _locale(locale: str):
    from babel import Locale

    return Locale.parse(locale)


def plural_form(locale: str, count) -> str:
    """ "one", "few", "many" or "other": the form a number takes in a language."""
    try:
        return _locale(locale).plural_form(abs(int(count)))
    except (TypeError, ValueError):
        return "other"


def long_date(iso: str | None) -> str:
    """An ISO date as the reader's language writes it: "6 June 2023", "6 июня 2023"."""
    if not iso:
        return ""
    import datetime as dt

    from babel.dates import format_date

    try:
        return format_date(dt.date.fromisoformat(iso[:10]), "d MMMM y", locale=_locale(g.locale))
    except ValueError:
        return iso


def switch_url(locale: str) -> str:
    """This page in another interface language, built from the matched route (never from the
    raw path, which a crafted URL could turn into a link off the site); home when none."""
    args = {k: v for k, v in request.args.items() if v and k != "ui"}
    if request.url_rule is None or request.endpoint is None or request.method != "GET":
        return url_for("pages.search", ui=locale)
    return url_for(request.endpoint, **(request.view_args or {}), **args, ui=locale)


def init_app(app) -> None:
    @app.before_request
    def choose():
        g.locale = select_locale()

    @app.after_request
    def remember(response):
        if request.args.get("ui") in LOCALES:
            response.set_cookie(COOKIE, request.args["ui"], max_age=365 * 24 * 3600, samesite="Lax")
        response.headers.add("Vary", "Accept-Language, Cookie")
        return response

    app.jinja_env.globals.update(_=gettext, LOCALES=LOCALES, switch_url=switch_url)
    app.jinja_env.filters["long_date"] = long_date
