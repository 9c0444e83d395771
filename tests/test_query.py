"""Query syntax: every string gives a query or a clear QueryError, never another exception."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.search.query import MAX_WORDS, Group, Phrase, QueryError, Term, parse


def test_plain_words_are_a_soft_group():
    parsed = parse("Zhejiang University")
    zhejiang = Term("zhejiang", "~zhejiang", raw="Zhejiang")
    university = Term("university", "~univers", raw="University")
    assert parsed.root == Group("soft", (zhejiang, university))


def test_quoted_phrase_and_hyphenated_name_are_phrases():
    assert isinstance(parse('"Zhejiang University"').root.children[0], Phrase)
    assert isinstance(parse("CHN-RUS").root.children[0], Phrase)


def test_a_word_split_by_analysis_is_a_joined_phrase_and_a_quoted_one_is_not():
    assert parse("CHN-RUS").root.children[0].joined
    assert not parse('"CHN RUS"').root.children[0].joined
    assert not parse('title:"CHN RUS"').root.children[0].joined


def test_operators():
    root = parse("Geely OR Volvo").root
    assert root.op == "or" and len(root.children) == 2
    assert parse("Geely -Volvo").root.excluded[0].exact == "volvo"
    assert parse("Geely NOT Volvo").root.excluded[0].exact == "volvo"
    assert parse("Geely AND Volvo").root.children[0].op == "and"
    prefix = parse("Zhej*").root.children[0]
    assert prefix.prefix and prefix.exact == "zhej"


def test_filters():
    parsed = parse("Geely lang:en date:2023-06 doc:abc")
    assert parsed.filters == {"lang": "en", "from": "2023-06-01", "to": "2023-06-30", "doc": "abc"}
    assert parse("x date:2023..2024-02").filters == {"from": "2023-01-01", "to": "2024-02-29"}
    assert parse("x from:2023-05 to:2023").filters == {"from": "2023-05-01", "to": "2023-12-31"}


def test_field_searches():
    assert parse("title:Geely").root.children[0].fields == ("title",)
    assert parse('heading:"Zhejiang University"').root.children[0].fields == ("heading",)


@pytest.mark.parametrize(
    "text",
    ['"Geely', "((((Geely", "Geely))))", "OR Geely AND", ")Geely(", "Geely NOT", "Geely -",
     "a:b:Geely", "\x00\x07Geely\x1b", "Geely*" * 50, "(" * 500 + "Geely" + ")" * 3],
)  # fmt: skip
def test_odd_input_still_finds_the_word(text):
    assert [t.exact for t in parse(text).terms()][-1] == "geely"


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Type a word"), ("   ", "Type a word"), ("-Geely", "at least one word"),
     ("lang:en", "at least one word"), ("x lang:fr", "Unknown language"),
     ("x date:yesterday", "Cannot read the date"), ("!!! ???", "Type a word"),
     ("OR OR AND", "Type a word"), (")(", "Type a word"), ("NOT", "Type a word"),
     ("-", "Type a word"), ("*", "Type a word")],
)  # fmt: skip
def test_clear_errors(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)


def test_huge_queries_are_bounded():
    parsed = parse("junk " * 2000 + "x" * 10_000)
    assert len(parsed.terms()) == MAX_WORDS


QUERY_ALPHABET = st.sampled_from([*"\"()-*:|&+ ORANDNOT'’", "title:", "lang:", "date:", "OR "])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), QUERY_ALPHABET), max_size=30).map("".join))
def test_hypothesis_queries_never_raise_anything_else(text):
    try:
        parse(text)
    except QueryError as exc:
        assert str(exc)
