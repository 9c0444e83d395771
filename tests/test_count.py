"""Exact totals counted from posting lists, against a pass that scores every match."""

import shutil

import pytest
from whoosh import query as wq

from indexer.index.build import update_index
from indexer.search.count import NearBonus, matching
from indexer.search.engine import SearchIndex
from tests.harness import CORPUS, ZJU_DOC

QUERIES = ["partner", "Zhejiang University", '"Zhejiang University"', "Zhejiang -Technical",
           "Zhej*", "university OR agreement", "university AND agreement", "lang:en agreement",
           "Xi'an NOT Jiaotong", "the", "Zhejang", "title:China students"]  # fmt: skip


@pytest.fixture(scope="module")
def updated_index(tmp_path_factory):
    """The seeds indexed, then one digest changed: its old passages are deleted, not merged."""
    corpus = tmp_path_factory.mktemp("count") / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = corpus.parent / "index"
    update_index(corpus, index_dir)
    changed = next(corpus.glob(f"{ZJU_DOC}.*"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nOne more partner.\n", "utf-8")
    update_index(corpus, index_dir)
    with SearchIndex(index_dir) as index:
        yield index


@pytest.mark.parametrize("query", QUERIES)
def test_total_equals_every_match_scored(updated_index, query):
    every = updated_index.search(query, passages=True, limit=100_000)
    assert every.hits, query  # a count of nothing would prove nothing
    assert updated_index.search(query, passages=True, limit=3).total == len(every.hits)


def test_a_bonus_in_a_union_adds_no_matches(updated_index):
    searcher = updated_index.searcher()
    word = wq.Term("content", "agreement")
    bonus = NearBonus("content", ["xian", "jiaotong"], slop=3)
    assert matching(bonus, searcher)  # alone it matches passages the word does not
    assert not matching(bonus, searcher) <= matching(word, searcher)
    assert matching(wq.Or([word, bonus]), searcher) == matching(word, searcher)
