"""Merges the rules did not make but staff may want: similar names, acronyms, other scripts."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from indexer.index.nameforms import name_identity, script_of
from indexer.partners.curated import Curated, key
from indexer.partners.english import ORG_WORDS, abbreviates
from indexer.partners.kinds import GENERIC_WORDS, is_place

MIN_SIMILARITY = 85  # rapidfuzz token_set_ratio of two names, 0-100
MAX_SUGGESTIONS = 200
_REASONS = {"mentions": "more mentions ({one} against {other})", "english": "the name in English",
            "fuller": "the fuller name"}  # fmt: skip
_SMALL = frozenset("of and for the on in at".split())
_PLACE_WORDS = frozenset("st petersburg saint city province".split())
_COMMON = (
    ORG_WORDS
    | GENERIC_WORDS
    | frozenset(
        "of and for the on in science sciences technology technological technical engineering "
        "education economics research innovation information".split()
    )
)


_WHY = {"acronym": "'{one}' may stand for '{other}'",
        "script": "the same name in another script: '{one}' and '{other}'",
        "similar": "similar names: '{one}' and '{other}'"}  # fmt: skip


@dataclass(frozen=True)
class Suggestion:
    """Two partners that may be one, and why; merging keeps the first (one) and its name."""

    one: str  # slug of the partner that remains
    one_name: str
    other: str  # slug of the partner merged into it
    other_name: str
    why: str  # in English; kind and pair say it in any language
    kind: str  # "acronym", "script" or "similar"
    pair: tuple[str, str]  # the two names that look alike
    score: float
    keeps: str  # why one's name is the one that remains
    reason: str  # the same as a word: "mentions", "english" or "fuller"
    one_mentions: int
    other_mentions: int

    def to_json(self) -> dict:
        return asdict(self)


def suggestions(partners: list[dict], curated: Curated) -> list[Suggestion]:
    """Suggested merges, best first, without the pairs staff dismissed."""
    names = [_Name(p, n) for p in partners for n in [p["name"], *p["names"]]]
    found: dict[tuple[str, str], Suggestion] = {}
    for one, other, kind, score in [*_acronyms(names), *_scripts(names), *_similar(names)]:
        if one.partner["slug"] == other.partner["slug"]:
            continue
        pair = tuple(sorted((one.partner["slug"], other.partner["slug"])))
        names = tuple(sorted((one.partner["name"], other.partner["name"])))
        if pair not in found and names not in curated.dismissed:
            (keeper, merged), reason = _keeper(one.partner, other.partner)
            keeps = f"'{keeper['name']}' remains: " + _REASONS[reason].format(
                one=keeper["mentions"], other=merged["mentions"])  # fmt: skip
            why = _WHY[kind].format(one=one.text, other=other.text)
            found[pair] = Suggestion(keeper["slug"], keeper["name"], merged["slug"],
                                     merged["name"], why, kind, (one.text, other.text), score,
                                     keeps, reason, keeper["mentions"],
                                     merged["mentions"])  # fmt: skip
    return sorted(found.values(), key=lambda s: (-s.score, s.one))[:MAX_SUGGESTIONS]


def _keeper(a: dict, b: dict) -> tuple[tuple[dict, dict], str]:
    """Which of two partners remains when merged, and why: the one mentioned more, then the
    one named in English (the directory's main names are), then the longer (fuller) name."""
    latin = {p["slug"]: script_of(p["name"]) == "latin" for p in (a, b)}
    ranked = sorted((a, b), key=lambda p: (p["mentions"], latin[p["slug"]], len(p["name"]),
                                           p["name"]), reverse=True)  # fmt: skip
    keeper, merged = ranked
    if keeper["mentions"] != merged["mentions"]:
        reason = "mentions"
    else:
        reason = "english" if latin[keeper["slug"]] != latin[merged["slug"]] else "fuller"
    return (keeper, merged), reason


@dataclass(frozen=True)
class _Name:
    partner: dict
    text: str

    @property
    def words(self) -> frozenset[str]:
        return frozenset(k for k in name_identity(self.text) if not k.startswith("org:"))

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(k for k in name_identity(self.text) if k.startswith("org:"))

    @property
    def distinctive(self) -> str:
        """The words that tell this organisation from others ("Tangshan Oriental"); a place
        alone tells nothing ("… of St. Petersburg" is in many names)."""
        words = re.findall(r"[\w'’&-]+", self.text.replace("St.", "St"))
        kept = " ".join(w for w in words if w.lower() not in _COMMON and not w.isdigit())
        return kept if _telling_words(kept) else ""

    @property
    def cyrillic(self) -> bool:
        return script_of(self.text) == "cyrillic"


def _similar(names: list[_Name]):
    """Names whose distinctive words are alike ("Tsingua", "Tsinghua"), or those of one within
    the other's ("SCO Institute", "SCO Institute of Commerce and Economics"); words every
    university shares do not count, nor a city alone ("Shanghai University")."""
    from rapidfuzz import fuzz, process  # loaded for the review page only

    distinctive = [n.distinctive for n in names]
    scores = process.cdist(distinctive, distinctive, scorer=fuzz.token_sort_ratio,
                           score_cutoff=MIN_SIMILARITY)  # fmt: skip
    for i, j in zip(*scores.nonzero(), strict=True):
        alike = key(names[i].text) != key(names[j].text) and _telling(distinctive[i])
        if i < j and alike and _same_telling_words(distinctive[i], distinctive[j]):
            # below an acronym's or another script's evidence (95, 90): alike is less
            yield names[i], names[j], "similar", min(float(scores[i, j]), 89.0)
    by_word: dict[str, list[int]] = {}
    for i, text in enumerate(distinctive):
        for word in set(text.split()):
            by_word.setdefault(word, []).append(i)
    for i, text in enumerate(distinctive):
        words = set(text.split())
        if not _telling(text) or not (len(words) >= 2 or text.isupper()):
            continue
        for j in {j for word in words for j in by_word[word]}:
            if words < set(distinctive[j].split()):
                yield names[i], names[j], "similar", 88.0


def _telling_words(distinctive: str) -> list[str]:
    """Distinctive words besides places, lower case."""
    return [w for w in distinctive.lower().split() if not is_place(w) and w not in _PLACE_WORDS]


def _same_telling_words(one: str, other: str) -> bool:
    """The words besides places alike, one letter apart at most in each ("Tsingua")."""
    from rapidfuzz.distance import DamerauLevenshtein

    a, b = sorted(_telling_words(one)), sorted(_telling_words(other))
    return len(a) == len(b) and all(
        DamerauLevenshtein.distance(x, y) <= (1 if len(x) >= 5 else 0)
        for x, y in zip(a, b, strict=True)
    )


def _telling(distinctive: str) -> bool:
    return bool(distinctive) and not all(is_place(w) for w in distinctive.split())


def _acronyms(names: list[_Name]):
    """An acronym made of every initial of a name ("ATURC"), not of some ("STU" is not
    "Association of Sino-Russian Technical Universities")."""
    for short in names:
        if short.text.isupper() and " " not in short.text:
            for other in names:
                if other is not short and _initials_of(short.text, other.text):
                    yield short, other, "acronym", 95.0


def _initials_of(acronym: str, name: str) -> bool:
    words = [w for w in re.split(r"[\s\-&]+", name) if w and w.lower() not in _SMALL]
    initials = "".join(w[0] for w in words).lower()
    return abbreviates(acronym, name) and initials == acronym.lower()


def _scripts(names: list[_Name]):
    """Names in two scripts whose distinctive words meet although one has more of them."""
    by_word: dict[str, list[_Name]] = {}
    for name in names:
        for word in name.words:
            by_word.setdefault(word, []).append(name)
    for name in names:
        for word in name.words:
            for other in by_word[word]:
                if name.cyrillic and not other.cyrillic and _contained(name, other):
                    yield name, other, "script", 90.0


def _contained(one: _Name, other: _Name) -> bool:
    """One name's words and kinds of organisation within the other's, and the shorter one
    not a single word of a long name (Цинхуа is not every school of Tsinghua)."""
    small, large = sorted((one, other), key=lambda n: len(n.words))
    fits = small.words <= large.words and (small.kinds <= large.kinds or large.kinds <= small.kinds)
    return fits and (len(small.words) >= 2 or len(large.words) <= 2)
