"""The curated file corpus/partners.toml: what staff know that the rules cannot."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from indexer.ingest.text import clean_line

CURATED_FILE = "partners.toml"


@lru_cache(maxsize=262144)  # names repeat across digests and builds
def key(name: str) -> str:
    """Names that differ only in case, spacing, apostrophes, hyphens or company suffixes."""
    name = re.sub(r"\b(co|ltd|inc|llc)\b\.?", "", name.lower())
    return re.sub(r"[^\w]", "", name.replace("ё", "е"))


class CuratedError(ValueError):
    """partners.toml cannot be read; the message names the line."""


@dataclass(frozen=True)
class Curated:
    """What staff wrote in corpus/partners.toml."""

    partners: tuple[tuple[str, tuple[str, ...]], ...] = ()
    own: frozenset[str] = frozenset()  # keys of our own units' names
    units: tuple[str, ...] = ()  # the kinds of unit we have: "Institute of …", "… Office"
    ignore: frozenset[str] = frozenset()  # keys of names that are not organisations
    dismissed: frozenset[tuple[str, str]] = frozenset()  # review suggestions staff turned down

    @cached_property
    def names(self) -> frozenset[str]:
        """Keys of every name of the [[partner]] entries."""
        return frozenset(key(n) for name, aliases in self.partners for n in (name, *aliases))

    @classmethod
    def load(cls, corpus: Path) -> Curated:
        """The file's content; CuratedError saying what and where when it is not valid TOML in
        UTF-8 or holds a value of the wrong type (a hand edit may do either)."""
        path = corpus / CURATED_FILE
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as error:
            raise CuratedError(f"{CURATED_FILE}: not UTF-8 (byte {error.start}); save it as "
                               "UTF-8") from error  # fmt: skip
        except tomllib.TOMLDecodeError as error:
            raise CuratedError(f"{CURATED_FILE}: {error}") from error
        own, ignore, review = (_table(data, name) for name in ("own", "ignore", "review"))
        return cls(
            tuple(_partner(entry, n) for n, entry in enumerate(_list(data, "partner", "")[1], 1)),
            frozenset(key(n) for n in _names(own, "names", "[own]")),
            _names(own, "units", "[own]"),
            frozenset(key(n) for n in _names(ignore, "names", "[ignore]")),
            frozenset(_pair(pair) for pair in _list(review, "dismissed", "[review]")[1]),
        )


def _table(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise CuratedError(f"{CURATED_FILE}: [{name}] must be a table, not {_kind(value)}")
    return value


def _list(table: dict, name: str, where: str) -> tuple[str, list]:
    label = f"{where} {name}".strip()
    value = table.get(name, [])
    if not isinstance(value, list):
        raise CuratedError(f"{CURATED_FILE}: {label} must be a list, not {_kind(value)}")
    return label, value


def _names(table: dict, name: str, where: str) -> tuple[str, ...]:
    label, values = _list(table, name, where)
    if not all(isinstance(v, str) for v in values):
        raise CuratedError(f"{CURATED_FILE}: {label} must hold names in quotes")
    return tuple(clean_line(v) for v in values)


def _partner(entry, number: int) -> tuple[str, tuple[str, ...]]:
    where = f"[[partner]] number {number}"
    if not isinstance(entry, dict):
        raise CuratedError(f"{CURATED_FILE}: {where} must be a table")
    if not isinstance(entry.get("name"), str) or not clean_line(entry["name"]):
        raise CuratedError(f"{CURATED_FILE}: {where} needs a name in quotes")
    return clean_line(entry["name"]), _names(entry, "aliases", f"{where}:")


def _pair(pair) -> tuple[str, str]:
    if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, str) for n in pair)):
        raise CuratedError(f"{CURATED_FILE}: [review] dismissed must hold pairs of names")
    return tuple(sorted(pair))


def _kind(value) -> str:
    return {int: "a number", float: "a number", bool: "true or false", str: "text",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)  # fmt: skip
