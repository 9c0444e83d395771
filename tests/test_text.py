"""Decoding and character hygiene."""

import pytest

from indexer.ingest.digest import DigestError
from indexer.ingest.text import clean, clean_line, decode, xml_safe

RUSSIAN = "Университеты Китая и России развивают сотрудничество в области науки."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1251", "koi8-r"])
def test_decode_recognises_encodings(encoding):
    assert decode(RUSSIAN.encode(encoding)) == RUSSIAN


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_short_legacy_text_is_not_latin1(encoding):
    decoded = decode("Привет, мир".encode(encoding))
    assert decoded == "Привет, мир"


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b" \n\t\n", "empty"), (b"abc\x00\x01\x02def", "binary")],
)
def test_decode_refuses_unreadable_bytes(data, reason):
    with pytest.raises(DigestError, match=reason):
        decode(data)


def test_clean_normalises_spaces_and_invisibles():
    raw = "Xi\u2019an\u00a0Jiaotong nano\u00admaterials zero\u200bwidth e\u0301 \u3000end\r\nnext"
    assert clean(raw) == "Xi\u2019an Jiaotong nanomaterials zero width \u00e9 end\nnext"


def test_clean_keeps_curly_quotes_for_display():
    assert clean("\u201cSmart Materials\u201d") == "\u201cSmart Materials\u201d"


def test_a_file_cut_inside_its_last_character_is_still_utf8():
    data = "Политех и партнёры".encode()[:-1]
    assert decode(data) == "Политех и партнёр"


def test_clean_replaces_lone_surrogates():
    assert clean("a\ud800b") == "a\ufffdb"


def test_clean_removes_what_xml_forbids():
    raw = "Geely\x01 met\uffff Hangzhou\ufffe\x0b officials"
    assert clean(raw) == "Geely met Hangzhou officials"
    assert clean_line("Zhe\x01da\x1f") == "Zheda"


def test_xml_safe_keeps_tabs_and_newlines_only():
    assert xml_safe("a\x01\ud800b\tc\nd\uffff") == "ab\tc\nd"
