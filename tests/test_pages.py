"""HTML pages: search, document view, languages, errors, and escaping of digest text."""

import re
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from tests.harness import SHANGHAI_DOC, ZJU_DOC, LiveServer

OUR_SCRIPT = "/static/app.js"


def page(client, url: str, status: int = 200, **kwargs) -> BeautifulSoup:
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.data[:300]
    return BeautifulSoup(response.data, "lxml")


def assert_no_digest_markup(soup: BeautifulSoup) -> None:
    """Only our own elements: one script (ours), no event handlers, no javascript: links."""
    assert [s.get("src") for s in soup.find_all("script")] == [OUR_SCRIPT]
    assert not soup.find_all(["img", "iframe", "object", "embed", "b"])
    for tag in soup.find_all(True):
        assert not any(attr.startswith("on") for attr in tag.attrs), tag
        assert not str(tag.get("href", "")).lower().startswith("javascript:")


def test_home_shows_the_corpus_newest_first(client):
    soup = page(client, "/")
    items = soup.select("ul.digests li")
    assert len(items) == 4
    dates = [li.find("time")["datetime"] for li in items]
    assert dates == sorted(dates, reverse=True)
    assert "passages" in items[0].get_text()
    box = soup.find("input", id="q")
    assert box.has_attr("autofocus") and soup.find("label", attrs={"for": "q"})


def test_search_page_results(client):
    soup = page(client, "/search?q=Zhejiang+University")
    assert soup.find("input", id="q")["value"] == "Zhejiang University"
    assert "digests found" in soup.select_one("h1.count").get_text()
    first = soup.select_one("li.hit")
    link = first.select_one("h2 a")["href"]
    assert link.startswith(f"/doc/{ZJU_DOC}?q=Zhejiang+University#{ZJU_DOC}-p")
    assert first.select_one(".snippet mark").get_text() == "Zhejiang University"
    assert (
        first.select_one("details.more summary").get_text().endswith("more passages in this digest")
    )
    alternate = soup.find("link", rel="alternate", type="application/json")
    assert alternate["href"].startswith("/api/search?q=Zhejiang+University")
    assert soup.find("main") and soup.find("header") and soup.find("footer")


def test_suggestion_and_no_results(client):
    soup = page(client, "/search?q=Zhejang+lang:ru")
    assert "Nothing was found" in soup.select_one(".notice").get_text()
    suggestion = soup.select_one(".suggestion a")
    assert suggestion.get_text() == "Zhejiang lang:ru"


def test_filters_and_pagination(client):
    soup = page(client, "/search?q=SPbPU&passages=1&limit=5&page=2")
    assert soup.select_one("ol.hits")["start"] == "6"
    nav = soup.select_one("nav.pagination")
    assert nav.find("a", rel="prev") and nav.find("a", rel="next")
    soup = page(client, f"/search?q=SPbPU&doc={SHANGHAI_DOC}")
    assert len(soup.select("li.hit")) == 1
    field = soup.find("input", attrs={"name": "doc"})
    assert field["value"].startswith("Digest of news from")  # the digest's title, not its id
    (chosen,) = soup.find("datalist", id=field["list"]).find_all("option")
    assert chosen["value"] == field["value"]
    by_title = page(client, f"/search?q=SPbPU&doc={quote(field['value'])}")
    assert [h.select_one("a")["href"] for h in by_title.select("li.hit")] == [
        h.select_one("a")["href"] for h in soup.select("li.hit")]  # fmt: skip


def test_document_view(client):
    soup = page(client, f"/doc/{ZJU_DOC}?q=Zhejiang")
    passages = soup.select(".passage")
    assert [p["id"] for p in passages] == [f"{ZJU_DOC}-p{n}" for n in range(1, len(passages) + 1)]
    assert "At Zhejiang University" in [h.get_text() for h in soup.find_all("h2")]
    assert soup.select(".passage.caption")
    assert len(soup.select("article mark")) >= 10
    assert soup.find("button", id="next-match") and soup.find("button", id="prev-match")
    assert soup.find("link", rel="alternate")["href"] == f"/api/doc/{ZJU_DOC}"


def test_document_links_to_its_original_page(client):
    soup = page(client, "/doc/page-with-nav-footer-scripts")
    original = soup.find("a", rel="noopener noreferrer external")
    assert original["href"] == "https://english.spbstu.ru/media/news/geely-visit/"


