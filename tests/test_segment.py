"""Segmentation of the seed digests and of long paragraphs."""

import pytest

from indexer.ingest.digest import CAPTION, PARAGRAPH, Digest
from indexer.ingest.readers import MAX_TITLE_CHARS, read
from indexer.ingest.segment import (
    MAX_CHARS,
    MAX_HEADING_CHARS,
    MAX_WORDS,
    Passage,
    segment,
    split_long,
    split_sentences,
)
from tests.harness import CORPUS, FIXTURES, SHANGHAI_DOC, ZJU_DOC


def passages_of(doc_id: str) -> tuple[Digest, list[Passage]]:
    (digest,) = read(CORPUS / f"{doc_id}.txt", CORPUS)
    return digest, segment(digest)


def find(passages: list[Passage], needle: str) -> Passage:
    (found,) = [p for p in passages if needle in p.text]
    return found


def test_seed_titles_and_dates():
    shanghai, _ = passages_of(SHANGHAI_DOC)
    zju, _ = passages_of(ZJU_DOC)
    assert shanghai.title == (
        "Digest of news from the SPbPU Representative Office in Shanghai: Spring and Summer 2023"
    )
    assert shanghai.date == "2023-10-25"
    assert zju.title.startswith("China Route: Results of Rector A.I. Rudskoi’s Visit")
    assert zju.date == "2023-06-06"


def test_page_breaks_are_joined():
    _, passages = passages_of(SHANGHAI_DOC)
    text = " ".join(p.text for p in passages)
    assert "After negotiations with the college management, SPbPU is facing" in text
    assert "LUNJIAN is actively looking for possible partners" in text
    assert not any(p.text.startswith(("college management", "looking for")) for p in passages)


def test_headings_are_attached_to_their_passages():
    _, shanghai = passages_of(SHANGHAI_DOC)
    _, zju = passages_of(ZJU_DOC)
    talent = find(shanghai, "21st China International Talent Exchange Conference organized")
    assert "Exhibitions and conferences" in talent.heading
    assert "21st Chinese International Talent Exchange Conference" in talent.heading
    assert find(shanghai, "Lubei College of Technology is an aviation").heading == (
        "Lubei College of Technology"
    )
    assert find(zju, "longstanding strategic partner").heading == "At Zhejiang University"


def test_navigation_and_metadata_lines_are_gone():
    for doc_id in (SHANGHAI_DOC, ZJU_DOC):
        _, passages = passages_of(doc_id)
        text = "\n".join(p.text + p.heading for p in passages)
        for noise in (
            "Print version",
            "Перейти",
            "](#)",
            "Дата публикации",
            "International activities 357",
        ):
            assert noise not in text


def test_captions_are_their_own_passages():
    _, passages = passages_of(ZJU_DOC)
    captions = [p.text for p in passages if p.kind == CAPTION]
    assert (
        "Rector of SPbPU A.I. Rudskoi and Rector of Zhejiang Technical University Li Xiaonian"
        in captions
    )
    assert "A.I. Rudskoi and Professor Du Jianfeng, Rector of Zhejiang University" in captions
    assert "Rector of SPbPU A.I. Rudskoi at the wheel of a Geely car" in captions
    assert find(passages, "longstanding strategic partner").kind == PARAGRAPH


def test_ids_are_stable_and_in_reading_order():
    _, first = passages_of(ZJU_DOC)
    _, second = passages_of(ZJU_DOC)
    assert [p.passage_id for p in first] == [p.passage_id for p in second]
    assert [p.passage_id for p in first] == [f"{ZJU_DOC}-p{n}" for n in range(1, len(first) + 1)]


def test_long_paragraphs_split_at_sentences():
    _, passages = passages_of(SHANGHAI_DOC)
    assert all(len(p.text.split()) <= MAX_WORDS for p in passages)
    talent = [p for p in passages if "Talent Exchange Conference" in p.heading]
    assert len(talent) == 2 and all(p.text.endswith(".") for p in talent)


def test_sentences_do_not_break_after_initials_or_abbreviations():
    text = "Rector A.I. Rudskoi met Prof. Nan Wang. They signed with Sinopec Co. Ltd. today. Done!"
    assert split_sentences(text) == [
        "Rector A.I. Rudskoi met Prof. Nan Wang.",
        "They signed with Sinopec Co. Ltd. today.",
        "Done!",
    ]


@pytest.mark.parametrize("words", [119, 121, 500, 5000])
def test_split_long_keeps_every_word(words):
    text = " ".join(f"w{i}" + ("." if i % 17 == 16 else "") for i in range(words))
    chunks = split_long(text)
    assert " ".join(chunks).split() == text.split()
    assert all(len(c.split()) <= MAX_WORDS for c in chunks)


def test_broken_paragraph_fixture():
    (digest,) = read(FIXTURES / "digest_broken_paragraphs.txt", FIXTURES)
    passages = segment(digest)
    assert [p.text for p in passages] == [
        "The delegation discussed many topics. After negotiations with the college management, "
        "SPbPU is facing the task of creating a joint programme.",
        "LUNJIAN is actively looking for possible partners, including those from Russia.",
    ]
    assert passages[1].heading == "Short heading"


def test_a_giant_word_is_cut_into_bounded_passages():
    pieces = split_long("x" * 7000 + " tail")
    assert [len(p) for p in pieces] == [MAX_CHARS, MAX_CHARS, 1005]


def test_a_caption_of_any_length_is_split_into_bounded_passages(tmp_path):
    body = "Geely met Hangzhou officials. " * 5000  # no closing punctuation: read as a caption
    path = tmp_path / "one-line.txt"
    path.write_text(f"One line\n3 March 2024\n\n{body.strip()} and more\n", encoding="utf-8")
    (digest,) = read(path, tmp_path)
    passages = segment(digest)
    assert len(passages) > 100
    assert max(len(p.text) for p in passages) <= MAX_CHARS
    assert sum(p.text.count("Geely") for p in passages) == 5000


def test_headings_and_titles_of_any_length_are_bounded(tmp_path):
    giant = " ".join(f"Heading{n}" for n in range(20000))
    path = tmp_path / "giant.md"
    path.write_text(f"# {giant}\n\n## {giant}\n\nGeely signed.\n\n## {giant}\n", encoding="utf-8")
    (digest,) = read(path, tmp_path)
    passages = segment(digest)
    assert len(digest.title) <= MAX_TITLE_CHARS
    assert max(len(p.text) for p in passages) <= MAX_CHARS
    assert max(len(p.heading) for p in passages) <= MAX_HEADING_CHARS
    assert any("Heading19999" in p.text for p in passages)  # nothing lost, only bounded


def test_abbreviations_keep_sentence_splitting_linear():
    text = "Dr. " * 40000 + "Geely signed. Then it left."
    assert split_sentences(text)[-1] == "Then it left."
