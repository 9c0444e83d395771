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
_COMMON = (
    ORG_WORDS
    | GENERIC_WORDS
    | frozenset(
        "of and for the on in science sciences technology technological technical engineering "
        "education economics research innovation information".split()
    )
)


@dataclass(frozen=True)
class Suggestion:
    """Two partners that may be one, and why."""

    one: str  # slug
    one_name: str
    other: str
    other_name: str
    why: str
    score: float

    def to_json(self) -> dict:
        return asdict(self)


def suggestions(partners: list[dict], curated: Curated) -> list[Suggestion]:
    """Suggested merges, best first, without the pairs staff dismissed."""
    names = [_Name(p, n) for p in partners for n in [p["name"], *p["names"]]]
    found: dict[tuple[str, str], Suggestion] = {}
    for one, other, why, score in [*_similar(names), *_acronyms(names), *_scripts(names)]:
        if one.partner["slug"] == other.partner["slug"]:
            continue
        pair = tuple(sorted((one.partner["slug"], other.partner["slug"])))
        names = tuple(sorted((one.partner["name"], other.partner["name"])))
        if pair not in found and names not in curated.dismissed:
            found[pair] = Suggestion(
                one.partner["slug"],
                one.partner["name"],
                other.partner["slug"],
                other.partner["name"],
                why,
                score,
            )
    return sorted(found.values(), key=lambda s: (-s.score, s.one))[:MAX_SUGGESTIONS]


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
        """The words that tell this organisation from others ("Tangshan Oriental")."""
        words = re.findall(r"[\w'’&-]+", self.text)
        return " ".join(w for w in words if w.lower() not in _COMMON and not w.isdigit())

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
        if i < j and key(names[i].text) != key(names[j].text) and _telling(distinctive[i]):
            yield names[i], names[j], _why(names[i], names[j]), float(scores[i, j])
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
                yield names[i], names[j], _why(names[i], names[j]), 88.0


def _telling(distinctive: str) -> bool:
    return bool(distinctive) and not all(is_place(w) for w in distinctive.split())


def _why(one: _Name, other: _Name) -> str:
    return f"similar names: '{one.text}' and '{other.text}'"


def _acronyms(names: list[_Name]):
    for short in names:
        if short.text.isupper() and " " not in short.text:
            for other in names:
                if other is not short and abbreviates(short.text, other.text):
                    yield short, other, f"'{short.text}' may stand for '{other.text}'", 95.0


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
                    why = f"the same name in another script: '{name.text}' and '{other.text}'"
                    yield name, other, why, 90.0


def _contained(one: _Name, other: _Name) -> bool:
    """One name's words and kinds of organisation within the other's, and the shorter one
    not a single word of a long name (Цинхуа is not every school of Tsinghua)."""
    small, large = sorted((one, other), key=lambda n: len(n.words))
    fits = small.words <= large.words and (small.kinds <= large.kinds or large.kinds <= small.kinds)
    return fits and (len(small.words) >= 2 or len(large.words) <= 2)
