"""Organisation names in Russian text, brought to the nominative with pymorphy3.

A name is adjectives + a head noun ("университет", "министерство", "компания"…) + a chain of
genitives and indeclinable names: "Сианьский технологический университет", "Департамент науки и
технологий провинции Цзянсу", "администрация Калининского района", "компания «Мост дружбы»".
It must hold something proper (a capitalised word not opening a sentence, an acronym, a quoted
name, a Chinese name), so "совместный институт" or "университет" alone name nobody. The chain
stops at a person's name, at a second place ("района Уцин г. Тяньцзин") and at a country after
a place ("г. Тяньцзин Китайской Народной Республики").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from indexer.index.nameforms import is_palladius, script_of
from indexer.partners.kinds import is_state_body, is_unit_name

HEADS = frozenset(
    "университет институт колледж академия министерство департамент администрация правительство "
    "комитет компания корпорация центр школа ассоциация управление фонд парк лаборатория "
    "представительство офис факультет бюро агентство комиссия объединение холдинг консорциум "
    "альянс союз палата банк завод сеть".split()
)
_HEAD_START = re.compile(
    "(?i)(?:" + "|".join(sorted({h[:4] for h in HEADS} | {"школ", "сет"})) + ")"
)
_COMPANIES = frozenset("компания корпорация холдинг концерн".split())
_PLACE_WORDS = frozenset(
    "г. город города района район провинции провинция округа уезда области".split()
)
_COUNTRY_LEMMAS = frozenset(
    "китайский народный республика кнр китай россия российский федерация".split()
)
_TOKEN = re.compile(r"«[^«»]{1,60}»|\b[гГ]\.(?=\s)|[А-ЯЁа-яёA-Za-z][А-ЯЁа-яёA-Za-z\-]*|\d+|[^\s\w]")
_FUNCTION_WORDS = frozenset({"CONJ", "PREP", "PRCL", "INTJ", "NPRO", "VERB", "INFN"})
_SENTENCE_END = frozenset(".!?…")


@dataclass(frozen=True)
class RussianName:
    """A name as the text writes it (from start to end in the text) and in the nominative; a
    unit of another organisation ("Школа … Университета Цинхуа") names its owner (of)."""

    start: int
    end: int
    name: str
    of: str | None = None
    words: tuple[str, ...] = ()  # the name's words, one for each of the text's tokens


@cache
def _morph():
    import pymorphy3  # 15 MB of dictionaries, loaded when a Russian text is first met

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=32768)
def _parses(word: str) -> tuple:
    """pymorphy3's readings of a word, once per word: the same words come back in every
    digest, and the rules ask about a word several times (head, adjective, case, country)."""
    return tuple(_morph().parse(word))


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A Russian word's dictionary form ("университета" → "университет")."""
    return _parses(word)[0].normal_form


def find_russian_names(text: str) -> list[RussianName]:
    """Organisation names in a Russian text, in order, each in the nominative."""
    if script_of(text) != "cyrillic":
        return []
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    found = []
    for i, (word, _start, _end) in enumerate(tokens):
        # The analyser is asked only about words that may be a head ("университетом"): a
        # Russian news text has hundreds of words for each one.
        head = _head_parse(word) if _HEAD_START.match(word) else None
        if head is not None:
            name = _name_at(tokens, i, head) or _opening_name(text, tokens, i, head)
            if name is not None:
                found.append(name)
    return [_unit_of(name, found) for name in found]


def _unit_of(name: RussianName, found: list[RussianName]) -> RussianName:
    """A unit whose name ends in another organisation's ("Школа гидротехнического
    строительства Университета Цинхуа"): the unit alone, naming its owner."""
    for owner in found:
        if owner.start > name.start and owner.end == name.end and owner.words:
            unit = " ".join(name.words[: len(name.words) - len(owner.words)])
            if is_unit_name(unit) and not is_state_body(owner.name):
                return RussianName(name.start, owner.start, unit, owner.name, ())
    return name


@lru_cache(maxsize=65536)
def _head_parse(word: str):
    for parse in _parses(word):
        if parse.tag.POS == "NOUN" and parse.normal_form in HEADS and parse.tag.number != "plur":
            return parse
    return None


def _adjective(word: str, case):
    """An adjective agreeing with the head; not a pronoun ("этот")."""
    for parse in _parses(word):
        if parse.tag.POS in ("ADJF", "PRTF") and parse.tag.case == case:
            if "Apro" in parse.tag:
                return None
            return parse
    return None


def _opening_name(text: str, tokens: list, i: int, head) -> RussianName | None:
    """A name the rules cannot decide on: its only capital opens its sentence. The model's."""
    from indexer.partners.ner import tags_organisation

    name = _name_at(tokens, i, head, opening_is_proper=True)
    if name is None or not tags_organisation(text, name.start, tokens[i][2]):
        return None
    return name


