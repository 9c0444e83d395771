"""Staff correct the partner directory in the browser: rename, add a name, merge, split, mark
as our own unit or not an organisation, undo; and review suggested merges.

Every form needs a signed-in session and its CSRF token (the admin blueprint's check). Each
change is written to corpus/partners.toml and applied before the reply, so the page that
follows, and every search, already shows it.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from indexer import (
    Curated,
    CuratedEditor,
    CuratedError,
    EditError,
    History,
    IndexBusy,
    PartnerRef,
    suggestions,
)
from indexer.locale import Message

from .admin import LOCK_WAIT_SECONDS, require_admin, safe_path
from .auth import signed_in
from .i18n import gettext, said
from .views import ApiError, search_index

log = logging.getLogger(__name__)
bp = Blueprint("curation", __name__)
bp.before_request(require_admin)


def editor() -> CuratedEditor:
    """The corrections of the signed-in person (require_admin has made sure there is one)."""
    config = current_app.config
    return CuratedEditor(Path(config["CORPUS_DIR"]), Path(config["INDEX_DIR"]),
                         LOCK_WAIT_SECONDS, author=signed_in())  # fmt: skip


def can_undo() -> bool:
    """Whether the signed-in person has a change of their own to undo."""
    name = signed_in()
    return bool(name) and History(Path(current_app.config["CORPUS_DIR"])).last_own(name) is not None


def _partner(slug_or_name: str) -> dict:
    """A partner of the live directory by its slug, or by one of its names."""
    partner = search_index().generation().partners.find(slug_or_name)
    if partner is None:
        raise ApiError(404, "not_found", Message("no_partner_id"))
    return partner


def _ref(partner: dict) -> PartnerRef:
    return PartnerRef(partner["name"], tuple(partner["names"]))


def _apply(change, done: str, back: str, then: str | None = None):
    """Run one correction; flash what happened; back to the page, or to the partner named then."""
    try:
        change()
    except EditError as error:
        flash(said(error.said), "error")
        return redirect(back, 303)
    except CuratedError as error:
        flash(f"{gettext('curated_error')}: {error}", "error")
        return redirect(back, 303)
    except IndexBusy:
        flash(gettext("busy_change"), "error")
        return redirect(back, 303)
    flash(done, "done")
    if then is not None:
        partner = search_index().generation().partners.find(then)
        back = url_for("partners.partner_page", slug=partner["slug"]) if partner else back
    return redirect(back, 303)


def _field(name: str) -> str:
    return request.form.get(name, "")


@bp.post("/partners/<slug>/rename")
def rename(slug: str):
    partner, new_name = _partner(slug), _field("name")
    change = partial(editor().rename, _ref(partner), new_name)
    return _apply(change, gettext("done_rename", name=new_name), _page(slug), then=new_name)


@bp.post("/partners/<slug>/names")
def add_name(slug: str):
    partner, name = _partner(slug), _field("name")
    change = partial(editor().add_name, _ref(partner), name)
    return _apply(change, gettext("done_add_name", name=name), _page(slug), then=partner["name"])


@bp.post("/partners/<slug>/merge")
def merge(slug: str):
    partner = _partner(slug)
    into = _partner_or_none(_field("into"))
    if into is None:
        flash(gettext("no_partner_named", name=_field("into")), "error")
        return redirect(_page(slug), 303)
    change = partial(editor().merge, _ref(partner), _ref(into))
    return _apply(change, gettext("done_merge", into=into["name"]), _page(slug), then=into["name"])


@bp.post("/partners/<slug>/split")
def split(slug: str):
    partner, name = _partner(slug), _field("name")
    change = partial(editor().split, _ref(partner), name)
    return _apply(change, gettext("done_split", name=name), _page(slug), then=partner["name"])


@bp.post("/partners/<slug>/mark")
def mark(slug: str):
    partner, kind = _partner(slug), _field("kind")
    done = gettext("done_mark_own" if kind == "own" else "done_mark_not_org")
    change = partial(editor().mark, _ref(partner), kind)
    return _apply(change, done, url_for("partners.index_page"))


@bp.post("/partners/undo")
def undo():
    back = safe_path(_field("back"), url_for("partners.index_page"))  # never off-site
    return _apply(editor().undo, gettext("done_undo"), back)


@bp.get("/partners/review")
def review_page():
    generation = search_index().generation()
    try:
        curated = Curated.load(Path(current_app.config["CORPUS_DIR"]))
    except CuratedError:
        curated = Curated()
    listed = suggestions(generation.partners.partners, curated)
    return render_template("review.html", suggestions=listed, can_undo=can_undo())


@bp.post("/partners/review/accept")
def accept():
    one, other = _partner(_field("one")), _partner(_field("other"))
    change = partial(editor().merge, _ref(other), _ref(one))
    return _apply(change, gettext("done_accept", other=other["name"], one=one["name"]), _review())


@bp.post("/partners/review/dismiss")
def dismiss():
    one, other = _partner(_field("one")), _partner(_field("other"))
    change = partial(editor().dismiss, one["name"], other["name"])
    return _apply(change, gettext("done_dismiss"), _review())


def _partner_or_none(slug_or_name: str) -> dict | None:
    try:
        return _partner(slug_or_name)
    except ApiError:
        return None


def _page(slug: str) -> str:
    return url_for("partners.partner_page", slug=slug)


def _review() -> str:
    return url_for("curation.review_page")
