"""One reader per format, each returning the same Digest."""

import json
import os
from pathlib import Path

import pytest

from indexer.ingest.digest import CAPTION, HEADING, PARAGRAPH, Digest, Skipped
from indexer.ingest.readers import read
from tests.harness import FIXTURES, shared_data


def read_one(name: str) -> Digest:
    (result,) = read(FIXTURES / name, FIXTURES)
    assert isinstance(result, Digest), result
    return result


def texts(digest: Digest, kind: str | None = None) -> list[str]:
    return [b.text for b in digest.blocks if kind is None or b.kind == kind]


def test_html_keeps_main_content_only():
    digest = read_one("page_with_nav_footer_scripts.html")
    body = " ".join(texts(digest))
    assert digest.title == "Geely delegation visits the Polytechnic"
    assert digest.date == "2024-05-21"
    assert digest.url == "https://english.spbstu.ru/media/news/geely-visit/"
    assert digest.language == "en"
    for gone in ("Menu item", "Header banner", "Footer", "script text", "sidebar", "comment",
                 "Form label", "color: red"):  # fmt: skip
        assert gone not in body
    assert texts(digest, HEADING) == ["Laboratories"]
    assert texts(digest, CAPTION) == ["Geely delegation at the laboratory"]
    paragraphs = texts(digest, PARAGRAPH)
    assert "Representatives of Geely visited SPbPU to discuss training in robotics." in paragraphs
    assert "Stamping repair technology." in paragraphs
    assert "Zhejiang Province" in paragraphs
    assert "Loose text in a div about JITRI cooperation." in paragraphs


def test_html_title_and_date_fall_back_to_meta(tmp_path: Path):
    page = tmp_path / "meta.htm"
    page.write_text(
        '<html><head><meta property="og:title" content="OG title">'
        '<meta property="article:published_time" content="2024-05-20T10:00:00+03:00">'
        '<meta property="og:url" content="https://example.org/x"></head>'
        "<body><p>Body text about SINOPEC.</p></body></html>",
        encoding="utf-8",
    )
    (digest,) = read(page, tmp_path)
    assert (digest.title, digest.date, digest.url) == (
        "OG title",
        "2024-05-20",
        "https://example.org/x",
    )


@pytest.mark.parametrize("name", ["digest_cp1251.txt", "digest_koi8r.txt"])
def test_russian_legacy_encodings(name):
    digest = read_one(name)
    assert digest.title == "Политех и университет Чжэцзян подписали соглашение"
    assert digest.date == "2024-03-14"
    assert texts(digest, HEADING) == ["Сотрудничество университетов"]
    assert "Ещё одна ёмкая новость" in " ".join(texts(digest))


def test_utf16_with_bom():
    digest = read_one("digest_utf16_bom.txt")
    assert digest.title == "Visit to Xi’an Jiaotong University"
    assert digest.date == "2024-02-12"
    assert texts(digest) == [
        "A delegation of SPbPU visited Xi’an Jiaotong University "
        "to discuss a joint “3+2” programme."
    ]


def test_markdown_with_bom_headings_wrapping_and_lists():
    digest = read_one("digest_utf8_bom.md")
    assert digest.title == "Markdown digest with a BOM"
    assert digest.date == "2024-01-09"
    assert texts(digest, HEADING) == ["Partners"]
    assert texts(digest, PARAGRAPH) == [
        "The CHN-RUS institute in Changxing hosted a seminar on "
        "additive technologies for students.",
        "First item of a list.",
    ]


def test_odd_spaces_become_plain():
    digest = read_one("digest_odd_spaces.txt")
    assert digest.title == "Odd spaces digest"
    assert texts(digest) == [
        "SINOPEC Shanghai Research Institute met with SPbPU about nanomaterials and the "
        "Zhejiang office."
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [("empty.txt", "empty"), ("whitespace_only.txt", "empty"), ("binary.txt", "binary")],
)
def test_unreadable_files_are_skipped_with_a_reason(name, reason):
    (result,) = read(FIXTURES / name, FIXTURES)
    assert isinstance(result, Skipped)
    assert result.source == name
    assert reason in result.reason


