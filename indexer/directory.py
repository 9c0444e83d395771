"""The partner directory of a generation: every partner, its names and its mentions."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from whoosh import query as wq

from . import store
from .analysis import words
from .digest import Digest
from .partners import (
    CURATED_FILE,
    Curated,
    Partner,
    Registry,
    find_definitions,
    find_introduced,
    find_names,
    key,
)
from .segment import HEADING_SEPARATOR, Passage

DIRECTORY_FILE = "partners.json"


def partner_candidates(digest: Digest, passages: list[Passage]) -> dict:
    """What a digest tells about organisations, kept in its manifest entry."""
    names: set[str] = set()
    definitions: set[tuple[str, str]] = set()
    for passage in passages:
        for text in [passage.text, *passage.heading.split(HEADING_SEPARATOR)]:
            names.update(find_names(text) + find_introduced(text))
            definitions.update(find_definitions(text))
    return {"orgs": sorted(names), "definitions": sorted(definitions)}


def curated_hash(corpus: Path) -> str | None:
    path = corpus / CURATED_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None


def build_directory(corpus: Path, docs: dict, ix) -> dict:
    """Merge names across the corpus, then find every mention of every name in the index."""
    registry = Registry(Curated.load(corpus))
    for entry in docs.values():
        for name, alias in entry.get("definitions", ()):
            registry.learn_definition(name, alias)
        for name in entry.get("orgs", ()):
            registry.learn_name(name)
    with ix.searcher() as searcher:
        for partner in registry.partners():
            partner.mentions = _mentions(searcher, partner)
    partners = [p for p in registry.partners() if p.mentions or p.curated]
    return {"partners": [_as_dict(p) for p in partners]}


def _mentions(searcher, partner: Partner) -> list[dict]:
    """Passages whose text or heading holds one of the partner's names (as whole words)."""
    found: dict[str, dict] = {}
    for name in sorted(partner.names, key=len, reverse=True):
        name_words = [w.exact for w in words(name)]
        if not name_words:
            continue
        query = (
            wq.Phrase("content", name_words)
            if len(name_words) > 1
            else wq.Term("content", name_words[0])
        )
        for docnum in searcher.docs_for_query(query):
            fields = searcher.stored_fields(docnum)
            if fields["passage_id"] in found:
                continue
            if _holds(fields.get("text", ""), name_words) or _holds(
                fields.get("heading", ""), name_words
            ):
                found[fields["passage_id"]] = {
                    "passage_id": fields["passage_id"], "doc_id": fields["doc_id"],
                    "date": fields.get("date"), "as": name,
                }  # fmt: skip
    return sorted(found.values(), key=lambda m: (m["date"] or "", m["passage_id"]))


def _holds(text: str, name_words: list[str]) -> bool:
    exact = [w.exact for w in words(text)]
    n = len(name_words)
    return any(exact[i : i + n] == name_words for i in range(len(exact) - n + 1))


def _as_dict(partner: Partner) -> dict:
    mentions = partner.mentions
    dates = [m["date"] for m in mentions if m["date"]]
    return {
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
