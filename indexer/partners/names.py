"""Partners of the whole corpus: names the rules find, kept when they name a partner, and
merged only on evidence, each merge saying why.

Evidence: the curated file; a definition in the text ("Full Name (ACR)", "ACR (Full Name)");
the same name after normalisation (case, spacing, apostrophes, suffixes); the same name in
another script (nameforms' keys: "Сианьский технологический университет" = "Xi'an
Technological University"); one typo in a long name, in a word of five letters or more.
A name extended by a person's name or a headline's words ("Russian Academy of Sciences Andrei
RUDSKOI") is cut to the name it extends; a leading country word goes ("China Tsinghua
University").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.index.nameforms import HAN, name_identity, pinyin_of_hanzi, script_of
from indexer.ingest.digest import slugify
from indexer.partners.curated import CURATED_FILE, Curated, key
from indexer.partners.english import (
    ORG_WORDS,
    find_definitions,
    find_introduced,
    find_organisations,
)
from indexer.partners.kinds import (
    is_country,
    is_event,
    is_generic,
    is_joint,
    is_own_name,
    is_place,
    is_ranking,
    is_russian_state,
    is_state_body,
    is_unit_name,
    is_unit_shaped,
)
from indexer.partners.merger import Merger
from indexer.partners.russian import declensions, find_russian_names

__all__ = ["CURATED_FILE", "Curated", "Partner", "Registry", "find_definitions",
           "find_introduced", "find_names", "key", "partner_slug"]  # fmt: skip

_CONNECTORS = frozenset("of for and in on at".split())
_RUSSIAN_ORG_WORDS = frozenset(
    "университет институт колледж академия министерство департамент администрация "
    "правительство комитет компания корпорация центр школа ассоциация управление".split()
)


def find_names(text: str) -> list[str]:
    """Organisation names the rules see in a passage (English and Russian), in order."""
    english = [f.name for f in find_organisations(text)]
    return english + [n.name for n in find_russian_names(text)]


@lru_cache(maxsize=65536)
def partner_slug(name: str) -> str:
    """A readable id in Latin letters for a name in any script (Pinyin for characters)."""
    if HAN.search(name):
        name = re.sub(r"[\u4e00-\u9fff]+", lambda m: f" {pinyin_of_hanzi(m.group())} ", name)
    return slugify(name)


@dataclass
class Partner:
    """One organisation with all its names, why they are one, and where it is mentioned."""

    name: str
    names: set[str] = field(default_factory=set)
    searched: set[str] = field(default_factory=set)  # names and the forms the texts write
    mentions: list[dict] = field(default_factory=list)  # {passage_id, doc_id, date, as}
    # {how, name (the other name), text (in English), script?, doc_id?, passage_id?}
    evidence: list[dict] = field(default_factory=list)
    units: set[str] = field(default_factory=set)  # its units the texts name ("School of …")
    curated: bool = False
    slug: str = ""


class Registry:
    """Every digest's candidates, filtered and merged into partners."""

    def __init__(self, curated: Curated, identities: dict[str, list[str]] | None = None):
        """identities: each name's cross-script keys as a previous build found them (they
        are the slowest part of a directory to compute, and names change little)."""
        self.curated = curated
        self.identities: dict[str, frozenset[str]] = {
            name: frozenset(keys) for name, keys in (identities or {}).items()
        }
        self.counts: Counter[str] = Counter()  # name -> digests naming it
        self.forms: dict[str, set[str]] = {}  # name -> the forms the texts write it in
        self.ours: set[str] = set()  # keys the texts attach to us
        self.theirs: set[str] = set()  # keys the texts give another owner
        self.owners: dict[str, set[str]] = {}  # a unit's key -> the names of its owners
        self.definitions: list[tuple[str, str, str, str]] = []  # name, alias, doc, passage

    def add(self, doc_id: str, entry) -> None:
        """One digest's candidates (its manifest entry's orgs, ours, theirs, definitions)."""
        self.counts.update(set(entry.orgs))
        for name, forms in (entry.forms or {}).items():
            self.forms.setdefault(name, set()).update(forms)
        self.ours.update(key(n) for n in entry.ours)
        self.theirs.update(key(n) for n in entry.theirs)
        for unit, owner in getattr(entry, "units", ()):
            self.owners.setdefault(key(unit), set()).add(owner)
        self.definitions += [(n, a, doc_id, p) for n, a, p in entry.definitions]

    def partners(self) -> list[Partner]:
        """The partners, each with its names and the evidence that joined them."""
        canonical, units = self._canonical_names()
        merger = Merger()
        for number, (name, aliases) in enumerate(self.curated.partners):
            merger.add(name, entry=number)
            for alias in aliases:
                merger.join(name, alias, {"how": "curated", "text": f"{CURATED_FILE} lists it"})
        for name in sorted(set(canonical.values())):
            merger.add(name)
        self._join_definitions(merger, canonical)
        self._join_alike(merger)
        return self._build(merger, canonical, units)

    def _canonical_names(self) -> tuple[dict[str, str], dict[str, str]]:
        """Each found name -> the partner name it stands for (names of no partner left out),
        and each unit of a partner -> its owner's name."""
        names = sorted(self.counts, key=lambda n: (len(n.split()), n))
        kept: dict[str, str] = {}
        units: dict[str, str] = {}
        for name in names:
            core = _core(name, kept)
            if core is not None:
                kept[name] = kept[core]
            elif (owner := self.partner_owning(name)) is not None:
                units[name] = owner
            elif self.is_partner_name(name):
                kept[name] = name
        every = dict.fromkeys(names)
        for name in list(kept):  # a name extending one of no partner ("… Supports …") goes too
            if (core := _core(name, every)) and core not in kept:
                del kept[name]
        return kept, {unit: kept[owner] for unit, owner in units.items() if owner in kept}

    def partner_owning(self, name: str) -> str | None:
        """The partner a unit belongs to, when the texts give it one and the unit has no name
        of its own standing ("School of Marxism" of Tsinghua University); an office of a
        government is a body of its own ("Office of Foreign Affairs of the … Government")."""
        owners = [o for o in sorted(self.owners.get(key(name), ())) if self.is_partner_name(o)]
        listed = key(name) in self.curated.own or key(name) in self.curated.names
        if not owners or not is_unit_name(name) or listed or is_joint(name):
            return None  # staff listed it, or a structure we run with the owner
        return None if any(is_state_body(o) for o in owners) else owners[0]

    def identity(self, name: str) -> frozenset[str]:
        if name not in self.identities:
            self.identities[name] = name_identity(name)
        return self.identities[name]

    def is_partner_name(self, name: str) -> bool:
        k = key(name)
        if not k or k in self.curated.ignore or self.is_own(name):
            return False
        if is_event(name) or is_place(name) or is_ranking(name) or is_russian_state(name):
            return False
        # A joint structure is named by its kind ("Joint Polytechnic Institute"), as nothing else.
        return is_joint(name) or not is_generic(name, ORG_WORDS | _RUSSIAN_ORG_WORDS)

    def is_own(self, name: str, depth: int = 0) -> bool:
        """Ours: by name, by the curated list, attached to us or to a unit of ours, or a unit
        with no owner."""
        k = key(name)
        owners = self.owners.get(k, ())
        if depth < 3 and owners and all(self.is_own(o, depth + 1) for o in owners):
            return True  # "Department of … of the Institute of Energy"
        if is_joint(name) or (k in self.theirs and k not in self.ours):
            return k in self.curated.own
        if k in self.curated.own or k in self.ours or is_own_name(name):
            return True
        return is_unit_shaped(name, self.curated.units) and k not in self.theirs

    def _join_definitions(self, merger: Merger, canonical: dict[str, str]) -> None:
        for name, alias, doc_id, passage_id in self.definitions:
            if name in canonical and self.is_partner_name(alias):
                text = f"defined as '{alias}' in {doc_id}"
                where = {"doc_id": doc_id, "passage_id": passage_id}
                said = {"how": "definition", "name": alias, "text": text, **where}
                merger.join(canonical[name], alias, said)

    def _join_alike(self, merger: Merger) -> None:
        """Names equal in another script, or one typo apart."""
        names = sorted(merger.names())
        by_identity: dict[frozenset[str], str] = {}
        for name in names:
            identity = self.identity(name)
            # Two generic words say too little ("Research Institute"); three are a name
            # translated word by word ("Совместный политехнический институт").
            if len(identity) >= 3 or (len(identity) == 2 and not _all_generic(identity)):
                if identity in by_identity:
                    merger.join(by_identity[identity], name, _alike(by_identity[identity], name))
                by_identity.setdefault(identity, name)
        # Names one word apart share the name with that word left out: compared only so.
        by_rest: dict[tuple, list[str]] = {}
        for name in (n for n in names if len(key(n)) >= 12):
            words = _plain_words(name)
            for i in range(len(words)):
                by_rest.setdefault((i, *words[:i], *words[i + 1 :]), []).append(name)
        for (position, *_), group in by_rest.items():
            for one, other in _typo_candidates(group, position):
                if _one_typo(one, other):
                    text = f"one letter apart: '{other}'"
                    merger.join(one, other, {"how": "typo", "name": other, "text": text})

    def _build(self, merger: Merger, canonical: dict[str, str],
               units: dict[str, str]) -> list[Partner]:  # fmt: skip
        curated_names = {name for name, _ in self.curated.partners}
        written: dict[str, set[str]] = {}  # partner name -> the names and forms standing for it
        for name, target in canonical.items():
            written.setdefault(target, set()).update((name, *self.forms.get(name, ())))
        owned: dict[str, set[str]] = {}
        for unit, owner in units.items():
            owned.setdefault(owner, set()).add(unit)
        partners = []
        for group, evidence in merger.groups():
            main = next((n for n in group if n in curated_names), None) or max(
                group, key=lambda n: (self.counts[n], script_of(n) == "latin", len(n))
            )
            searched = set(group).union(*(written.get(n, ()) for n in group))
            # A name staff gave, never seen by the rules: looked up in every Russian case.
            searched.update(*(declensions(n) for n in group if n not in self.forms))
            evidence = list({(e["how"], e["text"]): e for e in evidence}.values())
            partners.append(Partner(main, set(group), searched, evidence=evidence,
                                    units=set().union(*(owned.get(n, ()) for n in group)),
                                    curated=bool(curated_names & set(group))))  # fmt: skip
        _assign_slugs(partners)
        return sorted(partners, key=lambda p: p.name.lower())


