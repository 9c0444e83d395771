"""Digests as they arrive: Word, PDF, e-mail and Markdown, each written by a real library from
the same digest, read back to the same title, date, headings and text, and found by a phrase.
Broken and hostile files are skipped with their reason while the rest are indexed."""

import io
import shutil
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from indexer import SearchIndex, update_index
from indexer.ingest import Digest, Skipped, read
from indexer.ingest.digest import HEADING
from tests.harness import ADMIN_TOKEN, CORPUS, LiveServer, admin_server, bearer, upload
from tests.harness.staff import sign_in_page
from tests.harness.writes import add_staff

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
TITLE = "Визит делегации Чжэцзянского университета"
DATE, DATE_TEXT = "2020-03-06", "6 марта 2020"
SECTIONS = [
    ("Переговоры", "Ректор встретился с вице-президентом университета Сун Юнхуа. Стороны обсудили "
     "совместные образовательные программы, академическую мобильность студентов и исследования "
     "в области энергетики; партнёры договорились о летней школе по информационным технологиям."),
    ("Соглашение", "Подписано соглашение о стратегическом партнёрстве между университетами на пять "
     "лет. Первая совместная лаборатория лёгких материалов откроется в Ханчжоу осенью."),
]  # fmt: skip
MIDDLE = "академическую мобильность студентов"


def pdf_font() -> None:
    if not FONT.exists():
        pytest.skip(f"{FONT} is absent: Debian's fonts-dejavu-core gives the PDFs a Cyrillic font")


def write_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(DATE_TEXT)
    for heading, text in SECTIONS:
        document.add_heading(heading, level=1)
        document.add_paragraph(text)
    document.add_paragraph("Рис. 1. Подписание соглашения", style="Caption")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Участники", "12 человек"
    document.save(path)
    return path


class _Pages(FPDF):
    """A digest as offices print them: a running header, "Page n/N" footers."""

    def header(self):
        self.set_font("DejaVu", "", 8)
        self.cell(0, 8, "Дайджест представительства — выпуск 3", align="R",
                  new_x="LMARGIN", new_y="NEXT")  # fmt: skip

    def footer(self):
        self.set_y(-15)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 10, f"Page {self.page_no()}/{{nb}}", align="C")


def write_pdf(path: Path, *, password: str | None = None) -> Path:
    pdf_font()
    pdf = _Pages()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_font("DejaVu", "B", str(BOLD))
    if password:
        pdf.set_encryption(owner_password=password, user_password=password)
    pdf.alias_nb_pages()
    pdf.add_page()

    def lines(text: str, size: int, style: str = "", height: float = 6) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    lines(TITLE, 18, "B", 10)
    lines(DATE_TEXT, 11)
    for number, (heading, text) in enumerate(SECTIONS):
        if number:
            pdf.add_page()  # the header and footer repeat on the second page
        pdf.ln(4)
        lines(heading, 14, "B", 8)
        lines(text, 11)
    pdf.output(str(path))
    return path


def write_markdown(path: Path) -> Path:
    body = "\n\n".join(f"## {h}\n\n{t.replace('Стороны', '**Стороны**', 1)}" for h, t in SECTIONS)
    text = f"# {TITLE}\n\n*{DATE_TEXT}*\n\n{body}\n\nПодробнее: [сайт университета](https://example.org).\n"
    path.write_text(text, encoding="utf-8")
    return path


def write_eml(path: Path, attachment: Path) -> Path:
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = "Дайджест: весна 2020", "a@b", "c@d"
    message["Date"] = "Fri, 06 Mar 2020 10:00:00 +0300"
    message.set_content("Дайджест во вложении.\n\nПереговоры в Ханчжоу прошли успешно.")
    html = ("<html><body><h2>Кратко</h2><p>Переговоры в Ханчжоу прошли успешно.</p>"
            "<script>alert(1)</script></body></html>")  # fmt: skip
    message.add_alternative(html, subtype="html")
    message.add_attachment(attachment.read_bytes(), maintype="application",
                           subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                           filename="report.docx")  # fmt: skip
    path.write_bytes(bytes(message))
    return path


def only(found: list) -> Digest:
    digests = [d for d in found if isinstance(d, Digest)]
    assert len(digests) == 1, found
    return digests[0]


def text_of(digest: Digest) -> str:
    return "\n".join(block.text for block in digest.blocks)


