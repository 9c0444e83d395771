"""Partner pages and API: the directory of partners, and every mention of one."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, url_for

from indexer import SUMMARY_KEYS

from .views import ApiError, search_index

bp = Blueprint("partners", __name__)


def partners_view() -> dict:
    """Every partner with its counts, most mentioned first."""
    return {"partners": search_index().generation().partners.summaries()}


def partner_view(slug: str) -> dict:
    """One partner: its names, and each mention with the passage text and a link to it."""
    partner = search_index().generation().partners.by_slug.get(slug)
    if partner is None:
        raise ApiError(404, "not_found", "There is no partner with this id.")
    texts = search_index().passages([m["passage_id"] for m in partner["passages"]])
    mentions = [
        {**m, **texts.get(m["passage_id"], {}), "url": f"/doc/{m['doc_id']}#{m['passage_id']}"}
        for m in partner["passages"]
    ]
    return {**{k: partner[k] for k in SUMMARY_KEYS}, "passages": mentions}


@bp.get("/partners")
def index_page():
    return render_template(
        "partners.html", json_url=url_for("partners.api_index"), **partners_view()
    )


@bp.get("/partners/<slug>")
def partner_page(slug: str):
    return render_template(
        "partner.html",
        partner=partner_view(slug),
        json_url=url_for("partners.api_partner", slug=slug),
    )


@bp.get("/api/partners")
def api_index():
    return jsonify(partners_view())


@bp.get("/api/partners/<slug>")
def api_partner(slug: str):
    return jsonify(partner_view(slug))
