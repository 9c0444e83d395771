"""The fixture set of other software's files (tests/fixtures/other_software/, scored by
bench/readers.py): each is indexed or skipped with a reason, none leaves glyph codes, markup,
MIME headers or mojibake in a passage, and each format keeps 95% of a reference's words."""

import re
import shutil
import statistics
import sys
from pathlib import Path

import pytest

from indexer.ingest import Digest, Skipped, read

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import readers as bench  # noqa: E402  (bench/readers.py)

FIXTURES = bench.FIXTURES
REFERENCE_TOOL = {"pdf": "pdftotext", "odt": "soffice", "rtf": "soffice"}
FILES = sorted(p for folder in bench.FOLDERS for p in (FIXTURES / folder).glob("*") if p.is_file())


def fixture(path: str) -> list:
    return read(FIXTURES / path, (FIXTURES / path).parent)


def texts(found: list) -> list[str]:
    return [
        t for d in found if isinstance(d, Digest) for t in [d.title, *(b.text for b in d.blocks)]
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_file_is_indexed_or_skipped_with_a_reason_and_nothing_else(path):
    text, reasons, defects, _ = bench.ours(path)
    assert text or reasons, "neither a digest nor a reason"
    assert defects == [], defects
    assert all(reason.strip() and "Error:" not in reason for reason in reasons)


@pytest.mark.parametrize("folder", ["pdf", "docx", "md", "eml", "odt", "rtf", "msg"])
def test_each_format_keeps_the_words_of_a_reference_extraction(folder):
    tool = REFERENCE_TOOL.get(folder)
    if tool and shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed: it gives the reference text of .{folder}")
    shares, files = [], sorted((FIXTURES / folder).glob("*"))
    assert len(files) >= (1 if folder == "msg" else 15)
    for path in files:
        reference = bench.words(bench.reference_text(path))
        text, _, _, _ = bench.ours(path)
        if reference and text:
            shares.append(bench.share(reference, bench.words(text)))
    assert shares and statistics.median(shares) >= 0.95


@pytest.mark.parametrize(
    ("path", "phrase"),
    [("eml/apple_mail_x_mac_cyrillic.eml", "Делегация Чжэцзянского университета"),
     ("eml/mislabelled_latin1_is_cp1251.eml", "Делегация Чжэцзянского университета"),
     ("eml/gb2312_label_on_gb18030.eml", "清华大学代表团访问了"),
     ("eml/utf16_whole_file.eml", "A delegation of Zhejiang University"),
     ("eml/becky_iso2022jp.eml", "浙江大学の代表団"),
     ("eml/korean_euc_kr.eml", "저장대학교 대표단이"),
     ("eml/empty_html_alternative.eml", "A delegation of Zhejiang University"),
     ("eml/one_line_txt_attachment.eml", "Harbin Institute of Technology sends"),
     ("docx/lo_ru_text_box_and_control.docx", "Во врезке: заявки принимаются"),
     ("docx/lo_ru_text_box_and_control.docx", "Контактное лицо: координатор"),
     ("docx/lo_en_nested_table.docx", "Harbin Institute of Technology · Harbin"),
     ("docx/lo_zh_heading_only.docx", "浙江大学代表团访问圣彼得堡理工大学"),
     ("md/code_in_list_items.md", "export-digests --since 2024-01-01"),
     ("md/code_in_list_items.md", "After the export, check that every partner has a file."),
     ("md/indented_code.md", 'name = "Harbin Institute of Technology"'),
     ("md/latin1_german.md", "Zhejiang-Universität"),
     ("md/link_definitions_only.md", "Zhejiang University: https://www.zju.edu.cn/english/"),
     ("odt/lo_ru_text_box_and_control.odt", "Летняя школа соберёт шестьдесят студентов"),
     ("odt/pandoc_en_zhejiang_visit.odt", "laboratories of the College of Energy Engineering"),
     ("rtf/pandoc_en_sinopec_table.rtf", "SINOPEC · Beijing · 18 · Petroleum engineering"),
     ("rtf/lo_ru_sinopec_news.rtf", "Китайская нефтехимическая корпорация SINOPEC"),
     ("msg/msg_extractor_strangeDate.msg", "Provide example of this file type")],
)  # fmt: skip
def test_what_other_software_writes_is_read(path, phrase):
    assert any(phrase in text for text in texts(fixture(path))), texts(fixture(path))


def test_every_inline_part_of_a_mailing_list_digest_is_read_in_order():
    (digest,) = fixture("eml/cpython_msg_02_mailman_digest.eml")
    found = [b.text for b in digest.blocks]
    assert found.index("Today's Topics:") < found.index("hello") < found.index("Ppp mailing list")
    assert found.count("hello") == 5 and digest.title == "Ppp digest, Vol 1 #2 - 5 msgs"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("eml/empty_message.eml", "without readable text"),
     ("eml/whitespace_only.eml", "without readable text"),
     ("eml/pgp_encrypted.eml", "encrypted message")],
)  # fmt: skip
def test_a_message_with_nothing_to_read_says_why(path, reason):
    (skipped,) = fixture(path)
    assert isinstance(skipped, Skipped) and reason in skipped.reason


def test_a_subject_in_a_charset_its_label_understates_is_read():
    (digest,) = fixture("eml/gb2312_label_on_gb18030.eml")
    assert digest.title == "清华大学代表团访问"


def test_a_one_line_text_file_is_a_digest(tmp_path):
    (tmp_path / "note.txt").write_text("Tsinghua University sends its programme.\n")
    (digest,) = read(tmp_path / "note.txt", tmp_path)
    assert [b.text for b in digest.blocks] == ["Tsinghua University sends its programme."]


def test_a_word_table_whose_merged_cells_fit_no_grid_is_read_cell_by_cell(tmp_path):
    """python-docx raised "no tc element at grid_offset" and the whole file was lost."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_paragraph("Partners of the year")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Zhejiang University", "Hangzhou"
    table.cell(1, 0).text = "Harbin Institute of Technology"
    span = table.cell(1, 0)._tc.get_or_add_tcPr()
    span.append(span.makeelement(qn("w:gridSpan"), {qn("w:val"): "3"}))  # wider than the grid
    document.save(tmp_path / "merged.docx")
    (found,) = read(tmp_path / "merged.docx", tmp_path)
    assert "Harbin Institute of Technology" in " ".join(texts([found]))


def test_a_word_document_without_core_properties_has_no_placeholder_title(tmp_path):
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("Zhejiang University visits the Polytechnic.")
    document.save(tmp_path / "full.docx")
    with (
        zipfile.ZipFile(tmp_path / "full.docx") as full,
        zipfile.ZipFile(tmp_path / "bare.docx", "w") as bare,
    ):  # the same document, its core properties and their relationship left out
        for item in full.infolist():
            data = full.read(item)
            if item.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*docProps/core.xml\"/>", b"", data)
            if item.filename != "docProps/core.xml":
                bare.writestr(item, data)
    (digest,) = read(tmp_path / "bare.docx", tmp_path)
    assert digest.title != "Word Document"