@pytest.mark.parametrize("writer", [write_docx, write_pdf, write_markdown])
def test_each_format_reads_back_the_same_digest(tmp_path, writer):
    suffix = {write_docx: ".docx", write_pdf: ".pdf", write_markdown: ".md"}[writer]
    digest = only(read(writer(tmp_path / f"visit{suffix}"), tmp_path))
    assert (digest.title, digest.date) == (TITLE, DATE)
    assert [b.text for b in digest.blocks if b.kind == HEADING] == [h for h, _ in SECTIONS]
    body = text_of(digest)
    for _, text in SECTIONS:
        assert text in body  # lines joined back, nothing of the layout between the words
    for debris in ("Page 1", "**", "](", DATE_TEXT):
        assert debris not in body
    assert body.count("выпуск 3") <= 1  # a running header is kept once (issue #28)


def test_word_tables_and_captions_stay_in_reading_order(tmp_path):
    digest = only(read(write_docx(tmp_path / "visit.docx"), tmp_path))
    assert digest.blocks[-2:][0].kind == "caption"
    assert digest.blocks[-1].text == "Участники · 12 человек"


def test_a_word_hyphenated_at_a_pdf_line_end_is_one_word_again(tmp_path):
    pdf_font()
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONT))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    for line in ("Делегация обсудила инфор-", "мационные технологии и энерге-", "тику."):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "hyphens.pdf"))
    body = text_of(only(read(tmp_path / "hyphens.pdf", tmp_path)))
    assert "информационные технологии и энергетику." in body


def test_an_email_and_its_attachment_are_digests(tmp_path):
    attachment = write_docx(tmp_path / "report.docx")
    found = read(write_eml(tmp_path / "spring.eml", attachment), tmp_path)
    message, report = [d for d in found if isinstance(d, Digest)]
    assert (message.doc_id, message.title, message.date) == ("spring", "Дайджест: весна 2020", DATE)
    assert "alert" not in text_of(message) and "Кратко" in [b.text for b in message.blocks]
    assert (report.doc_id, report.title, report.date) == ("spring--report", TITLE, DATE)


def test_a_phrase_from_the_middle_is_found_first_in_every_format(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_docx(corpus / "visit-word.docx")
    write_pdf(corpus / "visit-pdf.pdf")
    write_markdown(corpus / "visit-markdown.md")
    write_eml(corpus / "visit-mail.eml", write_docx(tmp_path / "report.docx"))
    summary = update_index(corpus, tmp_path / "index")
    assert summary.skipped == []
    with SearchIndex(tmp_path / "index") as index:
        for doc_id in ("visit-word", "visit-pdf", "visit-markdown", "visit-mail--report"):
            hits = index.search(f'"{MIDDLE}"', passages=True, filters={"doc": doc_id}).hits
            assert hits and MIDDLE in hits[0].text, doc_id


def skipped(path: Path) -> str:
    found = read(path, path.parent)
    assert len(found) == 1 and isinstance(found[0], Skipped), found
    return found[0].reason


def test_broken_and_hostile_files_are_skipped_with_their_reason(tmp_path):
    (tmp_path / "zip.docx").write_bytes(b"not a zip at all")
    assert "not a zip" in skipped(tmp_path / "zip.docx")

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:t>" + b" " * (60 * 2**20) + b"</w:t>")
    (tmp_path / "bomb.docx").write_bytes(bomb.getvalue())
    assert bomb.tell() < 2**20 and "inflates" in skipped(tmp_path / "bomb.docx")

    write_pdf(tmp_path / "locked.pdf", password="secret")
    assert "encrypted" in skipped(tmp_path / "locked.pdf")

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 100, 100, style="F")  # a page of pictures: no text layer
    pdf.output(str(tmp_path / "scan.pdf"))
    assert "scanned PDF without text" in skipped(tmp_path / "scan.pdf")

    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    assert skipped(tmp_path / "cut.pdf")


def test_a_very_long_pdf_is_bounded(tmp_path):
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for number in range(301):
        pdf.add_page()
        pdf.cell(0, 6, f"Page of a very long report, number {number}.")
    pdf.output(str(tmp_path / "long.pdf"))
    assert "longer than 300 pages" in skipped(tmp_path / "long.pdf")


def _message_with_notes(notes: int) -> bytes:
    message = EmailMessage()
    message["Subject"], message["Date"] = "Many files", "Fri, 06 Mar 2020 10:00:00 +0300"
    message.set_content(f"{notes} notes attached.")
    for number in range(notes):
        note = f"Note {number}\n\nText of note {number}.\n".encode()
        message.add_attachment(note, maintype="text", subtype="plain", filename=f"n-{number}.txt")
    inner = EmailMessage()
    inner["Subject"] = "Forwarded"
    inner.set_content("Inside.")
    message.add_attachment(inner)
    return bytes(message)


