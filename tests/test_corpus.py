"""Corpus changes as the one writer: ids protected, records edited one at a time, links kept."""

import json
import os

import pytest

from indexer.index import store
from indexer.index.build import update_index
from indexer.index.corpus import CorpusWriter, IdConflict, UnknownDigest, catch_up
from indexer.search.engine import SearchIndex
from tests.harness import SHANGHAI_DOC, ZJU_DOC


def passages(index_dir, doc_id: str) -> int:
    return store.read_manifest(store.current_generation(index_dir)).docs[doc_id].passages


def total(index_dir, query: str) -> int:
    with SearchIndex(index_dir) as index:
        return index.search(query, passages=True).total


@pytest.fixture
def indexed(corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    return corpus, index_dir


def writer(indexed) -> CorpusWriter:
    corpus, index_dir = indexed
    return CorpusWriter(corpus, index_dir, wait_seconds=10)


def test_an_export_cannot_take_an_existing_id(indexed):
    corpus, index_dir = indexed
    before = passages(index_dir, ZJU_DOC)
    line = json.dumps({"id": ZJU_DOC, "title": "Takeover", "text": "Nothing about Geely."})
    with pytest.raises(IdConflict, match=ZJU_DOC), writer(indexed) as w:
        w.add_file("takeover.jsonl", line.encode())
    assert not (corpus / "takeover.jsonl").exists()
    assert passages(index_dir, ZJU_DOC) == before and total(index_dir, "Geely") > 0


def test_a_title_that_slugs_to_an_existing_id_gets_a_fresh_one(indexed):
    _, index_dir = indexed
    with writer(indexed) as w:
        path = w.add_record({"title": "2023-10-25 Shanghai office: spring-summer 2023",
                             "text": "Chery visited."})  # fmt: skip
    manifest = store.read_manifest(store.current_generation(index_dir))
    (new_id,) = manifest.sources[path.name].doc_ids
    assert new_id == f"{SHANGHAI_DOC}-2"
    assert manifest.docs[SHANGHAI_DOC].source.endswith(".txt")
    assert total(index_dir, "Chery") == 1


def test_a_file_named_like_a_record_id_gets_a_fresh_id(indexed):
    corpus, index_dir = indexed
    (corpus / "export.jsonl").write_text(
        json.dumps({"id": "visit", "title": "Visit", "text": "BYD came."}) + "\n", encoding="utf-8"
    )
    update_index(corpus, index_dir)
    with writer(indexed) as w:
        path = w.add_file("visit.txt", b"Visit\n\nNio came.\n")
    manifest = store.read_manifest(store.current_generation(index_dir))
    assert path.name == "visit-2.txt" and manifest.sources[path.name].doc_ids == ["visit-2"]
    assert manifest.docs["visit"].source == "export.jsonl"


def test_a_dropped_file_never_takes_over_an_indexed_digest(indexed):
    """A new file sorted before the owner ("….jsonl" < "….txt") took its id, and deleting the
    intruder did not bring the original back."""
    corpus, index_dir = indexed
    intruder = corpus / f"{SHANGHAI_DOC}.jsonl"
    intruder.write_text(json.dumps({"id": SHANGHAI_DOC, "title": "X", "text": "Tiny."}) + "\n",
                        encoding="utf-8")  # fmt: skip
    before = passages(index_dir, SHANGHAI_DOC)
    summary = update_index(corpus, index_dir)
    assert [s.source for s in summary.skipped] == [intruder.name]
    assert "already used by" in summary.skipped[0].reason
    assert passages(index_dir, SHANGHAI_DOC) == before
    intruder.unlink()
    update_index(corpus, index_dir)
    assert passages(index_dir, SHANGHAI_DOC) == before


WORDS = ("Baikal", "Kamaz", "Sollers", "Avtotor", "Gazelle", "Moskvich")


def test_a_record_is_replaced_and_removed_alone(indexed):
    corpus, index_dir = indexed
    records = [{"id": f"rec{n}", "title": f"Record {n}", "text": f"Partner {word}."}
               for n, word in enumerate(WORDS)]  # fmt: skip
    (corpus / "export.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    update_index(corpus, index_dir)
    with writer(indexed) as w:
        w.replace("rec2", {"title": "Record 2", "text": "Replaced with Hongqi."})
    with writer(indexed) as w:
        w.remove("rec4")
    assert total(index_dir, "Hongqi") == 1 and total(index_dir, WORDS[2]) == 0
    assert total(index_dir, WORDS[4]) == 0
    assert [total(index_dir, WORDS[n]) for n in (0, 1, 3, 5)] == [1, 1, 1, 1]
    lines = (corpus / "export.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["rec0", "rec1", "rec2", "rec3", "rec5"]


def test_a_record_put_with_another_id_is_refused(indexed):
    corpus, index_dir = indexed
    (corpus / "export.jsonl").write_text('{"id": "a", "text": "One."}\n', encoding="utf-8")
    update_index(corpus, index_dir)
    with pytest.raises(ValueError, match="is not 'a'"), writer(indexed) as w:
        w.replace("a", b'{"id": "b", "text": "Two."}\n')
    with pytest.raises(UnknownDigest), writer(indexed) as w:
        w.remove("no-such-digest")


def test_deleting_a_link_removes_the_link_not_its_target(indexed, tmp_path):
    corpus, index_dir = indexed
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside\n\nSecret Zeekr plans.\n", encoding="utf-8")
    inside = corpus / "inside-original.txt"
    inside.write_text("Inside\n\nLynk visited.\n", encoding="utf-8")
    (corpus / "escape.txt").symlink_to(outside)
    (corpus / "alias.txt").symlink_to(inside)
    summary = update_index(corpus, index_dir)
    assert [s.source for s in summary.skipped] == ["escape.txt"]
    assert total(index_dir, "Zeekr") == 0  # never indexed, so never served
    with writer(indexed) as w:
        w.remove("alias")
    assert inside.exists() and not os.path.lexists(corpus / "alias.txt")
    assert total(index_dir, "Lynk") == 1


def test_catch_up_removes_unfinished_uploads_and_indexes_what_came(indexed):
    corpus, index_dir = indexed
    (corpus / ".upload-geely.abc123.txt").write_text("Half an upl", encoding="utf-8")
    (corpus / "linked-before-the-kill.txt").write_text("Linked\n\nVoyah came.\n", encoding="utf-8")
    summary = catch_up(corpus, index_dir)
    assert summary.added == 1 and summary.unchanged == 2
    assert not list(corpus.glob(".upload-*"))
    assert total(index_dir, "Voyah") == 1
