"""Name forms across scripts: the keys under which a word meets its other spellings.

Чжэцзян = Zhejiang = 浙江, Сианьского = Xi'an, Peking = Beijing, Рудской = Rudskoi = Rudskoy,
университет = university. Two words meet when their key sets share a key (`name_keys`).

- Palladius (Russian Cyrillization of Chinese) ↔ Pinyin: the whole syllable table
  (data/palladius.toml, generated from pypinyin's syllables and its CYRILLIC style, which
  implements Palladius), read in both directions; Russian adjective and case endings on place
  names are taken off first.
- Characters → Pinyin with pypinyin (toneless, syllables joined as in names); pypinyin, 55 MB
  of dictionaries, is loaded only when a word in characters is met.
- Older romanizations and traditional Russian names: data/romanizations.toml.
- Russian → Latin for people and other names: every scheme iuliia implements.
- Organisation words in English, Russian and Chinese: data/organisation_words.toml.
- Confusable letters (a Latin "a" inside a Cyrillic word, and the reverse) are folded first,
  with confusable_homoglyphs' table.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import iuliia

DATA = Path(__file__).parent / "data"
MAX_KEYS = 24  # keys of one word at the most (a long Cyrillic name has many transliterations)
CYRILLIC = re.compile(r"[а-яё]")  # a letter of Russian, lower case
_LATIN = re.compile(r"[a-z]")
HAN = re.compile(r"[\u4e00-\u9fff]")  # a Chinese character
# Adjective endings on place names (Сианьский, Чжэцзянского, Шаньдунской…), longest first.
_ADJECTIVE = tuple(sorted((
    "ский", "ского", "скому", "ским", "ском", "ская", "ской", "скую", "ское", "ские", "ских",
    "скими",
), key=len, reverse=True))  # fmt: skip
# Noun case endings (в Сиане, из Харбина, Ханчжоу stays); a soft sign may have stood before.
_NOUN = ("ами", "ями", "ом", "ем", "ой", "ей", "ах", "ях", "а", "я", "у", "ю", "е", "и")
# Latin spellings of Russian names of six letters or more (China, Latin are not): their
# endings (Ivanov, Rudskoi, Andrei, Petrova, …) and
# the Cyrillic each piece may stand for, longest piece first (a reverse of the schemes above).
_RUSSIAN_NAME = re.compile(
    r"(ov|ev|yov|in|yn|sky|skiy|skii|skij|skoi|skoy|skoj|enko|ich|ova|eva|ina|aya|ei|ey|ej|ii|iy)$"
)
_REVERSE = {
    "shch": ("щ",), "sch": ("щ",), "zh": ("ж",), "kh": ("х",), "ts": ("ц",), "tz": ("ц",),
    "ch": ("ч",), "sh": ("ш",), "yu": ("ю",), "iu": ("ю",), "ya": ("я",), "ia": ("я",),
    "yo": ("ё", "йо"), "ye": ("е",), "oi": ("ой",), "oy": ("ой",), "oj": ("ой",), "ei": ("ей",),
    "ey": ("ей",), "ej": ("ей",), "ai": ("ай",), "ay": ("ай",), "ii": ("ий",), "iy": ("ий",),
    "ij": ("ий",), "yi": ("ый",), "yy": ("ый",), "a": ("а",), "b": ("б",), "c": ("ц", "к"),
    "d": ("д",), "e": ("е", "э"), "f": ("ф",), "g": ("г",), "h": ("х",), "i": ("и", "й"),
    "j": ("й", "ж"), "k": ("к",), "l": ("л",), "m": ("м",), "n": ("н",), "o": ("о",), "p": ("п",),
    "q": ("к",), "r": ("р",), "s": ("с",), "t": ("т",), "u": ("у",), "v": ("в",), "w": ("в",),
    "x": ("кс",), "y": ("ы", "й"), "z": ("з",),
}  # fmt: skip
# What Palladius spellings and Pinyin have and ordinary Russian and English words seldom do:
# "Путину" parses as пу-тин, "China" as chi-na, neither is a Chinese name.
_PALLADIUS_MARK = re.compile(r"нь|цз|чж|э|оу|уа|ао|яо|ай|эй|уй|ю|ся|сю|ци|цы|сы|жу|жэ")
_PINYIN_MARK = re.compile(r"zh|x|q|iang|iao|ian|uan|ong|eng|ang|ui|ou|ji|^wu|ei|ao")
_SMALL_WORDS = frozenset("of the and for on at in a an de и в на по им имени".split())


def script_of(text: str) -> str:
    """The script a name is written in: "han", "cyrillic" or "latin"."""
    if HAN.search(text):
        return "han"
    return "cyrillic" if CYRILLIC.search(text.lower()) else "latin"


def name_keys(word: str) -> frozenset[str]:
    """Every key of a word or name: lower-case Latin strings (Pinyin, transliterations, an
    organisation concept as "org:…"). A word with no other spelling has only itself."""
    word = fold_confusables(unicodedata.normalize("NFC", word)).lower().strip()
    word = word.replace("'", "").replace("’", "").replace("-", "")
    concept = organisation_concept(word)
    keys = [word, f"org:{concept}" if concept else None]
    if HAN.search(word):
        keys.append(pinyin_of_hanzi(word))
    elif CYRILLIC.search(word):
        keys.append(pinyin_of_cyrillic(word))
        keys += sorted(latin_forms(word), key=len)
    elif _LATIN.search(word):
        keys.append(modern_pinyin(word))
    return frozenset(list(dict.fromkeys(k for k in keys if k))[:MAX_KEYS])


@lru_cache(maxsize=65536)
def name_identity(name: str) -> frozenset[str]:
    """What a multi-word name is, whatever its script and word order: one canonical key a
    word (Pinyin, an organisation concept, a folded transliteration), small words left out.
    "Xi'an University of Technology" and "Сианьский технологический университет" are one."""
    found = set()
    for raw in re.findall(r"[\w'’-]+", unicodedata.normalize("NFC", name)):
        word = fold_confusables(raw).lower().replace("'", "").replace("’", "")
        # "Chinese-Russian", "китайско-российский": each part a word, unless the whole is one
        # ("научно-исследовательский", "Xi-an").
        parts = word.split("-")
        if organisation_concept(word) or not all(map(organisation_concept, parts)):
            parts = [word if organisation_concept(word) else word.replace("-", "")]
        for part in parts:
            if part and part not in _SMALL_WORDS:
                found.update(_canonical(piece) for piece in _han_parts(part))
    return frozenset(found)


def _han_parts(word: str) -> list[str]:
    """A name in characters with its organisation word apart (浙江大学: 浙江, 大学)."""
    if not HAN.search(word):
        return [word]
    for suffix in sorted((w for w in _concepts() if HAN.search(w)), key=len, reverse=True):
        if word.endswith(suffix) and len(word) > len(suffix):
            return [*_han_parts(word[: -len(suffix)]), suffix]
    return [word]


def _canonical(word: str) -> str:
    concept = organisation_concept(word)
    if concept:
        return f"org:{concept}"
    if HAN.search(word):
        return pinyin_of_hanzi(word) or word
    if CYRILLIC.search(word):
        pinyin = pinyin_of_cyrillic(word)
        return pinyin or _fold_latin(_ascii(iuliia.WIKIPEDIA.translate(word)))
    pinyin = modern_pinyin(word)
    if pinyin or _segmentations(word, limit=1):
        return pinyin or word
    return _fold_latin(word)


def _fold_latin(word: str) -> str:
    """Rudskoi = Rudskoy = Rudskoj, Andrei = Andrey: the letters transliterations disagree on."""
    return word.replace("kh", "h").replace("y", "i").replace("j", "i")


@lru_cache(maxsize=4096)
def is_chinese_name(word: str) -> bool:
    """True for a word that reads as a Chinese name: in characters, in Palladius, or in Pinyin
    or an older romanization with a capital."""
    lower = fold_confusables(word).lower().replace("'", "").replace("’", "")
    if HAN.search(lower) or (CYRILLIC.search(lower) and pinyin_of_cyrillic(lower)):
        return True
    pinyin = word[:1].isupper() and _PINYIN_MARK.search(lower) and _segmentations(lower, 1)
    return bool(modern_pinyin(lower)) or bool(pinyin)


@lru_cache(maxsize=4096)
def spellings(word: str, organisations: bool = True) -> tuple[str, ...]:
    """The ways a word may stand in digests written in other scripts, lower case, most likely
    first: Pinyin and its older forms, Palladius with the endings Russian puts on names,
    transliterations of a capitalised Russian word, and (organisations) an organisation word
    in the other languages."""
    folded = fold_confusables(unicodedata.normalize("NFC", word)).strip()
    lower = folded.lower().replace("'", "").replace("’", "")
    found: list[str] = []
    pinyin = None
    if HAN.search(lower):
        pinyin = pinyin_of_hanzi(lower)
    elif CYRILLIC.search(lower):
        pinyin = pinyin_of_cyrillic(lower)
        if folded[:1].isupper():  # a name: how Latin texts write it
            found += sorted(latin_forms(lower), key=len)
    elif _LATIN.search(lower):
        pinyin = modern_pinyin(lower) or (lower if is_chinese_name(folded) else None)
        if folded[:1].isupper() and len(lower) >= 6 and _RUSSIAN_NAME.search(lower):
            found += russian_spellings(lower)
    if pinyin:
        found.append(pinyin)
        found += [old for old, new in _romanizations()["older"].items() if new == pinyin]
        found += [form for base in cyrillic_of_pinyin(pinyin)[:2] for form in _declined(base)]
    concept = organisation_concept(lower) if organisations else None
    if concept:
        found += [w for w, c in _concepts().items() if c == concept]
    return tuple(form for form in dict.fromkeys(found) if form != lower)


@lru_cache(maxsize=4096)
def russian_spellings(word: str, limit: int = 32) -> tuple[str, ...]:
    """Cyrillic spellings a Latin spelling of a Russian name may stand for, checked back:
    each one's transliterations hold the word (Rudskoi → рудской; Andrei → андрей)."""
    candidates: list[str] = []

    def walk(rest: str, taken: str) -> None:
        if len(candidates) >= limit * 4:
            return
        if not rest:
            candidates.append(taken)
            return
        for size in (4, 3, 2, 1):
            for cyrillic in _REVERSE.get(rest[:size], ()) if len(rest) >= size else ():
                walk(rest[size:], taken + cyrillic)

    walk(word.lower(), "")
    target = _fold_latin(word.lower())
    checked = (c for c in candidates if target in {_fold_latin(f) for f in latin_forms(c)})
    return tuple(dict.fromkeys(checked))[:limit]


