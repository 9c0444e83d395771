"""Tell a passage's language (en, ru, zh or und): by script when clear, langdetect otherwise."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

LANGUAGES = ("en", "ru", "zh", "und")
UNDETERMINED = "und"

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_MIN_LETTERS = 12
_MIN_WORDS = 2
# Fewer letters than this, in another script than the digest's (a link, a tweet's signature):
# langdetect cannot tell, and answered "und" for most such passages of the news benchmark.
_MIN_DETECT_LETTERS = 40
_CLEAR_SHARE = 0.9  # one script holding this share of the letters decides alone
# Frequent English function words: Latin text rich in them is English without asking langdetect.
_ENGLISH_WORDS = frozenset(
    (
        "the of and to in a is was for on with as by at from that this are were be has "
        "have it its an or which their they will been also"
    ).split()
)
_ENGLISH_SHARE = 0.12
_lock = threading.Lock()


# Letters by script, counted with one regex pass each (a Python loop per character is slow).
_CYRILLIC = re.compile("[\u0400-\u052f]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def detect(text: str) -> str:
    """The language of a passage; never raises."""
    guess = _by_script(text)
    return guess if guess is not None else _langdetect(text)


def detect_all(texts: list[str]) -> list[str]:
    """The languages of one digest's passages. langdetect costs ~14 ms a call, so a passage
    that is not clear by script takes the language of the digest's clear passages when it is
    written in their script (a German quote in an English digest is then labelled English)."""
    clear = [_by_script(text) for text in texts]
    known = dominant([(lang, len(text)) for lang, text in zip(clear, texts, strict=True) if lang])
    return [lang or _settle(text, known) for lang, text in zip(clear, texts, strict=True)]


def _settle(text: str, known: str) -> str:
    """The language of a passage unclear by script: its digest's, when in that script."""
    letters = len(_LETTER.findall(text))
    if known == _script_language(text, letters):
        return known
    return _langdetect(text) if letters >= _MIN_DETECT_LETTERS else UNDETERMINED


def _by_script(text: str) -> str | None:
    """The language when the letters alone tell it (or "und" when too few), else None."""
    letters = len(_LETTER.findall(text))
    han = len(_HAN.findall(text))
    if han >= 2 and han / max(letters, 1) >= 0.3:
        return "zh"  # Chinese needs no spaces or many letters to be clear-cut
    words = _WORD.findall(text)
    if letters < _MIN_LETTERS or len(words) < _MIN_WORDS:
        return UNDETERMINED
    if len(_CYRILLIC.findall(text)) / letters >= _CLEAR_SHARE:
        return "ru"
    latin = len(_LATIN.findall(text)) / letters >= _CLEAR_SHARE
    if latin and _english_share(words) >= _ENGLISH_SHARE:
        return "en"
    return None


def _script_language(text: str, letters: int) -> str | None:
    """The language our labels give a text's main script: en for Latin, ru for Cyrillic."""
    letters = max(letters, 1)
    if len(_LATIN.findall(text)) / letters > 0.5:
        return "en"
    if len(_CYRILLIC.findall(text)) / letters > 0.5:
        return "ru"
    return None


def _english_share(words: list[str]) -> float:
    return sum(1 for w in words if w.lower() in _ENGLISH_WORDS) / len(words)


def _langdetect(text: str) -> str:
    """Ask langdetect (seeded, so stable between runs) and map its answer to our labels."""
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    with _lock:  # langdetect's factory is global state; seed it once, use it serially
        DetectorFactory.seed = 0
        try:
            guesses = detect_langs(text[:2000])
        except LangDetectException:
            return UNDETERMINED
    best = guesses[0] if guesses else None
    if best is None or best.prob < 0.6:
        return UNDETERMINED
    return _map_code(best.lang)


@lru_cache(maxsize=64)
def _map_code(code: str) -> str:
    if code.startswith("zh"):
        return "zh"
    return code if code in ("en", "ru") else UNDETERMINED


def dominant(languages: list[tuple[str, int]]) -> str:
    """The language of a digest: the one holding most text among its passages' languages."""
    totals: dict[str, int] = {}
    for language, size in languages:
        if language != UNDETERMINED:
            totals[language] = totals.get(language, 0) + size
    return max(totals, key=lambda lang: totals[lang]) if totals else UNDETERMINED
