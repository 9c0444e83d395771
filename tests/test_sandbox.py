"""Readers in a child process: a file past its time or memory limit is skipped with the reason,
the child is replaced, and a skipped file is remembered by its hash, not read again."""

import shutil

import pytest

from indexer import update_index
from indexer.ingest import ocr, read, sandbox
from indexer.ingest.digest import Digest, Skipped
from tests.harness import CORPUS, FIXTURES, ZJU_DOC, bombs

SCANS = FIXTURES / "other_software" / "scans"


@pytest.fixture
def quick_limits(monkeypatch):
    """A time limit a test can wait for: 2 s for a small file (the default is 20 s)."""
    monkeypatch.setattr(sandbox, "BASE_SECONDS", 2.0)


def test_a_file_reads_the_same_in_the_child(tmp_path):
    path = CORPUS / f"{ZJU_DOC}.txt"
    assert sandbox.read_limited(path, CORPUS) == read(path, CORPUS)


def test_a_reader_past_its_time_is_stopped_inside_the_page(tmp_path, quick_limits):
    """A page of 3,000 fragments took minutes: the 60 s check ran only between pages."""
    (tmp_path / "fragments.pdf").write_bytes(bombs.fragment_pdf(3000))
    (skipped,) = sandbox.read_limited(tmp_path / "fragments.pdf", tmp_path)
    assert "could not be read within 2 s" in skipped.reason
    good = CORPUS / f"{ZJU_DOC}.txt"
    assert isinstance(sandbox.read_limited(good, CORPUS)[0], Digest)  # a new child reads on


@pytest.mark.parametrize(
    "name, make, reason",
    [("flate-bomb.pdf", bombs.flate_bomb_pdf, "more memory"),
     ("lying.docx", bombs.lying_docx, "Word document")],
)  # fmt: skip
def test_memory_is_bounded_whatever_the_file_declares(tmp_path, quick_limits, name, make, reason):
    (tmp_path / name).write_bytes(make())
    (skipped,) = sandbox.read_limited(tmp_path / name, tmp_path)
    assert isinstance(skipped, Skipped) and reason in skipped.reason


def test_limits_grow_with_the_file():
    small, large = sandbox.Limits.for_size(10_000), sandbox.Limits.for_size(14 * 2**20)
    assert small.seconds == pytest.approx(20, abs=0.1) and large.seconds == pytest.approx(48)
    assert small.memory_mb == 384 and large.memory_mb == 384 + 40 * 14


@pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed")
def test_ocr_of_a_scan_gets_its_own_time_once_it_begins(monkeypatch):
    """A scan needs more than a text file's limit, and only a scan may take it: a PDF that
    is slow in its text layer is still stopped at its own limit (above)."""
    monkeypatch.setattr(sandbox, "BASE_SECONDS", 0.5)
    (digest,) = sandbox.read_limited(SCANS / "ru_letter_scan.png", SCANS)
    assert isinstance(digest, Digest) and digest.from_ocr


def test_a_skipped_file_is_remembered_and_not_read_again(tmp_path, quick_limits):
    """While such a PDF sat in the folder, every one-line upload took 104-217 s."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "fragments.pdf").write_bytes(bombs.fragment_pdf(3000))
    first = update_index(corpus, tmp_path / "index")
    assert [s.source for s in first.skipped] == ["fragments.pdf"]
    (corpus / "note.txt").write_text("A note\n\nGeely signed a note.\n", encoding="utf-8")
    second = update_index(corpus, tmp_path / "index")
    assert second.files_read == 1 and second.added == 1  # the note, not the PDF again
    assert [s.source for s in second.skipped] == ["fragments.pdf"]  # still reported
    (corpus / "fragments.pdf").write_bytes(b"%PDF-1.4 changed, now broken")
    assert update_index(corpus, tmp_path / "index").files_read == 1  # changed: read again