def _declined(base: str) -> list[str]:
    """A Cyrillic place name with the endings it takes (Сиань: Сианьский, Сиане, …)."""
    stem = base[:-1] if base.endswith("ь") else base
    nouns = [stem + e for e in ("а", "е", "у", "ом")] if base.endswith(("ь", "н")) else []
    return [base, *nouns, *(base + e for e in ("ский", "ского", "ском", "ской", "ская"))]


def fold_confusables(word: str) -> str:
    """A word written in one script with a letter of another that looks the same ("Сиaнь"
    with a Latin a) written in its own script throughout."""
    cyrillic = len(CYRILLIC.findall(word.lower()))
    latin = len(_LATIN.findall(word.lower()))
    if not cyrillic or not latin:
        return word
    script = "CYRILLIC" if cyrillic >= latin else "LATIN"
    return "".join(_in_script(char, script) for char in word)


def pinyin_of_cyrillic(word: str) -> str | None:
    """The Pinyin a Palladius spelling stands for, endings taken off ("Сианьского" → "xian"),
    or None for a word that is not one ("Сибирь")."""
    word = word.lower()
    traditional = _romanizations()["russian"]
    parses = []
    for stem in _stems(word):
        if stem in traditional:
            return traditional[stem]
        syllables = _segment(stem, _palladius())
        if syllables and (len(syllables) > 1 or len(stem) >= 3) and _PALLADIUS_MARK.search(stem):
            parses.append(syllables)
    if not parses and "е" in word and "э" not in word:
        return pinyin_of_cyrillic(word.replace("е", "э"))  # "Чжецзян", written for "Чжэцзян"
    # "Сиане" reads as си-а-не too; the stem in fewest syllables (си-ань) is the name.
    return "".join(min(parses, key=len)) if parses else None