def _core(name: str, known: dict[str, str]) -> str | None:
    """The known name this one extends by words glued after it, or by a leading country."""
    words = name.split()
    for n in range(len(words) - 1, 1, -1):
        prefix = " ".join(words[:n])
        if prefix in known and words[n].lower() not in _CONNECTORS and words[n] not in ("&",):
            return prefix
    if len(words) > 2 and is_country(words[0]) and " ".join(words[1:]) in known:
        return " ".join(words[1:])
    return None


def _all_generic(identity: frozenset[str]) -> bool:
    return all(k.startswith("org:") for k in identity)


def _alike(one: str, other: str) -> dict:
    if script_of(one) != script_of(other):
        label = _script_label(other)
        return {"how": "script", "name": other, "script": script_of(other),
                "text": f"same name in {label}: '{other}'"}  # fmt: skip
    return {"how": "order", "name": other, "text": f"same words in another order: '{other}'"}


_TYPO_WORD = 5  # letters a word needs before one typo in it can join two names


def _typo_candidates(group: list[str], position: int) -> list[tuple[str, str]]:
    """Pairs of names of a group (equal but for the word at position) whose differing words
    share a form with one letter deleted: every pair one edit apart is among them, and a group
    of thousands ("… University" with the first word left out) is not compared pair by pair."""
    buckets: dict[str, list[str]] = {}
    for name in group:
        word = _plain_words(name)[position]
        if len(word) < _TYPO_WORD:  # _one_typo never joins shorter words
            continue
        for form in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
            buckets.setdefault(form, []).append(name)
    pairs = {tuple(sorted((one, other))) for names in buckets.values()
             for i, one in enumerate(names) for other in names[i + 1 :]}  # fmt: skip
    return sorted(pairs)


