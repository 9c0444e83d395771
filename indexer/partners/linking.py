"""Which partner a query names: identity keys of the directory's names matched against the
keys of the query's runs of words.

A name's identity is its name words read into one Latin string in their order (Pinyin for
Chinese names in any script, the traditional Russian names, iuliia's transliterations for other
Cyrillic words) and the set of its organisation words as concepts, whatever their language and
order: "Чжэцзянский университет", "Университет Чжэцзян", "Zhejiang Univ." and 浙江大学 are all
("zhejiang", {university}). A word may read several ways (交通 as "jiaotong" and as transport;
理工 as polytechnic, technology, or science and technology), so a run has a few identities.
A run whose name words are no Pinyin ("Синопек") may also meet a name one letter off.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import islice, product
from pathlib import Path

from indexer.index.analysis import STEM_MARK, stem
from indexer.index.nameforms import (
    CYRILLIC,
    HAN,
    fold_confusables,
    latin_forms,
    modern_pinyin,
    organisation_concept,
    organisation_words,
    pinyin_of_cyrillic,
    pinyin_of_hanzi,
    pinyin_syllables,
)
from indexer.partners.curated import key

DATA = Path(__file__).parent / "data" / "name_readings.toml"
MAX_RUN = 8  # words in the longest name linked
MIN_LETTERS = 2  # letters of the shortest name linked ("RT", "3M")
MAX_IDENTITIES = 32  # identities of one run at the most
MAX_SPELLINGS = 6  # Latin spellings of one Cyrillic word that is no Chinese name
FUZZY_LETTERS = 6  # letters a name needs before one letter off still meets it
TYPO_LETTERS = 8  # letters an organisation word needs before one typo still reads as it
_WORD = re.compile(r"[\w'’]+")
_SMALL_WORDS = frozenset("of the and for on at in a an de & и в на по им имени".split())


@dataclass(frozen=True, slots=True)
class Identity:
    """What a name is: its name words as one string, its organisation concepts as a set."""

    name: str
    concepts: frozenset[str]


@dataclass(frozen=True)
class Link:
    """Typed words [start, end) that name one partner, or any of several."""

    start: int
    end: int
    partners: tuple[dict, ...]

    @property
    def partner(self) -> dict | None:
        return self.partners[0] if len(self.partners) == 1 else None


def query_words(q: str) -> list[str]:
    """The words of a query as the linker reads them (apostrophes kept, dots and hyphens
    apart: "Univ." is "Univ", "Северо-Западный" two words)."""
    return _WORD.findall(unicodedata.normalize("NFC", q))


class PartnerLinker:
    """The directory's names by identity, for linking queries to partners."""

    def __init__(self, partners: list[dict], by_key: dict[str, dict]):
        self.by_key = by_key  # every name of every partner by key(), as PartnerNames has them
        met: dict[Identity, dict[str, dict]] = {}
        for partner in partners:
            for name in [partner["name"], *partner["names"]]:
                # Directory names are not transliterated: a query's Cyrillic is, to meet them.
                for identity in identities(query_words(name), transliterated=False):
                    met.setdefault(identity, {})[partner["slug"]] = partner
        self.by_identity = {identity: tuple(found.values()) for identity, found in met.items()}
        # Names of FUZZY_LETTERS or more by their concepts and length, for one-letter-off
        # matches (a letter off is at most one letter longer or shorter).
        self.by_length: dict[tuple[frozenset[str], int], list[str]] = {}
        for identity in self.by_identity:
            if len(identity.name) >= FUZZY_LETTERS:
                shelf = self.by_length.setdefault((identity.concepts, len(identity.name)), [])
                shelf.append(identity.name)

    def links(self, words: list[str]) -> list[Link]:
        """Runs of words that name partners, longest first, none overlapping another."""
        found: list[Link] = []
        taken: set[int] = set()
        for length in range(min(len(words), MAX_RUN), 0, -1):
            for start in range(len(words) - length + 1):
                span = set(range(start, start + length))
                # A run starts and ends on a word that reads ("and Geely" is "Geely").
                edges = (words[start], words[start + length - 1])
                if span & taken or not all(word_readings(word) for word in edges):
                    continue
                if length == 1 and len(words[start]) < MIN_LETTERS:  # "s", "в": no name
                    continue
                partners = self.named(words[start : start + length], length == len(words))
                if partners:
                    found.append(Link(start, start + length, partners))
                    taken |= span
        return sorted(found, key=lambda link: link.start)

    def named(self, run: list[str], whole: bool = True) -> tuple[dict, ...]:
        """The partners a run of words names: one of their names as written, else every
        partner one of the run's identities meets. A name of organisation words only
        ("Russian Academy of Sciences") is met only by a whole query: "Сианьский
        технологический университет" never names a "Технический университет"."""
        exact = self.by_key.get(key(" ".join(run)))
        if exact is not None:
            return (exact,)
        readings = [identity for identity in identities(run) if whole or identity.name]
        # The likeliest reading that meets a name wins: 上海交通大学 is "Shanghai Jiaotong
        # University" before it is a "Shanghai Transport University".
        for identity in readings:
            if identity in self.by_identity:
                return self.by_identity[identity]
        for identity in readings:
            met = self._one_letter_off(identity)
            if met:
                return tuple(met.values())
        return ()

    def _one_letter_off(self, identity: Identity) -> dict[str, dict]:
        """Partners whose name is one letter from a run's that is no Pinyin (a typo, a brand
        written in Cyrillic): Zhejang, Синопек. Two Pinyin names a letter apart (Shanxi,
        Shaanxi) are different places, never met this way."""
        if len(identity.name) < FUZZY_LETTERS or pinyin_syllables(identity.name):
            return {}
        size = len(identity.name)
        names = [
            n for d in (-1, 0, 1) for n in self.by_length.get((identity.concepts, size + d), ())
        ]
        met: dict[str, dict] = {}
        for name in names:
            if one_typo_apart(identity.name, name):
                met.update(
                    (p["slug"], p) for p in self.by_identity[Identity(name, identity.concepts)]
                )
        return met