def test_a_message_with_twenty_attachments_and_a_nested_one(tmp_path):
    (tmp_path / "many.eml").write_bytes(_message_with_notes(20))
    found = read(tmp_path / "many.eml", tmp_path)
    digests = [d for d in found if isinstance(d, Digest)]
    reasons = [s.reason for s in found if isinstance(s, Skipped)]
    assert len(digests) == 1 + 20 and digests[1].date == DATE
    assert any("forwarded" in r for r in reasons)


def test_a_message_with_more_attachments_is_refused_whole_by_upload_and_watcher(tmp_path):
    """An upload refused it (400) while the watcher indexed 20 and named the 21st."""
    server = admin_server(tmp_path)
    try:
        status, reply = upload(server, "many.eml", _message_with_notes(21), bearer())
        assert status == 400 and "21 attachments in one message" in reply["error"]["message"]
        (server.corpus / "many.eml").write_bytes(_message_with_notes(21))
        summary = update_index(server.corpus, server.index_dir)
        (skip,) = [s for s in summary.skipped if s.source == "many.eml"]
        assert "21 attachments in one message" in skip.reason
        assert server.total('"Text of note 3"') == 0
    finally:
        server.stop()


def test_the_rest_of_the_corpus_is_indexed_beside_broken_files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(write_docx(tmp_path / "good.docx"), corpus / "good.docx")
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7 nothing")
    summary = update_index(corpus, tmp_path / "index")
    assert len(summary.skipped) == 2 and summary.added == 1


@pytest.fixture(scope="module")
def readme_server(tmp_path_factory):
    """The server as the README starts it: in a copy of the project, with the default paths."""
    project = tmp_path_factory.mktemp("project")
    shutil.copytree(CORPUS, project / "corpus")
    add_staff(project / "var" / "index")
    server = LiveServer(project / "corpus", project / "var" / "index", cwd=project,
                        env={"DIGEST_SEARCH_ADMIN_TOKEN": ADMIN_TOKEN})  # fmt: skip
    yield server
    server.stop()


def every_type(folder: Path) -> list[Path]:
    """One digest in every supported format."""
    folder.mkdir(exist_ok=True)
    plain = folder / "plain-visit.txt"
    plain.write_text("Plain visit\n\n12 May 2022\n\nThe Geely team came by.\n", encoding="utf-8")
    page = folder / "page-visit.html"
    page.write_text("<html><head><title>Page visit</title></head><body><p>Tsinghua "
                    "students came.</p></body></html>", encoding="utf-8")  # fmt: skip
    records = folder / "records.jsonl"
    records.write_text('{"id": "record-visit", "title": "Record visit", "text": "JITRI met."}\n',
                       encoding="utf-8")  # fmt: skip
    word = write_docx(folder / "word-visit.docx")
    return [plain, page, records, word, write_pdf(folder / "pdf-visit.pdf"),
            write_markdown(folder / "markdown-visit.md"),
            write_eml(folder / "mail-visit.eml", word)]  # fmt: skip


def test_uploads_of_every_type_work_with_the_default_paths(readme_server, tmp_path):
    for path in every_type(tmp_path / "files"):
        status, body = upload(readme_server, path.name, path.read_bytes(), bearer())
        assert status == 201, (path.name, body)
        assert body["digests"] and body["digests"][0]["passages"]
    assert readme_server.total(f'"{MIDDLE}"') >= 4  # Word, PDF, Markdown, the mail's attachment


@pytest.mark.browser
def test_several_files_at_once_each_with_its_outcome(page, readme_server, tmp_path):
    good = write_docx(tmp_path / "several-good.docx")
    broken = tmp_path / "several-broken.pdf"
    broken.write_bytes(b"%PDF-1.7 nothing inside")
    page.goto(readme_server.url + "/admin/upload")
    sign_in_page(page)
    page.get_by_label("Digest files").set_input_files([str(good), str(broken)])
    page.get_by_role("button", name="Upload").click()
    outcomes = page.locator("ul.outcomes li")
    assert outcomes.count() == 2
    assert "indexed" in outcomes.nth(0).inner_text() and TITLE in outcomes.nth(0).inner_text()
    assert "skipped" in outcomes.nth(1).inner_text()
    outcomes.nth(0).get_by_role("link").click()
    assert TITLE in page.locator("h1").inner_text()
    page.goto(readme_server.url + "/")
    assert page.get_by_role("link", name="Add digests").count() == 1  # linked from the header
