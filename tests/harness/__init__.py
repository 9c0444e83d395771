"""What the tests and the benchmarks share: the live server, paths of the seed corpus and of
the shared data, waiting for a condition, and the reliability scenarios (faults, hostile
digests, writes). Tests get fixtures from conftest.py and everything else from here, by name.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from indexer import SearchIndex, update_index
from tests.harness.server import CLI, ROOT, LiveServer, at_once, free_port, send
from tests.harness.writes import STAFF, bearer, multipart
from tests.harness.writes import TOKEN as ADMIN_TOKEN
from tests.harness.writes import admin_server as writes_admin_server

CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
# Browser screenshots go to an ignored folder; DIGEST_SEARCH_SCREENSHOTS=docs/screenshots
# refreshes the README's (see the README), so a test run never leaves the work tree changed.
SCREENSHOTS = Path(os.environ.get("DIGEST_SEARCH_SCREENSHOTS", ROOT / "tests" / "artifacts"))
ZJU_DOC = "2023-06-06-china-route-rector-visit"
SHANGHAI_DOC = "2023-10-25-shanghai-office-spring-summer-2023"
# The search JSON's keys, in order (the `digest-search search --json` and /api/search contract).
SEARCH_FIELDS = ("query", "total", "took_ms", "suggestion", "partner", "partner_choices", "results")
RESULT_FIELDS = {
    "doc_id", "passage_id", "title", "heading", "date", "lang", "score", "text", "snippet",
    "url", "more_in_doc", "matched_as", "match", "heading_snippet",
}  # fmt: skip


def shared_data(name: str) -> Path:
    """A folder of ../shared/data, or skip the test with a clear message."""
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"{path} is absent: this test needs the shared evaluation data")
    return path


def upload(server, filename: str, data: bytes, headers: dict | None = None):
    body, content_type = multipart(filename, data)
    status, _, response = server.request(
        "POST", "/api/digests", body, {**content_type, **(headers or {})}
    )
    return status, json.loads(response)


def admin_server(root: Path) -> LiveServer:
    """A server over a copy of the seeds in root, with the admin token and two staff accounts
    (writes.STAFF), the corpus watched (uploads, corrections and files dropped in all apply)."""
    return writes_admin_server(root, CORPUS, quiet=False)


def fixture_index(root: Path, fixture: str) -> SearchIndex:
    """A real index of one fixture corpus of tests/fixtures, built in root."""
    shutil.copytree(FIXTURES / fixture, root / "corpus")
    update_index(root / "corpus", root / "index")
    return SearchIndex(root / "index")


def indexed_texts(root: Path, texts: dict[str, str]) -> Path:
    """A real index (root/index) of a corpus (root/corpus) holding these files' texts."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    update_index(corpus, root / "index")
    return root / "index"


def wait_until(condition, seconds: float = 30.0, what: str = "the condition") -> None:
    """Poll condition() until it is true, failing after a deadline (never sleep-and-hope)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:g} s")
        time.sleep(0.1)


__all__ = [
    "ADMIN_TOKEN",
    "CLI",
    "CORPUS",
    "FIXTURES",
    "RESULT_FIELDS",
    "ROOT",
    "SCREENSHOTS",
    "SEARCH_FIELDS",
    "SHANGHAI_DOC",
    "SHARED_DATA",
    "STAFF",
    "ZJU_DOC",
    "LiveServer",
    "admin_server",
    "at_once",
    "bearer",
    "fixture_index",
    "free_port",
    "indexed_texts",
    "multipart",
    "send",
    "shared_data",
    "upload",
    "wait_until",
]
