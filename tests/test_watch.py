"""`digest-search watch` in a real process: new, changed and removed digests, bursts coalesced."""

import re
import shutil
import subprocess

import pytest
from conftest import CLI, CORPUS, ROOT, wait_until

from indexer import store
from indexer.search import SearchIndex


@pytest.fixture
def watched(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    process = subprocess.Popen(
        [*CLI, "watch", "--corpus", str(corpus), "--index", str(index_dir), "--settle", "0.5"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_until(lambda: (index_dir / store.CURRENT).exists(), what="the first index")
    yield corpus, index_dir
    process.terminate()
    process.wait(timeout=30)


def total(index_dir, query: str) -> int:
    index = SearchIndex(index_dir)
    try:
        return index.search(query, passages=True)["total"]
    finally:
        index.close()


def generation_number(index_dir) -> int:
    return int(re.search(r"\d+", store.current_generation(index_dir).name).group())


def test_dropped_changed_and_removed_files_are_followed(watched):
    corpus, index_dir = watched
    (corpus / "volvo.txt").write_text("Volvo visit\n\nVolvo came to SPbPU.\n", encoding="utf-8")
    wait_until(lambda: total(index_dir, "Volvo") == 1, what="the new digest being searchable")
    (corpus / "volvo.txt").write_text("Volvo visit\n\nNio came to SPbPU.\n", encoding="utf-8")
    wait_until(lambda: total(index_dir, "Nio") == 1, what="the change being searchable")
    (corpus / "volvo.txt").unlink()
    wait_until(lambda: total(index_dir, "Nio") == 0, what="the removal")


def test_a_burst_of_files_is_one_update(watched, tmp_path):
    corpus, index_dir = watched
    before = generation_number(index_dir)
    staging = tmp_path / "staging"
    staging.mkdir()
    for n in range(100):
        (staging / f"burst-{n:03d}.txt").write_text(
            f"Burst digest {n}\n\nPartner number{n} signed.\n", encoding="utf-8"
        )
    shutil.copytree(staging, corpus / "burst")
    wait_until(lambda: total(index_dir, "signed") >= 100, what="all 100 digests being searchable")
    assert generation_number(index_dir) - before <= 3
