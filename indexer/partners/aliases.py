"""Partner names at query time: expand a name to all its aliases, filter and count by partner."""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from indexer.index.analysis import exact_forms
from indexer.partners.curated import key
from indexer.partners.linking import PartnerLinker

SUMMARY_KEYS = ("slug", "name", "names", "mentions", "digests", "first", "last")


class PartnerNames:
    """The partner directory of one generation, indexed for queries."""

    def __init__(self, directory: dict):
        self.partners = directory.get("partners", [])
        for partner in self.partners:  # what the build looked mentions up by: not needed here
            partner.pop("searched", None)
        self.error: str | None = directory.get("curated_error")  # partners.toml unreadable
        self.by_slug = {p["slug"]: p for p in self.partners}
        # Slugs once published: a partner's old address (spelling, rename, merge) finds it.
        self.redirects: dict[str, str] = {
            old: new for old, new in directory.get("redirects", {}).items() if new in self.by_slug
        }
        for old, new in self.redirects.items():
            self.by_slug.setdefault(old, self.by_slug[new])
        self.by_key: dict[str, dict] = {}
        for partner in self.partners:
            for name in [partner["name"], *partner["names"]]:
                self.by_key.setdefault(key(name), partner)
        # The words of every name, which "did you mean" never corrects.
        self.name_words = frozenset(
            w for p in self.partners for n in [p["name"], *p["names"]] for w in exact_forms(n)
        )
        self.by_passage: dict[str, list[str]] = {}
        for partner in self.partners:
            for mention in partner["passages"]:
                self.by_passage.setdefault(mention["passage_id"], []).append(partner["slug"])

    @cached_property
    def linker(self) -> PartnerLinker:
        """The directory's names by identity (made on the first query that needs it)."""
        return PartnerLinker(self.partners, self.by_key)

    def other_names(self, partner: dict, typed: str) -> list[str]:
        """Every name of a partner but the one typed."""
        return [n for n in [partner["name"], *partner["names"]] if key(n) != key(typed)]

    def expansions(self, typed_words: list[str], q: str) -> list[str]:
        """Other names of the partners a query names: the whole query, or one of its words
        (as typed); the names the query already holds are left out."""
        named = []
        whole = self.by_key.get(key(" ".join(typed_words)))
        if whole is not None:
            named.append(whole)
        named += [p for word in typed_words if (p := self.by_key.get(key(word))) is not None]
        typed = {key(q), *(key(word) for word in typed_words)}
        names = []
        for partner in {p["slug"]: p for p in named}.values():
            names += [n for n in [partner["name"], *partner["names"]] if key(n) not in typed]
        return names

    def summaries(self, q: str = "") -> list[dict]:
        """Partners without their passages, most mentioned first (the directory's listing);
        with q, those one of whose names holds it (search as you type)."""
        wanted = key(q)
        listed = [
            {k: p[k] for k in SUMMARY_KEYS}
            for p in self.partners
            if not wanted or any(wanted in key(n) for n in [p["name"], *p["names"]])
        ]
        return sorted(listed, key=lambda p: (-p["mentions"], p["name"].lower()))

    def find(self, slug_or_name: str) -> dict | None:
        """A partner by its slug or by one of its names (in any spelling key() folds)."""
        return self.by_slug.get(slug_or_name) or self.by_key.get(key(slug_or_name))

    def moved(self, slug: str) -> str | None:
        """The current slug of a partner whose slug this was, or None."""
        partner = self.by_slug.get(slug)
        return partner["slug"] if partner is not None and partner["slug"] != slug else None

    def passage_ids(self, slug: str) -> list[str] | None:
        partner = self.by_slug.get(slug)
        return None if partner is None else [m["passage_id"] for m in partner["passages"]]

    def facet(self, passage_ids) -> list[tuple[dict, int]]:
        """Partners mentioned in these passages, most mentioned first."""
        counts = Counter(slug for pid in passage_ids for slug in self.by_passage.get(pid, ()))
        return [(self.by_slug[slug], n) for slug, n in counts.most_common()]
