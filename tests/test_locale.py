"""The catalogues and the words of each language: every key in both, numbers, dates and
quarters as the language writes them, and the pages' errors in the reader's language."""

import re

import pytest

from indexer.locale import LOCALES, Words, catalogue


def test_each_catalogue_holds_every_key_and_every_plural_form():
    keys = {locale: set(catalogue(locale)) for locale in LOCALES}
    assert keys["en"] - keys["ru"] == set(), "missing in ru.json"
    assert keys["ru"] - keys["en"] == set(), "missing in en.json"
    for key, text in catalogue("ru").items():
        if isinstance(text, dict):
            assert {"one", "few", "many", "other"} <= set(text), key


def test_fractions_dates_and_quarters_in_russian():
    words = Words("ru")
    assert words("found_digests", total=4, ms=7.1) == "Найдено 4 дайджеста за 7,1 мс"
    assert Words("en")("found_digests", total=4, ms=7.1).endswith("7.1 ms")
    assert words.date("2023-06-06") == "6 июня 2023"
    assert words.quarter(2018, 3) == "3-й кв. 2018"
    assert Words("en").quarter(2018, 3) == "Q3 2018"


@pytest.mark.parametrize(("language", "said"), [("ru", "Такой страницы нет"),
                                                 ("en", "There is no such page")])  # fmt: skip
def test_the_404_page_speaks_the_readers_language(live_server, language, said):
    status, _, body = live_server.get("/no/such/page", {"Accept-Language": language})
    assert status == 404
    assert said in body.decode()
    assert "requested URL" not in body.decode()


def test_a_csv_export_names_its_charset_once(live_server):
    status, headers, _ = live_server.get("/search.csv?q=Zhejiang")
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_correction_and_its_undo_are_reported_in_russian(staff_server):
    from tests.harness.staff import Staff

    anna = Staff(staff_server)
    anna.get("/partners?ui=ru")  # the reader chooses Russian once; the cookie keeps it
    status, _, _ = anna.post("/partners/geely/names", name="Джили Холдинг")
    assert status == 303
    _, page = anna.get("/partners/geely")
    assert "Добавлено название «Джили Холдинг»." in page
    anna.post("/partners/undo", back="/partners")
    _, page = anna.get("/partners")
    assert "Ваше последнее изменение отменено." in page
    assert "undone" not in page


@pytest.mark.parametrize(("language", "shown", "beside"),
                         [("ru", "Чжэцзянский университет", "Zhejiang University"),
                          ("en", "Zhejiang University", "Чжэцзянский университет")])  # fmt: skip
def test_a_partner_goes_by_its_name_in_the_readers_language(live_server, language, shown, beside):
    accept = {"Accept-Language": language}
    page = live_server.get("/partners/zhejiang-university", accept)[2].decode()
    assert f"<h1>{shown}</h1>" in page
    assert beside in page.split("</h1>", 1)[1]  # its other names beside it
    listed = live_server.get("/partners", accept)[2].decode()
    assert f'zhejiang-university">{shown}</a>' in listed
    found = live_server.get("/search?q=ZJU", accept)[2].decode()
    assert shown in found.split('class="linked-partner"', 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize(("language", "said"),
                         [("ru", "в дайджесте также названо «JITRI»"),
                          ("en", "defined as «JITRI» in a digest")])  # fmt: skip
def test_why_a_partners_names_are_one_is_said_in_the_readers_language(live_server, language,
                                                                      said):  # fmt: skip
    path = "/partners/jiangsu-industrial-technology-research-institute"
    page = live_server.get(path, {"Accept-Language": language})[2].decode()
    assert said in page
    typo = live_server.get("/partners/nemtri", {"Accept-Language": language})[2].decode()
    assert ("отличается одной буквой" if language == "ru" else "one letter apart") in typo


def test_the_review_queue_gives_its_reasons_in_russian(staff_server):
    from tests.harness.staff import Staff

    anna = Staff(staff_server)
    _, page = anna.get("/partners/review?ui=ru")
    reasons = re.findall(r'<span class="meta">([^<]*)</span>', page)
    assert reasons
    assert all(r.startswith(("«", "то же название", "похожие названия")) for r in reasons), reasons
    assert not any(word in page for word in ("may stand for", "similar names", "another script"))


FORMAT_NAMES = set(
    "UTC CSV XLSX JSON Atom HTML PDF Word Markdown OCR partners toml docx eml msg txt md htm "
    "html pdf jsonl odt rtf MB OpenDocument RTF PNG JPEG TIFF Outlook Lines".split()
)
ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "data-confirm")