def is_palladius(word: str) -> bool:
    """True for a word spelled in Palladius syllables as it stands, with no case ending taken
    off (Цинхуа, Уцин; not Цзяном)."""
    lower = word.lower()
    return bool(_PALLADIUS_MARK.search(lower)) and _segment(lower, _palladius()) is not None


def cyrillic_of_pinyin(word: str) -> list[str]:
    """Palladius spellings of a Pinyin name ("xian" → "сиань" as xi'an and "сянь" as xian)."""
    word = word.lower().replace("'", "").replace("’", "")
    spellings = []
    for syllables in _segmentations(word):
        spelling = "".join(_to_palladius()[s] for s in syllables)
        if spelling not in spellings:
            spellings.append(spelling)
    traditional = [ru for ru, py in _romanizations()["russian"].items() if py == word]
    return traditional + spellings


def pinyin_of_hanzi(text: str) -> str | None:
    """Chinese characters as toneless Pinyin joined as in names (浙江 → zhejiang)."""
    han = "".join(HAN.findall(text))
    if not han:
        return None
    from pypinyin import lazy_pinyin  # 55 MB of dictionaries: only when characters are met

    return "".join(lazy_pinyin(han))


def modern_pinyin(word: str) -> str | None:
    """The Pinyin of an older romanization (Peking → beijing), or None."""
    return _romanizations()["older"].get(word.lower())