def identities(run: list[str], transliterated: bool = True) -> tuple[Identity, ...]:
    """Every identity a run of words may have (at most MAX_IDENTITIES), the likeliest first
    (each word's first reading); none for a run that is no name (small words only, or
    organisation words only). transliterated: Cyrillic words that are no Chinese name also
    read in Latin ("Синопек" as sinopek)."""
    choices = [readings for word in run if (readings := word_readings(word, transliterated))]
    found: dict[Identity, None] = {}
    for combination in islice(product(*choices), MAX_IDENTITIES):
        parts = [part for reading in combination for part in reading]
        concepts = _interned(frozenset(p[4:] for p in parts if p.startswith("org:")))
        name = "".join(p for p in parts if not p.startswith("org:"))
        if name or len(concepts) > 1:
            found.setdefault(Identity(name, concepts))
    return tuple(found)


_CONCEPT_SETS: dict[frozenset[str], frozenset[str]] = {}


def _interned(concepts: frozenset[str]) -> frozenset[str]:
    """One object for each set of concepts: a directory has thousands of names, a few dozen
    sets of concepts."""
    return _CONCEPT_SETS.setdefault(concepts, concepts)


def word_readings(word: str, transliterated: bool = True) -> tuple[tuple[str, ...], ...]:
    """The ways one word reads in a name: each a tuple of parts, a name piece in Latin or
    "org:" and a concept. () for a small word. A query's words are kept (they come again),
    the directory's are read once."""
    return _query_readings(word) if transliterated else _readings_of(word, False)


@lru_cache(maxsize=8192)
def _query_readings(word: str) -> tuple[tuple[str, ...], ...]:
    return _readings_of(word, True)


def _readings_of(word: str, transliterated: bool) -> tuple[tuple[str, ...], ...]:
    # A query's look-alike letters are folded ("Сиaнь"); not the directory's: the table of
    # look-alikes costs 15 MB in every search process, for names the directory writes mixed.
    word = fold_confusables(word) if transliterated else word
    word = word.lower().replace("ё", "е").replace("'", "").replace("’", "")
    if not word or word in _SMALL_WORDS:
        return ()
    if HAN.search(word):
        return _han_readings(word)
    readings = _concept_readings(word)
    if readings:
        return readings
    if CYRILLIC.search(word):
        latin = _cyrillic_readings(word, transliterated)
    else:
        latin = ((modern_pinyin(word) or word,),)
    # A name word that also translates (Jiaotong, Цзяотун: transport) reads both ways.
    return latin + _readings("translations").get(latin[0][0], ()) if len(latin) == 1 else latin


