"""Passage languages: by script when clear, langdetect otherwise, never an exception."""

import pytest

from indexer.ingest.language import detect, detect_all, dominant


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The delegation visited Zhejiang University to sign an agreement.", "en"),
        ("Делегация посетила университет Чжэцзян и подписала соглашение.", "ru"),
        ("浙江大学与圣彼得堡理工大学签署合作协议", "zh"),
        ("", "und"),
        ("2023 — 2024, 3+2", "und"),
        ("SPbPU", "und"),
        ("!!! ??? ...", "und"),
        ("Die Delegation besuchte die Universität und unterzeichnete einen Vertrag.", "und"),
    ],
)
def test_detect(text, lang):
    assert detect(text) == lang


def test_detect_is_stable_between_calls():
    text = "Sinopec Geely Changxing Hangzhou Shanghai Binzhou Lubei Shandong"
    assert len({detect(text) for _ in range(5)}) == 1


def test_dominant_language_weighs_text_size():
    assert dominant([("en", 500), ("ru", 100), ("und", 900)]) == "en"
    assert dominant([("und", 10)]) == "und"


ENGLISH = "The delegation visited Zhejiang University to sign an agreement."
RUSSIAN = "Делегация посетила университет Чжэцзян и подписала соглашение."
GERMAN = "Die Delegation besuchte die Universität und unterzeichnete einen Vertrag."


@pytest.mark.parametrize(
    ("texts", "langs"),
    [
        ([ENGLISH, GERMAN], ["en", "en"]),  # unclear by script: the digest's clear passages
        ([GERMAN], ["und"]),  # nothing around it to go by: langdetect
        ([RUSSIAN, GERMAN], ["ru", "und"]),  # another script than the digest's: langdetect
        ([RUSSIAN, "pic.twitter.com/DR0qTN0P6X"], ["ru", "und"]),  # too short to ask it
        ([RUSSIAN, "Делегация посетила университет Zhejiang"], ["ru", "ru"]),
        ([], []),
    ],
)
def test_detect_all_settles_unclear_passages_by_their_digest(texts, langs):
    assert detect_all(texts) == langs
