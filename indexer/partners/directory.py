"""The partner directory of a generation: every partner, its names and its mentions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from whoosh import query as wq

from indexer.index import store
from indexer.index.analysis import exact_forms
from indexer.ingest.digest import Digest
from indexer.ingest.segment import HEADING_SEPARATOR, Passage
from indexer.partners.names import (
    CURATED_FILE,
    Curated,
    Partner,
    Registry,
    find_definitions,
    find_introduced,
    find_names,
    key,
)

DIRECTORY_FILE = "partners.json"


def partner_candidates(digest: Digest, passages: list[Passage]) -> tuple[list, list]:
    """What a digest tells about organisations, kept in its manifest entry."""
    names: set[str] = set()
    definitions: set[tuple[str, str]] = set()
    for passage in passages:
        for text in [passage.text, *passage.heading.split(HEADING_SEPARATOR)]:
            names.update(find_names(text) + find_introduced(text))
            definitions.update(find_definitions(text))
    return sorted(names), sorted(definitions)


def curated_hash(corpus: Path) -> str | None:
    path = corpus / CURATED_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None


def build_directory(corpus: Path, docs: dict, ix, previous: dict | None = None,
                    changed: frozenset[str] = frozenset()) -> dict:  # fmt: skip
    """Merge names across the corpus, then find every mention of every name in the index.

    With the previous generation's directory, a partner whose names did not change keeps its
    mentions outside the changed digests and is looked up only in the segments holding them.
    """
    registry = Registry(Curated.load(corpus))
    for entry in docs.values():
        for name, alias in entry.definitions:
            registry.learn_definition(name, alias)
        for name in entry.orgs:
            registry.learn_name(name)
    known = {tuple(p["searched"]): p["passages"] for p in (previous or {}).get("partners", [])}
    with ix.searcher() as searcher:
        if searcher.doc_count_all() == 0:  # every file skipped: an empty index, no mentions
            return {"partners": [_as_dict(p) for p in registry.partners() if p.curated]}
        finder = _MentionFinder(searcher, docs, changed if previous is not None else None)
        for partner in registry.partners():
            names = sorted(partner.names)
            if tuple(names) in known:
                kept = [m for m in known[tuple(names)] if m["doc_id"] not in changed]
                partner.mentions = finder.mentions(names, kept)
            else:
                partner.mentions = finder.mentions(names)
    partners = [p for p in registry.partners() if p.mentions or p.curated]
    return {"partners": [_as_dict(p) for p in partners]}


class _MentionFinder:
    """Passages whose text or heading holds a name, looked up in the index.

    The searched field also holds the digest's title, so a match in a digest whose title
    holds the name is checked against the stored text; every other match is taken as it is.
    """

    def __init__(self, searcher, docs: dict, changed: frozenset[str] | None):
        self.searcher, self.docs, self.changed = searcher, docs, changed
        self.doc_ids = searcher.reader().column_reader("doc_id")
        self.passage_ids = searcher.reader().column_reader("passage_id")
        self.titles: dict[str, list[str]] = {}
        self.segments = searcher.subsearchers or [(searcher, 0)]  # None when there is one
        self.changed_segments = [
            (sub, offset)
            for sub, offset in self.segments
            if any(next(sub.document_numbers(doc_id=d), None) is not None for d in changed or ())
        ]

    def mentions(self, names: list[str], kept: list[dict] | None = None) -> list[dict]:
        """Mentions of any of the names: kept ones plus those in the changed digests, or all."""
        segments = self.segments if kept is None else self.changed_segments
        found: dict[str, dict] = {}
        for name in sorted(names, key=len, reverse=True):
            name_words = exact_forms(name)
            if not name_words:
                continue
            for sub, offset in segments:
                for sub_docnum in sub.docs_for_query(_phrase(name_words)):
                    self._add(found, offset + sub_docnum, name, name_words, kept is not None)
        mentions = [*(kept or ()), *found.values()]
        return sorted(mentions, key=lambda m: (m["date"] or "", m["passage_id"]))

    def _add(self, found: dict, docnum: int, name: str, name_words: list[str], only_changed):
        passage_id, doc_id = self.passage_ids[docnum], self.doc_ids[docnum]
        if passage_id in found or (only_changed and doc_id not in self.changed):
            return
        if self._in_body(docnum, doc_id, name_words):
            date = self.docs[doc_id].date if doc_id in self.docs else None
            found[passage_id] = {"passage_id": passage_id, "doc_id": doc_id,
                                 "date": date, "as": name}  # fmt: skip

    def _in_body(self, docnum: int, doc_id: str, name_words: list[str]) -> bool:
        if doc_id not in self.titles:
            title = self.docs[doc_id].title if doc_id in self.docs else ""
            self.titles[doc_id] = exact_forms(title)
        if not _holds(self.titles[doc_id], name_words):
            return True
        fields = self.searcher.stored_fields(docnum)
        return any(
            _holds(exact_forms(fields.get(f) or ""), name_words) for f in ("text", "heading")
        )


def _phrase(name_words: list[str]):
    if len(name_words) == 1:
        return wq.Term("content", name_words[0])
    return wq.Phrase("content", name_words)


def _holds(exact: list[str], name_words: list[str]) -> bool:
    n = len(name_words)
    return any(exact[i : i + n] == name_words for i in range(len(exact) - n + 1))


def _as_dict(partner: Partner) -> dict:
    mentions = partner.mentions
    dates = [m["date"] for m in mentions if m["date"]]
    return {
        "searched": sorted(partner.names),  # what the mentions were looked up by
        "slug": partner.slug,
        "name": partner.name,
        "names": _distinct(partner.names, partner.name),
        "mentions": len(mentions),
        "digests": len({m["doc_id"] for m in mentions}),
        "first": min(dates, default=None),
        "last": max(dates, default=None),
        "passages": mentions,
    }


def _distinct(names: set[str], main: str) -> list[str]:
    """Other names, one spelling each (not "Co." beside "Co. Ltd.", nor the main name again)."""
    seen = {key(main)}
    distinct = []
    for name in sorted(names, key=lambda n: (-len(n), n)):
        if key(name) not in seen:
            seen.add(key(name))
            distinct.append(name)
    return sorted(distinct)


def write_directory(generation: Path, directory: dict) -> None:
    store.write_atomic(generation / DIRECTORY_FILE, json.dumps(directory, ensure_ascii=False))


def read_directory(generation: Path) -> dict:
    path = generation / DIRECTORY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"partners": []}
