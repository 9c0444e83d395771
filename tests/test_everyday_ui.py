"""The everyday UI in headless Chromium at desk and phone sizes, in English and Russian:
accessibility checked by axe-core, the jump that keeps its target visible, the folded facet,
plurals, dates in the reader's language, a home page that teaches, clean addresses, dark mode."""

import itertools
import re

import pytest

from tests.harness import ROOT, SCREENSHOTS, ZJU_DOC
from tests.harness.staff import sign_in_page

pytestmark = pytest.mark.browser
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESK, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}
PAGES = ["/", "/search?q=Zhejiang+University", f"/doc/{ZJU_DOC}?q=Zhejiang+University",
         "/partners", "/partners/zhejiang-university", "/partners/history",
         "/partners/zhejiang-university/brief", "/partners/review", "/digests?sort=title",
         "/admin/upload", "/admin/password"]  # fmt: skip


@pytest.fixture
def open_page(browser):
    """A page at a size, in a language, in a colour scheme; closed after the test."""
    contexts = []

    def make(size=DESK, locale="en-US", scheme="light", bypass_csp=False):
        context = browser.new_context(viewport=size, locale=locale, color_scheme=scheme,
                                      bypass_csp=bypass_csp)  # fmt: skip
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    """Serious and critical accessibility violations axe-core finds on the page."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("axe.run().then(r => r.violations)")
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in found
            if v["impact"] in ("serious", "critical")]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("locale", ["en-US", "ru-RU"])
def test_no_serious_accessibility_violation(open_page, server, locale, scheme):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run the README's test command (npm ci installs it)")
    page = open_page(locale=locale, scheme=scheme, bypass_csp=True)
    page.goto(server.url + "/admin/login")
    label = "Your name" if locale == "en-US" else "Ваше имя"
    assert page.get_by_label(label).count() == 1  # the form speaks the reader's language
    sign_in_page(page)
    found = {}
    for path in PAGES:
        assert page.goto(server.url + path).ok, path
        found[path] = violations(page)
    assert found == {path: [] for path in PAGES}


def test_the_jump_keeps_its_passage_clear_of_the_match_bar(open_page, live_server):
    for size in (DESK, PHONE):
        page = open_page(size)
        page.goto(live_server.url + f"/doc/{ZJU_DOC}?q=Zhejiang+University#{ZJU_DOC}-p12")
        bar = page.locator(".matchbar").bounding_box()
        target = page.locator(f'[id="{ZJU_DOC}-p12"]').bounding_box()
        assert target["y"] >= bar["y"] + bar["height"], (size, bar, target)


def test_the_facet_is_short_labelled_and_folded_on_a_phone(open_page, live_server):
    page = open_page()
    page.goto(live_server.url + "/search?q=University")
    facet = page.locator("details.facet")
    assert facet.get_attribute("open") is not None
    assert facet.locator(":scope > ul > li").count() <= 5
    assert "passage" in facet.locator(":scope > ul > li .meta").first.inner_text()
    phone = open_page(PHONE)
    phone.goto(live_server.url + "/search?q=University")
    assert phone.locator("details.facet").get_attribute("open") is None
    first_hit = phone.locator("li.hit").first.bounding_box()
    assert first_hit["y"] < PHONE["height"]  # the first result is on the first screen
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "phone.png"))


def test_plurals_dates_and_one_mark_at_a_snippets_end(open_page, live_server):
    page = open_page()
    page.goto(live_server.url + "/search?q=Geely")
    count = page.locator("h1.count").inner_text()
    assert count.startswith(("1 digest found", "2 digests found", "3 digests found"))
    snippets = page.locator("p.snippet").all_inner_texts()
    assert not any(s.endswith(".…") for s in snippets)
    time = page.locator("li.hit time").first
    iso, shown = time.get_attribute("datetime"), time.inner_text()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", iso) and re.fullmatch(
        r"\d{1,2} [A-Z][a-z]+ \d{4}", shown
    )
    assert shown.endswith(iso[:4]) and shown.startswith(str(int(iso[8:])))
    russian = open_page(locale="ru-RU")
    russian.goto(live_server.url + f"/doc/{ZJU_DOC}")
    assert russian.locator("article time").first.inner_text() == "6 июня 2023"


def test_the_home_page_teaches_and_the_empty_state_helps(open_page, live_server):
    page = open_page()
    page.goto(live_server.url + "/")
    examples = page.locator("section.start ul.examples").first.get_by_role("link")
    assert examples.count() >= 3
    name = examples.first.inner_text()
    examples.first.click()
    assert page.locator("li.hit").count() >= 1 and name in page.locator("li.hit").first.inner_text()
    page.goto(live_server.url + "/search?q=quantum+chromodynamics&lang=en")
    links = page.locator(".notice.empty a")
    texts = links.all_inner_texts()
    assert "Search again without the filters" in texts and "Browse the partner directory" in texts
    assert any(t.startswith("Any of the words") for t in texts)


def test_clean_addresses_favicon_and_footer_at_the_bottom(open_page, live_server):
    page = open_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Search the digests").fill("Geely")
    page.get_by_label("Search the digests").press("Enter")
    page.wait_for_selector("li.hit")
    assert page.url.endswith("/search?q=Geely")  # no &from=&to=&lang=
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon.endswith("favicon.svg") and page.request.get(live_server.url + icon).ok
    page.goto(live_server.url + "/partners/no-such-partner")
    footer = page.locator("footer.site").bounding_box()
    assert footer["y"] + footer["height"] >= DESK["height"] - 40  # not floating mid-page


def test_partner_table_sorts_with_a_direction_and_keeps_dates_whole(open_page, live_server):
    page = open_page()
    page.goto(live_server.url + "/partners")
    assert "partners" in page.locator("main p.meta").first.inner_text()
    button = page.get_by_role("button", name="Mentions")
    button.click()
    assert button.get_attribute("aria-sort") == "descending"
    button.click()
    assert button.get_attribute("aria-sort") == "ascending"
    cell = page.locator("#partners td.date time").first
    box = cell.bounding_box()
    assert box["height"] < 30  # "6 June 2023" on one line


def test_keyboard_only_search_and_steps(open_page, live_server):
    from playwright.sync_api import expect

    page = open_page()
    page.goto(live_server.url + "/")
    expect(page.locator("#q")).to_be_focused()  # the search box has the focus on arrival
    page.keyboard.type("Zhejiang University")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.hit")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.tagName")
    assert focused in ("A", "INPUT", "BUTTON", "SUMMARY")
    page.goto(live_server.url + f"/doc/{ZJU_DOC}?q=Zhejiang+University")
    page.keyboard.press("n")
    assert page.locator("mark.current").count() == 1


def test_every_passage_mode_names_a_digest_once_for_its_run_of_passages(open_page, live_server):
    page = open_page()
    page.goto(live_server.url + "/search?q=Zhejiang+University&passages=1&limit=20")
    again = page.locator("li.hit p.same-digest").count()
    assert again >= 1
    for hits in page.locator("ol.hits").all():  # whole names, then only some of the words
        shown = [
            li.locator("h2.hit-title, p.same-digest").first for li in hits.locator("li.hit").all()
        ]
        titles = [s.inner_text() for s in shown if s.evaluate("e => e.tagName") == "H2"]
        assert all(a != b for a, b in itertools.pairwise(titles))  # never one title twice in a row


def test_filters_and_the_partner_table_by_keyboard(open_page, live_server):
    page = open_page()
    page.goto(live_server.url + "/search?q=Geely")
    page.locator("details.filters summary").focus()
    page.keyboard.press("Enter")  # opens the filters
    page.locator("select[name=lang]").focus()
    page.keyboard.press("ArrowDown")  # en
    page.locator("#q").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**lang=en**")
    page.goto(live_server.url + "/partners")
    page.get_by_role("button", name="Mentions").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("button", name="Mentions").get_attribute("aria-sort") == "descending"


WORDS = {
    "en-US": {"duplicate": "already indexed as", "added": "Added the name «Zeekr».",
              "add": "Add", "name": "Another name (any script)", "csv": "CSV",
              "headers": ["Digest", "Title", "Date"], "undone": "Your last change was undone.",
              "undo": "Undo my last change"},
    "ru-RU": {"duplicate": "уже есть в поиске", "added": "Добавлено название «Zeekr».",
              "add": "Добавить", "name": "Другое название (любая письменность)", "csv": "CSV",
              "headers": ["Дайджест", "Заголовок", "Дата"],
              "undone": "Ваше последнее изменение отменено.",
              "undo": "Отменить моё последнее изменение"},
}  # fmt: skip


@pytest.mark.parametrize("locale", ["en-US", "ru-RU"])
def test_a_working_day_in_each_language(open_page, staff_server, tmp_path, locale):
    """Upload a file twice, correct a partner and undo it, read the timeline's years, and
    keep an export: every word in the reader's language, the files readable."""
    import csv
    import io

    said = WORDS[locale]
    page = open_page(locale=locale)
    page.goto(staff_server.url + "/admin/login")
    sign_in_page(page)
    file = tmp_path / f"nio-{locale}.txt"
    file.write_text(f"NIO visit\n\nNIO {locale} engineers came.\n", encoding="utf-8")
    for _ in range(2):
        page.goto(staff_server.url + "/admin/upload")
        page.locator("#file").set_input_files(str(file))
        page.locator("form.upload button[type=submit]").click()
    refused = page.locator(".outcomes li.refused")
    assert said["duplicate"] in refused.inner_text()
    assert refused.get_by_role("link").first.get_attribute("href").startswith("/doc/nio-")
    page.goto(staff_server.url + "/partners/geely")
    page.get_by_label(said["name"]).fill("Zeekr")
    page.get_by_role("button", name=said["add"], exact=True).click()
    assert said["added"] in page.locator(".notice").first.inner_text()
    page.get_by_role("button", name=said["undo"]).click()
    assert said["undone"] in page.locator(".notice").first.inner_text()
    page.goto(staff_server.url + "/partners/zhejiang-university")
    years = page.locator("figure.timeline-chart text.year")
    assert years.all_text_contents() == ["2023"] and years.first.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=said["csv"]).first.click()
    name = download.value.suggested_filename
    assert re.fullmatch(r"zhejiang-university-\d{4}-\d\d-\d\d\.csv", name)
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == said["headers"] and rows[1][:3] == ["digest_id", "title", "date"]
