"""Typo tolerance: close words for rare query words, and a "did you mean" query."""

import pytest

from indexer.query import parse
from indexer.spelling import corrections, max_edits


@pytest.mark.parametrize(("word", "edits"), [("ztu", 0), ("xian", 1), ("zhejang", 1),
                                             ("zhejiang", 2), ("changxing", 2)])  # fmt: skip
def test_edits_grow_with_word_length(word, edits):
    assert max_edits(word) == edits


@pytest.mark.parametrize(("typed", "suggested"), [("Zhejang", "Zhejiang"),
                                                  ("ZHEJANG", "ZHEJIANG"),
                                                  ("zhejang", "zhejiang")])  # fmt: skip
def test_a_typo_gets_close_words_and_a_suggestion_in_its_own_case(seed_index, typed, suggested):
    fuzzy, suggestion = corrections(seed_index.searcher(), parse(typed), typed)
    assert "zhejiang" in fuzzy["zhejang"]
    assert suggestion == suggested


def test_a_rare_word_is_taken_as_a_typo_only_in_a_short_query(seed_index):
    # "Cahngxing" is the digest's own misspelling: found once, and close to "Changxing".
    searcher = seed_index.searcher()
    assert "changxing" in corrections(searcher, parse("Cahngxing"), "Cahngxing")[0]["cahngxing"]
    long_query = "the rector signed the Cahngxing agreement with partners"
    assert corrections(searcher, parse(long_query), long_query) == ({}, None)
