"""Passage languages: by script when clear, langdetect otherwise, never an exception."""

import pytest

from indexer.language import detect, dominant


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
