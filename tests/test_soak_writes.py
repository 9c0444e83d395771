"""Eight clients changing the corpus at once over HTTP: every answer documented, nothing lost,
the corpus, the manifest and Whoosh agreeing afterwards."""

import json
import random
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ADMIN_TOKEN, CORPUS, LiveServer
from test_admin import bearer, multipart
from whoosh.filedb.filestore import FileStorage

from indexer import store
from indexer.build import corpus_files
from indexer.digest import Digest
from indexer.readers import read

pytestmark = pytest.mark.slow
CLIENTS, OPERATIONS = 8, 100
DOCUMENTED = {200, 201, 404, 409}  # 404: deleted meanwhile; 409: an id that is taken


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    root = tmp_path_factory.mktemp("busy")
    shutil.copytree(CORPUS, root / "corpus")
    server = LiveServer(root / "corpus", root / "index", "--watch",
                        env={"DIGEST_SEARCH_ADMIN_TOKEN": ADMIN_TOKEN})  # fmt: skip
    yield server
    server.stop()


def operation(server, number: int, created: list[tuple[str, str]]) -> tuple[str, int]:
    """One of the changes staff and scripts make, chosen by number."""
    rng = random.Random(number)
    kind = rng.choice(["json", "json", "file", "export", "put", "delete", "takeover"])
    if kind in ("put", "delete") and created:
        doc_id, made_as = rng.choice(created)
        if kind == "delete":
            return kind, server.request("DELETE", f"/api/digests/{doc_id}", headers=bearer())[0]
        if made_as == "file":  # a file takes a file; a record its fields
            body, headers = multipart("x.txt", f"Changed\n\nSoakword changed {number}.\n".encode())
        else:
            body = json.dumps({"title": "Changed", "text": f"Soakword changed {number}."}).encode()
            headers = {"Content-Type": "application/json"}
        return kind, server.request("PUT", f"/api/digests/{doc_id}", body,
                                    {**headers, **bearer()})[0]  # fmt: skip
    if kind == "export":
        lines = "".join(json.dumps({"id": f"soak-{number}-{n}", "text": f"Soakword {n}."}) + "\n"
                        for n in range(3))  # fmt: skip
        body, headers = multipart(f"soak-{number}.jsonl", lines.encode())
    elif kind == "takeover":
        line = json.dumps({"id": "2023-06-06-china-route-rector-visit", "text": "Soakword."})
        body, headers = multipart("takeover.jsonl", line.encode())
    elif kind == "file":
        body, headers = multipart(
            "soak.txt", f"Soak {number}\n\nSoakword file {number}.\n".encode()
        )
    else:
        body = json.dumps({"title": "Soak title", "text": f"Soakword json {number}."}).encode()
        headers = {"Content-Type": "application/json"}
    status, _, reply = server.request("POST", "/api/digests", body, {**headers, **bearer()})
    if status == 201:
        created.extend((d["doc_id"], kind) for d in json.loads(reply)["digests"])
    return kind, status


def test_mixed_writes_from_eight_clients_lose_nothing(busy):
    created: list[tuple[str, str]] = []
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda n: operation(busy, n, created), range(OPERATIONS)))
    assert {status for _, status in answers} <= DOCUMENTED, answers
    assert ("takeover", 409) in answers
    live = store.current_generation(busy.index_dir)
    manifest = store.read_manifest(live)
    in_corpus = [r for p in corpus_files(busy.corpus) for r in read(p, busy.corpus)]
    assert all(isinstance(r, Digest) for r in in_corpus)
    assert len(in_corpus) == manifest["digests"] == len(manifest["docs"])
    ix = FileStorage(str(live)).open_index()
    try:
        assert ix.doc_count() == manifest["passages"]
    finally:
        ix.close()
    _, found = busy.json("/api/search?passages=1&limit=100&q=Soakword")
    ids = [hit["passage_id"] for hit in found["results"]]
    assert len(ids) == len(set(ids)) and found["total"] == len(ids)
