"""Search over the seed digests: names, ranking, typos, filters, grouping."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index.build import update_index
from indexer.search.engine import SearchIndex
from indexer.search.query import QueryError
from tests.harness import SEARCH_FIELDS, SHANGHAI_DOC, ZJU_DOC, indexed_texts

QUERY_PIECES = ['"', "(", ")", "-", "*", "OR ", "AND ", "NOT ", "title:", "lang:en ", "date:2023 ",
                "Zhejiang ", "Xi'an ", "3+2 ", "CHN-RUS ", "Zhejang ", "doc:x "]  # fmt: skip


def texts(result: dict) -> list[str]:
    return [hit.text for hit in result.hits]


def test_zhejiang_university_ranks_above_zhejiang_technical(seed_index):
    result = seed_index.search("Zhejiang University", passages=True, limit=20)
    found = texts(result)
    zju = next(i for i, t in enumerate(found) if "Rector of Zhejiang University" in t)
    ztu = next(i for i, t in enumerate(found) if "Zhejiang Technical University Li Xiaonian" in t)
    assert zju < ztu
    assert "Zhejiang University" in found[0]


def test_xian_finds_both_universities(seed_index):
    for query in ("Xi'an", "Xi’an", "Xian"):
        joined = " ".join(texts(seed_index.search(query, passages=True, limit=20)))
        assert "Xi'an University of Technology" in joined
        assert "Xi’an Jiaotong University" in joined


@pytest.mark.parametrize("query", ["Cahngxing", "Changxing"])
def test_both_spellings_find_the_changxing_agreement(seed_index, query):
    found = texts(seed_index.search(query, passages=True, limit=20))
    assert any("Research and Education Center for Additive Technologies" in t for t in found)


def test_typo_suggests_and_still_finds(seed_index):
    result = seed_index.search("Zhejang", passages=True)
    assert result.suggestion == "Zhejiang"
    assert result.total > 0 and "Zhejiang" in result.hits[0].text
    assert seed_index.search("Zhejiang").suggestion is None


def test_exact_form_ranks_above_stemmed_form(seed_index):
    found = texts(seed_index.search("agreements", passages=True, limit=50))
    first_exact = next(i for i, t in enumerate(found) if "agreements" in t)
    assert all("agreements" in t for t in found[: first_exact + 1])
    assert any("agreement " in t and "agreements" not in t for t in found)


def test_all_words_rank_above_some(seed_index):
    found = texts(seed_index.search("Geely robotics", passages=True, limit=20))
    assert "Geely" in found[0] and "robotics" in found[0]


def test_names_with_symbols(seed_index):
    assert any("«3+2»" in t for t in texts(seed_index.search("3+2", passages=True)))
    assert any("CHN-RUS" in t for t in texts(seed_index.search("chn rus", passages=True)))
    assert texts(seed_index.search("sinopec", passages=True))[0].count("SINOPEC") >= 1


def test_grouped_results_carry_more_in_doc(seed_index):
    result = seed_index.search("SPbPU")
    assert result.total == 2
    assert {hit.doc_id for hit in result.hits} == {ZJU_DOC, SHANGHAI_DOC}
    assert all(hit.more_in_doc > 5 for hit in result.hits)


def test_filters_and_operators(seed_index):
    assert seed_index.search("SPbPU date:2023-10").total == 1
    assert seed_index.search("SPbPU", filters={"from": "2023-06-01", "to": "2023-06-30"}).total == 1
    assert seed_index.search("SPbPU lang:ru").total == 0
    assert (
        seed_index.search("Geely -cars", passages=True).total
        < seed_index.search("Geely", passages=True).total
    )
    assert seed_index.search("Gee*", passages=True).total > 0
    assert seed_index.search('"Geely car"', passages=True).total == 1


def test_filters_keep_one_result_per_digest(seed_index):
    result = seed_index.search("SPbPU", filters={"doc": SHANGHAI_DOC})
    assert result.total == 1 and len(result.hits) == 1
    assert result.hits[0].more_in_doc > 5


def test_pages_do_not_overlap(seed_index):
    first = seed_index.search("university", passages=True, limit=5, page=1).hits
    second = seed_index.search("university", passages=True, limit=5, page=2).hits
    assert len(first) == len(second) == 5
    assert not {h.passage_id for h in first} & {h.passage_id for h in second}


def test_long_natural_language_query_still_finds(seed_index):
    query = "which chinese car manufacturer did the rector visit to discuss robotics training"
    assert "Geely" in seed_index.search(query, passages=True).hits[0].text


def test_bad_query_raises_query_error(seed_index):
    with pytest.raises(QueryError):
        seed_index.search("")


def test_document_and_digests(seed_index):
    doc = seed_index.document(ZJU_DOC)
    assert doc["date"] == "2023-06-06" and doc["lang"] == "en"
    assert [p["position"] for p in doc["passages"]] == list(range(1, len(doc["passages"]) + 1))
    assert seed_index.document("nope") is None
    assert [d["doc_id"] for d in seed_index.digests()[1]] == [SHANGHAI_DOC, ZJU_DOC]
    assert seed_index.health()["passages"] == 43


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.one_of(st.text(max_size=10), st.sampled_from(QUERY_PIECES)), max_size=25).map(
        "".join
    )
)
def test_hypothesis_queries_search_or_fail_clearly(seed_index, text):
    try:
        result = seed_index.search(text, limit=5)
    except QueryError as exc:
        assert str(exc)
        return
    assert set(result.to_json()) == set(SEARCH_FIELDS)
    assert all("<script" not in hit.snippet.html() for hit in result.hits)


def test_totals_do_not_depend_on_the_limit_after_an_incremental_update(corpus, tmp_path):
    index_dir = tmp_path / "index"
    update_index(corpus, index_dir)
    filler = " ".join(["The forum continued with other matters of the day."] * 10)
    (corpus / "extra.txt").write_text(f"Extra\n\n{filler} A partner spoke.\n", encoding="utf-8")
    update_index(corpus, index_dir)  # the new digest is a segment of its own
    with SearchIndex(index_dir) as index:
        totals = {limit: index.search("partner", passages=True, limit=limit).total
                  for limit in (1, 5, 1000)}  # fmt: skip
    assert len(set(totals.values())) == 1, totals


def test_heading_search_over_passages_without_a_heading(seed_index):
    # Whoosh reads an empty field's length as None; most seed passages have no heading.
    result = seed_index.search("heading:exhibitions", passages=True)
    assert result.total > 0
    assert all("Exhibition" in hit.heading for hit in result.hits)


def test_a_hyphenated_word_finds_its_parts_alone_below_the_whole(tmp_path):
    text = ("Forum news\n\nThe RUS delegation arrived in Harbin on Monday morning.\n\n"
            "The CHN-RUS forum opened in Harbin.\n\nNothing else happened.\n")  # fmt: skip
    with SearchIndex(indexed_texts(tmp_path, {"forum.txt": text})) as index:
        joined = index.search("CHN-RUS", passages=True)
        quoted = index.search('"CHN RUS"', passages=True)
    assert [hit.text[:7] for hit in joined.hits] == ["The CHN", "The RUS"]
    assert [hit.text[:7] for hit in quoted.hits] == ["The CHN"]
