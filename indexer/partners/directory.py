"""The partner directory of a generation: every partner, its names and its mentions."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq

from indexer.index import store
from indexer.index.analysis import exact_forms
from indexer.ingest.segment import HEADING_SEPARATOR, Passage
from indexer.partners.curated import CURATED_FILE, Curated, CuratedError, key
from indexer.partners.english import (
    abbreviates,
    find_definitions,
    find_introduced,
    find_organisations,
)
from indexer.partners.names import Partner, Registry
from indexer.partners.russian import find_russian_names

log = logging.getLogger(__name__)

DIRECTORY_FILE = "partners.json"
IDENTITIES_FILE = "partner-keys.json"  # each name's cross-script keys, read by the next build
RULES_VERSION = 4  # bump when the rules find other names: indexes built before are rebuilt
_RUSSIAN_DEFINITION = re.compile(r"\s*\(([А-ЯЁA-Z][А-ЯЁA-Zа-яёa-z]{1,9})\)")


@dataclass
class Candidates:
    """What one digest tells about organisations, kept in its manifest entry."""

    orgs: set[str] = field(default_factory=set)
    ours: set[str] = field(default_factory=set)
    theirs: set[str] = field(default_factory=set)
    units: set[tuple[str, str]] = field(default_factory=set)  # (unit, owner) the text says
    definitions: set[tuple[str, str, str]] = field(default_factory=set)
    forms: dict[str, set[str]] = field(default_factory=dict)

    def read(self, text: str, passage_id: str, last: bool = False) -> None:
        """Read one passage's text or heading; the last passage's may be cut mid-sentence."""
        cut = _cut_at(text) if last else len(text)
        for found in find_organisations(text[:cut]):
            self.orgs.add(found.name)
            {"ours": self.ours, "theirs": self.theirs}.get(found.owner, set()).add(found.name)
            if found.owner == "theirs" and found.of:
                self.units.add((found.name, found.of))
        self.orgs.update(find_introduced(text))
        self.definitions.update((n, a, passage_id) for n, a in find_definitions(text))
        for found in find_russian_names(text[:cut]):
            self.orgs.add(found.name)
            self.forms.setdefault(found.name, set()).add(text[found.start : found.end])
            if found.of:
                self.units.add((found.name, found.of))
            match = _RUSSIAN_DEFINITION.match(text, found.end)
            if match and abbreviates(match.group(1), found.name):
                self.definitions.add((found.name, match.group(1), passage_id))

    def fill(self, entry) -> None:
        entry.orgs, entry.ours, entry.theirs = (
            sorted(self.orgs),
            sorted(self.ours),
            sorted(self.theirs),
        )
        entry.units = sorted(self.units)
        entry.definitions = sorted(self.definitions)
        entry.forms = {name: sorted(forms) for name, forms in sorted(self.forms.items())
                       if forms != {name}}  # fmt: skip


def _cut_at(text: str) -> int:
    """Where a text's last whole word ends when the text is cut mid-sentence (an excerpt's
    "… the Ministry of Science a"): the name at the cut may be cut too, so it is not read."""
    stripped = text.rstrip()
    if not stripped or stripped[-1] in '.!?…:;»"”)]':
        return len(text)
    sentence_start = max(stripped.rfind(p) for p in ".!?…") + 1
    words = stripped[sentence_start:].split()
    return sentence_start + len(" ".join(words[:-3])) if len(words) > 3 else sentence_start


def partner_candidates(passages: list[Passage]) -> Candidates:
    """What a digest's passages and headings tell about organisations."""
    candidates = Candidates()
    for passage in passages:
        candidates.read(passage.text, passage.passage_id, last=passage is passages[-1])
        for heading in passage.heading.split(HEADING_SEPARATOR):
            candidates.read(heading, passage.passage_id)
    return candidates


def curated_hash(corpus: Path) -> str | None:
    path = corpus / CURATED_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.exists() else None


