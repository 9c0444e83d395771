"""Snippets: phrase-aware marks, sentence bounds, escaped digest text."""

from indexer.search.highlight import Highlighter, _best_window
from indexer.search.query import parse

ZJU = "SPbPU and Zhejiang University agreed; Zhejiang Technical University and the University of X."


def marked(query: str, text: str, fuzzy=None) -> str:
    return Highlighter(parse(query), fuzzy).full(text).html()


def test_phrase_is_marked_whole_and_not_every_word():
    html = marked("Zhejiang University", ZJU)
    assert html.count("<mark>") == 1
    assert "<mark>Zhejiang University</mark>" in html


def test_words_are_marked_alone_when_the_phrase_is_absent():
    html = marked("Zhejiang University", "Zhejiang Technical University")
    assert html == "<mark>Zhejiang</mark> Technical <mark>University</mark>"


def test_quoted_phrase_marks_only_the_phrase():
    html = marked('"Technical University"', ZJU)
    assert html.count("<mark>") == 1 and "Zhejiang <mark>Technical University</mark>" in html


def test_a_hyphenated_word_is_marked_whole_or_else_by_its_words():
    whole = marked("CHN-RUS", "The CHN-RUS forum; RUS alone")
    assert whole == "The <mark>CHN-RUS</mark> forum; RUS alone"
    assert marked("CHN-RUS", "The RUS delegation") == "The <mark>RUS</mark> delegation"


def test_name_forms_and_stems_are_marked():
    assert marked("Xian", "Xi’an and Xi'an") == "<mark>Xi’an</mark> and <mark>Xi&#39;an</mark>"
    assert marked("agreement", "two agreements") == "two <mark>agreements</mark>"
    assert marked("Zhejang", "Zhejiang", {"zhejang": ["zhejiang"]}) == "<mark>Zhejiang</mark>"


def test_digest_markup_is_escaped():
    html = marked("script", '<script>alert("x")</script> & <b onclick=x>bold</b>')
    assert "<script" not in html and "<b " not in html
    assert "&lt;<mark>script</mark>&gt;" in html and "&amp;" in html


def test_snippet_picks_the_sentence_with_the_match():
    text = " ".join(f"Sentence number {n} is about nothing much at all." for n in range(30))
    text += " Here SINOPEC signed the agreement. " + text
    snippet = Highlighter(parse("SINOPEC")).snippet(text).html()
    assert "<mark>SINOPEC</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith(".")  # a whole sentence: no ".…"
    assert len(snippet) < 400
    assert "Here <mark>SINOPEC</mark> signed the agreement." in snippet


def test_snippet_of_a_long_sentence_is_cut_at_words():
    text = "word " * 300 + "Geely " + "word " * 300
    snippet = Highlighter(parse("Geely")).snippet(text).html()
    assert "<mark>Geely</mark>" in snippet and len(snippet) < 320


def test_a_snippet_looks_at_a_bounded_part_of_a_giant_passage():
    text = "Geely met Hangzhou officials. " * 200_000  # 6 MB, as written by an older index
    snippet = Highlighter(parse("Geely")).snippet(text)
    assert "Geely" in snippet.text and snippet.cut_after and len(snippet.text) <= 260
    many = "Ab. " * 20_000  # 20,000 sentences, each one marked: linear, not 400 million steps
    start, end = _best_window(many, [(i, i + 2) for i in range(0, len(many), 4)], 260)
    assert end - start <= 260
