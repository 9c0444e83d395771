"""Searches linked to a partner, over a corpus of our own in three scripts and the seeds."""

from urllib.parse import quote

import pytest

from indexer import SearchIndex, update_index
from tests.harness import CORPUS, fixture_index, shared_data

EN, RU, ZH = (
    "english-names-as-the-news-writes-them",
    "russian-names-declined-and-translated",
    "chinese-names-in-characters",
)
NAMESAKES, EVERYWHERE = "namesakes-sharing-words", "university-everywhere"


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("three-scripts")
    with fixture_index(root, "partners_in_three_scripts") as index:
        yield index


def digests(index, q: str, **options) -> list[str]:
    return [hit.doc_id for hit in index.search(q, limit=50, **options).hits]


@pytest.mark.parametrize(
    ("query", "slug", "first"),
    [
        ("Чжэцзянский университет", "zhejiang-university", EN),
        ("Университет Чжэцзян", "zhejiang-university", EN),
        ("浙江大学", "zhejiang-university", EN),
        ("Zhejiang Univ.", "zhejiang-university", EN),
        ("Университет Цинхуа", "tsinghua-university", ZH),
        ("Qinghua University", "tsinghua-university", ZH),
        ("Шанхайский университет", "shanghai-university", ZH),
        ("上海海事大学", "shanghai-maritime-university", RU),
        ("Shanghai Maritime Univ.", "shanghai-maritime-university", RU),
        ("Harbin Inst. of Tech.", "harbin-institute-of-technology", RU),
        ("Синопек", "sinopec", EN),
        ("Сианьский университет Цзяотун", "xi-an-jiaotong-university", EN),
        ("Циндаоский университет науки и технологии",
         "qingdao-university-of-science-and-technology", ZH),
    ],
)  # fmt: skip
def test_a_name_in_any_script_searches_its_partner(index, query, slug, first):
    result = index.search(query, limit=50)
    assert result.partner["slug"] == slug
    assert result.hits[0].doc_id == first
    assert result.hits[0].match == "name"
    # A digest that only says "university" never comes before one naming the partner.
    found = [hit.doc_id for hit in result.hits]
    assert EVERYWHERE not in found or found.index(EVERYWHERE) > found.index(first)


def test_snippets_mark_the_partner_under_the_name_the_digest_uses(index):
    hit = index.search("Университет Цинхуа").hits[0]
    assert "[清华大学]" in hit.snippet.plain()
    hit = index.search("Синопек").hits[0]
    assert "[Sinopec]" in hit.snippet.plain()


def test_searching_the_words_instead_links_nothing(index):
    result = index.search("Университет Цинхуа", filters={"link": "none"})
    assert (result.partner, result.partner_choices) == (None, [])


def test_a_slug_searches_that_partner_whatever_the_words(index):
    result = index.search(
        "Xian Univ. of Technology", filters={"link": "xi-an-technological-university"}
    )
    assert result.partner["slug"] == "xi-an-technological-university"
    assert result.hits[0].doc_id in {RU, NAMESAKES}


def test_a_slug_links_a_query_of_any_syntax(index):
    linked = {"link": "zhejiang-university"}
    for q in ('"Zhejiang"', "title:delegations", "Zhej*", "delegation NOT Xi'an"):
        result = index.search(q, filters=linked)
        assert result.partner["slug"] == "zhejiang-university"
        assert result.hits[0].doc_id == EN


def test_a_query_naming_either_of_two_partners_offers_both(index):
    result = index.search("Xian Univ. of Technology")
    assert result.partner is None
    assert result.total > 0  # the words are searched meanwhile, "Univ" not alone
    assert {p["slug"] for p in result.partner_choices} == {
        "xi-an-technological-university",
        "xi-an-university-of-technology",
    }