@lru_cache(maxsize=65536)
def _one_typo(one: str, other: str) -> bool:
    """One letter apart in one word of five letters or more, every other word equal: "Tsingua
    University" = "Tsinghua University"; never two different names ("Xi'an Jiaotong")."""
    a, b = _plain_words(one), _plain_words(other)
    if len(a) != len(b) or key(one) == key(other):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    if min(len(x), len(y)) < _TYPO_WORD:
        return False
    from rapidfuzz.distance import DamerauLevenshtein  # loaded for a build, not for searches

    return DamerauLevenshtein.distance(x, y) == 1


@lru_cache(maxsize=65536)
def _plain_words(name: str) -> tuple[str, ...]:
    return tuple(re.sub(r"\b(co|ltd|inc|llc)\b\.?", "", name.lower()).split())


def _script_label(name: str) -> str:
    return {"han": "characters", "cyrillic": "Russian", "latin": "English"}[script_of(name)]


def _assign_slugs(partners: list[Partner]) -> None:
    """Slugs unique and stable: the name's, then -2, -3 in the order of the names."""
    taken: Counter[str] = Counter()
    for partner in sorted(partners, key=lambda p: (not p.curated, p.name)):
        base = partner_slug(partner.name)
        taken[base] += 1
        partner.slug = base if taken[base] == 1 else f"{base}-{taken[base]}"