def _concept_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """An organisation word's concepts (several for some: 理工), by its form, or by its stem
    (технологий as технологии), or one typo off (Universty)."""
    table = _readings()
    forms = [word] if CYRILLIC.search(word) else [word, *_one_typo_off(word)]
    for form in forms:
        if form in table:
            return table[form]
        concept = organisation_concept(form)
        if concept:
            return ((f"org:{concept}",),)
    return _by_stem().get(_stem(word), ()) if CYRILLIC.search(word) else ()


def _stem(word: str) -> str:
    """A Russian word's Snowball stem, the one analysis gives (not pymorphy3: a search
    process would load its dictionaries for it)."""
    return (stem(word) or word).removeprefix(STEM_MARK)


@cache
def _by_stem() -> dict[str, tuple[tuple[str, ...], ...]]:
    """The Russian organisation words by their stems, with their readings."""
    found: dict[str, tuple[tuple[str, ...], ...]] = {}
    for word in sorted(organisation_words()):
        if CYRILLIC.search(word) and word.isalpha():
            found.setdefault(_stem(word), ((f"org:{organisation_concept(word)}",),))
    for word, readings in _readings().items():
        if CYRILLIC.search(word) and word.isalpha():
            found[_stem(word)] = readings
    return found


def _one_typo_off(word: str) -> list[str]:
    """The Latin organisation word a long word is one typo from (Universty, Univeristy)."""
    if len(word) < TYPO_LETTERS:
        return []
    return [w for w in _latin_organisation_words() if one_typo_apart(word, w)]


def one_typo_apart(a: str, b: str) -> bool:
    """At most one letter changed, added, dropped, or two neighbours swapped (OSA distance
    1). Written here, not taken from rapidfuzz: loading it costs every search process 4.5 MB
    for a test this small."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    start = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    if len(a) == len(b):
        swapped = a[start : start + 2] == b[start : start + 2][::-1]
        return a[start + 1 :] == b[start + 1 :] or (swapped and a[start + 2 :] == b[start + 2 :])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[start + 1 :] == shorter[start:]


def _cyrillic_readings(word: str, transliterated: bool) -> tuple[tuple[str, ...], ...]:
    """Palladius read as Pinyin (declined or not); otherwise the word's stem, and then
    (transliterated) the word and its stem in iuliia's schemes (Синопеком: sinopek)."""
    pinyin = pinyin_of_cyrillic(word)
    if pinyin:
        return ((pinyin,),)
    own = _stem(word)
    if not transliterated:
        return ((own,),)
    typed = sorted(latin_forms(word, everyday=True))
    forms = typed + sorted(latin_forms(own, everyday=True) - set(typed))
    return ((own,), *((form,) for form in forms[:MAX_SPELLINGS]))


def _han_readings(word: str) -> tuple[tuple[str, ...], ...]:
    """A name in characters: its organisation words (at its end) as concepts and as Pinyin,
    the rest as Pinyin (上海交通大学: shanghai, jiaotong or transport, university)."""
    pieces = []
    rest = word
    while rest:
        suffix = next((s for s in _han_words() if rest.endswith(s)), None)
        if suffix is None:
            pieces.insert(0, ((pinyin_of_hanzi(rest) or rest,),))
            break
        pinyin = (pinyin_of_hanzi(suffix),)
        concepts = _concept_readings(suffix)
        # Pinyin first where names keep it (交通: Jiaotong), the translation first elsewhere.
        kept = pinyin[0] in _readings("translations")
        pieces.insert(0, (pinyin, *concepts) if kept else (*concepts, pinyin))
        rest = rest[: -len(suffix)]
    return tuple(tuple(p for r in combo for p in r) for combo in islice(product(*pieces), 8))


@cache
def _readings(section: str = "readings") -> dict[str, tuple[tuple[str, ...], ...]]:
    """Words standing for more than one concept, and abbreviations; with "translations", the
    concepts some Pinyin name words also stand for (data/name_readings.toml)."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    table = {}
    for word, readings in data[section].items():
        table[word] = tuple(tuple(f"org:{c}" for c in r.split()) for r in readings)
    return table


@cache
def _han_words() -> tuple[str, ...]:
    """Organisation words in characters, longest first (科学院 before 学院)."""
    words = {w for w in (*organisation_words(), *_readings()) if HAN.search(w)}
    return tuple(sorted(words, key=len, reverse=True))


@cache
def _latin_organisation_words() -> tuple[str, ...]:
    return tuple(sorted(w for w in organisation_words() if w.isascii() and w.isalpha()))
