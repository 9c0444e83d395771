"""Real headless Chromium (Debian's) driving the served app: the flows staff use every day."""

import pytest

from tests.harness import SCREENSHOTS, SHANGHAI_DOC, ZJU_DOC
from tests.harness.staff import sign_in_page

pytestmark = pytest.mark.browser


def test_search_open_document_and_step_through_matches(page, live_server):
    page.goto(live_server.url + "/")
    box = page.get_by_label("Search the digests")
    assert page.evaluate("document.activeElement.id") == "q"
    box.fill("Zhejiang University")
    box.press("Enter")
    page.wait_for_selector("li.hit")
    first = page.locator("li.hit").first
    assert first.locator(".snippet mark").first.inner_text() == "Zhejiang University"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "results.png"), full_page=True)

    first.locator("h2 a").click()
    page.wait_for_selector("article.document")
    assert page.url.startswith(f"{live_server.url}/doc/{ZJU_DOC}?q=Zhejiang+University#{ZJU_DOC}-p")
    target = page.locator(".passage.target")
    assert target.count() == 1
    assert target.get_attribute("id") == page.url.split("#")[1]
    assert target.locator("mark.current").count() == 1
    assert in_viewport(page, ".passage.target")

    marks = page.locator("article mark")
    assert marks.count() >= 3
    start = current_index(page)
    page.keyboard.press("n")
    assert current_index(page) == (start + 1) % marks.count()
    assert in_viewport(page, "mark.current")
    page.keyboard.press("p")
    page.keyboard.press("p")
    assert current_index(page) == (start - 1) % marks.count()
    page.get_by_role("button", name="Next match").click()
    assert current_index(page) == start


def current_index(page) -> int:
    return page.evaluate(
        "Array.from(document.querySelectorAll('article mark')).findIndex("
        "m => m.classList.contains('current'))"
    )


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        "s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }",
        selector,
    )


def test_more_passages_expand_in_place(page, live_server):
    page.goto(live_server.url + "/search?q=SPbPU")
    details = page.locator("details.more").first
    details.locator("summary").click()
    page.wait_for_selector("details.more.loaded li")
    items = details.locator("li")
    assert items.count() >= 5
    assert items.first.locator("mark").count() >= 1


def test_language_switch(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Русский").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Найти").is_visible()
    page.goto(live_server.url + "/search?q=Geely")
    assert "дайджест" in page.locator("h1.count").inner_text()  # "Найдено 3 дайджеста"
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("button", name="Search").is_visible()


def test_phone_layout_has_no_horizontal_scroll(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    for path in ("/", "/search?q=Zhejiang", f"/doc/{ZJU_DOC}?q=Zhejiang"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    context.close()


def test_digest_markup_stays_text_in_the_browser(page, live_server):
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + "/search?q=script")
    page.goto(live_server.url + "/doc/digest-with-markup?q=alert")
    assert "<script>" in page.locator("article").inner_text()
    assert not alerts


def test_upload_in_the_browser_then_find_it(page, server, tmp_path):
    digest = tmp_path / "faw-visit.txt"
    digest.write_text("FAW visit\n\nThe FAW Jiefang team visited SPbPU.\n", encoding="utf-8")
    page.goto(server.url + "/admin/upload")  # staff sign in once, then land on the form
    sign_in_page(page)
    page.get_by_label("Digest files").set_input_files(str(digest))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("link", name="FAW visit").click()
    page.wait_for_selector("article.document")
    assert "Jiefang" in page.locator("article").inner_text()
    page.goto(server.url + "/search?q=Jiefang")
    assert page.locator("li.hit mark").first.inner_text() == "Jiefang"
    page.goto(server.url + "/admin/upload")  # the session holds: no token asked again
    page.get_by_role("button", name="Sign out").click()
    page.goto(server.url + "/admin/upload")
    assert "/admin/login" in page.url


def test_partner_directory_filters_and_sorts(page, live_server):
    page.goto(live_server.url + "/partners")
    rows = page.locator("#partners tbody tr")
    total = rows.count()
    assert total > 25
    page.get_by_label("Filter partners as you type").fill("zhejiang")
    visible = page.locator("#partners tbody tr:visible")
    assert 0 < visible.count() < total
    assert all("zhejiang" in t.lower() for t in visible.all_inner_texts())
    page.get_by_label("Filter partners as you type").fill("ztu")
    assert (
        page.locator("#partners tbody tr:visible")
        .first.inner_text()
        .startswith("Zhejiang Technical University")
    )
    page.get_by_label("Filter partners as you type").fill("")
    page.get_by_role("button", name="Partner").click()
    names = [r.split("\n")[0] for r in page.locator("#partners tbody tr").all_inner_texts()]
    assert names == sorted(names, key=str.lower, reverse=True)
    page.locator("#partners tbody tr a", has_text="Zhejiang Technical University").click()
    page.locator("ol.mentions li a").first.click()
    page.wait_for_selector("article.document")
    assert page.locator(".passage.target mark").count() >= 1


def test_a_malformed_fragment_leaves_the_document_view_working(page, live_server):
    """decodeURIComponent threw on "#%E0%A4%A" and stopped the page's script."""
    page.goto(live_server.url + f"/doc/{ZJU_DOC}?q=Zhejiang#%E0%A4%A")
    page.wait_for_selector("article.document")
    page.keyboard.press("n")
    assert "1 /" in page.locator(".match-count").inner_text()  # the page's own errors: none


@pytest.mark.parametrize(("language", "filters", "digest", "search"),
                         [("en", "Filters", "Digest", "Search"),
                          ("ru", "Фильтры", "Дайджест", "Найти")])  # fmt: skip
def test_the_digest_filter_suggests_and_shows_titles(page, live_server, language, filters,
                                                     digest, search):  # fmt: skip
    title = live_server.json("/api/digests?q=shang")[1]["digests"][0]["title"]
    page.goto(live_server.url + f"/search?q=SPbPU&ui={language}")
    page.locator("summary", has_text=filters).click()
    field = page.get_by_role("combobox", name=digest)
    field.fill("shang")
    options = page.locator("#digest-options option")
    options.first.wait_for(state="attached")
    assert options.first.get_attribute("value") == title  # a title, never an id
    field.fill(title)
    page.get_by_role("button", name=search, exact=True).click()
    page.wait_for_url("**doc=**")
    assert page.locator("li.hit").count() == 1
    assert page.get_by_role("combobox", name=digest).input_value() == title
    page.goto(live_server.url + f"/search?q=SPbPU&doc={SHANGHAI_DOC}")  # a link by id
    assert page.get_by_role("combobox", name=digest).input_value() == title


def test_partner_page_shows_its_timeline_and_co_mentioned_partners(page, live_server):
    page.goto(live_server.url + "/partners/zhejiang-university")
    chart = page.locator("figure.timeline-chart")
    assert chart.locator("svg rect").count() >= 12  # a bar a month over the corpus's years
    assert chart.locator("table").count() == 1  # the numbers, without pictures
    assert page.locator("ul.co-mentioned li").count() >= 1
    assert page.locator("ol.mentions mark").first.inner_text() == "Zhejiang University"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "partner.png"), full_page=True)
