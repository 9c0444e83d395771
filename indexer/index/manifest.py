"""A generation's manifest: what was indexed from which file, and the counts readers show.

Written once per generation (compact JSON, machine data) and read by every reader of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"
CANDIDATES = "candidates.json"  # the partner candidates of each digest, for builds
CANDIDATE_FIELDS = ("orgs", "ours", "theirs", "units", "definitions", "forms")


@dataclass
class SourceEntry:
    """One corpus file: how it was known (size, time, hash), its digests and its skips."""

    sha256: str = ""
    size: int | None = None
    mtime_ns: int | None = None
    doc_ids: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def same_stat(self, size: int, mtime_ns: int) -> bool:
        return self.size == size and self.mtime_ns == mtime_ns


@dataclass
class DocEntry:
    """One digest as indexed; passages, language and partner names are filled in when its
    passages are written."""

    title: str
    date: str | None
    url: str | None
    source: str
    hash: str
    ocr: bool = False  # its text was read by OCR from page images
    partly_unreadable: bool = False  # some glyphs of its PDF map to no character
    passages: int = 0
    lang: str = "und"
    orgs: list[str] = field(default_factory=list)  # every organisation name found
    ours: list[str] = field(default_factory=list)  # names the text attaches to us
    theirs: list[str] = field(default_factory=list)  # names the text gives another owner
    units: list[tuple[str, str]] = field(default_factory=list)  # (unit, its owner's name)
    definitions: list[tuple[str, str, str]] = field(default_factory=list)  # name, alias, passage
    forms: dict[str, list[str]] = field(default_factory=dict)  # name -> forms the text writes


@dataclass
class Manifest:
    """Every source and digest of a generation, with its totals."""

    format: str
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    docs: dict[str, DocEntry] = field(default_factory=dict)
    curated: str | None = None  # the hash of corpus/partners.toml it was built with
    updated: str = ""
    digests: int = 0
    passages: int = 0

    @classmethod
    def new(cls, format: str, sources: dict, docs: dict, curated: str | None) -> Manifest:
        """A manifest for a generation being published now, its totals counted."""
        updated = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        passages = sum(doc.passages for doc in docs.values())
        return cls(format, sources, docs, curated, updated, len(docs), passages)

    @classmethod
    def read(cls, generation: Path, candidates: bool = False) -> Manifest:
        """The manifest; with candidates, each digest's partner candidates too (only a build
        needs them: searchers leave them on disk, some 10 MB a process on a large corpus)."""
        data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
        found = {}
        if candidates and (generation / CANDIDATES).exists():
            found = json.loads((generation / CANDIDATES).read_text(encoding="utf-8"))
        return cls(
            format=data.get("format", ""),
            sources={k: SourceEntry(**v) for k, v in data.get("sources", {}).items()},
            docs={k: _doc({**v, **found.get(k, {})}) for k, v in data.get("docs", {}).items()},
            curated=data.get("curated"),
            updated=data.get("updated", ""),
            digests=data.get("digests", 0),
            passages=data.get("passages", 0),
        )

    def to_json(self) -> str:
        """The manifest without the partner candidates (candidates_json holds those)."""
        docs = {k: {f: v for f, v in vars(d).items() if f not in CANDIDATE_FIELDS}
                for k, d in self.docs.items()}  # fmt: skip
        data = {**vars(self), "sources": {k: vars(v) for k, v in self.sources.items()},
                "docs": docs}  # fmt: skip
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def candidates_json(self) -> str:
        """Each digest's partner candidates, for the next build's directory."""
        data = {k: {f: getattr(d, f) for f in CANDIDATE_FIELDS} for k, d in self.docs.items()}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def counts(generation: Path) -> tuple[int, int]:
        """(digests, passages) without parsing the whole manifest: to_json writes them last,
        and a process about to fork workers should not hold every digest's entry."""
        path = generation / MANIFEST
        with open(path, "rb") as handle:
            handle.seek(max(path.stat().st_size - 256, 0))
            tail = handle.read().decode("utf-8", "replace")
        match = re.search(r'"digests":(\d+),"passages":(\d+)\}\s*$', tail)
        if match is None:  # written by an older version: read it whole
            manifest = Manifest.read(generation)
            return manifest.digests, manifest.passages
        return int(match[1]), int(match[2])

    def owners(self) -> dict[str, str]:
        """doc_id -> the corpus file it came from."""
        return {doc_id: entry.source for doc_id, entry in self.docs.items()}


def _doc(data: dict) -> DocEntry:
    data = {**data, "definitions": [tuple(pair) for pair in data.get("definitions", ())],
            "units": [tuple(pair) for pair in data.get("units", ())]}  # fmt: skip
    return DocEntry(**data)
