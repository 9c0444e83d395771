"""Generations on disk: one writer among threads and processes, scratch names, CURRENT faults."""

import threading
import time

from whoosh.filedb.filestore import FileStorage

from indexer.index import store
from indexer.index.build import update_index
from indexer.search.engine import SearchIndex
from tests.harness import at_once


def test_the_writer_lock_excludes_other_threads_of_this_process(tmp_path):
    """lockf alone let two threads of one gunicorn worker write at once."""
    inside, most, guard = [0], [0], threading.Lock()

    def write() -> None:
        with store.writer_lock(tmp_path / "index", wait_seconds=30):
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with guard:
                inside[0] -= 1

    at_once([write] * 8)
    assert most[0] == 1


def test_the_lock_is_taken_again_by_the_thread_holding_it(tmp_path):
    with store.writer_lock(tmp_path, wait_seconds=1), store.writer_lock(tmp_path, wait_seconds=0):
        pass  # a corpus change, then its index update, under one lock
    with store.writer_lock(tmp_path, wait_seconds=0):
        pass  # and released whole afterwards


def test_a_busy_lock_in_another_thread_gives_up_after_the_wait(tmp_path):
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.writer_lock(tmp_path, wait_seconds=1):
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(30)
    try:
        try:
            with store.writer_lock(tmp_path, wait_seconds=0.2):
                raise AssertionError("a second thread took the lock")
        except store.IndexBusy as exc:
            assert "gave up after 0.2 s" in str(exc)
    finally:
        release.set()
        holder.join()


def test_a_garbage_current_reads_the_newest_complete_generation(corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    live = store.current_generation(index_dir)
    (index_dir / store.CURRENT).write_bytes(b"\xff\xfe garbage")
    assert store.current_generation(index_dir) == live
    with SearchIndex(index_dir) as index:
        assert index.search("Geely", passages=True).total > 0
    summary = update_index(corpus, index_dir)  # the intact generation is used, not rebuilt
    assert summary.unchanged == 2 and summary.added == 0
    assert (index_dir / store.CURRENT).read_text().strip() == live.name


def test_a_missing_current_and_no_generation_is_no_index(tmp_path):
    (tmp_path / "gen-000003.tmp-1-abc").mkdir()  # a build that never finished
    try:
        store.current_generation(tmp_path)
    except store.NoIndex as exc:
        assert "no index in" in str(exc)
    else:
        raise AssertionError("an unfinished build was taken for an index")


def test_an_index_whose_counts_disagree_is_rebuilt(corpus, tmp_path):
    """Two racing writers left 68,010 passages against 68,009 in the manifest, and a plain
    `index` kept the duplicate forever."""
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    live = store.current_generation(index_dir)
    ix = FileStorage(str(live)).open_index()
    with ix.searcher() as searcher:
        duplicate = searcher.document(passage_id="2023-06-06-china-route-rector-visit-p12")
    writer = ix.writer()
    writer.add_document(**{k: v for k, v in duplicate.items() if k != "position"}, position=99)
    writer.commit()
    ix.close()
    summary = update_index(corpus, index_dir)
    manifest = store.read_manifest(store.current_generation(index_dir))
    repaired = FileStorage(str(store.current_generation(index_dir))).open_index()
    try:
        assert repaired.doc_count() == manifest.passages == summary.passages
    finally:
        repaired.close()
    with SearchIndex(index_dir) as index:
        ids = [h.passage_id for h in index.search("Zhejiang", passages=True, limit=100).hits]
    assert len(ids) == len(set(ids))
