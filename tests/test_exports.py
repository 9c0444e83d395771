"""Follow and report over the served app: Atom feeds read by feedparser, CSV and XLSX exports
(openpyxl) as many rows as the search has passages, inert formulas, a bound that says so, the
partner brief (.docx read by python-docx), the CLI export, and the links in a browser."""

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from urllib.parse import quote

import docx
import feedparser
import openpyxl
import pytest

from tests.harness import CLI, CORPUS, ROOT, LiveServer

HOSTILE = """Formulas and scripts
3 March 2024

=HYPERLINK("http://evil.example","Zhejiang University")

+7 495 000 00 00 is the Zhejiang University office; -5 degrees; @sum(A1:A9).

<b>Zhejiang University</b> and <script>alert(1)</script>; مرحبا; 浙江大学 signed it.

Zhejiang University\uffff and Geely\x01 agreed on a \ufffelab, the text says.
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The seeds and a digest full of formulas, markup, Arabic and Chinese, with a bound of
    six rows an export (so that the cut can be seen)."""
    root = tmp_path_factory.mktemp("exports")
    shutil.copytree(CORPUS, root / "corpus")
    (root / "corpus" / "formulas.txt").write_text(HOSTILE, encoding="utf-8")
    server = LiveServer(root / "corpus", root / "index", env={"DIGEST_SEARCH_EXPORT_ROWS": "6"})
    yield server
    server.stop()


def get(server, path: str, language: str = "en"):
    status, headers, body = server.get(path, {"Accept-Language": language})
    return status, headers, body


def first_sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]


def csv_records(data: bytes) -> list[dict]:
    """A CSV export read as a script reads it: the second header row holds the ids."""
    lines = data.decode("utf-8-sig").splitlines()[1:]
    return list(csv.DictReader(lines))


def test_feeds_are_valid_atom_newest_first(served):
    for path in ("/search.atom?q=Zhejiang", "/partners/zhejiang-university.atom"):
        status, headers, body = get(served, path)
        assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
        feed = feedparser.parse(body)
        assert not feed.bozo, feed.bozo_exception
        dates = [entry.updated for entry in feed.entries]
        assert dates and dates == sorted(dates, reverse=True)
        assert all(entry.link.startswith(served.url + "/doc/") and "#" in entry.link
                   for entry in feed.entries)  # fmt: skip
        assert len({entry.id for entry in feed.entries}) == len(feed.entries)
    empty = feedparser.parse(get(served, "/search.atom?q=quantumzzzz")[2])
    assert not empty.bozo and empty.entries == []


def test_feed_summaries_are_escaped_text(served):
    body = get(served, "/search.atom?q=alert")[2].decode()
    assert "<script>" not in body and "&lt;script&gt;" in body


def test_exports_hold_every_passage_of_the_search(served):
    total = served.json("/api/search?q=Geely&passages=1")[1]["total"]
    status, headers, body = get(served, "/search.csv?q=Geely")
    assert status == 200 and body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Digest", "Title", "Date", "Language", "Passage", "Section", "Text",
                       "Link", "Partners"]  # fmt: skip
    assert rows[1] == ["digest_id", "title", "date", "lang", "passage_id", "heading", "text",
                       "url", "partners"]  # fmt: skip
    assert len(rows) - 2 == total == int(headers["X-Export-Total"])
    sheet = first_sheet(get(served, "/search.xlsx?q=Geely")[2])
    assert sheet.max_row - 2 == total and sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["G"].width == 80  # the text column is wide


@pytest.mark.parametrize(
    "path",
    ["/search.atom?q=Geely%01", "/search.xlsx?q=Geely%01", "/search.csv?q=Zhejiang%01",
     "/partners/zhejiang-university.atom", "/partners/zhejiang-university.xlsx",
     "/partners/zhejiang-university/brief.docx"],
)  # fmt: skip
def test_characters_xml_forbids_never_break_a_feed_or_export(served, path):
    status, _, body = get(served, path)
    assert status == 200, body[:300]
    if path.endswith((".xlsx", ".docx")) or ".xlsx?" in path:  # the libraries read them back
        (openpyxl.load_workbook if "xlsx" in path else docx.Document)(io.BytesIO(body))
    else:
        assert b"\xef\xbf\xbf" not in body and b"\x01" not in body  # U+FFFF, U+0001


