"""Index builds: incremental by content hash, atomic rebuilds, one writer, bad files skipped."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from indexer.index import store
from indexer.index.build import update_index
from indexer.search.engine import SearchIndex
from tests.harness import CLI, FIXTURES, ROOT, ZJU_DOC


def count(index_dir: Path, query: str) -> int:
    index = SearchIndex(index_dir)
    try:
        return index.search(query, passages=True, limit=100).total
    finally:
        index.close()


def test_first_run_indexes_everything(corpus, tmp_path):
    summary = update_index(corpus, tmp_path / "index")
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (2, 0, 0, 0)
    assert summary.passages == 43 and not summary.skipped
    assert count(tmp_path / "index", "Geely") > 0


def test_incremental_add_change_delete(corpus, tmp_path):
    index_dir = tmp_path / "index"
    first = update_index(corpus, index_dir)
    shutil.copy(FIXTURES / "digest_utf16_bom.txt", corpus / "xian-visit.txt")
    added = update_index(corpus, index_dir)
    assert (added.added, added.unchanged) == (1, 2)
    assert added.generation != first.generation
    assert count(index_dir, "Jiaotong") == 2

    zju = corpus / f"{ZJU_DOC}.txt"
    zju.write_text(zju.read_text(encoding="utf-8").replace("Geely", "Volvo"), encoding="utf-8")
    changed = update_index(corpus, index_dir)
    assert (changed.updated, changed.unchanged) == (1, 2)
    assert count(index_dir, "Geely") == 0 and count(index_dir, "Volvo") > 0

    (corpus / "xian-visit.txt").unlink()
    removed = update_index(corpus, index_dir)
    assert (removed.removed, removed.unchanged) == (1, 2)
    assert count(index_dir, "Jiaotong") == 1
    assert removed.passages == first.passages


def test_unchanged_corpus_keeps_the_generation(corpus, tmp_path):
    first = update_index(corpus, tmp_path / "index")
    again = update_index(corpus, tmp_path / "index")
    assert again.generation == first.generation and again.unchanged == 2


def test_old_generations_are_removed(corpus, tmp_path):
    index_dir = tmp_path / "index"
    for _ in range(4):
        update_index(corpus, index_dir, rebuild=True)
    generations = sorted(p.name for p in index_dir.glob("gen-*"))
    assert len(generations) == store.KEEP_GENERATIONS
    assert store.current_generation(index_dir).name == generations[-1]


def test_bad_files_are_skipped_and_the_rest_indexed(corpus, tmp_path):
    for name in ("binary.txt", "empty.txt", "export_bad_lines.jsonl"):
        shutil.copy(FIXTURES / name, corpus / name)
    summary = update_index(corpus, tmp_path / "index")
    assert summary.added == 4  # two seeds and two good JSON records
    reasons = {s.source: s.reason for s in summary.skipped}
    assert "binary" in reasons["binary.txt"] and "empty" in reasons["empty.txt"]
    assert sum(s.source == "export_bad_lines.jsonl" for s in summary.skipped) == 5
    assert count(tmp_path / "index", "SINOPEC") > 0


def test_duplicate_ids_are_kept_apart(corpus, tmp_path):
    (corpus / "report.txt").write_text("Report one\n\nAbout Geely cars.\n", encoding="utf-8")
    (corpus / "report.md").write_text("Report two\n\nAbout Geely trucks.\n", encoding="utf-8")
    summary = update_index(corpus, tmp_path / "index")
    assert summary.added == 4 and not summary.skipped
    manifest = store.read_manifest(store.current_generation(tmp_path / "index"))
    assert {"report", "report-txt"} <= set(manifest.docs)


def test_second_writer_waits_then_gives_up_clearly(corpus, tmp_path):
    index_dir = tmp_path / "index"
    with store.writer_lock(index_dir, wait_seconds=1):
        done = subprocess.run(
            [*CLI, "index", "--corpus", str(corpus), "--index", str(index_dir), "--wait", "0.5"],
            capture_output=True, text=True, cwd=ROOT, timeout=60,
        )  # fmt: skip
    assert done.returncode == 1
    assert "Another indexer is writing" in done.stderr
    assert "Traceback" not in done.stderr


def make_big_corpus(folder: Path, digests: int = 300) -> None:
    folder.mkdir()
    sentence = "The delegation of partner university number {n} discussed joint programmes in {w}."
    for n in range(digests):
        paragraphs = [" ".join(sentence.format(n=n, w=f"topic{n}x{k}") for _ in range(4))
                      for k in range(12)]  # fmt: skip
        (folder / f"digest-{n:04d}.txt").write_text(
            f"Digest {n}\n\n" + "\n\n".join(paragraphs), encoding="utf-8"
        )


def test_rebuild_killed_midway_leaves_the_old_index_searchable(corpus, tmp_path):
    index_dir = tmp_path / "index"
    old = update_index(corpus, index_dir)
    big = tmp_path / "big"
    make_big_corpus(big)
    process = subprocess.Popen(
        [*CLI, "index", "--rebuild", "--corpus", str(big), "--index", str(index_dir)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(index_dir.glob("gen-*.tmp-*")) and process.poll() is None:
        assert time.monotonic() < deadline, "the rebuild never started writing"
        time.sleep(0.02)
    # Killed as soon as its scratch generation exists: 300 digests take seconds to write.
    assert process.poll() is None, "the rebuild finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert store.current_generation(index_dir).name == old.generation
    assert count(index_dir, "Zhejiang") > 0
    again = update_index(corpus, index_dir)
    assert again.generation == old.generation and again.unchanged == 2
    assert not list(index_dir.glob("gen-*.tmp-*")), "the abandoned build was not cleaned up"


@pytest.mark.parametrize("rebuild", [False, True])
def test_failure_inside_a_build_keeps_the_previous_generation(
    corpus, tmp_path, rebuild, monkeypatch
):
    index_dir = tmp_path / "index"
    old = update_index(corpus, index_dir)
    before = count(index_dir, "SIAMC")
    (corpus / "new.txt").write_text("New digest\n\nAbout SIAMC graphite.\n", encoding="utf-8")

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "publish", disk_full)
    with pytest.raises(OSError, match="No space"):
        update_index(corpus, index_dir, rebuild=rebuild)
    assert store.current_generation(index_dir).name == old.generation
    assert not list(index_dir.glob("gen-*.tmp-*"))
    assert count(index_dir, "SIAMC") == before == 2


def test_an_unchanged_file_is_not_read_again(corpus, tmp_path):
    """The manifest kept a file's hash under a wrong key, so every update re-read every file."""
    index_dir = tmp_path / "index"
    assert update_index(corpus, index_dir).files_read == 2
    assert update_index(corpus, index_dir).files_read == 0
    seed = next(corpus.glob("2023-06-06*.txt"))
    os.utime(seed)  # touched, same bytes: hashed, not read
    assert update_index(corpus, index_dir).files_read == 0
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    summary = update_index(corpus, index_dir)
    assert summary.files_read == 1 and summary.updated == 1
