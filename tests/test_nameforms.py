"""Name forms: the keys under which a word meets its other spellings, in every direction."""

import pytest

from indexer.index.nameforms import (
    DATA,
    cyrillic_of_pinyin,
    fold_confusables,
    hanzi_toml,
    is_chinese_name,
    latin_forms,
    name_identity,
    name_keys,
    palladius_table,
    palladius_toml,
    pinyin_of_cyrillic,
    pinyin_of_hanzi,
    pinyin_syllables,
    russian_spellings,
    spellings,
)


def meet(one: str, other: str) -> bool:
    return bool(name_keys(one) & name_keys(other))


@pytest.mark.parametrize(
    ("cyrillic", "pinyin"),
    [
        ("Сиань", "xian"), ("Сианьского", "xian"), ("Сианьский", "xian"), ("Сиане", "xian"),
        ("Чжэцзян", "zhejiang"), ("Чжэцзянского", "zhejiang"), ("Шаньдун", "shandong"),
        ("Цзянсу", "jiangsu"), ("Ханчжоу", "hangzhou"), ("Цинхуа", "qinghua"),
        ("Харбин", "haerbin"), ("Харбина", "haerbin"), ("Ухани", "wuhan"), ("Пекине", "beijing"),
    ],
)  # fmt: skip
def test_palladius_reads_back_as_pinyin_with_its_endings(cyrillic, pinyin):
    assert pinyin_of_cyrillic(cyrillic) == pinyin


@pytest.mark.parametrize("word", ["Сибирь", "Россия", "Москва", "университет", "Путину",
                                  "Луганском"])  # fmt: skip
def test_words_that_are_not_chinese_are_left_alone(word):
    assert pinyin_of_cyrillic(word) is None


def test_pinyin_reads_as_palladius_in_each_way_it_can_be_cut():
    assert cyrillic_of_pinyin("xian") == ["сянь", "сиань"]  # xian and xi'an
    assert cyrillic_of_pinyin("zhejiang")[0] == "чжэцзян"
    assert cyrillic_of_pinyin("beijing")[0] == "пекин"  # the traditional form first


def test_characters_read_as_pinyin():
    assert pinyin_of_hanzi("浙江") == "zhejiang"
    assert pinyin_of_hanzi("西安交通大学") == "xianjiaotongdaxue"
    assert pinyin_of_hanzi("SPbPU") is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Чжэцзян", "Zhejiang"), ("浙江", "Zhejiang"), ("浙江", "Чжэцзян"),
        ("Сианьского", "Xi'an"), ("Сиань", "Xian"), ("Peking", "Beijing"), ("Пекин", "Peking"),
        ("Tsinghua", "Цинхуа"), ("Soochow", "Suzhou"), ("Amoy", "Xiamen"),
        ("Рудской", "Rudskoi"), ("Рудской", "Rudskoy"), ("Рудской", "Rudskoj"),
        ("Андрей", "Andrei"), ("Андрей", "Andrey"), ("университета", "university"),
        ("технологический", "technology"), ("институт", "Institute"),
    ],
)  # fmt: skip
def test_spellings_meet(one, other):
    assert meet(one, other), (name_keys(one), name_keys(other))


@pytest.mark.parametrize(("one", "other"), [("Сибирь", "Xibei"), ("Tsinghua", "Zhejiang"),
                                            ("Москва", "Moscow University")])  # fmt: skip
def test_different_names_do_not_meet(one, other):
    assert not meet(one, other)


def test_confusable_letters_are_folded_into_the_words_script():
    assert fold_confusables("Сиaнь") == "Сиань"  # a Latin a in a Cyrillic word
    assert fold_confusables("Zhejiаng") == "Zhejiang"  # a Cyrillic а in a Latin word
    assert meet("Сиaнь", "Xi'an") and meet("Zhejiаng", "Чжэцзян")


def test_transliterations_are_ascii_and_bounded():
    forms = latin_forms("Рудской")
    assert {"rudskoi", "rudskoy", "rudskoj"} <= forms and all(f.isascii() for f in forms)
    assert len(name_keys("Чжэцзянского" * 3)) <= 24


@pytest.mark.parametrize("text", ["", "   ", "Сиaнь-Zhejiаng 浙江", "а" * 500, "!!!", "3+2"])
def test_any_input_gives_keys_without_failing(text):
    assert isinstance(name_keys(text), frozenset)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Xi'an University of Technology", "Сианьский технологический университет"),
        ("Tsinghua University", "Университет Цинхуа"),
        ("Zhejiang University", "浙江大学"),
        ("Andrei Rudskoi", "Андрей Рудской"),
        ("Jiangsu Normal University", "Цзянсуский педагогический университет"),
    ],
)  # fmt: skip
def test_one_organisation_in_two_languages_is_one_name(one, other):
    assert name_identity(one) == name_identity(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Xi'an Jiaotong University", "Xi'an University of Technology"),
     ("Tsinghua University", "Zhejiang University"), ("Сиань", "Сибирь")],
)  # fmt: skip
def test_different_organisations_stay_apart(one, other):
    assert name_identity(one) != name_identity(other)


def test_the_shipped_palladius_table_is_pypinyins():
    shipped = DATA / "palladius.toml"
    assert shipped.read_text(encoding="utf-8") == palladius_toml()
    assert len(palladius_table()) > 400 and palladius_table()["zhe"] == "чжэ"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("Rudskoi", "рудской"), ("Rudskoy", "рудской"), ("Rudskoj", "рудской"),
     ("Andrei", "андрей"), ("Andrey", "андрей"), ("Ivanov", "иванов")],
)  # fmt: skip
def test_a_latin_spelling_of_a_russian_name_reads_back(latin, cyrillic):
    assert russian_spellings(latin.lower())[0] == cyrillic


def test_the_shipped_characters_table_is_pypinyins():
    assert (DATA / "hanzi_by_pinyin.toml").read_text(encoding="utf-8") == hanzi_toml()
    assert pinyin_syllables("Zhejiang") == ["zhe", "jiang"] and pinyin_syllables("Moscow") == []


@pytest.mark.parametrize("word", ["China", "Putin", "Government", "Moscow", "Bank"])
def test_ordinary_english_words_are_not_read_as_chinese_names(word):
    assert not is_chinese_name(word)
    assert not any(o in spellings(word, organisations=False) for o in ("чина", "путинь"))
