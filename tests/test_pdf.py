"""PDFs from other software (LibreOffice, Tesseract, hand-written objects): text as a viewer
shows it, in reading order, with page debris gone and nothing else."""

from pathlib import Path

import pytest

from indexer.ingest import Digest, read
from indexer.ingest.pdflayout import Line, reading_order, without_page_debris
from tests.harness.pdfs import figure_pdf, unmapped_glyphs_pdf

PDFS = Path(__file__).parent / "fixtures" / "other_software" / "pdf"


def digest_of(name: str) -> Digest:
    (found,) = read(PDFS / name, PDFS)
    assert isinstance(found, Digest), found
    return found


def blocks(digest: Digest) -> list[str]:
    return [block.text for block in digest.blocks]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [("lo_en_three_columns.pdf", "Zhejiang University opened a joint programme in materials "
      "engineering this autumn. Twenty students from both universities study together"),
     ("lo_ru_two_columns.pdf", "Летняя школа в Харбине собрала шестьдесят студентов. Три недели "
      "они изучали робототехнику"),
     ("lo_zh_vertical.pdf", "清华大学代表团访问了圣彼得堡理工大学，双方就联合培养研究生")],
)  # fmt: skip
def test_columns_and_vertical_chinese_are_read_in_reading_order(name, sentence):
    """Three columns were interleaved line by line; vertical Chinese read across its columns."""
    assert any(sentence in text for text in blocks(digest_of(name)))


def test_numbers_stay_and_table_rows_are_read_across():
    """A line that was a bare number of 1-4 digits was dropped anywhere on a page."""
    texts = blocks(digest_of("lo_en_sinopec_table.pdf"))
    assert any("SINOPEC · Beijing · 18 · Petroleum engineering" in text for text in texts)
    assert "2023" in texts  # a year alone on its line, in the middle of the page


def test_a_running_header_is_kept_once_and_page_numbers_go():
    digest = digest_of("lo_en_running_header.pdf")
    body = "\n".join(blocks(digest))
    assert body.count("International office digest · 2024") == 1
    assert not any(text.strip().isdigit() and int(text) < 10 for text in blocks(digest))


def test_a_line_repeated_on_two_of_many_pages_is_not_a_running_header():
    lines = [
        Line(page, text, 10, False, 780 - 14 * row, 770 - 14 * row, 72, 400)
        for page in range(1, 6)
        for row, text in enumerate(
            [f"Section {page}", "Invoice no. 42" if page < 3 else f"Item {page}", "Body text"]
        )
    ]
    for line in lines:
        line.edge = True
    kept = [line.text for line in without_page_debris(lines)]
    assert kept.count("Invoice no. 42") == 2 and kept.count("Body text") == 1


def test_the_title_is_the_metadata_when_real_else_the_largest_heading():
    assert digest_of("lo_en_zhejiang_visit.pdf").title == "Delegation visits Zhejiang University"
    chinese = digest_of("lo_zh_harbin_summer.pdf")
    assert chinese.title == "哈尔滨工业大学暑期学校"
    assert "哈尔滨工业大学与圣彼得堡理工大学联合暑期学校开幕" in blocks(chinese)  # one line again


def test_text_inside_a_figure_is_read(tmp_path):
    """A brochure kept 208 of its 7,974 characters: form XObjects were never read."""
    (tmp_path / "brochure.pdf").write_bytes(figure_pdf("Harbin signs.", "Zhejiang in a figure"))
    (digest,) = read(tmp_path / "brochure.pdf", tmp_path)
    assert "Zhejiang in a figure" in blocks(digest)


def test_glyphs_without_unicode_are_dropped_and_the_digest_says_so(tmp_path):
    (tmp_path / "cid.pdf").write_bytes(unmapped_glyphs_pdf("Tsinghua University visits."))
    (digest,) = read(tmp_path / "cid.pdf", tmp_path)
    assert blocks(digest) == ["Tsinghua University visits."] and digest.partly_unreadable
    assert not digest_of("lo_en_zhejiang_visit.pdf").partly_unreadable


def test_a_pdf_that_tesseract_rendered_is_read_as_one_text():
    digest = digest_of("tesseract_zh_letter_scan.pdf")
    assert digest.title == "致合作伙伴的信" and "哈尔滨工业大学" in " ".join(blocks(digest))


def test_reading_order_cuts_at_the_widest_gap():
    column = [Line(1, f"left {n} " * 8, 10, False, 700 - 12 * n, 690 - 12 * n, 72, 290)
              for n in range(5)]  # fmt: skip
    right = [Line(1, f"right {n} " * 8, 10, False, 700 - 12 * n, 690 - 12 * n, 320, 540)
             for n in range(5)]  # fmt: skip
    title = Line(1, "A title across the page", 16, True, 740, 724, 72, 540)
    ordered = reading_order([*right, *column, title], 612)
    assert [line.text.split()[0] for line in ordered] == ["A"] + ["left"] * 5 + ["right"] * 5


def test_a_title_that_wraps_is_whole_and_a_drop_cap_is_no_title(tmp_path):
    """arXiv papers got "V" or "X" as their title; a title on two lines was cut at the first."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 40)
    pdf.cell(20, 16, "V")  # a drop cap, or arXiv's stamp in the margin
    pdf.ln(20)
    pdf.set_font("helvetica", "B", 20)
    pdf.multi_cell(120, 9, "Joint laboratories of Zhejiang University and the Polytechnic")
    pdf.ln(6)
    pdf.set_font("helvetica", "", 11)
    pdf.multi_cell(0, 6, "The two universities opened three laboratories this year.")
    pdf.set_title("Microsoft Word - labs.docx")
    pdf.output(str(tmp_path / "labs.pdf"))
    (digest,) = read(tmp_path / "labs.pdf", tmp_path)
    assert digest.title == "Joint laboratories of Zhejiang University and the Polytechnic"