EVERYDAY_SCHEMES = ("WIKIPEDIA", "ICAO_DOC_9303", "TELEGRAM", "MOSMETRO")  # kh, h; ks, x


@lru_cache(maxsize=4096)
def latin_forms(word: str, everyday: bool = False) -> frozenset[str]:
    """A Cyrillic word in every Latin transliteration iuliia knows (Рудской → rudskoy,
    rudskoi, rudskoj, …), folded to ASCII; everyday: in the EVERYDAY_SCHEMES only (each
    scheme iuliia loads costs memory in every search process)."""
    schemas = [getattr(iuliia, name) for name in EVERYDAY_SCHEMES] if everyday else _schemas()
    forms = {_ascii(schema.translate(word.lower())) for schema in schemas}
    return frozenset(form for form in forms if form.isascii() and form.isalpha())


def organisation_concept(word: str) -> str | None:
    """The concept an organisation word stands for in any language (университета →
    university), or None; a word derived from one stands for it too ("Polytechnical")."""
    word = word.lower()
    concepts = _concepts()
    if word in concepts or not word.endswith("ical"):
        return concepts.get(word)
    return concepts.get(word[:-2])


def organisation_words() -> frozenset[str]:
    """Every organisation word the concepts table holds, in every language."""
    return frozenset(_concepts())


def _stems(word: str) -> list[str]:
    """The word, then without an adjective ending, then without a noun ending (with and
    without the soft sign that may have stood before it)."""
    stems = [word]
    adjective = [word[: -len(e)] for e in _ADJECTIVE if word.endswith(e) and len(word) > len(e) + 1]
    # A name ending in -и takes -йский (Шаньси: шаньсийский), never a name in -ай (Шанхай).
    stems += adjective + [stem[:-1] for stem in adjective if stem.endswith("ий")]
    for ending in _NOUN:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stems += [word[: -len(ending)] + "ь", word[: -len(ending)]]
    return stems


