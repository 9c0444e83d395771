"""The JSON API over HTTP against `digest-search serve`: contract, limits, errors, freshness."""

import asyncio
import json
import shutil
import subprocess
from urllib.parse import quote

import pytest

from tests.harness import CLI, CORPUS, RESULT_FIELDS, ROOT, ZJU_DOC, LiveServer
from webapp.dispatch import Dispatcher

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def test_search_returns_the_cli_contract(live_server):
    status, data = live_server.json("/api/search?q=" + quote("Zhejiang University") + "&limit=5")
    assert status == 200
    cli = subprocess.run(
        [*CLI, "search", "Zhejiang University", "--limit", "5", "--json",
         "--index", str(live_server.index_dir)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    expected = json.loads(cli.stdout)
    for result in (data, expected):
        result.pop("took_ms")
    assert data == expected
    assert all(set(hit) == RESULT_FIELDS for hit in data["results"])


def test_search_parameters(live_server):
    _, passages = live_server.json("/api/search?q=SPbPU&passages=1&limit=3&page=2")
    assert len(passages["results"]) == 3 and all(h["more_in_doc"] == 0 for h in passages["results"])
    _, dated = live_server.json("/api/search?q=SPbPU&from=2023-10-01&to=2023-10-31")
    assert {h["date"] for h in dated["results"]} == {"2023-10-25"}
    _, russian = live_server.json("/api/search?q=SPbPU&lang=ru")
    assert russian["total"] == 0


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/search", 400, "missing_query"),
        ("/api/search?q=" + "a" * 501, 413, "query_too_long"),
        ("/api/search?q=x&limit=101", 400, "bad_parameter"),
        ("/api/search?q=x&limit=0", 400, "bad_parameter"),
        ("/api/search?q=x&limit=ten", 400, "bad_parameter"),
        ("/api/search?q=x&page=1001", 400, "bad_parameter"),
        ("/api/search?q=x&lang=fr", 400, "bad_parameter"),
        ("/api/search?q=x&from=yesterday", 400, "bad_parameter"),
        ("/api/search?q=" + quote("lang:xx x"), 400, "bad_query"),
        ("/api/search?q=" + quote("-only"), 400, "bad_query"),
        ("/api/doc/no-such-digest", 404, "not_found"),
        ("/api/nothing-here", 404, "not_found"),
    ],
)
def test_errors_have_one_shape(live_server, path, status, code):
    got, headers, body = live_server.get(path)
    assert got == status
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "error": {"code": code, "message": json.loads(body)["error"]["message"]}
    }
    assert json.loads(body)["error"]["message"]


@pytest.mark.parametrize(
    "path",
    ["/doc/..%2F..%2Fetc%2Fpasswd", "/doc/../../etc/passwd", "/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
     "/doc/..%252F..%252Fetc%252Fpasswd", "/api/doc/..%2F..%2Fetc%2Fpasswd", "/doc/%00",
     "/static/..%2F..%2Fpyproject.toml", "/doc/" + "a" * 300],
)  # fmt: skip
def test_path_tricks_are_404(live_server, path):
    status, _, body = live_server.get(path)
    assert status == 404
    assert b"root:" not in body and b"[project]" not in body


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "((((", "OR OR", "NOT", "*", "\x00\x1b", "date:..", "title:", ")(" * 200,
     "<script>alert(1)</script>", "%", "a" * 500],
)  # fmt: skip
def test_hostile_queries_never_500(live_server, query):
    status, _, body = live_server.get("/api/search?q=" + quote(query))
    assert status in (200, 400)
    data = json.loads(body)
    assert "results" in data or "error" in data
    assert all("<script" not in hit["snippet"] for hit in data.get("results", []))


def test_doc_and_health(live_server):
    status, doc = live_server.json(f"/api/doc/{ZJU_DOC}")
    assert status == 200
    assert doc["doc_id"] == ZJU_DOC and doc["date"] == "2023-06-06"
    assert set(doc["passages"][0]) == {"passage_id", "kind", "heading", "text", "lang", "position"}
    _, health = live_server.json("/api/health")
    assert health["status"] == "ok" and health["digests"] == 4
    assert health["generation"].startswith("gen-") and health["updated"]


def test_security_headers_everywhere(live_server):
    for path in ("/", "/api/health", "/api/search", f"/doc/{ZJU_DOC}", "/nowhere"):
        _, headers, _ = live_server.get(path)
        for name in SECURITY_HEADERS:
            assert name in headers, (path, name)
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "unsafe-inline" not in headers["Content-Security-Policy"]


def asgi_get(dispatcher, target: str) -> tuple[int, dict, bytes]:
    """One GET through the ASGI dispatcher, as gunicorn's asyncio worker sends it."""
    path, _, query = target.partition("?")
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": query.encode(),
             "root_path": "", "headers": [(b"host", b"127.0.0.1")],
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000)}  # fmt: skip
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(dispatcher(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


def test_a_search_beyond_the_queue_is_429_while_health_answers(app):
    full = Dispatcher(app, threads=1, queue=0)  # as if every place were taken
    for target in ("/api/search?q=Geely", "/search?q=Geely", "/?q=Geely"):
        status, headers, body = asgi_get(full, target)
        assert status == 429 and headers["retry-after"] == "1", target
    status, _, body = asgi_get(full, "/api/search?q=Geely")
    assert json.loads(body)["error"]["code"] == "too_many_requests"
    status, _, body = asgi_get(full, "/api/health")  # answered, and truthful: searches refused
    health = json.loads(body)
    assert status == 503 and health["status"] == "busy"
    assert health["searches"]["refused_last_minute"] == 4 and health["digests"] == 4
    assert asgi_get(full, "/")[0] == 200  # the home page runs no search
    calm = Dispatcher(app, threads=1)
    assert asgi_get(calm, "/api/search?q=Geely")[0] == 200
    status, _, body = asgi_get(calm, "/api/health")
    assert status == 200 and json.loads(body)["searches"] == {
        "running": 0,
        "capacity": 4,
        "oldest_seconds": 0.0,
        "refused_last_minute": 0,
    }


def test_new_generation_is_served_without_restart(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    server = LiveServer(corpus, tmp_path / "index")
    try:
        _, before = server.json("/api/search?q=Volkswagen")
        assert before["total"] == 0
        (corpus / "new.txt").write_text(
            "New digest\n\nVolkswagen visited SPbPU.\n", encoding="utf-8"
        )
        subprocess.run([*CLI, "index", "--corpus", str(corpus), "--index", str(tmp_path / "index")],
                       cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        _, after = server.json("/api/search?q=Volkswagen")
        assert after["total"] == 1
        _, health = server.json("/api/health")
        assert health["digests"] == 3
    finally:
        server.stop()
