"""The history of corrections to the partner directory: every change, who made it and when,
what it did, and the file before it; on /partners/history, its JSON twin, and on each
partner's page the changes that touched that partner."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for

from indexer import Change, History

from .i18n import gettext
from .views import ApiError, search_index

bp = Blueprint("history", __name__)

PAGE_CHANGES = 200  # the newest changes /partners/history lists
PARTNER_CHANGES = 20  # and a partner's page


def history() -> History:
    return History(Path(current_app.config["CORPUS_DIR"]))


def changes_view(names=None, limit: int = PAGE_CHANGES) -> list[dict]:
    """The newest changes (those touching one of names, when given), each as the page shows
    it: its words in the reader's language, the partner it was made on, what undid it, and
    whether the file was edited by hand just before it."""
    kept = history()
    changes = kept.changes()
    undone_by = {c.undoes: c.number for c in changes if c.undoes is not None}
    after_of = {c.number: c.after for c in changes}
    chosen = kept.about(names) if names is not None else list(reversed(changes))
    directory = search_index().generation().partners
    return [_row(c, directory, undone_by, after_of) for c in chosen[:limit]]


def _row(change: Change, directory, undone_by: dict, after_of: dict) -> dict:
    subject = directory.find(change.subject)
    detail = change.detail if change.action != "undo" else f"№{change.detail}"
    return {
        "number": change.number,
        "at": change.at,
        "author": change.author,
        "action": change.action,
        "text": gettext(f"history_{change.action}", subject=change.subject, detail=detail),
        "partner": {"slug": subject["slug"], "name": subject["name"]} if subject else None,
        "undoes": change.undoes,
        "undone_by": undone_by.get(change.number),
        "hand_edit_before": change.number > 1
        and after_of.get(change.number - 1, change.before) != change.before,
        "before_url": url_for("history.before_file", number=change.number),
    }


def edited_by_hand() -> bool:
    path = Path(current_app.config["CORPUS_DIR"]) / "partners.toml"
    return history().edited_by_hand(path.read_text(encoding="utf-8") if path.exists() else "")


@bp.get("/partners/history")
def history_page():
    return render_template("history.html", changes=changes_view(), hand_edit=edited_by_hand(),
                           json_url=url_for("history.api_history"))  # fmt: skip


@bp.get("/api/partners/history")
def api_history():
    return jsonify({"changes": changes_view(), "edited_by_hand_since": edited_by_hand()})


@bp.get("/partners/history/<int:number>/before.toml")
def before_file(number: int):
    """partners.toml as it stood before one change."""
    change = history().get(number)
    text = history().text(change.before) if change else None
    if text is None:
        raise ApiError(404, "not_found", "There is no such change, or its file is not kept.")
    disposition = f'attachment; filename="partners-before-{number}.toml"'
    return Response(text, mimetype="application/toml",
                    headers={"Content-Disposition": disposition})  # fmt: skip
