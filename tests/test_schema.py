"""The schema's text format: the postings Whoosh's own positions format gives."""

import pytest
from whoosh.formats import Positions

from indexer.index.analysis import NameAnalyzer
from indexer.index.schema import build_schema

TEXTS = [
    "SPbPU and Zhejiang University signed the 3+2 agreement in Xi’an; Xi'an again.",
    "Делегация посетила университеты Китая, университетов стало больше. Ёлка и елка.",
    "The CHN-RUS forum: 浙江大学 and ZTU, ZTU, ZTU.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("name", ["content", "title", "heading"])
def test_postings_equal_whooshs_positions_format_over_the_analyzer(name, text):
    field = build_schema()[name]
    expected = list(Positions().word_values(text, NameAnalyzer(), mode="index"))
    found = list(field.format.word_values(text, field.analyzer, mode="index"))
    assert sorted(found) == sorted(expected)
    assert bool(found) == bool(text)
