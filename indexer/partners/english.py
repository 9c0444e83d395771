"""Organisation names in English text, found by rules.

A run of capitalised words holding an organisation word (University, Institute, Government,
Association, Park...), cut to the name around it: titles before it and a person's name after it
go ("Rector of Zhejiang Technical University Li Xiaonian", "Russian Academy of Sciences Andrei
RUDSKOI"); "A and B" and "Unit of Owner" name two bodies when both sides are headed by an
organisation word. Companies the text introduces ("the company USV", "Huawei (PRC)", «Friendship
Bridge» company, "Globus International Ltd.") and acronyms it defines ("Full Name (ACR)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.partners.kinds import is_own_name, is_place, is_unit_name
from indexer.partners.people import starts_person

ORG_WORDS = frozenset(
    "university universities college institute school academy center centre corporation "
    "company group government ministry department polytechnic bureau committee administration "
    "agency commission association network organization organisation foundation fund park "
    "office council federation society consortium alliance union laboratory holding bank "
    "enterprise".split()
)
_CONNECTORS = frozenset("of and for the on".split())
_PLACE_KINDS = frozenset("city province municipality region county district".split())
_LEADING = frozenset("for of and on the a an at in by with from to as".split())
_TITLES = frozenset(
    "rector professor prof director head president secretary deputy dean mr mrs ms dr vice "
    "general manager chairman chair coordinator the a an at in from with by to".split()
)
_SUFFIXES = ("Co.", "Ltd.", "Ltd", "Inc.", "LLC", "ltd.", "co.", "St.", "GmbH")
_COMPANY_SUFFIXES = frozenset({"Co.", "Ltd.", "Ltd", "Inc.", "LLC", "GmbH"})
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
_TOKEN = re.compile(r"[\w][\w'’\-.&]*[\w.]|[\w]|[(),;:«»“”\"—–]")
_PARENTHESIS = re.compile(r"\(([^()]{2,120})\)")
_LOCATION_TAIL = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][\w'’-]*\s+(?:Province|Region|City)$")
_INTRODUCED = (
    re.compile(r"\b(?:company|corporation|firm|group),?\s+([A-Z][A-Za-z]{1,9})\b"),
    re.compile(r"\bthe\s+([A-Z]{3,9})\s+(?:network|company|corporation|group|consortium)\b"),
    re.compile(r"\b([A-Z][A-Za-z]{2,20})\s+\((?:PRC|China|P\.\s?R\.\s?China)\)"),
    re.compile(r"[«“\"]([A-Z][^«»“”\"]{1,60})[»”\"]\s+(?:company|corporation|group|holding)\b"),
    re.compile(r"\b(?:company|corporation)\s+[«“\"]([A-Z][^«»“”\"]{1,60})[»”\"]"),
)
_APPOSITION = re.compile(
    r",\s+(?:the\s+)?([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})(?=\s+(?:in|on|at|to|and|for)\b|[.,;)]|$)"
)
_CITY_GOVERNMENT = re.compile(r"\b([A-Z][\w'’-]+)\s+(city|municipal|provincial)\s+government\b")


@dataclass(frozen=True)
class Found:
    """A name found in a text, and whose it is when the text says: "ours" ("SPbPU's …",
    "… of SPbPU") or "theirs" ("… of Tsinghua University"), with the owner's name (of)."""

    name: str
    owner: str | None = None
    of: str | None = None


def find_organisations(text: str) -> list[Found]:
    """Organisation names the rules see in English text, in order."""
    found, run = [], []
    for token in [*_TOKEN.findall(text), ","]:
        ends_sentence = (
            token.endswith(".") and token not in _SUFFIXES and not _INITIALS.match(token)
        )
        token = token.rstrip(".") if ends_sentence else token
        in_name = (
            _name_token(token)
            or (bool(run) and token.lower() in _CONNECTORS)
            or (
                token in _PLACE_KINDS and run[-1:] == ["the"]  # "… of the city of Tangshan"
            )
        )
        if in_name:
            run.append(token)
        if ends_sentence or not in_name:
            found += _names_in_run(run)
            run = []
    found += [Found(f"{m[1]} {m[2]} government") for m in _CITY_GOVERNMENT.finditer(text)]
    return [Found(_LOCATION_TAIL.sub("", f.name), f.owner or _apposed_owner(text, f.name), f.of)
            for f in found]  # fmt: skip


