"""Name-safe analysis: the forms that must (and must not) match each other."""

import pytest

from indexer.index.analysis import STEM_MARK, NameAnalyzer, normalize, stem, words


def exact_forms(text: str) -> list[str]:
    return [w.exact for w in words(text)]


@pytest.mark.parametrize(
    ("typed", "indexed"),
    [
        ("Xi'an", "Xi’an"),
        ("Xi'an", "Xian"),
        ("XI`AN", "xi'an"),
        ("SINOPEC", "Sinopec"),
        ("jitri", "JITRI"),
        ("ZTU", "ztu"),
        ("Ёмкость", "емкость"),
        ("Zürich", "Zurich"),
        ("Università", "universita"),
        ("3+2", "3+2"),
        ("People's", "people"),
    ],
)
def test_forms_that_match(typed, indexed):
    assert exact_forms(typed) == exact_forms(indexed)


def test_xian_is_not_xi():
    assert exact_forms("Xi'an") == ["xian"]
    assert "xi" not in exact_forms("Xi'an Jiaotong University")


def test_hyphenated_names_are_adjacent_words():
    assert exact_forms("CHN-RUS") == exact_forms("chn rus") == ["chn", "rus"]


def test_3_plus_2_is_one_word():
    assert exact_forms("a joint «3+2» programme") == ["a", "joint", "3+2", "programme"]


def test_names_are_not_cut_by_stemming_or_stop_words():
    assert exact_forms("Changxing") == ["changxing"]
    assert exact_forms("The University of Technology") == ["the", "university", "of", "technology"]


@pytest.mark.parametrize(
    ("one", "other"),
    [("agreements", "agreement"), ("университеты", "университетов"), ("signing", "signed")],
)
def test_stemming_conflates_inflections(one, other):
    assert stem(normalize(one)) == stem(normalize(other))
    assert stem(normalize(one)).startswith(STEM_MARK)


def test_chinese_characters_are_single_words():
    assert exact_forms("浙江大学 Zhejiang") == ["浙", "江", "大", "学", "zhejiang"]


def test_offsets_point_into_the_original_text():
    text = "Visit to Xi’an, «3+2»"
    assert [text[w.start : w.end] for w in words(text)] == ["Visit", "to", "Xi’an", "3+2"]


def test_whoosh_analyzer_emits_exact_and_stem_at_one_position():
    tokens = [(t.text, t.pos) for t in NameAnalyzer()("Signed agreements", positions=True)]
    assert tokens == [("signed", 0), ("~sign", 0), ("agreements", 1), ("~agreement", 1)]
