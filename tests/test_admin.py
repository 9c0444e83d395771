"""Uploads over HTTP to a running server: token, limits, types, and the index following."""

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from tests.harness import ADMIN_TOKEN, SHANGHAI_DOC, STAFF, ZJU_DOC, upload, wait_until
from tests.harness.writes import bearer, multipart


def snapshot(folder) -> dict:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


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
        ("a.txt", b"Title\n\n" + b"word " * (2 * 1024 * 1024 + 10), bearer(), 413, "too_large"),
        ("a.odp", b"PK\x03\x04", bearer(), 415, "unsupported_type"),
        ("a.docx", b"PK\x03\x04", bearer(), 400, "bad_digest"),  # a broken Word file
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


def test_upload_page_asks_to_sign_in_first(server):
    status, headers, _ = server.get("/admin/upload")
    assert status == 302 and headers["Location"] == "/admin/login?next=/admin/upload"
    status, _, body = server.get("/admin/login?next=/admin/upload")
    assert status == 200 and b'name="password"' in body and b'name="csrf_token"' in body


def post_json(server, payload, headers=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    status, _, response = server.request(
        "POST",
        "/api/digests",
        body,
        {"Content-Type": "application/json", **bearer(), **(headers or {})},
    )
    return status, json.loads(response)


def test_an_upload_never_takes_over_an_existing_digest(server):
    before = server.json(f"/api/doc/{ZJU_DOC}")[1]
    record = json.dumps({"id": ZJU_DOC, "title": "Takeover", "text": "Short."}).encode()
    status, data = upload(server, "takeover.jsonl", record, bearer())
    assert status == 409 and data["error"]["code"] == "id_conflict"
    assert ZJU_DOC in data["error"]["message"]
    status, data = post_json(server, {"title": "2023-10-25 Shanghai office: spring-summer 2023",
                                      "text": "Dongfeng visited."})  # fmt: skip
    assert status == 201 and data["digests"][0]["doc_id"] == f"{SHANGHAI_DOC}-2"
    assert server.json(f"/api/doc/{ZJU_DOC}")[1] == before
    assert server.total("Geely") > 0 and server.total("Dongfeng") == 1


RACERS = ("Haval", "Exeed", "Jaecoo")
KEEPERS = ("Jetour", "Changan", "Kaiyi", "Livan", "Omoda")


def test_simultaneous_uploads_with_one_title_get_distinct_ids(server):
    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(
            lambda racer: post_json(server, {"title": "Race title", "text": f"{racer} visited."}),
            RACERS))  # fmt: skip
    assert [status for status, _ in answers] == [201, 201, 201]
    ids = {data["digests"][0]["doc_id"] for _, data in answers}
    assert ids == {"race-title", "race-title-2", "race-title-3"}
    assert [server.total(racer) for racer in RACERS] == [1, 1, 1]


def test_records_of_one_export_are_edited_one_at_a_time(server):
    words = ("Baikal", "Kamaz", "Sollers", "Avtotor", "Gazelle", "Moskvich")
    for round_ in range(2):
        export = "".join(
            json.dumps({"id": f"r{round_}x{n}", "title": f"Record {n}", "text": f"{w} came."})
            + "\n"
            for n, w in enumerate(words)
        )
        status, _ = upload(server, f"export-{round_}.jsonl", export.encode(), bearer())
        assert status == 201
        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(
                lambda n, r=round_: server.request("DELETE", f"/api/digests/r{r}x{n}",
                                                   headers=bearer())[0], range(6)))  # fmt: skip
        assert statuses == [200] * 6
        assert not (server.corpus / f"export-{round_}.jsonl").exists()
        assert [server.total(w) for w in words] == [0] * 6


