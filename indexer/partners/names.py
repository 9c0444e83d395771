"""Partners: organisation mentions found by rules, merged by aliases and the curated file.

Rules: a run of capitalised words holding an organisation word (University, College, Institute,
Government, Corporation...), cut to the name around it ("Rector of Zhejiang Technical
University Li Xiaonian" -> "Zhejiang Technical University"); acronyms and companies that the
text defines ("Full Name (ACR)", "ACR (Full Name)"), introduces ("the company USV") or that
corpus/partners.toml lists. Names differing in case, spacing, apostrophes or one typo merge.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.ingest.digest import slugify

CURATED_FILE = "partners.toml"
ORG_WORDS = frozenset(
    "university universities college institute school academy center centre corporation "
    "company group government ministry department polytechnic bureau committee administration "
    "agency commission".split()
)
_CONNECTORS = frozenset("of and for the".split())
_TITLES = frozenset(
    "rector professor prof director head president secretary deputy dean mr mrs dr vice "
    "general manager the a an at in from with by to".split()
)
_SUFFIXES = ("Co.", "Ltd.", "Ltd", "Inc.", "LLC", "ltd.", "co.", "St.")
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
# Our own university under any name: never a partner.
_OWN_PARTS = ("spbpu", "petersburgpolytechnic")
_OWN_NAMES = frozenset({"polytechnic", "polytech", "polytechnicuniversity", "thepolytechnic"})
_TOKEN = re.compile(r"[\w][\w'’\-.&]*[\w.]|[\w]|[(),;:«»“”\"]")
_PARENTHESIS = re.compile(r"\(([^()]{2,120})\)")
_INTRODUCED = re.compile(r"\b(?:company|corporation|firm|group),?\s+([A-Z][A-Za-z]{1,9})\b")
_LOCATION_TAIL = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][\w'’-]*\s+(?:Province|Region|City)$")


def key(name: str) -> str:
    """Names that differ only in case, spacing, apostrophes, hyphens or company suffixes."""
    name = re.sub(r"\b(co|ltd|inc|llc)\b\.?", "", name.lower())
    return re.sub(r"[^\w]", "", name.replace("ё", "е"))


@dataclass(frozen=True)
class Curated:
    """What staff wrote in corpus/partners.toml."""

    partners: tuple[tuple[str, tuple[str, ...]], ...] = ()
    own: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()

    @classmethod
    def load(cls, corpus: Path) -> Curated:
        path = corpus / CURATED_FILE
        if not path.exists():
            return cls()
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        partners = tuple(
            (entry["name"], tuple(entry.get("aliases", ()))) for entry in data.get("partner", ())
        )
        return cls(
            partners,
            frozenset(key(n) for n in data.get("own", {}).get("names", ())),
            frozenset(key(n) for n in data.get("ignore", {}).get("names", ())),
        )


def find_names(text: str) -> list[str]:
    """Organisation names the rules see in a passage, in order."""
    names, run = [], []
    for token in [*_TOKEN.findall(text), ","]:
        ends_sentence = (
            token.endswith(".") and token not in _SUFFIXES and not _INITIALS.match(token)
        )
        token = token.rstrip(".") if ends_sentence else token
        if _name_token(token) or (run and token.lower() in _CONNECTORS):
            run.append(token)
        if ends_sentence or not (_name_token(token) or (run and token.lower() in _CONNECTORS)):
            names += _names_in_run(run)
            run = []
    return [_LOCATION_TAIL.sub("", name) for name in names]


def _name_token(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit() or token in _SUFFIXES


def _names_in_run(run: list[str]) -> list[str]:
    """Cut a run of capitalised words to the organisation names in it."""
    positions = [i for i, t in enumerate(run) if t.lower().rstrip(".") in ORG_WORDS]
    if not positions:
        return []
    start = positions[0]
    while (
        start > 0
        and run[start - 1].lower() not in _TITLES
        and (run[start - 1][:1].isupper() or (run[start - 1] in ("and", "&") and start > 1))
    ):
        start -= 1
    end = positions[-1] + 1
    while (
        end + 1 < len(run)
        and run[end].lower() in ("of", "for", "and")
        and run[end + 1][:1].isupper()
    ):
        end += 2
        while end < len(run) and run[end][:1].isupper() and run[end].lower() not in _TITLES:
            end += 1
    while end < len(run) and run[end] in _SUFFIXES:
        end += 1
    words = run[start:end]
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    if len(words) < 2:  # "the Corporation", "University" alone name nobody
        return []
    return [name for part in _split_and(words) for name in _split_of(part)]


def _has_org(words: list[str]) -> bool:
    return any(w.lower().rstrip(".") in ORG_WORDS for w in words)


def _split_and(words: list[str]) -> list[list[str]]:
    """'Tsinghua University and Zhejiang University' names two bodies; 'Road and Bridge' one."""
    parts, start = [], 0
    for i, word in enumerate(words):
        if word != "and":
            continue
        left = words[start:i]
        following = words[i + 1 :]
        segment = following[: following.index("and")] if "and" in following else following
        acronym = len(left) == 1 and sum(c.isupper() for c in left[0]) >= 2
        if _has_org(segment) and (_has_org(left) or acronym):
            parts.append(left)
            start = i + 1
    parts.append(words[start:])
    return [[w for w in part if part[0] != "the" or w != "the"] for part in parts if part]


def _split_of(words: list[str]) -> list[str]:
    """'Joint Polytechnic Institute of Xi'an University of Technology' names two bodies."""
    for i, word in enumerate(words):
        left, right = words[:i], words[i + 1 :]
        if (word == "of" and len(left) >= 2 and left[-1].lower() in ORG_WORDS
                and right and right[0] != "the" and _has_org(right)):  # fmt: skip
            return [" ".join(left), *_split_of(right)]
    alone = len(words) == 1 and _has_org(words)  # "University" on its own names nobody
    return [] if alone else [" ".join(words)]


