"""Recent results kept per generation: a repeated search is the same result without scoring,
a new generation starts afresh, exports and errors are never kept."""

import pytest

from indexer import QueryError, SearchIndex, update_index
from indexer.search.cache import ResultCache
from tests.harness import indexed_texts

VISIT = "Visit\n2024-05-01\n\nZhejiang University and Geely came.\n"


@pytest.fixture
def index(tmp_path):
    index = SearchIndex(indexed_texts(tmp_path, {"visit.txt": VISIT}))
    yield index
    index.close()


def test_a_repeated_search_is_the_kept_result(index):
    first = index.search("Geely", limit=10)
    again = index.search("Geely", limit=10)
    assert again.hits is first.hits  # not scored again: the very same hits
    assert again.to_json() | {"took_ms": 0} == first.to_json() | {"took_ms": 0}
    other = index.search("Geely", limit=10, passages=True)
    assert other.hits is not first.hits  # another shape of search is another result


def test_a_new_generation_starts_afresh(index, tmp_path):
    assert index.search("Lynk").total == 0
    (tmp_path / "corpus" / "lynk.txt").write_text("Lynk\n\nThe Lynk brand came.\n", "utf-8")
    update_index(tmp_path / "corpus", tmp_path / "index")
    assert index.search("Lynk").total == 1


def test_exports_errors_and_a_zero_size_keep_nothing(index, tmp_path):
    big = index.search("Geely", limit=5000, passages=True)
    assert index.search("Geely", limit=5000, passages=True).hits is not big.hits
    for _ in range(2):
        with pytest.raises(QueryError):
            index.search('"')
    uncached = SearchIndex(tmp_path / "index", cached=0)
    try:
        assert uncached.search("Geely").hits is not uncached.search("Geely").hits
    finally:
        uncached.close()


def test_the_least_recently_used_goes_first():
    cache = ResultCache(size=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