def test_put_of_one_record_keeps_the_others(server):
    export = "".join(json.dumps({"id": f"keep{n}", "text": f"{w} here."}) + "\n"
                     for n, w in enumerate(KEEPERS))  # fmt: skip
    assert upload(server, "keepers.jsonl", export.encode(), bearer())[0] == 201
    status, _, _ = server.request("PUT", "/api/digests/keep2", json.dumps(
        {"title": "Keeper two", "text": "Voyah instead."}).encode(),
        {"Content-Type": "application/json", **bearer()})  # fmt: skip
    assert status == 200
    assert [server.total(w) for w in KEEPERS] == [1, 1, 0, 1, 1]
    assert server.total("Voyah") == 1


@pytest.mark.parametrize(
    "body",
    [b"[" * 100_000 + b"]" * 100_000, b'{"title": ', b"[1, 2]"],
    ids=["nested-100000-deep", "cut-off", "not-an-object"],
)
def test_malformed_json_bodies_are_400(server, body):
    status, data = post_json(server, body)
    assert status == 400 and data["error"]["code"] in ("bad_json", "bad_request")


def test_the_reply_and_the_pages_do_not_grow_with_an_upload(server):
    before = len(server.get("/")[2])
    export = "".join(json.dumps({"id": f"tiny{n}", "text": f"Tiny record {n}."}) + "\n"
                     for n in range(2000))  # fmt: skip
    status, data = upload(server, "tiny.jsonl", export.encode(), bearer())
    assert status == 201
    assert len(data["digests"]) == 50 and data["more_digests"] == 1950
    assert len(server.get("/")[2]) - before < 2000
    status, found = server.json("/api/digests?q=tiny&limit=5")
    assert status == 200 and found["total"] == 2000 and len(found["digests"]) == 5


def form_token(body: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()


def sign_in(server, name: str, password: str, next_path: str = "/admin/upload"):
    """Sign in through the form: the status, the session cookie and the form's CSRF token."""
    _, headers, body = server.get("/admin/login")
    cookie = headers["Set-Cookie"].split(";")[0]
    form = urlencode({"name": name, "password": password, "csrf_token": form_token(body),
                      "next": next_path})  # fmt: skip
    status, headers, _ = server.request("POST", "/admin/login", form.encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})  # fmt: skip
    session = headers.get("Set-Cookie", cookie).split(";")[0]
    _, headers, page = server.get("/admin/upload", {"Cookie": session})
    session = headers.get("Set-Cookie", session).split(";")[0]  # the form's token is in it
    return status, session, form_token(page) if b"csrf_token" in page else ""


def test_staff_sign_in_once_and_forms_need_their_csrf_token(server):
    status, session, csrf = sign_in(server, " Anna ", STAFF["Anna"])  # typed with stray spaces
    assert status == 302
    body, content_type = multipart("signed-in.txt", b"Signed in\n\nJMEV came.\n")
    headers = {**content_type, "Cookie": session}
    assert server.request("POST", "/admin/upload", body, headers)[0] == 400  # no CSRF token
    body, content_type = multipart("signed-in.txt", b"Signed in\n\nJMEV came.\n", csrf_token=csrf)
    assert (
        server.request("POST", "/admin/upload", body, {**content_type, "Cookie": session})[0] == 201
    )
    assert server.total("JMEV") == 1


def test_the_session_cookie_is_strict_and_hidden_from_scripts(server):
    _, headers, _ = server.get("/admin/login")
    cookie = headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    status, _, _ = sign_in(server, "Anna", "wrong")
    assert status == 403


@pytest.mark.parametrize("secret", [" ", "\t \n", ADMIN_TOKEN])
def test_a_blank_password_or_the_token_never_signs_in(server, secret):
    status, session, _ = sign_in(server, "Anna", secret)
    assert status == 403
    assert server.get("/admin/upload", {"Cookie": session})[0] == 302


def test_the_bearer_token_is_normalised_like_the_form(server):
    status, _ = upload(server, "padded.txt", b"Padded\n\nSeres came.\n",
                       {"Authorization": f"Bearer  {ADMIN_TOKEN} "})  # fmt: skip
    assert status == 201