def build_directory(corpus: Path, docs: dict, ix, previous: dict | None = None,
                    changed: frozenset[str] = frozenset(),
                    published: dict | None = None) -> dict:  # fmt: skip
    """Merge names across the corpus, then find every mention of every name in the index.

    With the previous generation's directory, a partner whose names did not change keeps its
    mentions outside the changed digests and is looked up only in the segments holding them.
    published: the live directory (also when rebuilding), whose slugs keep working.
    """
    try:
        curated = Curated.load(corpus)
    except CuratedError as error:  # keep the last good directory, and say what is wrong
        log.warning("%s: keeping the previous partner directory", error)
        return {**(previous or {"partners": []}), "curated_error": str(error)}
    registry = Registry(curated, (previous or {}).get("identities"))
    for doc_id, entry in docs.items():
        registry.add(doc_id, entry)
    partners = registry.partners()
    known = {tuple(p["searched"]): p["passages"] for p in (previous or {}).get("partners", [])}
    with ix.searcher() as searcher:
        if searcher.doc_count_all() == 0:  # every file skipped: an empty index, no mentions
            return {"partners": [_as_dict(p) for p in partners if p.curated]}
        finder = _MentionFinder(searcher, docs, changed if previous is not None else None)
        for partner in partners:
            searched = tuple(sorted(partner.searched))
            if searched in known:
                kept = [m for m in known[searched] if m["doc_id"] not in changed]
                partner.mentions = finder.mentions(list(searched), kept)
            else:
                partner.mentions = finder.mentions(list(searched))
    identities = {name: sorted(keys) for name, keys in registry.identities.items()
                  if name in registry.counts}  # fmt: skip
    listed = [_as_dict(p) for p in partners if p.mentions or p.curated]
    redirects = slug_redirects(published or previous, listed)
    return {"partners": listed, "redirects": redirects, "identities": identities}


def slug_redirects(published: dict | None, partners: list[dict]) -> dict[str, str]:
    """Every slug once published and no longer a partner's -> the slug of the partner that
    now holds its name (a new spelling, a rename, a merge), so that addresses never break."""
    live = {p["slug"] for p in partners}
    by_key: dict[str, str] = {}
    for partner in partners:
        for name in [partner["name"], *partner["names"]]:
            by_key.setdefault(key(name), partner["slug"])
    moved: dict[str, str] = {}
    for old in (published or {}).get("partners", []):
        names = [old["name"], *old.get("names", ())]
        target = next((by_key[key(n)] for n in names if key(n) in by_key), None)
        if old["slug"] not in live and target is not None:
            moved[old["slug"]] = target
    for old_slug, old_target in (published or {}).get("redirects", {}).items():
        target = old_target if old_target in live else moved.get(old_target)
        if old_slug not in live and target is not None:
            moved.setdefault(old_slug, target)
    return dict(sorted(moved.items()))


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
        # In date order, the undated last: a list read from its start shows the dated first.
        return sorted(mentions, key=lambda m: (m["date"] is None, m["date"] or "", m["passage_id"]))

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
        "searched": sorted(partner.searched),  # what the mentions were looked up by
        "slug": partner.slug,
        "name": partner.name,
        "names": _distinct(partner.names, partner.name),
        "evidence": partner.evidence,
        "units": sorted(partner.units),
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
    """The directory in partners.json, and the names' keys (for the next build) beside it."""
    identities = {"identities": directory.get("identities", {})}
    store.write_atomic(generation / IDENTITIES_FILE, json.dumps(identities, ensure_ascii=False))
    listed = {k: v for k, v in directory.items() if k != "identities"}
    store.write_atomic(generation / DIRECTORY_FILE,
                       json.dumps(listed, ensure_ascii=False, separators=(",", ":")))  # fmt: skip


def read_directory(generation: Path, identities: bool = False) -> dict:
    """A generation's directory; with identities, the names' keys too (builds only)."""
    path = generation / DIRECTORY_FILE
    directory = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"partners": []}
    keys = generation / IDENTITIES_FILE
    if identities and keys.exists():
        directory.update(json.loads(keys.read_text(encoding="utf-8")))
    return directory