@pytest.mark.parametrize(
    "url",
    ["/", "/search?q=script", "/search?q=Geely", "/doc/digest-with-markup?q=script",
     "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
     "/search?q=%22%3E%3Cimg+src%3Dx+onerror%3D1%3E"],
)  # fmt: skip
def test_digest_and_query_text_is_escaped(client, url):
    response = client.get(url)
    assert response.status_code in (200, 400)
    assert_no_digest_markup(BeautifulSoup(response.data, "lxml"))


def test_interface_language(client):
    russian = page(client, "/", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert russian.find("button").get_text() == "Найти"
    assert (
        page(client, "/", headers={"Accept-Language": "en"}).find("button").get_text() == "Search"
    )
    response = client.get("/?ui=ru")
    assert "ui_lang=ru" in response.headers["Set-Cookie"]
    assert BeautifulSoup(client.get("/").data, "lxml").find("html")["lang"] == "ru"


def test_bad_query_gets_a_helpful_page(client):
    soup = page(client, "/search?q=lang:xx+Geely", status=400)
    assert "Unknown language" in soup.select_one(".notice.error").get_text()
    assert soup.find("input", id="q")["value"] == "lang:xx Geely"


def test_unknown_document_is_a_404_page(client):
    soup = page(client, "/doc/no-such-digest", status=404)
    assert "no digest" in soup.get_text()


def test_a_search_naming_a_partner_says_so_and_offers_the_words(client):
    soup = page(client, "/search?q=" + "Университет Чжэцзян")
    linked = soup.select_one("p.linked-partner")
    assert "Results for the partner Zhejiang University" in linked.get_text()
    words = linked.find("a")
    assert "link=none" in words["href"] and words.get_text() == "search the words instead"
    assert "link=" not in soup.select_one("h2.hit-title a")["href"]  # auto: the doc relinks
    unlinked = page(client, words["href"])
    assert unlinked.select_one("p.linked-partner") is None


def test_a_partner_page_searches_that_partner(client):
    soup = page(client, "/partners/zhejiang-university")
    search = next(a for a in soup.select("p.meta a") if "/search" in a["href"])
    assert "link=zhejiang-university" in search["href"]
    results = page(client, search["href"])
    listed = {m["doc_id"] for m in client.get("/api/partners/zhejiang-university").json["passages"]}
    found = {a["href"].split("/doc/")[1].split("?")[0] for a in results.select("h2.hit-title a")}
    assert listed <= found


def test_a_bad_link_parameter_is_a_helpful_400(client):
    response = client.get("/search?q=Zhejiang&link=%3Cb%3E")
    assert response.status_code == 400
    assert b"<b>" not in response.data


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """A corpus of 120 digests: more than the home page lists and than one page of /digests."""
    root = tmp_path_factory.mktemp("many")
    corpus = root / "corpus"
    corpus.mkdir()
    for n in range(120):
        month = 1 + n % 12
        (corpus / f"d{n:03d}.txt").write_text(
            f"Visit number {n:03d}\n{2000 + n // 12}-{month:02d}-01\n\nA delegation came.\n",
            encoding="utf-8",
        )
    (corpus / "undated.txt").write_text("Aardvark notes\n\nNo date here.\n", encoding="utf-8")
    server = LiveServer(corpus, root / "index")
    yield server
    server.stop()


def test_every_digest_is_reachable_from_the_digests_page(many):
    home = many.get("/")[2].decode()
    assert 'href="/digests"' in home
    seen, path = [], "/digests"
    while path:
        page = many.get(path)[2].decode()
        seen += re.findall(r'<a href="/doc/([^"]+)"', page)
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        path = following.group(1).replace("&amp;", "&") if following else None
    assert len(seen) == len(set(seen)) == 121
    assert seen[0] == "d119" and seen[-1] == "undated"  # newest first, the undated last


def test_the_digests_page_sorts_by_title_and_filters(many):
    page = many.get("/digests?sort=title")[2].decode()
    titles = re.findall(r'<a href="/doc/[^"]+"[^>]*>([^<]+)</a>', page)
    assert titles[0] == "Aardvark notes" and titles == sorted(titles, key=str.casefold)
    assert "Page 1 of 3" in page
    found = many.get("/digests?contains=number+007")[2].decode()
    assert re.findall(r'<a href="/doc/([^"]+)"', found) == ["d007"]
    assert many.get("/digests?page=999")[0] == 200  # past the last page: the last page
    russian = many.get("/digests?sort=title", {"Accept-Language": "ru"})[2].decode()
    assert "Все дайджесты" in russian and "Страница 1 из 3" in russian
