"""Name-safe analysis, the same at index and query time.

Every word is indexed twice at the same position: its exact form (lowercased, accents folded,
apostrophes dropped, so "Xi'an" = "Xi’an" = "xian") and, marked with STEM_MARK, its English or
Russian stem. Queries ask for both with the exact form weighted higher, so exact forms rank above
stemmed ones, and phrases still match on positions. Nothing is ever dropped as a stop word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from whoosh.analysis import Token, Tokenizer
from whoosh.lang.snowball.english import EnglishStemmer
from whoosh.lang.snowball.russian import RussianStemmer

ANALYSIS_VERSION = 5  # bump when tokens change: indexes built before are rebuilt
STEM_MARK = "~"

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = rf"[^\W{_HAN}]+"
# A Han character alone; "3+2"-like joins; words with inner apostrophes ("Xi'an", "People’s").
_TOKEN = re.compile(rf"[{_HAN}]|{_WORD}(?:\+{_WORD})+|{_WORD}(?:['’ʼ`]{_WORD})*")
_APOSTROPHES = re.compile("['’ʼ`]")
_POSSESSIVE = re.compile("['’ʼ`]s$")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN_ALPHA = re.compile("^[a-z]+$")
# Function words get no stem token: their stems are themselves and would only cost space.
_NO_STEM = frozenset(
    (
        "a an and are as at be by for from has have in is it its of on or that the this "
        "to was were with и в во на не что с со как а по из к у за от о об для до"
    ).split()
)
_english = EnglishStemmer()
_russian = RussianStemmer()


class Word(NamedTuple):
    """One word of a text: where it is, its exact form and its stem (or None); a tuple,
    because the analyzer makes one per word indexed (a frozen dataclass cost a third more)."""

    start: int
    end: int
    exact: str
    stem: str | None


@lru_cache(maxsize=500_000)
def normalize(raw: str) -> str:
    """The exact form: lowercase, ё as е, Latin accents folded, no possessive 's or apostrophes."""
    word = _APOSTROPHES.sub("", _POSSESSIVE.sub("", raw.lower())).replace("ё", "е")
    if not word.isascii() and not _CYRILLIC.search(word):
        decomposed = unicodedata.normalize("NFKD", word)
        word = "".join(c for c in decomposed if not unicodedata.combining(c))
    return word


@lru_cache(maxsize=500_000)
def stem(exact: str) -> str | None:
    """The marked stem of an exact form; a word that cannot be stemmed ("3+2", "p53") is its
    own stem, so that every word weighs the same. None only for function words."""
    if exact in _NO_STEM:
        return None
    if _LATIN_ALPHA.match(exact) and len(exact) > 2:
        return STEM_MARK + _english.stem(exact)
    if _CYRILLIC.search(exact) and exact.isalpha() and len(exact) > 2:
        return STEM_MARK + _russian.stem(exact)
    return STEM_MARK + exact


def words(text: str) -> list[Word]:
    """The words of a text with their character offsets."""
    found = []
    for match in _TOKEN.finditer(text):
        exact = normalize(match.group())
        if exact:
            found.append(Word(match.start(), match.end(), exact, stem(exact)))
    return found


def exact_forms(text: str) -> list[str]:
    """The exact forms of a text's words, without stemming (cheaper, for matching names)."""
    return [form for match in _TOKEN.finditer(text) if (form := normalize(match.group()))]


class NameAnalyzer(Tokenizer):
    """Whoosh analyzer emitting exact and stem tokens at the same position."""

    def __eq__(self, other):
        return isinstance(other, NameAnalyzer)

    def __hash__(self):
        return hash(NameAnalyzer)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word in enumerate(
            words(value) if tokenize else [Word(0, len(value), value, None)]
        ):
            for text in (word.exact, word.stem) if word.stem else (word.exact,):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = start_pos + pos
                if chars:
                    token.startchar = start_char + word.start
                    token.endchar = start_char + word.end
                yield token
