"""Partner pages and API: the directory of partners, and every mention of one."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from indexer import SUMMARY_KEYS
from indexer.locale import Message

from .auth import signed_in
from .briefs import brief_of
from .curation import can_undo
from .history import PARTNER_CHANGES, changes_view
from .views import ApiError, search_index

log = logging.getLogger(__name__)
bp = Blueprint("partners", __name__)


MAX_MATCHES = 50  # partners a typed query (?q=) lists at the most


def partners_view() -> dict:
    """Every partner with its counts, most mentioned first; with ?q=, those it names."""
    names = search_index().generation().partners
    q = request.args.get("q", "")[:200]
    partners = names.summaries(q)
    view = {"partners": partners[:MAX_MATCHES] if q else partners, "q": q}
    return view | ({"curated_error": names.error} if names.error else {})


@bp.app_context_processor
def curated_error() -> dict:
    """A broken partners.toml, named on every page (the last good directory is in use)."""
    try:
        return {"curated_error": search_index().generation().partners.error}
    except Exception:  # no index yet (or unreadable): that page says so itself
        log.debug("no directory to name an error of", exc_info=True)
        return {}


@bp.before_app_request
def moved_partner():
    """A partner's old address (a new spelling, a rename, a merge) answers 301 with its current
    one, for every route of a partner: pages, feeds, exports, API (308 keeps a form's POST)."""
    slug = (request.view_args or {}).get("slug")
    if slug is None or request.endpoint is None:
        return None
    try:
        current = search_index().generation().partners.moved(slug)
    except Exception:  # no index yet: the route itself says so
        log.debug("no directory to resolve %s in", slug, exc_info=True)
        return None
    if current is None:
        return None
    target = url_for(request.endpoint, **{**request.view_args, "slug": current})
    if request.query_string:
        target += "?" + request.query_string.decode("utf-8", "replace")
    return redirect(target, 301 if request.method in ("GET", "HEAD") else 308)


def _partner(slug: str) -> dict:
    partner = search_index().generation().partners.by_slug.get(slug)
    if partner is None:
        raise ApiError(404, "not_found", Message("no_partner_id"))
    return partner


def partner_summary(slug: str) -> dict:
    """One partner: its names, counts and why its names are one (the page's head)."""
    partner = _partner(slug)
    return {**{k: partner[k] for k in SUMMARY_KEYS}, "evidence": partner.get("evidence", []),
            "units": partner.get("units", [])}  # fmt: skip


def partner_view(slug: str) -> dict:
    """One partner with each mention's passage text and a link to it (the API)."""
    partner = _partner(slug)
    texts = search_index().passages([m["passage_id"] for m in partner["passages"]])
    mentions = [
        {**m, **texts.get(m["passage_id"], {}), "url": f"/doc/{m['doc_id']}#{m['passage_id']}"}
        for m in partner["passages"]
    ]
    return {**partner_summary(slug), "passages": mentions}


@bp.get("/partners")
def index_page():
    return render_template(
        "partners.html", json_url=url_for("partners.api_index"), **partners_view()
    )


@bp.get("/partners/<slug>")
def partner_page(slug: str):
    partner = partner_summary(slug)
    return render_template(
        "partner.html",
        partner=partner,  # the mentions' texts come once, in the brief
        brief=brief_of(slug),
        json_url=url_for("partners.api_partner", slug=slug),
        feed_url=url_for("exports.partner_feed", slug=slug),
        editing=bool(signed_in()),
        can_undo=can_undo(),
        changes=changes_view([partner["name"], *partner["names"]], PARTNER_CHANGES),
    )


@bp.get("/api/partners")
def api_index():
    return jsonify(partners_view())


@bp.get("/api/partners/<slug>")
def api_partner(slug: str):
    return jsonify(partner_view(slug))
