"""Scans read by OCR (Tesseract, Debian's tesseract-ocr with rus, chi-sim and eng): a page in
Russian and one in Chinese, rendered to images by tests/fixtures/other_software/scans.py, are
found by a word they hold, and their page and JSON say the text comes from OCR."""

import json
import shutil
from pathlib import Path

import pytest

from indexer import update_index
from indexer.ingest import Digest, read
from indexer.ingest import ocr as ocr_module
from indexer.search import SearchIndex
from tests.harness.server import LiveServer

SCANS = Path(__file__).parent / "fixtures" / "other_software" / "scans"
pytestmark = pytest.mark.skipif(
    not ocr_module.available(),
    reason="Tesseract is not installed (scripts/test.sh installs tesseract-ocr and its models)",
)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    root = tmp_path_factory.mktemp("scans")
    corpus = root / "corpus"
    corpus.mkdir()
    for name in ("ru_letter_scan.png", "zh_letter_scan_photo.jpg", "ru_letter_scan_image_only.pdf",
                 "en_letter_scan.tif"):  # fmt: skip
        shutil.copy(SCANS / name, corpus / name)
    summary = update_index(corpus, root / "index")
    assert not summary.skipped, summary.skipped
    return root


@pytest.mark.parametrize(
    ("query", "doc_id"),
    [("Чжэцзянский университет", "ru-letter-scan"), ("哈尔滨工业大学", "zh-letter-scan-photo"),
     ("меморандум", "ru-letter-scan-image-only"), ("Tsinghua", "en-letter-scan")],
)  # fmt: skip
def test_a_scan_is_found_by_a_word_it_holds(scanned, query, doc_id):
    with SearchIndex(scanned / "index") as index:
        hits = index.search(query, limit=10).hits
    assert doc_id in [hit.doc_id for hit in hits]


def test_the_page_and_the_json_say_the_text_comes_from_ocr(scanned):
    server = LiveServer(scanned / "corpus", scanned / "index")
    try:
        status, _, body = server.get("/api/doc/ru-letter-scan")
        document = json.loads(body)
        assert status == 200 and document["ocr"] is True and not document["partly_unreadable"]
        status, _, page = server.get("/doc/ru-letter-scan")
        assert status == 200 and b'id="read-by-ocr"' in page
    finally:
        server.stop()


def test_a_pdf_of_page_images_is_read_by_ocr_and_a_text_pdf_is_not():
    (scan,) = read(SCANS / "ru_letter_scan_image_only.pdf", SCANS)
    assert isinstance(scan, Digest) and scan.from_ocr and scan.title == "Письмо партнёру"
    texts = Path(__file__).parent / "fixtures" / "other_software" / "pdf"
    (text,) = read(texts / "tesseract_ru_letter_scan.pdf", texts)
    assert not text.from_ocr


def test_the_languages_can_be_configured(monkeypatch):
    monkeypatch.setenv("DIGEST_SEARCH_OCR_LANGUAGES", "eng")
    (digest,) = read(SCANS / "en_letter_scan.png", SCANS)
    assert digest.title == "Letter to a partner"
