"""The web app: search page, document view and JSON API over the live index."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from indexer import SearchIndex
from indexer.report import MAX_ROWS
from indexer.search.cache import MAX_RESULTS

from . import (
    admin,
    api,
    auth,
    curation,
    digests,
    dispatch,
    errors,
    exports,
    history,
    i18n,
    pages,
    partners,
    security,
)

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None) -> Flask:
    """The Flask app over the index in INDEX_DIR (env DIGEST_SEARCH_INDEX, default var/index)."""
    app = Flask(__name__)
    app.config.from_mapping(
        INDEX_DIR=os.environ.get("DIGEST_SEARCH_INDEX", "var/index"),
        CORPUS_DIR=os.environ.get("DIGEST_SEARCH_CORPUS", "corpus"),
        ADMIN_TOKEN=auth.configured_token(os.environ.get(auth.TOKEN_VARIABLE)),
        # Uploads are checked against their own limits (admin.py); this leaves room for the form.
        MAX_CONTENT_LENGTH=admin.MAX_REQUEST_BYTES + 1024 * 1024,
        JSON_AS_ASCII=False,
        # Passages one export or feed holds at the most (DIGEST_SEARCH_EXPORT_ROWS).
        EXPORT_ROWS=int(os.environ.get("DIGEST_SEARCH_EXPORT_ROWS", MAX_ROWS)),
        # Recent searches each worker keeps per generation (DIGEST_SEARCH_RESULT_CACHE; 0: none).
        RESULT_CACHE=int(os.environ.get("DIGEST_SEARCH_RESULT_CACHE", MAX_RESULTS)),
    )
    if test_config:
        app.config.update(test_config)
    # Resolved once: a relative default means the folder the server was started in.
    for name in ("INDEX_DIR", "CORPUS_DIR"):
        app.config[name] = str(Path(app.config[name]).resolve())
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # One index handle for the app's life: searchers are reused, and reopened on new generations.
    app.extensions["search_index"] = SearchIndex(Path(app.config["INDEX_DIR"]),
                                                 cached=app.config["RESULT_CACHE"])  # fmt: skip
    i18n.init_app(app)
    auth.init_app(app)
    dispatch.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(digests.bp)
    app.register_blueprint(partners.bp)
    app.register_blueprint(curation.bp)
    app.register_blueprint(history.bp)
    app.register_blueprint(exports.bp)
    return app
