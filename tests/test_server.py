"""The served app under faults: slow clients, expensive queries, restarts, lost indexes."""

import json
import os
import shutil
import signal
import subprocess
from urllib.parse import quote

import pytest

from indexer.index import store
from indexer.search import budget
from tests.harness import ADMIN_TOKEN, CLI, CORPUS, ROOT, LiveServer, bearer, upload, wait_until
from tests.harness.writes import EXPENSIVE


@pytest.fixture
def fresh(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    servers = []

    def start(*extra, env=None):
        servers.append(LiveServer(tmp_path / "corpus", tmp_path / "index", *extra, env=env))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@pytest.mark.parametrize("path", ["/api/search?q=", "/search?q="])
def test_a_query_beyond_the_budget_is_refused_with_what_to_narrow(live_server, path):
    status, _, body = live_server.get(path + quote(EXPENSIVE))
    assert status == 400
    assert b"prefix searches" in body


def test_a_prefix_standing_for_too_many_words_is_refused(tmp_path, fresh):
    words = " ".join(f"zq{n:04d}" for n in range(400))
    (tmp_path / "corpus" / "many.txt").write_text(f"Many\n\n{words}.\n", encoding="utf-8")
    server = fresh()
    status, error = server.json("/api/search?q=zq*")
    assert status == 400 and "more than 300 words" in error["error"]["message"]
    assert server.json("/api/search?q=zq01*")[0] == 200  # 100 words: within the budget


def test_method_not_allowed_says_what_is_allowed(live_server):
    status, headers, body = live_server.request("DELETE", "/api/search?q=x")
    assert status == 405 and "GET" in headers["Allow"]
    assert json.loads(body)["error"]["code"] == "method_not_allowed"


def test_language_links_never_leave_the_site(live_server):
    status, _, body = live_server.get("/%5Cevil.example")
    assert status == 404
    assert b'href="/\\evil.example' not in body and b"evil.example" not in body
    _, _, body = live_server.get("/search?q=Zhejiang&lang=en")
    assert b'href="/search?q=Zhejiang&amp;lang=en&amp;ui=ru"' in body


@pytest.mark.parametrize("token", ["  \t", "x", "a" * 23])
def test_a_blank_or_short_admin_token_refuses_to_start(tmp_path, token):
    """A one-character token was accepted as the admin token."""
    done = subprocess.run(
        [*CLI, "serve", "--port", "0", "--index", str(tmp_path / "i"), "--corpus", str(CORPUS)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "DIGEST_SEARCH_ADMIN_TOKEN": token},
    )  # fmt: skip
    assert done.returncode == 2 and "at least 24 characters" in done.stderr
    assert "secrets.token_urlsafe(32)" in done.stderr


def test_a_restart_after_kill_catches_up_and_clears_unfinished_uploads(tmp_path, fresh):
    server = fresh(env={"DIGEST_SEARCH_ADMIN_TOKEN": ADMIN_TOKEN})
    first = store.current_generation(server.index_dir).name
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=30)
    # What a kill -9 mid-upload leaves: the linked file, never indexed, and its scratch copy.
    corpus = tmp_path / "corpus"
    (corpus / "linked.txt").write_text("Linked\n\nAvatr came.\n", encoding="utf-8")
    (corpus / ".upload-linked.x1y2z3.txt").write_text("Linked\n\nAva", encoding="utf-8")
    restarted = fresh(env={"DIGEST_SEARCH_ADMIN_TOKEN": ADMIN_TOKEN})
    wait_until(lambda: restarted.total("Avatr") == 1, what="the file linked before the kill")
    assert not list(corpus.glob(".upload-*"))
    manifest = store.read_manifest(store.current_generation(restarted.index_dir))
    assert manifest.digests == 3 and first != store.current_generation(restarted.index_dir).name


def test_a_lost_index_is_rebuilt_without_watch(fresh):
    server = fresh()
    shutil.rmtree(server.index_dir)
    status, error = server.json("/api/health")
    assert status == 503 and error["error"]["code"] == "no_index"
    wait_until(lambda: server.json("/api/health")[0] == 200, what="the index being rebuilt")
    assert server.total("Geely") > 0


def test_writes_on_a_read_only_corpus_answer_503_with_the_reason(tmp_path, fresh):
    server = fresh(env={"DIGEST_SEARCH_ADMIN_TOKEN": ADMIN_TOKEN})
    corpus = str(tmp_path / "corpus")
    mounted = subprocess.run(["mount", "--bind", corpus, corpus], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot make a read-only folder here: {mounted.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", corpus, corpus], check=True)
        status, data = upload(server, "ro.txt", b"Read only\n\nText.\n", bearer())
        assert status == 503 and data["error"]["code"] == "cannot_write"
        assert "Read-only file system" in data["error"]["message"]
    finally:
        subprocess.run(["umount", corpus], check=True)


@pytest.mark.parametrize("path", ["/search.csv?q=Zhejiang", "/search.xlsx?q=Zhejiang",
                                  "/search.atom?q=Zhejiang", "/api/search?q=Zhejiang"])  # fmt: skip
def test_the_budget_covers_the_whole_query_exports_included(client, monkeypatch, path):
    """With no time at all, even a cheap query is refused: the budget is checked between the
    stages and per hit, not only while matches are collected (every 256 of them)."""
    monkeypatch.setattr(budget, "SEARCH_SECONDS", 0.0)
    reply = client.get(path)
    assert reply.status_code == 400 and "needs more than" in reply.get_json()["error"]["message"]
    monkeypatch.undo()
    assert client.get(path).status_code == 200


def test_stopping_the_server_closes_each_workers_index_without_a_traceback(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    server = LiveServer(tmp_path / "corpus", tmp_path / "index", "--workers", "2", quiet=False)
    assert server.total("Zhejiang") > 0
    printed = server.stop()
    assert "Traceback" not in printed and "AttributeError" not in printed, printed
