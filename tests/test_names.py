"""Names in any script at query time, over a bilingual corpus of our own and the real news."""

import pytest

from indexer import SearchIndex, update_index
from indexer.search.names import MAX_FORMS, name_forms
from indexer.search.query import parse
from tests.harness import fixture_index, shared_data

EN, RU, ZH = (
    "english-pinyin-and-older-forms",
    "russian-palladius-declined",
    "chinese-characters-only",
)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    with fixture_index(tmp_path_factory.mktemp("names"), "names_in_any_script") as index:
        yield index


def found(index, q: str, **options) -> list[str]:
    return [hit.doc_id for hit in index.search(q, passages=True, limit=50, **options).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Сиань", {EN, RU}), ("Чжэцзян", {EN, RU}), ("Ханчжоу", {EN, RU}),  # Cyrillic -> Latin
        ("Xi'an", {EN, RU}), ("Zhejiang", {EN, RU}), ("Hangzhou", {EN, RU}),  # Latin -> Cyrillic
        ("浙江", {EN, RU, ZH}),  # characters -> both
        ("Zhejiang", {ZH}), ("Chekiang", {ZH}), ("Чжэцзян", {ZH}),  # and both -> characters
        ("Beijing", {EN, RU}), ("Qinghua", {EN, RU}), ("Tsinghua", {EN, RU}),  # older forms
        ("Рудской", {EN, RU}), ("Андрей", {EN, RU}),  # people's names, Cyrillic -> Latin
        ("Rudskoi", {EN, RU}), ("Andrei", {EN, RU}),  # and Latin -> Cyrillic
        ("Сиaнь", {EN, RU}),  # a Latin "a" inside the Cyrillic word
    ],
)  # fmt: skip
def test_a_name_finds_its_other_spellings(index, query, expected):
    assert set(found(index, query)) >= expected


def test_an_organisation_name_meets_it_in_either_word_order(index):
    for q in ("Сианьский технологический университет", "Xi'an University of Technology"):
        best = index.search(q, passages=True, limit=50).hits
        texts = {hit.doc_id: hit.text for hit in best[::-1]}  # each digest's best passage
        assert "Xi'an University of Technology" in texts[EN]
        assert "Сианьском технологическом университете" in texts[RU]


def test_the_exact_form_ranks_first_and_the_other_is_matched_as(index):
    hits = index.search("Zhejiang", passages=True).hits
    assert hits[0].doc_id == EN and hits[0].matched_as is None
    russian = next(hit for hit in hits if hit.doc_id == RU)
    assert russian.matched_as == "Чжэцзянского" and russian.score < hits[0].score
    assert "[Чжэцзянского]" in russian.snippet.plain()
    assert next(h for h in index.search("Сиань", passages=True).hits if h.doc_id == EN).matched_as \
        == "Xi'an"  # fmt: skip


def test_filters_phrases_and_not_keep_working(index):
    assert set(found(index, "Сиань lang:en")) == {EN}
    kept = index.search("university -Сиань", passages=True, limit=50).hits
    assert kept and not any("Xi'an" in h.text or "Сиан" in h.text for h in kept)
    assert set(found(index, '"Xi\'an University"')) == {EN}  # a quoted phrase stays exact


def test_a_word_adds_a_bounded_number_of_forms(index):
    for q in ("университет", "University", "Сианьский", "浙江大学", "Rudskoi Рудской"):
        forms = name_forms(index.searcher(), parse(q))
        assert all(len(f) <= MAX_FORMS for f in forms.values()), (q, forms)


def test_the_document_view_marks_the_other_spellings(index):
    for q, doc_id, shown in (("Сиань", EN, "[Xi'an]"), ("Zhejiang", ZH, "[浙江]")):
        marks = index.marks(q)
        marked = [marks.full(p["text"]).plain() for p in index.document(doc_id)["passages"]]
        assert any(shown in text for text in marked), (q, marked)


@pytest.mark.parametrize(
    "query",
    ["Сиaнь-Zhejiаng", "浙江大学代表团", "Сибирь", "Дума", "а" * 500, "Рудской" * 60,
     "西" * 400, "NOT 浙江", "\"Сиань Xi'an\"", "Чжэцзян*"],
)  # fmt: skip
def test_odd_queries_get_an_answer(index, query):
    try:
        result = index.search(query, limit=5)
    except ValueError as exc:  # QueryError: a clear reason
        assert str(exc)
    else:
        assert result.total >= 0


def test_a_word_that_parses_as_syllables_by_accident_finds_no_chinese_name(index):
    assert found(index, "Сибирь") == []


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    corpus = shared_data("spbpu-news")
    index_dir = tmp_path_factory.mktemp("news") / "index"
    update_index(corpus, index_dir)
    with SearchIndex(index_dir) as index:
        yield index


@pytest.mark.data
@pytest.mark.parametrize(
    ("query", "english", "russian"),
    [("Сиань", True, True), ("Xi'an", True, True), ("Tsinghua", True, True),
     ("Цинхуа", True, True), ("Рудской", True, True), ("Rudskoi", True, True),
     ("Jiangsu", True, True),
     ("Шанхай", True, True)],
)  # fmt: skip
def test_the_real_news_answer_across_languages(news, query, english, russian):
    docs = found(news, query)
    assert any(not d.startswith("ru-") for d in docs) == english, docs
    assert any(d.startswith("ru-") for d in docs) == russian, docs


def test_a_zero_weight_turns_the_spellings_off(index):
    import dataclasses

    from indexer.search.compile import DEFAULT_WEIGHTS

    plain = SearchIndex(index.index_dir, dataclasses.replace(DEFAULT_WEIGHTS, name_form=0.0))
    try:
        assert found(plain, "Сиань") == [] and set(found(index, "Сиань")) == {EN, RU}
    finally:
        plain.close()