@pytest.mark.parametrize(
    ("query", "not_first"),
    [
        ("Shanghai University", RU),  # Shanghai Maritime University is another partner
        ("Qingdao University of Science and Technology", NAMESAKES),  # Hengxing's namesake
        ("Xi'an Jiaotong University", RU),  # Xi'an's university of technology
        ("Shaanxi Normal University", EN),
    ],
)  # fmt: skip
def test_a_namesake_never_comes_first(index, query, not_first):
    result = index.search(query)
    assert result.hits[0].doc_id != not_first
    assert all(hit.doc_id != not_first or hit.match == "partial" for hit in result.hits)


def test_an_unknown_link_is_a_clear_error(index):
    from indexer import QueryError

    with pytest.raises(QueryError, match="no partner"):
        index.search("Zhejiang", filters={"link": "no-such-partner"})


def test_did_you_mean_never_swaps_forms_of_one_word(index):
    # Шанхайским is in no digest; Шанхайского is the same word, and part of a name.
    assert index.search("Шанхайским морским").suggestion is None
    assert index.search("Шанхайским").suggestion is None  # no partner: a name all the same
    assert index.search("семинаром").suggestion is None  # семинар is in a digest


def every_name_finds_what_its_page_lists(index: SearchIndex) -> list[str]:
    """Failures of the property: each name of each partner, searched, finds every digest its
    partner page lists, one of them first."""
    failures = []
    for partner in index.generation().partners.partners:
        listed = {m["doc_id"] for m in partner["passages"]}
        for name in [partner["name"], *partner["names"]]:
            found = digests(index, name)
            if listed and (not listed <= set(found) or found[0] not in listed):
                failures.append(f"{name!r}: lists {sorted(listed)}, found {found[:5]}")
    return failures


def test_every_name_of_every_partner_finds_its_digests(index):
    assert every_name_finds_what_its_page_lists(index) == []


def test_every_name_finds_its_digests_in_the_seeds(seed_index):
    assert every_name_finds_what_its_page_lists(seed_index) == []


@pytest.fixture(scope="module")
def news_index(tmp_path_factory):
    """The real SPbPU news with the shipped directory (skipped without the shared data)."""
    news = shared_data("spbpu-news")
    root = tmp_path_factory.mktemp("news")
    (root / "corpus").mkdir()
    for path in news.glob("*.txt"):  # PROVENANCE.txt too: a digest like any other here
        (root / "corpus" / path.name).write_bytes(path.read_bytes())
    (root / "corpus" / "partners.toml").write_bytes((CORPUS / "partners.toml").read_bytes())
    update_index(root / "corpus", root / "index")
    with SearchIndex(root / "index") as index:
        yield index


def test_every_name_finds_its_digests_in_the_real_news(news_index):
    assert every_name_finds_what_its_page_lists(news_index) == []


def test_a_typo_the_correction_fixes_links_the_corrected_name(news_index):
    # "Maritme" is no organisation word, and a typo in a name word: did you mean links it.
    result = news_index.search("Shanghai Maritme University")
    assert result.suggestion == "Shanghai Maritime University"
    assert result.partner["slug"] == "shanghai-maritime-university"
    assert result.hits[0].match == "name"


def test_the_api_says_which_partner_was_searched(live_server):
    status, body = live_server.json("/api/search?q=" + quote("Университет Чжэцзян"))
    assert status == 200
    assert body["partner"] == {"slug": "zhejiang-university", "name": "Zhejiang University"}
    assert body["results"][0]["match"] == "name"
    status, words = live_server.json("/api/search?link=none&q=" + quote("Университет Чжэцзян"))
    assert (status, words["partner"]) == (200, None)
    status, error = live_server.json("/api/search?link=%3Cscript%3E&q=Zhejiang")
    assert (status, error["error"]["code"]) == (400, "bad_parameter")


def test_a_name_the_directory_lacks_ranks_its_digests_above_organisation_words(index):
    # No partner is "Harbin University": the words, but those naming Harbin in any script first.
    result = index.search("Харбинский университет", limit=50)
    assert result.partner is None
    found = [hit.doc_id for hit in result.hits]
    assert found[0] == RU
    assert result.hits[0].match == "name"  # the name tier: Harbin, in any script
