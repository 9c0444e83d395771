"""Follow and report: Atom feeds, CSV and XLSX exports of a search or a partner's mentions,
and a partner brief (a printable page and a .docx). One function builds each table
(indexer.report); these routes only render it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for

from indexer.locale import Message
from indexer.report import (
    atom_bytes,
    csv_bytes,
    docx_bytes,
    partner_rows,
    search_rows,
    xlsx_bytes,
)

from .briefs import brief_of
from .i18n import words
from .views import ApiError, query_args, search_index, search_params, searched

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FILTERS = ("lang", "from", "to", "doc", "partner")


def _search_table():
    params = search_params(request.args)
    table = searched(params, lambda q, filters: search_rows(search_index(), q, filters,
                                                            _base(), _bound()))  # fmt: skip
    return table, params


def _partner_table(slug: str):
    table = partner_rows(search_index(), slug, _base(), _bound())
    if table is None:
        raise ApiError(404, "not_found", Message("no_partner_id"))
    return table


def _bound() -> int:
    return current_app.config["EXPORT_ROWS"]


def _base() -> str:
    return request.host_url.rstrip("/")


def _file(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _download(table, kind: str) -> Response:
    """A table as CSV or XLSX in the reader's words, named for what it holds and today."""
    render, mimetype = {"csv": (csv_bytes, "text/csv"), "xlsx": (xlsx_bytes, XLSX)}[kind]
    response = _file(render(table, words()), mimetype, table.file_name(kind, dt.date.today()))
    response.headers["X-Export-Rows"] = str(len(table.rows))
    response.headers["X-Export-Total"] = str(table.total)
    if table.cut:
        response.headers["X-Export-Cut"] = str(table.note())  # a header is Latin-1: English
    return response


def _feed(table, page_url: str) -> Response:
    indexed = search_index().generation().manifest.updated
    data = atom_bytes(table, request.url, _base() + page_url, indexed, words())
    return Response(data, mimetype="application/atom+xml")


@bp.get("/search.atom")
def search_feed():
    table, params = _search_table()
    return _feed(table, url_for("pages.search") + "?" + urlencode(_links_args(params)))


@bp.get("/search.csv")
def search_csv():
    table, _ = _search_table()
    return _download(table, "csv")


@bp.get("/search.xlsx")
def search_xlsx():
    table, _ = _search_table()
    return _download(table, "xlsx")


@bp.get("/partners/<slug>.atom")
def partner_feed(slug: str):
    return _feed(_partner_table(slug), url_for("partners.partner_page", slug=slug))


@bp.get("/partners/<slug>.csv")
def partner_csv(slug: str):
    return _download(_partner_table(slug), "csv")


@bp.get("/partners/<slug>.xlsx")
def partner_xlsx(slug: str):
    return _download(_partner_table(slug), "xlsx")


@bp.get("/partners/<slug>/brief")
def brief_page(slug: str):
    return render_template("brief.html", brief=brief_of(slug), slug=slug)


@bp.get("/partners/<slug>/brief.docx")
def brief_docx(slug: str):
    data = docx_bytes(brief_of(slug), words())
    return _file(data, DOCX, f"{slug}-brief-{dt.date.today().isoformat()}.docx")


def _links_args(params: dict) -> dict:
    """A feed or an export holds every passage: no page, no limit, no grouping."""
    return query_args(params, drop=("limit", "page", "passages"))


def export_links(params: dict) -> dict:
    """The feed and export addresses of a search, for its page."""
    query = "?" + urlencode(_links_args(params))
    return {name: url_for(f"exports.search_{name}") + query for name in ("feed", "csv", "xlsx")}
