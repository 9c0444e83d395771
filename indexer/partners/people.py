"""People's names glued to an organisation's ("Institute of … Technology Pavel GABDULLIN").

The given names are every first name in pymorphy3's Russian dictionary, in the Latin spellings of
every common transliteration (iuliia): data/given_names.txt, written by `python -m
indexer.partners.people` (pymorphy3's word list takes some 40 s to walk, so it is not done at
start-up).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "given_names.txt"
_INITIALS = re.compile(r"^(?:[A-ZА-ЯЁ]\.)+$")


@cache
def given_names() -> frozenset[str]:
    return frozenset(DATA.read_text(encoding="utf-8").split())


def starts_person(words: list[str]) -> bool:
    """True when these words begin a person's name: a given name, initials, or a word in
    capitals after a capitalised one ("Olga KVASHENKINA")."""
    if not words:
        return False
    first = words[0]
    if _INITIALS.match(first):
        return True
    if first.lower() in given_names() and first[:1].isupper() and not first.isupper():
        return True
    return len(words) > 1 and first.istitle() and words[1].isupper() and len(words[1]) > 3


def given_names_text() -> str:
    """The data file: every Latin spelling of every Russian first name, one a line."""
    import iuliia
    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    names = {
        word
        for word, tag, normal, _para, _index in morph.dictionary.iter_known_words()
        if "Name" in tag and "nomn" in tag and "sing" in tag and word == normal and len(word) > 2
    }
    schemas = (iuliia.WIKIPEDIA, iuliia.MOSMETRO, iuliia.ICAO_DOC_9303, iuliia.BGN_PCGN,
               iuliia.GOST_779_ALT, iuliia.YANDEX_MAPS)  # fmt: skip
    latin = set()
    for name in names:
        for schema in schemas:
            spelled = schema.translate(name.capitalize()).lower()
            latin.update({spelled, spelled.replace("ks", "x"), spelled.replace("kt", "ct")})
    return "\n".join(sorted(n for n in latin if n.isalpha() and len(n) > 2)) + "\n"


if __name__ == "__main__":
    DATA.write_text(given_names_text(), encoding="utf-8")