def english_words(page: str, names: list[str]) -> set[str]:
    """The Latin words a Russian page says in its own voice: digest text (marked with a lang
    other than ru), names (partners', digests' titles, what was typed), format names and UTC
    (Russian writes them so) aside."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for element in soup.select("script, style, [translate=no]"):
        element.decompose()
    for element in soup.select("[lang]"):
        if element.get("lang") != "ru":
            element.decompose()
    said = [soup.get_text(" ")]
    said += [el.get(a, "") for el in soup.find_all(True) for a in ATTRIBUTES]
    said += [el.get("value", "") for el in soup.select("input[type=submit]")]
    text = " ".join(said)
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return set(re.findall(r"[A-Za-z][A-Za-z'’]+", text)) - FORMAT_NAMES


def test_every_page_of_the_russian_ui_speaks_russian(staff_server):
    from tests.harness.staff import Staff

    anna = Staff(staff_server)
    _, listing = staff_server.json("/api/partners")
    names = [n for p in listing["partners"] for n in [p["name"], *p["names"], *p.get("units", [])]]
    _, digests = staff_server.json("/api/digests?limit=100")
    names += [d["title"] for d in digests["digests"]] + [
        "Zhejiang University",
        "quantumzzzz",
        "Anna",
    ]
    doc = digests["digests"][0]["doc_id"]
    paths = ["/", "/search?q=Zhejiang+University", "/search?q=quantumzzzz",
             "/search?q=Zhejiang+University&passages=1", f"/doc/{doc}?q=Zhejiang+University",
             "/partners", "/partners/zhejiang-university", "/partners/nemtri",
             "/partners/zhejiang-university/brief", "/partners/review", "/partners/history",
             "/digests", "/digests?sort=title", "/admin/upload", "/admin/password",
             "/no/such/page", "/partners/no-such-partner"]  # fmt: skip
    anna.get("/?ui=ru")
    found = {path: english_words(anna.get(path)[1], names) for path in paths}
    visitor = staff_server.get("/admin/login", {"Accept-Language": "ru"})[2].decode()
    found["/admin/login"] = english_words(visitor, names)
    assert found == {path: set() for path in found}


@pytest.mark.parametrize(("field", "value", "said"),
                         [("merge", "Geely", "Партнёра нельзя объединить с самим собой."),
                          ("names", "   ", "Название не может быть пустым."),
                          ("split", "Geely", "Сначала переименуйте партнёра")])  # fmt: skip
def test_a_refused_correction_says_why_in_russian(staff_server, field, value, said):
    from tests.harness.staff import Staff

    anna = Staff(staff_server)
    anna.get("/partners?ui=ru")
    form = {"merge": {"into": value}, "names": {"name": value}, "split": {"name": value}}[field]
    status, reply, _ = anna.post(f"/partners/geely/{field}", **form)
    assert status == 303
    _, page = anna.get(reply["Location"])
    assert said in page


def test_refused_writes_say_why_in_russian(staff_server):
    from tests.harness.staff import Staff

    ru = {"Accept-Language": "ru", "Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = staff_server.request("POST", "/partners/geely/names", b"name=x", ru)
    assert status == 401 and "Сначала войдите." in body.decode()
    anna = Staff(staff_server)
    headers = {**anna._headers(), **ru}
    status, _, body = staff_server.request("POST", "/partners/geely/names",
                                           b"name=x&csrf_token=stale", headers)  # fmt: skip
    assert status == 400 and "Обновите страницу" in body.decode()


@pytest.mark.parametrize(("name", "data", "said"),
                         [("binary.txt", b"\0" * 300, "двоичный файл (есть нулевые байты)"),
                          ("export.jsonl", b"[1, 2]\n", "строка 1: это не объект JSON"),
                          ("notes.xyz", b"text", "тип файла .xyz не поддерживается")])  # fmt: skip
def test_why_an_upload_is_refused_is_said_in_russian(staff_server, name, data, said):
    from tests.harness.staff import Staff

    anna = Staff(staff_server)
    anna.get("/admin/upload?ui=ru")
    status, _, page = anna.send_file("/admin/upload", name, data)
    assert status in (400, 415)
    assert said in page
