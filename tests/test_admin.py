"""Uploads over HTTP to a running server: token, limits, types, and the index following."""

import json
import threading
import uuid

import pytest
from conftest import ADMIN_TOKEN, wait_until


def multipart(filename: str, data: bytes, **fields: str) -> tuple[bytes, dict]:
    """A multipart/form-data body with one file and some text fields."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def bearer(token: str = ADMIN_TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def snapshot(folder) -> dict:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def upload(server, filename: str, data: bytes, headers: dict | None = None):
    body, content_type = multipart(filename, data)
    status, _, response = server.request(
        "POST", "/api/digests", body, {**content_type, **(headers or {})}
    )
    return status, json.loads(response)


def test_upload_is_stored_and_searchable(server):
    status, data = upload(server, "geely visit.txt", b"Geely visit\n\nThe Lynk brand came.\n",
                          bearer())  # fmt: skip
    assert status == 201
    (digest,) = data["digests"]
    assert data["source"] == "geely-visit.txt"
    assert digest["doc_id"] == "geely-visit" and digest["passages"] == ["geely-visit-p1"]
    assert (server.corpus / "geely-visit.txt").exists()
    assert server.total("Lynk") == 1
    # The same name again is stored beside it, never over it.
    status, again = upload(server, "geely visit.txt", b"Geely again\n\nZeekr came.\n", bearer())
    assert status == 201 and again["source"] == "geely-visit-2.txt"
    assert server.total("Lynk") == 1 and server.total("Zeekr") == 1


def test_json_upload_replace_and_delete(server):
    body = json.dumps({"title": "Hongqi talks", "text": "Hongqi met SPbPU.", "date": "2024-03-01"})
    headers = {"Content-Type": "application/json", **bearer()}
    status, _, response = server.request("POST", "/api/digests", body.encode(), headers)
    assert status == 201
    doc_id = json.loads(response)["digests"][0]["doc_id"]
    assert server.total("Hongqi") == 1
    record = json.dumps({"id": doc_id, "title": "Hongqi talks", "text": "BYD met SPbPU."})
    body, content_type = multipart("x.jsonl", record.encode())
    status, _, _ = server.request(
        "PUT", f"/api/digests/{doc_id}", body, {**content_type, **bearer()}
    )
    assert status == 200
    assert server.total("Hongqi") == 1 and server.total("BYD") == 1  # title kept, text replaced
    status, _, _ = server.request("DELETE", f"/api/digests/{doc_id}", headers=bearer())
    assert status == 200 and server.total("BYD") == 0
    status, _, _ = server.request("DELETE", "/api/digests/no-such-digest", headers=bearer())
    assert status == 404


@pytest.mark.parametrize(
    ("filename", "data", "headers", "status", "code"),
    [
        ("a.txt", b"Title\n\nText.\n", {}, 401, "unauthorized"),
        ("a.txt", b"Title\n\nText.\n", {"Authorization": "Bearer wrong"}, 403, "forbidden"),
        ("a.txt", b"Title\n\n" + b"word " * (1024 * 1024 + 10), bearer(), 413, "too_large"),
        ("a.docx", b"PK\x03\x04", bearer(), 415, "unsupported_type"),
        ("a.txt", b"", bearer(), 400, "bad_digest"),
        ("a.txt", b"\x00\x01binary", bearer(), 400, "bad_digest"),
    ],
)
def test_refused_uploads_leave_the_corpus_unchanged(server, filename, data, headers, status, code):
    before = snapshot(server.corpus)
    got, body = upload(server, filename, data, headers)
    assert (got, body["error"]["code"]) == (status, code)
    assert snapshot(server.corpus) == before


def test_uploads_are_off_without_a_token(live_server):
    status, _, body = live_server.request("POST", "/api/digests", b"{}",
                                          {"Content-Type": "application/json"})  # fmt: skip
    assert status == 404 and json.loads(body)["error"]["code"] == "not_found"
    assert live_server.get("/admin/upload")[0] == 404


def test_upload_and_watch_at_the_same_time(server):
    def drop():
        (server.corpus / "dropped.txt").write_text(
            "Dropped\n\nChery dropped in.\n", encoding="utf-8"
        )

    dropper = threading.Thread(target=drop)
    dropper.start()
    status, _ = upload(server, "uploaded.txt", b"Uploaded\n\nGWM uploaded.\n", bearer())
    dropper.join()
    assert status == 201
    wait_until(lambda: server.total("Chery") == 1 and server.total("GWM") == 1,
               what="both digests being searchable")  # fmt: skip
    assert server.total("Zhejiang") > 0  # the seeds are still there


def test_upload_page_shows_a_form(server):
    status, _, body = server.get("/admin/upload")
    assert status == 200 and b'type="file"' in body and b'name="token"' in body