def _apposed_owner(text: str, name: str) -> str | None:
    """ "ours" for a unit's name the text follows with our own ("… Center for International
    Activity, SPbPU in order to"; not "Zhejiang University, SPbPU's partner")."""
    if not is_unit_name(name):
        return None
    at = text.find(name)
    match = _APPOSITION.match(text, at + len(name)) if at >= 0 else None
    return "ours" if match and is_own_name(match.group(1)) else None


def find_introduced(text: str) -> list[str]:
    """Names the text introduces as companies: "the company USV", "Huawei (PRC)"."""
    names = [m for pattern in _INTRODUCED for m in pattern.findall(text)]
    return [n.strip() for n in names if n.lower() not in ORG_WORDS and not is_place(n)]


def _name_token(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit() or token in _SUFFIXES


def _is_org_word(word: str) -> bool:
    return word.lower().rstrip(".") in ORG_WORDS


def _names_in_run(run: list[str]) -> list[Found]:
    """Cut a run of capitalised words at titles ("… and Director General of …"), then each
    part to the organisation names in it."""
    found, start = [], 0
    for i, token in enumerate([*run, "Head"]):
        if token.lower() in _TITLES and token[:1].isupper() and token.lower() not in ("the", "a"):
            found += _names_in_part(run[start:i])
            start = i + 1
    return found


def _names_in_part(run: list[str]) -> list[Found]:
    """Cut a run of capitalised words to the organisation names in it."""
    positions = [i for i, t in enumerate(run) if _is_org_word(t)]
    if not positions:
        return _company(run)
    start = positions[0]
    while (
        start > 0
        and run[start - 1].lower() not in _TITLES
        and (run[start - 1][:1].isupper() or (run[start - 1] in ("and", "&") and start > 1))
    ):
        start -= 1
    words = _cut_person(run[start : _chain_end(run, positions[-1] + 1)])
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    while words and words[0].lower() in _LEADING:  # "For Jiangsu Polytechnic University"
        words.pop(0)
    if len(words) < 2:  # "the Corporation", "University" alone name nobody
        return []
    return [name for part in _split_and(words) for name in _split_of(part)]


def _chain_end(run: list[str], end: int) -> int:
    """Extend a name over "of X", "for X", "and X" and company suffixes."""
    while (
        end + 1 < len(run)
        and run[end].lower() in ("of", "for", "and", "on")
        and (
            _continues(run[end + 1])
            or run[end + 1 : end + 3] in (["the", "city"], ["the", "province"])
        )
    ):
        end += 1
        while end < len(run) and (_continues(run[end]) or run[end] in ("the", *_PLACE_KINDS)):
            end += 1
    while end > 0 and run[end - 1] in ("the", *_PLACE_KINDS):
        end -= 1
    while end < len(run) and run[end] in _SUFFIXES:
        end += 1
    return end


def _continues(token: str) -> bool:
    return token[:1].isupper() and token.lower() not in _TITLES


def _cut_person(words: list[str]) -> list[str]:
    """Words up to a person's name that follows the organisation's (not inside "of …")."""
    last_org = max(i for i, w in enumerate(words) if _is_org_word(w))
    for i in range(last_org + 1, len(words)):
        if words[i - 1].lower() not in _CONNECTORS and starts_person(words[i:]):
            return words[:i]
    return words


def _company(run: list[str]) -> list[Found]:
    """Words ending in a company suffix name a company: "Globus International Ltd."."""
    ends = [i for i, token in enumerate(run) if token in _COMPANY_SUFFIXES]
    if not ends:
        return []
    start = end = ends[0]
    while start > 0 and run[start - 1][:1].isupper() and run[start - 1].lower() not in _TITLES:
        start -= 1
    return [Found(" ".join(run[start : end + 1]))] if end - start >= 1 else []


def _headed(words: list[str]) -> bool:
    """A part headed by an organisation word (before any "of"), or an acronym alone."""
    head = words[: words.index("of")] if "of" in words else words
    return (len(words) == 1 and _is_acronym(words[0])) or any(_is_org_word(w) for w in head)


def _is_acronym(word: str) -> bool:
    """ "JITRI", "SPbPU", "KhPU"; not "Cyber-Physical"."""
    capitals = sum(c.isupper() for c in word)
    return word.isalpha() and capitals >= 2 and capitals * 2 >= len(word)


def _split_and(words: list[str]) -> list[list[str]]:
    """'Tsinghua University and Zhejiang University' names two bodies; 'Road and Bridge',
    'Photonics and Precision Mechanics of the Academy' one."""
    parts, start = [], 0
    for i, word in enumerate(words):
        if word != "and":
            continue
        left = words[start:i]
        following = words[i + 1 :]
        segment = following[: following.index("and")] if "and" in following else following
        if following[:1] in (["the"], ["of"]):  # "… and the Belt&Road …", "A and of B"
            segment = following[1:]
        if segment and _headed(segment) and left and _headed(left):
            parts.append(left)
            start = i + 1
    parts.append(words[start:])
    return [part[1:] if part[0] in ("the", "of") else part for part in parts if part]


def _split_of(words: list[str]) -> list[Found]:
    """'Joint Polytechnic Institute of Xi'an University of Technology' names two bodies; so
    does 'Research Center … of the Chinese Academy of Sciences', kept whole beside its owner."""
    for i, word in enumerate(words):
        left, right = words[:i], words[i + 1 :]
        if word != "of" or len(left) < 2 or not _headed(left) or not right:
            continue
        owned_by = right[1:] if right[0] == "the" else right
        if not owned_by or not _headed(owned_by):
            continue
        owner = " ".join(owned_by)
        whose = "ours" if is_own_name(owner) else "theirs"
        if len(owned_by) == 1 and right[0] != "the":  # "Institute of Photonics … of CAS"
            return [Found(" ".join(left), whose, owner)]
        inner = _split_of(owned_by)
        if right[0] == "the":  # "… of the Academy": the unit's name holds its owner's
            return [Found(" ".join(words), whose, inner[0].name if inner else owner), *inner]
        return [Found(" ".join(left), whose, inner[0].name if inner else owner), *inner]
    if len(words) == 1:  # "University" alone names nobody; an acronym only where defined
        return []
    return [Found(" ".join(words))]


def find_definitions(text: str, finder=None) -> list[tuple[str, str]]:
    """(name, alias) pairs the text defines: "Full Name (ACR)" and "ACR (Full Name)", where
    the acronym's letters are the name's initials (never a place, a country or a ranking)."""
    finder = finder or (lambda t: [f.name for f in find_organisations(t)])
    pairs = []
    for match in _PARENTHESIS.finditer(text):
        before = text[max(match.start() - 160, 0) : match.start()].rsplit("(", 1)[-1].rstrip()
        before = before.rsplit(")", 1)[-1]
        inside = re.split(r"[;,]", match.group(1))[0].strip()
        if len(before) < 2 or not before.split():
            continue
        names_before = finder(before)
        last_word = before.split()[-1]
        if (
            names_before
            and abbreviates(inside, names_before[-1])
            and before.endswith(names_before[-1].split()[-1])
        ):
            pairs.append((names_before[-1], inside))
        elif (inside_names := finder(match.group(1))) and abbreviates(last_word, inside_names[0]):
            pairs.append((inside_names[0], last_word))
    return pairs


def abbreviates(acronym: str, name: str) -> bool:
    """True when the acronym's letters are, in order, initials of the name's words ("JITRI",
    "KRSU" for "Kyrgyz-Russian Slavic University", "ЦПУ"); "Xi'an", "QS20", "PRC" are not."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    if not (2 <= len(letters) <= 10) or sum(c.isupper() for c in acronym) < 2 or " " in acronym:
        return False
    if any(c.isdigit() for c in acronym) or is_place(acronym):
        return False
    initials = [w[0].lower() for w in re.split(r"[\s\-]+", name) if w and w[0].isalpha()
                and w.lower() not in _CONNECTORS]  # fmt: skip
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True
