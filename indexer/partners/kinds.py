"""What a found name is when it is not a partner: our own unit, an event, a place, a fragment.

Our own university is SPbPU under any of its names; its units are those of its published
structure (data/own_units.toml), those the text attaches to it ("SPbPU's Institute of …", "… of
the Polytechnic University") and names of a unit with no owner at all ("Higher School of
International Educational Programs": in our own news, a unit with no owner named is ours).
A unit the text gives a partner ("School of Marxism of Tsinghua University") is that partner's.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from functools import cache, lru_cache
from pathlib import Path

from indexer.index.nameforms import is_chinese_name, script_of

DATA = Path(__file__).parent / "data" / "places.toml"
OWN_UNITS = Path(__file__).parent / "data" / "own_units.toml"

EVENT_WORDS = frozenset(
    "forum conference exhibition expo contest competition webinar olympiad festival fair summit "
    "congress symposium workshop days week ceremony program programme session "
    "форум конференция выставка конкурс вебинар олимпиада фестиваль ярмарка саммит конгресс "
    "симпозиум семинар".split()
)
SEASONS = frozenset("summer winter spring autumn летняя зимняя весенняя осенняя".split())
# Words that say nothing about which organisation is meant: "Our University", "Chinese University".
GENERIC_WORDS = frozenset(
    "our this that these the a an its their his her chinese russian foreign partner partners "
    "leading great new main other several many joint russian-chinese sino-russian chinese-russian "
    "international state higher graduate national key official research scientific educational "
    "representative regional municipal local city provincial people’s people's "
    "наш наша наше этот эта это китайский российский иностранный ведущий мировой совместный "
    "международный новый научный научно-исследовательский исследовательский научно-образовательный "
    "образовательный share stock joint-stock limited liability акционерный".split()
)
# The head words of a unit of an organisation, never an organisation of its own standing.
UNIT_WORDS = frozenset(
    "institute school college faculty department office center centre laboratory division "
    "bureau section unit институт школа колледж факультет кафедра отдел управление центр "
    "лаборатория департамент офис представительство бюро".split()
)
_STATE_WORDS = frozenset("government ministry правительство министерство".split())
_STATE_STARTS = ("gov", "minist", "прав", "минист")
_BODY_WORDS = _STATE_WORDS | {"administration", "администрация"}
_BODY_STARTS = (*_STATE_STARTS, "admin", "админ")
_OWN_KEYS = tuple(
    "spbpu spbspu спбпу спбгпу петравеликого petergreat thegreatpolytechnic "
    "leningradpolytechnic ленинградскийполитех".split()
)
# Words that are our name alone ("Политеха", not "политехнического университета").
_OWN_WORD = re.compile(
    r"^(?:spbpu|spbspu|lpi|спбпу|спбгпу|лпи|polytech|politech|politekh|polytechnicians"
    r"|политех(?:а|у|ом|е)?)$"
)
_POLYTECHNIC = re.compile(r"^(polytechnic|polytechnical|политехнический)", re.IGNORECASE)
_RANKING = re.compile(r"^(?:QS|THE|ARWU|RAEX)?\s*\d", re.IGNORECASE)


@lru_cache(maxsize=262144)
def _key(name: str) -> str:
    return re.sub(r"[^\w]", "", name.lower().replace("ё", "е"))


@cache
def _places() -> dict[str, frozenset[str]]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return {kind: frozenset(_key(n) for n in names) for kind, names in data.items()}


@lru_cache(maxsize=65536)
def is_place(name: str) -> bool:
    """A country, a province or a city, and nothing more ("Xi'an", "P.R.China", "Шанхай")."""
    return any(_key(name) in names for names in _places().values())


def is_country(word: str) -> bool:
    countries = _places()["countries"]
    if _key(word) in countries:
        return True
    cyrillic = script_of(word) == "cyrillic"
    return cyrillic and _key(word)[:3] in _starts(countries) and _lemma(word) in countries


@cache
def _starts(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w[:3] for w in words)


def _lemma(word: str) -> str:
    if script_of(word) != "cyrillic":
        return _key(word)
    from indexer.partners.russian import lemma

    return _key(lemma(word))


@lru_cache(maxsize=65536)
def is_ranking(name: str) -> bool:
    return bool(_RANKING.match(name.strip())) or _key(name) in {"qs", "arwu", "the"}


@lru_cache(maxsize=65536)
def is_own_name(name: str) -> bool:
    """Our own university under one of its names ("SPbPU", "Peter the Great St. Petersburg
    Polytechnic University", "Polytech", "ЛПИ"), or a name built on it."""
    k = _key(name)
    if any(part in k for part in _OWN_KEYS) or ("petersburg" in k and "polytechnic" in k):
        return True
    words = [w.lower().strip("'’s") for w in re.findall(r"[\w'’&-]+", name)]
    if any(_OWN_WORD.match(w) for w in words) or k in _own_units():
        return True
    # "Polytechnic University", "International Polytechnic Summer School": no other owner.
    meaningful = [w for w in re.findall(r"[\w'’&-]+", name) if w.lower() not in GENERIC_WORDS]
    return bool(meaningful) and bool(_POLYTECHNIC.match(meaningful[0]))


@cache
def _own_units() -> frozenset[str]:
    data = tomllib.loads(OWN_UNITS.read_text(encoding="utf-8"))
    return frozenset(_key(name) for table in data.values() for name in table["names"])


@lru_cache(maxsize=65536)
def is_unit_name(name: str) -> bool:
    """A unit's name with nothing of its own to tell it by ("School of Marxism", "Institute
    for Russia-China Strategic Cooperation", "Школа гидротехнического строительства"): headed
    by a unit word, with no place, Chinese name or acronym in it."""
    words = re.findall(r"[\w'’&-]+", name)
    head = next((w for w in words if _lemma(w) in UNIT_WORDS or w.lower() in UNIT_WORDS), None)
    return head is not None and not any(_is_proper(w) for w in words)


@lru_cache(maxsize=65536)
def is_state_body(name: str) -> bool:
    """A government, an administration or a ministry: its offices are bodies of their own."""
    return _holds_word(re.findall(r"[\w'’&-]+", name), _BODY_WORDS, _BODY_STARTS)


def _holds_word(words: list[str], lemmas: frozenset[str], starts: tuple[str, ...]) -> bool:
    """One of the words is one of these (any Russian case); the analyser is asked only about
    words that begin like one."""
    return any(w.lower().startswith(starts) and _lemma(w) in lemmas for w in words)


@lru_cache(maxsize=65536)
def is_russian_state(name: str) -> bool:
    """A body of our own state ("Government of Russia", "Правительство России"): the context
    of a partnership, never a partner."""
    words = re.findall(r"[\w'’&-]+", name)
    state = _holds_word(words, _STATE_WORDS, _STATE_STARTS)
    russia = [w for w in words if _lemma(w) in ("russia", "russian", "россия", "российский")]
    federation = any(_lemma(w) in ("federation", "федерация") for w in words)
    return state and bool(russia) and (federation or len(words) <= 3)


@lru_cache(maxsize=65536)
def is_joint(name: str) -> bool:
    """A structure we run with a partner ("Joint Polytechnic Institute of …"): a partner."""
    return bool(re.match(r"(?:the\s+)?(joint|совместн)", name, re.IGNORECASE))


@lru_cache(maxsize=65536)
def is_event(name: str) -> bool:
    """An event or a programme: "Summer School", "China Education Expo", "BRICS+ Forum"."""
    words = [w.lower() for w in re.findall(r"[\w'’&+-]+", name)]
    if any(w in EVENT_WORDS for w in words):
        return True
    return any(
        a in SEASONS and b in ("school", "schools", "школа") for a, b in itertools.pairwise(words)
    )


@lru_cache(maxsize=65536)
def is_generic(name: str, org_words: frozenset[str]) -> bool:
    """Only organisation words and words that name nobody ("Our University", "Research Center")."""
    words = re.findall(r"[\w'’&-]+", name)
    connectors = {"of", "and", "for", "the", "on", "in"}
    # A country names nobody in "the leading university of China", but a state's own body
    # in "Government of Russia".
    state = _holds_word(words, _STATE_WORDS, _STATE_STARTS)

    def says_nothing(word: str) -> bool:
        lower = word.lower()
        if lower in org_words or lower in GENERIC_WORDS or lower in connectors:
            return True
        if is_country(word):
            return not state
        # Russian words in other cases: their dictionary form ("университета"); the analyser
        # is asked only about words that begin like one of those.
        if script_of(word) != "cyrillic" or lower[:3] not in _starts(org_words | GENERIC_WORDS):
            return False
        return _lemma(word) in org_words or _lemma(word) in GENERIC_WORDS

    return all(says_nothing(w) for w in words)


@lru_cache(maxsize=65536)
def is_unit_shaped(name: str, units: tuple[str, ...]) -> bool:
    """A name of one of our kinds of unit with nobody's name in it: "Higher School of
    International Educational Programs", "International Cooperation Department" (not "Tangshan
    Experimental School"). units: "Institute of …" (begins), "… Office" (ends), "Resource
    Center" (holds), from the [own] table of corpus/partners.toml."""
    words = re.findall(r"[\w'’&-]+", name)
    if not any(_unit_matches(pattern, name) for pattern in units):
        return False
    # A city in it is where the unit is ("Shanghai office", "Шанхайское представительство").
    return not any(_is_proper(w) and not _is_place_word(w) for w in words)


def _unit_matches(pattern: str, name: str) -> bool:
    text = " ".join(re.findall(r"[\w'’&-]+", name)).lower()
    phrase = " ".join(re.findall(r"[\w'’&-]+", pattern)).lower()
    if pattern.endswith("…"):
        return text.startswith(phrase + " ")
    if pattern.startswith("…"):
        return text.endswith(" " + phrase)
    return f" {phrase} " in f" {text} "


def _is_place_word(word: str) -> bool:
    """A place, or a Russian adjective made of one (Шанхайское)."""
    if is_place(word):
        return True
    from indexer.index.nameforms import pinyin_of_cyrillic

    return script_of(word) == "cyrillic" and pinyin_of_cyrillic(word) is not None


def _is_proper(word: str) -> bool:
    """A word that names someone or somewhere: a Chinese name, a place, an acronym, "HuaMan"."""
    if len(word) > 1 and (word.isupper() or any(p[1:] != p[1:].lower() for p in word.split("-"))):
        return True
    return is_place(word) or (word[:1].isupper() and is_chinese_name(word))