def find_definitions(text: str) -> list[tuple[str, str]]:
    """(name, alias) pairs the text defines: "Full Name (ACR)" and "ACR (Full Name)"."""
    pairs = []
    for match in _PARENTHESIS.finditer(text):
        before = text[max(match.start() - 120, 0) : match.start()].rsplit("(", 1)[-1].rstrip()
        before = before.rsplit(")", 1)[-1]
        inside = match.group(1).strip()
        if len(before) < 2:
            continue
        names_before = find_names(before)
        if names_before and before.rstrip().endswith(names_before[-1].split()[-1]):
            pairs.append((names_before[-1], inside))
        elif find_names(inside) and re.fullmatch(r"[A-Z][A-Za-z]{1,9}", before.split()[-1]):
            pairs.append((find_names(inside)[0], before.split()[-1]))
    return pairs


def find_introduced(text: str) -> list[str]:
    """Acronym-like names introduced as companies: "the Chinese company USV", "company, SIAMC"."""
    return _INTRODUCED.findall(text)


@dataclass
class Partner:
    """One organisation with all its names and where it is mentioned."""

    name: str
    names: set[str] = field(default_factory=set)
    mentions: list[dict] = field(default_factory=list)  # {passage_id, doc_id, date, as}
    curated: bool = False

    @property
    def slug(self) -> str:
        return slugify(self.name)


class Registry:
    """Partners of the whole corpus, built from every passage's text (aliases apply corpus-wide)."""

    def __init__(self, curated: Curated):
        self.curated = curated
        self.by_key: dict[str, Partner] = {}
        for name, aliases in curated.partners:
            self._merge([name, *aliases], display=name).curated = True

    def _merge(self, names: list[str], display: str | None = None) -> Partner | None:
        keys = [key(n) for n in names if key(n)]
        if not keys or any(self.is_own(k) or k in self.curated.ignore for k in keys):
            return None
        found = {id(p): p for k in keys if (p := self.by_key.get(k) or self._close(k))}
        partner = next(iter(found.values()), None) or Partner(display or names[0])
        for other in list(found.values())[1:]:  # names joining two partners merge them
            partner.names |= other.names
            partner.mentions += other.mentions
        partner.names.update(names)
        for name in partner.names:
            self.by_key[key(name)] = partner
        return partner

    def is_own(self, k: str) -> bool:
        own = k in self.curated.own or k in _OWN_NAMES
        return own or any(part in k for part in _OWN_PARTS)

    def _close(self, k: str) -> Partner | None:
        """A known name one typo away, for long names only (short ones are too easily alike)."""
        if len(k) < 12:
            return None
        return next(
            (p for other, p in self.by_key.items() if len(other) >= 12 and _one_edit(k, other)),
            None,
        )

    def learn_definition(self, name: str, alias: str) -> None:
        """A name and the alias the text gave it ("Full Name (ACR)")."""
        self._merge([name, alias])

    def learn_name(self, name: str) -> None:
        self._merge([name])

    def partners(self) -> list[Partner]:
        unique = {id(p): p for p in self.by_key.values()}
        return sorted(unique.values(), key=lambda p: p.name.lower())


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion, substitution or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = next((n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return (
        a[i + 1 :] == b[i + 1 :]
        or a[i:] == b[i + 1 :]
        or a[i + 1 :] == b[i:]
        or (a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :])
    )
