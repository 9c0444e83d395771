"""A partner's name finds that partner first: whole names above their parts, marked whole,
years preferred, numbers and names never "corrected", text: searching the text alone.

The fixture corpus near_miss_names/ holds the near misses a new user met: two universities
sharing "Jiaotong University", a partner and its "Technical" namesake, a long digest full of
"University", a name only in a heading, and winter schools of two years.
"""

import shutil

import pytest

from tests.harness import FIXTURES, LiveServer, fixture_index

EXACT, TECHNICAL, TWO_JIAOTONG = (
    "exact-name-once", "technical-namesake", "two-jiaotong-universities",
)  # fmt: skip
XIAN, EVERYWHERE, HEADING = "xian-jiaotong-exact", "university-everywhere", "heading-names-partner"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    with fixture_index(tmp_path_factory.mktemp("near-miss"), "near_miss_names") as index:
        yield index


def digests(index, q: str) -> list[tuple[str, str | None]]:
    return [(hit.doc_id, hit.match) for hit in index.search(q, limit=20).hits]


def test_the_digest_holding_the_whole_name_comes_first(index):
    found = digests(index, "Zhejiang University")
    assert found[0] == (EXACT, "name")
    assert {match for _, match in found[1:]} == {"partial"}
    assert (EVERYWHERE, "partial") in found  # partial matches still come, below


def test_two_universities_sharing_words_are_told_apart(index):
    found = digests(index, "Xi'an Jiaotong University")
    assert found[0] == (XIAN, "name")
    assert (TWO_JIAOTONG, "partial") in found


def test_passages_of_the_whole_name_first_and_the_namesake_below(index):
    hits = index.search("Zhejiang University", passages=True, limit=30).hits
    matches = [hit.match for hit in hits]
    assert matches[0] == "name" and "partial" in matches
    assert matches == sorted(matches, key=lambda m: m != "name")  # every name hit first
    technical = [hit for hit in hits if hit.doc_id == TECHNICAL]
    assert technical and all(hit.match == "partial" for hit in technical)


def test_an_acronym_defined_in_the_text_finds_the_full_name_as_a_name(index):
    hits = index.search("ZTU", passages=True, limit=10).hits
    assert {hit.doc_id for hit in hits} == {TECHNICAL}
    assert all(hit.match == "name" for hit in hits)
    marked = " ".join(hit.snippet.plain() for hit in hits)
    assert "[Zhejiang Technical University]" in marked and "[ZTU]" in marked


def test_a_name_query_marks_the_whole_name_never_its_words_alone(index):
    for hit in index.search("Zhejiang University", passages=True, limit=50).hits:
        plain = hit.snippet.plain()
        assert "[University]" not in plain and "[Zhejiang]" not in plain
        if hit.match == "name":
            assert "[Zhejiang University]" in plain


def test_plain_word_queries_mark_and_rank_as_before(index):
    hits = index.search("university choir", passages=True, limit=5).hits
    assert all(hit.match is None for hit in hits)
    assert "[University choir]" in hits[0].snippet.plain()


def test_the_document_view_marks_only_whole_names_and_aliases(index):
    marks = index.marks("Zhejiang University")
    text = "Zhejiang University met the University of Zhejiang and ZJU."
    assert (
        marks.full(text).plain() == "[Zhejiang University] met the University of Zhejiang and ZJU."
    )
    ztu = index.marks("ZTU")
    assert ztu.full("Zhejiang Technical University (ZTU)").plain() == (
        "[Zhejiang Technical University] ([ZTU])"
    )


def test_a_passage_found_through_its_heading_shows_the_heading_marked(index):
    hit = index.search("BinZhou Polytechnic College", passages=True, limit=1).hits[0]
    assert hit.doc_id == HEADING and hit.heading_marked is not None
    assert "[BinZhou Polytechnic College]" in hit.heading_marked.plain()
    assert hit.to_json()["heading_snippet"].count("<mark>") == 1


def test_a_bare_year_prefers_that_year_and_is_never_corrected(index):
    result = index.search("winter school 2017", limit=5)
    assert result.hits[0].doc_id == "winter-school-2017"
    assert result.suggestion is None
    assert {hit.doc_id for hit in result.hits} >= {"winter-school-2016"}  # not excluded


def test_did_you_mean_leaves_known_names_alone(index):
    # "Cahngxing" is a partner's own spelling in the directory, one letter from "Changxing"
    assert index.search("Cahngxing", limit=5).suggestion is None
    assert index.search("Zhejang", limit=5).suggestion == "Zhejiang"  # a real typo still is
    assert index.search("Changxing 2017", limit=5).suggestion is None  # nor is a year


def test_text_field_searches_the_passage_text_only(index):
    in_title = {hit.passage_id for hit in index.search("chronicle", passages=True, limit=50).hits}
    assert len(in_title) == 20  # the title's word is in every passage's searched content
    assert index.search("text:chronicle", passages=True, limit=50).total == 0
    assert index.search("text:chronicle", passages=True, limit=50).hits == []
    assert index.search("text:choir", passages=True, limit=50).total == 20
    assert index.search('text:"summer programme"', passages=True, limit=5).total == 1
    assert index.search("title:chronicle", passages=True, limit=50).total == 20
    assert index.search("heading:BinZhou", passages=True, limit=5).total == 1


@pytest.fixture(scope="module")
def near_miss_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("near-miss-served")
    shutil.copytree(FIXTURES / "near_miss_names", root / "corpus")
    server = LiveServer(root / "corpus", root / "index")
    yield server
    server.stop()


@pytest.mark.browser
def test_the_document_view_steps_through_whole_names_only(page, near_miss_server):
    page.goto(near_miss_server.url + f"/doc/{TECHNICAL}?q=ZTU")
    marks = page.locator("article.document mark")
    assert marks.all_inner_texts() == [
        "Zhejiang Technical University",
        "ZTU",
        "ZTU",
        "Zhejiang Technical University",
        "ZTU",
    ]  # not "University of Technology in Zhejiang"
    page.keyboard.press("n")
    page.keyboard.press("n")
    assert page.locator(".match-count").inner_text().endswith("2 / 5")
    page.goto(near_miss_server.url + f"/doc/{EVERYWHERE}?q=Zhejiang+University")
    assert page.locator("article.document mark").count() == 0  # 60 lone words, no name


@pytest.mark.browser
def test_the_results_page_puts_a_divider_before_partial_matches(page, near_miss_server):
    page.goto(near_miss_server.url + "/search?q=Zhejiang+University")
    lists = page.locator("ol.hits")
    assert lists.count() == 2
    assert page.locator("p.divider").inner_text() == "Only some of the words"
    assert lists.first.locator("li.hit h2").first.inner_text() == "Rector's visit to Hangzhou"
    assert lists.nth(1).get_attribute("start") == str(lists.first.locator("li.hit").count() + 1)
