"""Interface text in English and Russian, chosen from ?lang=, a cookie or Accept-Language."""

from __future__ import annotations

from flask import g, request, url_for
from markupsafe import Markup

from indexer.locale import LOCALES, Message, Words

from .views import search_index

COOKIE = "ui_lang"


def select_locale() -> str:
    """The interface language: an explicit ?ui=, then the cookie, then Accept-Language."""
    chosen = request.args.get("ui") or request.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES, default="en")


def words() -> Words:
    """The request's language (English outside a request: logs, the CLI)."""
    return Words(g.get("locale", "en"))


def gettext(key: str, **values) -> str:
    """The interface string for key in the request's language (plural forms by n or total)."""
    return words()(key, **values)


def said(message: Message) -> str:
    """An error's message in the request's language."""
    return words().message(message)


def error_text(error) -> str:
    """What an ApiError says, in the request's language when it is a catalogue Message."""
    return said(error.said) if error.said else error.message


def long_date(iso: str | None) -> str:
    """An ISO date as the reader's language writes it: "6 June 2023", "6 июня 2023"."""
    return words().date(iso)


def _all_names(partner: dict) -> list[str]:
    """A partner's names; a search result names it by slug and name only: the rest are
    looked up in the directory."""
    if "names" not in partner:
        partner = search_index().generation().partners.by_slug.get(partner["slug"], partner)
    return [partner["name"], *partner.get("names", [])]


def named(partner: dict) -> str:
    """A partner's name in the reader's language when it has one."""
    return words().name_among(_all_names(partner))


def also_named(partner: dict) -> list[str]:
    """A partner's other names: all but the one it is shown by."""
    shown = named(partner)
    return [n for n in _all_names(partner) if n != shown]


def lang_attribute(code: str | None) -> Markup:
    """The lang="…" of digest text in a known language, so that the page (and a screen reader)
    knows where the interface's language ends; nothing for an undetermined one."""
    return Markup(f' lang="{code}"') if code in ("en", "ru", "zh") else Markup("")


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
    app.jinja_env.filters.update(long_date=long_date, named=named, also_named=also_named,
                                 lang_attribute=lang_attribute,
                                 period=lambda label: words().period(label))  # fmt: skip