def test_a_partners_export_holds_its_mentions(served):
    mentions = served.json("/api/partners/zhejiang-university")[1]["mentions"]
    rows = csv_records(get(served, "/partners/zhejiang-university.csv")[2])
    assert len(rows) == mentions
    assert all("Zhejiang University" in row["partners"] for row in rows)
    assert first_sheet(get(served, "/partners/zhejiang-university.xlsx")[2]).max_row - 2 == mentions


def test_formulas_come_out_inert_and_text_whole(served):
    query = quote("text:HYPERLINK OR text:office OR مرحبا")
    body = get(served, f"/search.csv?q={query}")[2]
    cells = [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    texts = [c for c in cells if "HYPERLINK" in c or "495" in c or "مرحبا" in c]
    assert texts and all(not c.startswith(("=", "+", "-", "@")) for c in cells)
    assert any(c.startswith("'=HYPERLINK") for c in texts)
    assert any("浙江大学" in c and "<script>" in c for c in cells)  # text kept as it is
    sheet = first_sheet(get(served, "/search.xlsx?q=HYPERLINK")[2])
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("'=HYPERLINK") for v in values)
    assert not any(v.startswith("=") for v in values)


def test_an_export_beyond_the_bound_is_cut_and_says_so(served):
    total = served.json("/api/search?q=University&passages=1")[1]["total"]
    assert total > 6
    status, headers, body = get(served, "/search.csv?q=University")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert status == 200 and len(rows) == 2 + 6 + 1
    assert rows[-1][0] == f"# cut at 6 of {total} passages"
    assert headers["X-Export-Cut"] == f"cut at 6 of {total} passages"
    book = openpyxl.load_workbook(io.BytesIO(get(served, "/search.xlsx?q=University")[2]))
    assert book["Passages"].max_row == 8 and "cut at 6" in str(book["About"]["B4"].value)
    russian = get(served, "/search.csv?q=University", "ru")[2].decode("utf-8-sig")
    assert russian.splitlines()[-1] == f"# обрезано: 6 из {total} фрагментов"


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("/search.csv?q=", 400, "missing_query"), ("/search.atom?q=%22", 400, "bad_query"),
     ("/search.xlsx?q=un*+ch*+sh*+zh*+ge*+ti*+pa*+co*+re*", 400, "bad_query"),
     ("/partners/no-such-partner.csv", 404, "not_found"),
     ("/partners/no-such-partner.atom", 404, "not_found")],
)  # fmt: skip
def test_bad_requests_get_the_json_error(served, path, status, code):
    got, _, body = get(served, path)
    assert got == status and json.loads(body)["error"]["code"] == code


def test_a_missing_partners_brief_is_a_page(served):
    status, headers, _ = get(served, "/partners/no-such-partner/brief")
    assert status == 404 and headers["Content-Type"].startswith("text/html")


def test_the_partner_brief_as_a_page_and_as_word(served):
    status, _, page = get(served, "/partners/zhejiang-university/brief")
    text = page.decode()
    assert status == 200 and "<mark>Zhejiang University</mark>" in text
    assert "@media print" in get(served, "/static/style.css")[2].decode()
    document = docx.Document(io.BytesIO(get(served, "/partners/zhejiang-university/brief.docx")[2]))
    paragraphs = [p.text for p in document.paragraphs]
    mentions = served.json("/api/partners/zhejiang-university")[1]["mentions"]
    assert paragraphs[0] == "Zhejiang University"
    assert sum(p.startswith("http") and "/doc/" in p for p in paragraphs) == mentions
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "Zhejiang University" in bold


def test_pages_announce_their_feed(served):
    for path in ("/search?q=Geely", "/partners/geely"):
        page = get(served, path)[2].decode()
        assert 'rel="alternate" type="application/atom+xml"' in page
        assert ">Follow (Atom feed)<" in page


