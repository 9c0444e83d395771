"""The curated file corpus/partners.toml: what staff know that the rules cannot."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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

    @classmethod
    def load(cls, corpus: Path) -> Curated:
        """The file's content; CuratedError (with the line) when it is not valid TOML."""
        path = corpus / CURATED_FILE
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            partners = tuple(
                (str(entry["name"]), tuple(str(a) for a in entry.get("aliases", ())))
                for entry in data.get("partner", ())
            )
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, KeyError, TypeError) as error:
            raise CuratedError(f"{CURATED_FILE}: {_describe(error)}") from error
        return cls(
            partners,
            frozenset(key(n) for n in data.get("own", {}).get("names", ())),
            tuple(str(u) for u in data.get("own", {}).get("units", ())),
            frozenset(key(n) for n in data.get("ignore", {}).get("names", ())),
            frozenset(
                tuple(sorted(pair))
                for pair in data.get("review", {}).get("dismissed", ())
                if len(pair) == 2
            ),
        )


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"a [[partner]] entry has no {error}"
    return str(error)