def test_jsonl_reads_good_records_and_reports_bad_lines():
    results = read(FIXTURES / "export_bad_lines.jsonl", FIXTURES)
    digests = [r for r in results if isinstance(r, Digest)]
    skipped = [r for r in results if isinstance(r, Skipped)]
    assert [d.doc_id for d in digests] == ["rec-1", "rec-3"]
    first, third = digests
    assert first.title == "First record"
    assert (first.date, first.url, first.language) == ("2024-02-01", "https://example.org/1", "en")
    assert texts(first) == ["SINOPEC signed an agreement.", "A second paragraph about Shanghai."]
    assert third.date == "2023-06-05"
    assert third.title.startswith("Content field instead of text.")
    reasons = " | ".join(s.reason for s in skipped)
    assert len(skipped) == 5
    for expected in ("line 2: not valid JSON", "line 3", "line 4: not a JSON object",
                     "line 5: no id", "line 7: no text"):  # fmt: skip
        assert expected in reasons


def test_unsupported_extension_is_reported(tmp_path: Path):
    path = tmp_path / "notes.odp"
    path.write_bytes(b"PK\x03\x04")
    (result,) = read(path, tmp_path)
    assert isinstance(result, Skipped)
    assert "unsupported" in result.reason


def test_jsonl_line_breaks_inside_a_paragraph_are_spaces(tmp_path: Path):
    export = tmp_path / "export.jsonl"
    record = {"id": 7, "title": "T", "text": "BACKGROUND One.\nMETHODS Two.\n\n  \nNext paragraph."}
    export.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (digest,) = read(export, tmp_path)
    assert digest.doc_id == "7"
    assert texts(digest) == ["BACKGROUND One. METHODS Two.", "Next paragraph."]


@pytest.mark.data
def test_real_bbc_articles_read_as_digests():
    bbc = shared_data("bbc-news-fulltext") / "bbc"
    paths = sorted(bbc.glob("*/*.txt"))[::100]
    assert len(paths) >= 20
    for path in paths:
        (digest,) = read(path, bbc)
        assert isinstance(digest, Digest), digest
        assert digest.title and texts(digest, PARAGRAPH)


@pytest.mark.data
def test_real_jsonl_export_keeps_record_ids(tmp_path: Path):
    corpus = shared_data("scifact") / "beir_derived" / "corpus.jsonl"
    sample = tmp_path / "sample.jsonl"
    with open(corpus, encoding="utf-8") as lines:
        sample.write_text("".join(next(lines) for _ in range(50)), encoding="utf-8")
    digests = read(sample, tmp_path)
    assert len(digests) == 50 and all(isinstance(d, Digest) for d in digests)
    assert digests[0].doc_id == "4983"


def test_jsonl_nested_too_deeply_skips_that_line_only(tmp_path: Path):
    good = json.dumps({"id": "ok", "text": "Kept \ud800 text."})
    (tmp_path / "deep.jsonl").write_text("[" * 50_000 + "]" * 50_000 + "\n" + good + "\n")
    skipped, digest = read(tmp_path / "deep.jsonl", tmp_path)
    assert skipped == Skipped("deep.jsonl", "line 1: JSON nested too deeply")
    assert digest.blocks[0].text == "Kept \ufffd text."
    assert digest.url is None


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_reason(tmp_path: Path):
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")
    path.write_text("Title\n\nText.\n")
    (result,) = read(path, tmp_path)
    assert result == Skipped("caf\ufffd.txt", "the file name is not valid UTF-8; rename the file")


@pytest.mark.parametrize(
    ("url", "kept"),
    [("https://www.spbstu.ru/news/1", True), ("javascript:alert(1)", False),
     (" JaVaScRiPt:alert(1)", False), ("data:text/html,<b>x</b>", False), ("/relative", False)],
)  # fmt: skip
def test_only_web_urls_are_kept(tmp_path: Path, url, kept):
    (tmp_path / "r.jsonl").write_text(json.dumps({"id": "r", "text": "Text.", "url": url}))
    (digest,) = read(tmp_path / "r.jsonl", tmp_path)
    assert digest.url == (url if kept else None)


def test_size_limits_are_per_digest_not_per_export(tmp_path: Path):
    record = json.dumps({"id": "r", "text": "Short."})
    filler = json.dumps({"id": "big", "text": "word " * 1_100_000})  # 5.5 MB
    giant = json.dumps({"id": "giant", "text": "word " * 2_200_000})  # 11 MB: over a digest's
    (tmp_path / "export.jsonl").write_text("\n".join([filler, filler + " ", giant, record]))
    (tmp_path / "huge.txt").write_text("Title\n\n" + "word " * 2_200_000)
    found = read(tmp_path / "export.jsonl", tmp_path)
    assert [getattr(d, "doc_id", None) for d in found] == ["big", "big", None, "r"]
    assert found[2] == Skipped("export.jsonl", "line 3: longer than 10 M characters")
    assert read(tmp_path / "huge.txt", tmp_path) == [Skipped("huge.txt", "larger than 10 MB")]
