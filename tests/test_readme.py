"""The README says what the code does: every example query of its table finds the text it
names, in the bundled corpus or in the office's news items (skipped when they are absent)."""

import re

import pytest

from indexer import SearchIndex, update_index
from tests.harness import ROOT, shared_data

ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+) \| (bundled|news) \|$")
README = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
EXAMPLES = [ROW.match(line).groups() for line in README if ROW.match(line)]


def test_the_readme_has_examples_in_both_corpora():
    assert {where for _, _, where in EXAMPLES} == {"bundled", "news"}
    assert len(EXAMPLES) >= 10


@pytest.fixture(scope="module")
def news_index(tmp_path_factory):
    news = shared_data("spbpu-news")
    index_dir = tmp_path_factory.mktemp("news") / "index"
    update_index(news, index_dir)
    return index_dir


@pytest.mark.parametrize(("query", "finds", "where"), EXAMPLES)
def test_a_readme_example_finds_what_it_says(request, query, finds, where):
    index_dir = request.getfixturevalue("seed_index_dir" if where == "bundled" else "news_index")
    index = SearchIndex(index_dir)
    try:
        result = index.search(query, passages=True, limit=100)
    finally:
        index.close()
    said = [" ".join((h.title, h.heading or "", h.text)).replace("’", "'") for h in result.hits]
    assert any(finds.strip().casefold() in text.casefold() for text in said), (query, result.total)
