"""Typed results: one marked text, rendered as escaped HTML or as plain text with marks."""

from markupsafe import Markup

from indexer.search.results import Marked, PassageHit, SearchResult
from tests.harness import SEARCH_FIELDS

MARKED = Marked('a <b> & "Geely" cars', ((3, 4), (9, 14)), cut_before=True, cut_after=True)


def test_html_is_escaped_once_with_marks_and_ellipses():
    html = MARKED.html()
    assert isinstance(html, Markup)
    assert html == "…a &lt;<mark>b</mark>&gt; &amp; &#34;<mark>Geely</mark>&#34; cars…"
    assert Markup(f"<p>{html}</p>").count("&amp;amp;") == 0  # not escaped twice in a template


def test_plain_text_takes_the_callers_marks():
    assert MARKED.plain() == '…a <[b]> & "[Geely]" cars…'
    assert Marked("Geely", ((0, 5),)).plain("*", "*") == "*Geely*"


def test_the_json_contract_keeps_its_keys_and_order():
    hit = PassageHit("d", "d-p1", "Title", "", None, "en", 1.0, "Geely", Marked("Geely", ((0, 5),)))
    result = SearchResult("Geely", 1, 2.5, None, [hit]).to_json()
    assert list(result) == list(SEARCH_FIELDS)
    assert list(result["results"][0]) == [
        "doc_id", "passage_id", "title", "heading", "date", "lang", "score", "text", "snippet",
        "url", "more_in_doc", "matched_as", "match", "heading_snippet",
    ]  # fmt: skip
    assert result["results"][0]["snippet"] == "<mark>Geely</mark>"
    assert result["results"][0]["url"] == "/doc/d#d-p1"