def _name_at(tokens: list, i: int, head, opening_is_proper: bool = False) -> RussianName | None:
    """The name headed by tokens[i], or None when nothing in it is proper (a capital that
    opens the sentence counts only with opening_is_proper)."""
    first = i
    adjectives = []
    while first > 0 and (adj := _adjective(tokens[first - 1][0], head.tag.case)) is not None:
        adjectives.insert(0, adj)
        first -= 1
    if head.normal_form in _COMPANIES:
        return _company(tokens, i)
    chain, proper = _chain(tokens, i + 1)
    opening = first == 0 or tokens[first - 1][0] in _SENTENCE_END
    words = [t[0] for t in tokens[first : i + 1]]
    capital_inside = any(w[:1].isupper() for w in words[1:]) or (
        words[0][:1].isupper() and (opening_is_proper or not opening)
    )
    if not (proper or capital_inside):
        return None
    if head.normal_form == "центр" and not capital_inside and not chain[-1:][0].startswith("«"):
        return None  # "крупный промышленный центр Санкт-Петербурга" describes a district
    nominative = [*(_inflect(a, head) for a in adjectives), _inflect(head, head)]
    written = [*(t[0] for t in tokens[first:i]), tokens[i][0]]
    nominative = [_cased(n, w) for n, w in zip(nominative, written, strict=True)]
    words = [*nominative, *chain]
    words[0] = words[0][:1].upper() + words[0][1:]
    end = tokens[i + len(chain)][2]
    return RussianName(tokens[first][1], end, " ".join(words), None, tuple(words))


def _company(tokens: list, i: int) -> RussianName | None:
    """ "компания «Мост дружбы»", "корпорации Huawei": the company's own name that follows."""
    if i + 1 >= len(tokens):
        return None
    word, start, end = tokens[i + 1]
    if word.startswith("«"):
        return RussianName(start, end, word.strip("«» "))
    j = i + 1
    while j < len(tokens) and re.fullmatch(r"[A-Z][\w&-]*", tokens[j][0]):
        j += 1
    if j == i + 1:
        return None
    return RussianName(start, tokens[j - 1][2], " ".join(t[0] for t in tokens[i + 1 : j]))


def _chain(tokens: list, j: int) -> tuple[list[str], bool]:
    """Genitives and names after the head: the words, and whether one is proper."""
    chain, proper, places = [], False, 0
    while j < len(tokens):
        word = tokens[j][0]
        if word.startswith("«"):
            chain.append(word)
            return chain, True
        if _person_at(tokens, j):
            break
        if "-" in word and all(_is_country(part) for part in word.split("-")):
            pass  # "Институт стратегического сотрудничества Россия-Китай …"
        elif word in _PLACE_WORDS or word.lower() in _PLACE_WORDS:
            places += 1
            if places > 1 and proper:
                break
        elif _is_country(word) and proper:
            break
        elif _is_proper(word):
            proper = True
        elif (
            word == "и"
            and chain
            and not proper
            and j + 1 < len(tokens)
            and _genitive(tokens[j + 1][0])
        ):
            pass  # "Департамент науки и технологий …"; not "провинции Цзянсу и города …"
        elif _parses(word)[0].tag.POS in _FUNCTION_WORDS or not _genitive(word):
            break
        chain.append(word)
        j += 1
    while chain and chain[-1].lower() == "г.":
        chain.pop()
    return chain, proper


def _person_at(tokens: list, j: int) -> bool:
    """A Chinese person written given name, then surname in capitals ("Цзиньпин НИ")."""
    if j + 1 >= len(tokens) or not _is_chinese(tokens[j][0]) or tokens[j][0].isupper():
        return False
    surname = tokens[j + 1][0]
    return len(surname) > 1 and surname.isupper() and bool(re.search("[АЕЁИОУЫЭЮЯ]", surname))


def _is_proper(word: str) -> bool:
    """An acronym (КНР), a Chinese name as it stands (Цинхуа), a capitalised genitive."""
    if word.isupper() and len(word) > 1:
        return True
    return word[:1].isupper() and (_is_chinese(word) or _genitive(word))


@lru_cache(maxsize=65536)
def _genitive(word: str) -> bool:
    return any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF")
               for p in _parses(word))  # fmt: skip


def _is_country(word: str) -> bool:
    return any(p.normal_form in _COUNTRY_LEMMAS for p in _parses(word)[:2])


def _is_chinese(word: str) -> bool:
    """A name in Palladius as it stands (Цинхуа, Уцин, Тяньцзин), not a declined person's."""
    return is_palladius(word)


_CASES = ("gent", "datv", "accs", "ablt", "loct")


@lru_cache(maxsize=65536)
def declensions(name: str) -> frozenset[str]:
    """A Russian name in every case ("Харбинский политехнический университет" →
    "Харбинского политехнического университета", …): how the texts write a name staff add."""
    words = name.split()
    at = next((i for i, w in enumerate(words) if _HEAD_START.match(w) and _head_parse(w.lower())),
              None)  # fmt: skip
    if script_of(name) != "cyrillic" or at is None:
        return frozenset()
    head = _head_parse(words[at].lower())
    adjectives = [_adjective(w.lower(), head.tag.case) for w in words[:at]]
    if None in adjectives:
        return frozenset()
    forms = set()
    for case in _CASES:
        inflected = [_inflect(a, head, case) for a in [*adjectives, head]]
        cased = [_cased(n, w) for n, w in zip(inflected, words[: at + 1], strict=True)]
        forms.add(" ".join([*cased, *words[at + 1 :]]))
    return frozenset(forms - {name})


def _inflect(parse, head, case: str = "nomn") -> str:
    grammemes = {case, head.tag.number or "sing"}
    if parse is not head and head.tag.number != "plur" and head.tag.gender:
        grammemes.add(head.tag.gender)
    # An organisation is inanimate: "Харбинский … университет", not "Харбинского …", in accs.
    inflected = (case == "accs" and parse.inflect(grammemes | {"inan"})) or parse.inflect(grammemes)
    return inflected.word if inflected else parse.word


def _cased(word: str, written: str) -> str:
    if written.isupper() and len(written) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if written[:1].isupper() else word
