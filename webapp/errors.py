"""One error shape everywhere: JSON {"error": {"code", "message"}} for the API, a page otherwise."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer import NoIndex, catch_up

from .i18n import error_text, gettext, words
from .views import ApiError

log = logging.getLogger(__name__)


# Feeds, exports and briefs are read by programs: their errors are the JSON error too.
_MACHINE_SUFFIXES = (".atom", ".csv", ".xlsx", ".docx", ".json")


def init_app(app) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(NoIndex, _no_index)
    app.register_error_handler(Exception, _unexpected)


def respond(status: int, code: str, message: str):
    """The error as JSON under /api/, as a page elsewhere."""
    if request.path.startswith("/api/") or request.path.endswith(_MACHINE_SUFFIXES):
        response = jsonify({"error": {"code": code, "message": message}})
    else:
        response = render_template("error.html", status=status, code=code, message=message)
    return response, status


def _api_error(exc: ApiError):
    response, status = respond(exc.status, exc.code, error_text(exc))
    if status == 429:
        return response, status, {"Retry-After": str(exc.retry_after)}
    return response, status


def _http_error(exc: HTTPException):
    code = (exc.name or "error").lower().replace(" ", "_")
    key = f"http_{exc.code}"
    message = gettext(key) if words().has(key) else exc.description or exc.name
    response, status = respond(exc.code or 500, code, message)
    # Keep what the exception says in its headers: a 405's Allow, above all.
    extra = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
    return response, status, extra


_REBUILDING = threading.Lock()  # one rebuild at a time from this worker


def _no_index(exc: NoIndex):
    log.error("no index to search: %s", exc)
    _rebuild(Path(current_app.config["CORPUS_DIR"]), Path(current_app.config["INDEX_DIR"]))
    return respond(503, "no_index", gettext("being_built"))


def _rebuild(corpus: Path, index_dir: Path) -> None:
    """Build the lost index in the background (the writer lock keeps it to one builder)."""
    if not corpus.is_dir() or not _REBUILDING.acquire(blocking=False):
        return

    def build() -> None:
        try:
            catch_up(corpus, index_dir)
        except Exception:
            log.exception("rebuilding the index in %s failed", index_dir)
        finally:
            _REBUILDING.release()

    threading.Thread(target=build, name="index-rebuild", daemon=True).start()


def _unexpected(exc: Exception):
    log.exception("unexpected error on %s", request.path)
    return respond(500, "internal_error", gettext("internal_error"))