def _segment(text: str, table: dict[str, str]) -> list[str] | None:
    """text as a sequence of table keys (fewest pieces), mapped to their values; None if none."""
    best: list[list[str] | None] = [[]] + [None] * len(text)
    longest = max(map(len, table))
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - longest), end):
            piece = text[start:end]
            if best[start] is not None and piece in table:
                candidate = [*best[start], table[piece]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[-1] or None


def _segmentations(word: str, limit: int = 4) -> list[list[str]]:
    """Up to `limit` ways to cut a Latin word into Pinyin syllables, fewest syllables first."""
    found: list[list[str]] = []

    def walk(rest: str, taken: list[str]) -> None:
        if len(found) >= limit * 4:
            return
        if not rest:
            found.append(taken)
            return
        for size in range(min(6, len(rest)), 0, -1):
            if rest[:size] in _to_palladius():
                walk(rest[size:], [*taken, rest[:size]])

    walk(word, [])
    fewest = min(map(len, found), default=0)
    # One more syllable than the fewest still reads a name: xi'an (2) beside xian (1).
    return sorted((f for f in found if len(f) <= fewest + 1), key=len)[:limit]


@cache
def _to_palladius() -> dict[str, str]:
    """Every toneless Pinyin syllable → its Palladius spelling (data/palladius.toml)."""
    return tomllib.loads((DATA / "palladius.toml").read_text(encoding="utf-8"))["syllables"]


def palladius_toml() -> str:
    """data/palladius.toml as it should read: its header, then the table from pypinyin."""
    header = (DATA / "palladius.toml").read_text(encoding="utf-8").split("[syllables]")[0]
    rows = "".join(f'{k} = "{v}"\n' for k, v in sorted(palladius_table().items()))
    return f"{header}[syllables]\n{rows}"


@cache
def hanzi_by_pinyin() -> dict[str, str]:
    """Toneless Pinyin syllable → the characters read so first (data/hanzi_by_pinyin.toml)."""
    return tomllib.loads((DATA / "hanzi_by_pinyin.toml").read_text(encoding="utf-8"))["syllables"]


def hanzi_toml() -> str:
    """data/hanzi_by_pinyin.toml as it should read: its header, then pypinyin's readings."""
    from pypinyin.pinyin_dict import pinyin_dict

    by_syllable: dict[str, str] = {}
    for code, readings in sorted(pinyin_dict.items()):
        first = _ascii(readings.split(",")[0].replace("ü", "v"))
        if HAN.match(chr(code)) and first.isalpha():
            by_syllable[first] = by_syllable.get(first, "") + chr(code)
    header = (DATA / "hanzi_by_pinyin.toml").read_text(encoding="utf-8").split("[syllables]")[0]
    rows = "".join(f'{k} = "{v}"\n' for k, v in sorted(by_syllable.items()))
    return f"{header}[syllables]\n{rows}"


def pinyin_syllables(word: str) -> list[str]:
    """A Pinyin name cut into its syllables, the fewest ([] when it is not Pinyin)."""
    cuts = _segmentations(word.lower().replace("'", "").replace("’", ""), limit=1)
    return cuts[0] if cuts else []


def palladius_table() -> dict[str, str]:
    """The table computed afresh from pypinyin: each syllable of its character dictionary
    (not the interjections m, n, ng) spelled by its CYRILLIC style."""
    from pypinyin import Style
    from pypinyin.pinyin_dict import pinyin_dict
    from pypinyin.style import convert

    syllables = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = _ascii(reading.replace("ü", "v"))
            if plain.isalpha() and re.search(r"[aeiouv]", plain):
                syllables.add(plain)
    table = {}
    for syllable in syllables:
        cyrillic = convert(syllable.replace("v", "ü"), Style.CYRILLIC, strict=True)
        if cyrillic and CYRILLIC.search(cyrillic):
            table[syllable] = cyrillic
    return table


@cache
def _palladius() -> dict[str, str]:
    """Palladius spelling → Pinyin syllable; where two syllables share a spelling, the one
    names use more (the shorter Pinyin) is kept."""
    reverse: dict[str, str] = {}
    for pinyin, cyrillic in sorted(_to_palladius().items(), key=lambda kv: (len(kv[0]), kv[0])):
        reverse.setdefault(cyrillic, pinyin.replace("v", "u"))
    return reverse


@cache
def _romanizations() -> dict[str, dict[str, str]]:
    return tomllib.loads((DATA / "romanizations.toml").read_text(encoding="utf-8"))


@cache
def _concepts() -> dict[str, str]:
    data = tomllib.loads((DATA / "organisation_words.toml").read_text(encoding="utf-8"))
    return {word: concept for concept, words in data["concepts"].items() for word in words}


@cache
def _schemas() -> tuple:
    return tuple(getattr(iuliia, name) for name in dir(iuliia) if name.isupper())


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@cache
def _in_script(char: str, script: str) -> str:
    """char itself when it belongs to script, else the look-alike of it that does."""
    if not char.isalpha() or unicodedata.name(char, "").startswith(script):
        return char
    from confusable_homoglyphs import confusables  # 15 MB: only for words that mix scripts

    found = confusables.is_confusable(char, preferred_aliases=[script.lower()]) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if glyph["n"].startswith(script):
                return glyph["c"]
    return char
