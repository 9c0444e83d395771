"""Take one recorded change back out of partners.toml as it is now, leaving every other change
in place: the pieces of the file it added (a partner entry, a name in a list) are removed and
the pieces it removed are put back, provided nothing has touched them since."""

from __future__ import annotations

import tomllib

from indexer.partners.curated import key

Piece = tuple[str, ...]  # ("partner", name, *aliases), ("own", name), ("dismissed", a, b) …

# the lists of names outside [[partner]]: piece kind -> (table, key)
_LISTS = {"own": ("own", "names"), "unit": ("own", "units"), "ignore": ("ignore", "names")}


class RevertConflict(ValueError):
    """The change's pieces were changed since; names: those they hold."""

    def __init__(self, names):
        super().__init__("changed since")
        self.names = tuple(dict.fromkeys(names))


def pieces(text: str) -> set[Piece]:
    """The file as a set of pieces, each of which a change adds or removes whole."""
    data = tomllib.loads(text)
    found = {("partner", e["name"], *e.get("aliases", [])) for e in data.get("partner", [])}
    for kind, (table, field) in _LISTS.items():
        found |= {(kind, name) for name in data.get(table, {}).get(field, [])}
    pairs = data.get("review", {}).get("dismissed", [])
    return found | {("dismissed", *sorted(pair)) for pair in pairs}


def changed_names(before: str, after: str) -> list[str]:
    """Every name in the pieces that differ between two states of the file."""
    old, new = pieces(before), pieces(after)
    return [name for piece in sorted(old ^ new) for name in piece[1:]]


def revert(before: str, after: str, current: str) -> str:
    """current without the change that turned before into after; RevertConflict when a piece
    it added is gone or altered, or when putting back what it removed would give one name to
    two partners."""
    removed, added = pieces(before) - pieces(after), pieces(after) - pieces(before)
    now = pieces(current)
    if missing := added - now:
        raise RevertConflict(n for piece in sorted(missing) for n in piece[1:])
    held = {key(n) for piece in now - added if piece[0] == "partner" for n in piece[1:]}
    restored = sorted(removed - now)
    if clash := [n for p in restored if p[0] == "partner" for n in p[1:] if key(n) in held]:
        raise RevertConflict(clash)
    if current == after:
        return before  # nothing changed since: the file exactly as it was
    import tomlkit  # loaded for a correction, not in every worker

    doc = tomlkit.parse(current)
    for new, old in _pairs(added, restored):
        _reset(doc, new, old)  # the same entry, edited back in place (its comments kept)
    paired = {p for pair in _pairs(added, restored) for p in pair}
    place = min((_drop(doc, p) for p in sorted(added - paired)), default=None)
    for piece in (p for p in restored if p not in paired):
        place = _put(doc, piece, place)
    return tomlkit.dumps(doc)


def _pairs(added: set[Piece], restored: list[Piece]) -> list[tuple[Piece, Piece]]:
    """Partner entries the change edited: an added one and a removed one sharing a name."""
    pairs, free = [], [p for p in restored if p[0] == "partner"]
    for new in sorted(p for p in added if p[0] == "partner"):
        names = {key(n) for n in new[1:]}
        old = next((p for p in free if names & {key(n) for n in p[1:]}), None)
        if old is not None:
            free.remove(old)
            pairs.append((new, old))
    return pairs


def _reset(doc, new: Piece, old: Piece) -> None:
    import tomlkit

    for entry in doc["partner"]:
        if ("partner", entry["name"], *entry.get("aliases", [])) == new:
            entry["name"] = old[1]
            if len(old) > 2:
                aliases = tomlkit.array()
                aliases.extend(old[2:])
                entry["aliases"] = aliases
            elif "aliases" in entry:
                del entry["aliases"]
            return


def _drop(doc, piece: Piece) -> int | None:
    """Remove one piece; for a partner entry, where it stood (a put-back entry goes there)."""
    kind = piece[0]
    if kind == "partner":
        entries = doc["partner"]
        for i, entry in enumerate(entries):
            if ("partner", entry["name"], *entry.get("aliases", [])) == piece:
                del entries[i]
                return i
        return None
    values = _values(doc, kind)
    target = list(piece[1:]) if kind == "dismissed" else piece[1]
    for i, value in enumerate(values):
        if (sorted(value) if kind == "dismissed" else value) == target:
            del values[i]
            break
    return None


def _put(doc, piece: Piece, place: int | None) -> int | None:
    """Add one piece back; a partner entry at place when given (the next goes after it)."""
    import tomlkit

    kind = piece[0]
    if kind != "partner":
        values = _values(doc, kind)
        values.append(list(piece[1:]) if kind == "dismissed" else piece[1])
        return place
    entry = tomlkit.table()
    entry["name"] = piece[1]
    if len(piece) > 2:
        entry["aliases"] = list(piece[2:])
    entries = doc.setdefault("partner", tomlkit.aot())
    if place is None or place >= len(entries):
        entries.append(entry)
        return None
    entries.insert(place, entry)
    return place + 1


def _values(doc, kind: str):
    import tomlkit

    table, field = _LISTS.get(kind, ("review", "dismissed"))
    return doc.setdefault(table, tomlkit.table()).setdefault(field, tomlkit.array())
