"""Typo tolerance: close words for rare query words, and a "did you mean" query."""

import pytest

from indexer.index.analysis import STEM_MARK
from indexer.index.build import update_index
from indexer.search.engine import SearchIndex
from indexer.search.query import parse
from indexer.search.spelling import WordList, corrections, max_edits


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


@pytest.mark.parametrize(("word", "edits"), [("zhejang", 1), ("zhejiang", 2), ("universty", 2),
                                             ("changxing", 2), ("xian", 1)])  # fmt: skip
def test_the_word_list_in_memory_finds_what_whooshs_walk_on_disk_finds(seed_index, word, edits):
    found_any = False
    for segment, _ in seed_index.searcher().reader().leaf_readers():
        on_disk = {w for w in segment.terms_within("content", word, edits, prefix=1)}
        expected = {w for w in on_disk if not w.startswith(STEM_MARK)}
        assert set(WordList(segment, "content", word[0]).within(word, edits)) == expected
        found_any |= bool(expected)
    assert found_any


def test_the_word_list_holds_a_letters_exact_forms_in_order(seed_index):
    segment, _ = next(iter(seed_index.searcher().reader().leaf_readers()))
    words = WordList(segment, "content", "z")
    listed = [words[i] for i in range(len(words))]
    assert listed == sorted(listed) and "zhejiang" in listed
    assert all(w.startswith("z") for w in listed)
    assert words.first_from("zhejiang") == "zhejiang" and words.first_from("zz") is None


def test_the_word_list_walks_cyrillic_words_like_whoosh(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    text = "Делегация университета посетила университеты Китая; университетов стало больше."
    (corpus / "ru.txt").write_text(f"Новости\n\n{text}\n", encoding="utf-8")
    update_index(corpus, index_dir)
    with SearchIndex(index_dir) as index:
        (segment, _), *_ = index.searcher().reader().leaf_readers()
        on_disk = set(segment.terms_within("content", "университит", 2, prefix=1))
        expected = {w for w in on_disk if not w.startswith(STEM_MARK)}
        found = set(WordList(segment, "content", "у").within("университит", 2))
    assert found == expected == {"университета", "университеты"}
