"""Union-find over partner names by key, keeping the evidence of every join."""

from __future__ import annotations

from indexer.partners.curated import key


class Merger:
    """Union-find over names by key, keeping the evidence of every join."""

    def __init__(self):
        self.parent: dict[str, str] = {}
        self.spellings: dict[str, list[str]] = {}  # key -> the names written under it
        self.evidence: dict[str, list[dict]] = {}
        self.entry: dict[str, int] = {}  # root -> the curated entry it holds

    def add(self, name: str, entry: int | None = None) -> str:
        k = key(name)
        if entry is not None:
            self.entry.setdefault(k, entry)
        if k not in self.parent:
            self.parent[k], self.spellings[k], self.evidence[k] = k, [name], []
        elif name not in self.spellings[k]:
            self.spellings[k].append(name)
            self.evidence[self._root(k)].append(
                {"how": "spelling", "name": name, "text": f"same name written '{name}'"}
            )
        return self._root(k)

    def names(self) -> list[str]:
        return [name for names in self.spellings.values() for name in names]

    def join(self, one: str, other: str, evidence: dict) -> None:
        """Join two names' partners; never two curated entries (staff split them apart)."""
        a, b = self.add(one), self.add(other)
        apart = a in self.entry and b in self.entry and self.entry[a] != self.entry[b]
        if a != b and not (apart and evidence["how"] != "curated"):
            if b in self.entry:
                self.entry.setdefault(a, self.entry.pop(b))
            self.parent[b] = a
            self.evidence[a] += [evidence, *self.evidence.pop(b)]

    def _root(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def groups(self) -> list[tuple[list[str], list[dict]]]:
        grouped: dict[str, list[str]] = {}
        for k, names in self.spellings.items():
            grouped.setdefault(self._root(k), []).extend(names)
        return [(sorted(names), self.evidence[root]) for root, names in grouped.items()]