def test_the_cli_exports_the_same_rows(served, tmp_path):
    out = tmp_path / "geely.xlsx"
    subprocess.run([*CLI, "export", "Geely", "--format", "xlsx", "--output", str(out),
                    "--index", str(served.index_dir)], check=True, cwd=ROOT)  # fmt: skip
    total = served.json("/api/search?q=Geely&passages=1")[1]["total"]
    assert openpyxl.load_workbook(out).worksheets[0].max_row - 2 == total
    listed = subprocess.run([*CLI, "export", "Geely", "--format", "json", "--base-url",
                             "https://search.example/", "--index", str(served.index_dir)],
                            check=True, cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    rows = json.loads(listed.stdout)["rows"]
    assert rows and all(r["url"].startswith("https://search.example/doc/") for r in rows)
    relative = subprocess.run([*CLI, "export", "Geely", "--index", str(served.index_dir)],
                              check=True, cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    assert ",/doc/" in relative.stdout


@pytest.mark.browser
def test_histogram_bars_filter_by_year_and_links_work(page, served):
    page.goto(served.url + "/search?q=University")
    bars = page.locator("svg.histogram a")
    assert bars.count() >= 1
    label = bars.first.get_attribute("aria-label")
    year = label.split(":")[0]
    bars.first.click()
    page.wait_for_url(f"**from={year}**")
    dates = [t.get_attribute("datetime") for t in page.locator("li.hit time").all()]
    assert dates and all(d.startswith(year) for d in dates)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename == f"search-university-{dt.date.today()}.csv"
    feed = page.get_by_role("link", name="Follow (Atom feed)").get_attribute("href")
    assert not feedparser.parse(get(served, feed)[2]).bozo
    page.goto(served.url + "/partners/zhejiang-university")
    assert page.locator("figure.timeline-chart svg rect").count() >= 12
    page.get_by_role("link", name="Partner brief").click()
    assert page.locator("article.brief h1").inner_text() == "Zhejiang University"


def test_exports_in_russian_name_their_columns_and_keep_the_ids_for_scripts(served):
    status, headers, body = get(served, "/search.csv?q=%D0%A1%D0%B8%D0%B0%D0%BD%D1%8C", "ru")
    assert status == 200
    assert (
        headers["Content-Disposition"]
        == f'attachment; filename="search-sian-{dt.date.today()}.csv"'
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Дайджест", "Заголовок", "Дата"] and rows[1][:3] == [
        "digest_id",
        "title",
        "date",
    ]
    status, headers, body = get(served, "/partners/zhejiang-university.xlsx", "ru")
    assert headers["Content-Disposition"] == (
        f'attachment; filename="zhejiang-university-{dt.date.today()}.xlsx"')  # fmt: skip
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert book.sheetnames == ["Фрагменты", "О выгрузке"]
    sheet = book["Фрагменты"]
    assert [c.value for c in sheet[1]][:3] == ["Дайджест", "Заголовок", "Дата"]
    dates = [row[2] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)  # date cells, not text
    assert dates[0].date() == dt.date(2023, 6, 6)
    assert book["О выгрузке"]["B1"].value == "Упоминания: Zhejiang University"


def test_the_brief_in_russian_as_word(served):
    status, headers, body = get(served, "/partners/zhejiang-university/brief.docx", "ru")
    assert status == 200
    assert headers["Content-Disposition"] == (
        f'attachment; filename="zhejiang-university-brief-{dt.date.today()}.docx"')  # fmt: skip
    document = docx.Document(io.BytesIO(body))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == "Чжэцзянский университет"  # its Russian name
    assert "Другие названия: Zhejiang University" in text
    assert "Упоминания по времени" in text and "Все упоминания" in text
    assert "июня 2023" in text  # the mentions' dates as Russian writes them
    periods = [row.cells[0].text for row in document.tables[0].rows]
    assert periods[0] == "Период" and "июнь 2023" in periods
    listed = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert listed and all(p.endswith(("дайджест", "дайджеста", "дайджестов")) for p in listed)
    for english in ("Also known as", "Mentions over time", "digests", "undated", "Every mention"):
        assert english not in text


def test_a_one_digest_line_of_the_english_brief_says_digest(served):
    document = docx.Document(io.BytesIO(get(served, "/partners/zhejiang-university/brief.docx")[2]))
    listed = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert any(p.endswith(" — 1 digest") for p in listed)
    assert not any(p.endswith(" 1 digests") for p in listed)


def test_timelines_label_their_years_in_the_svg(served):
    for language, period in (("en", "June 2023"), ("ru", "июнь 2023")):
        page = get(served, "/partners/zhejiang-university", language)[2].decode()
        assert '<text class="year"' in page and ">2023</text>" in page
        assert f"<title>{period}:" in page
        brief = get(served, "/partners/zhejiang-university/brief", language)[2].decode()
        assert ">2023</text>" in brief
