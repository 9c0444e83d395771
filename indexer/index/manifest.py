"""A generation's manifest: what was indexed from which file, and the counts readers show.

Written once per generation (compact JSON, machine data) and read by every reader of it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"


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
    passages: int = 0
    lang: str = "und"
    orgs: list[str] = field(default_factory=list)  # every organisation name found
    ours: list[str] = field(default_factory=list)  # names the text attaches to us
    theirs: list[str] = field(default_factory=list)  # names the text gives another owner
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
    def read(cls, generation: Path) -> Manifest:
        data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
        return cls(
            format=data.get("format", ""),
            sources={k: SourceEntry(**v) for k, v in data.get("sources", {}).items()},
            docs={k: _doc(v) for k, v in data.get("docs", {}).items()},
            curated=data.get("curated"),
            updated=data.get("updated", ""),
            digests=data.get("digests", 0),
            passages=data.get("passages", 0),
        )

    def to_json(self) -> str:
        data = {**vars(self), "sources": {k: vars(v) for k, v in self.sources.items()},
                "docs": {k: vars(v) for k, v in self.docs.items()}}  # fmt: skip
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def owners(self) -> dict[str, str]:
        """doc_id -> the corpus file it came from."""
        return {doc_id: entry.source for doc_id, entry in self.docs.items()}


def _doc(data: dict) -> DocEntry:
    data = {**data, "definitions": [tuple(pair) for pair in data.get("definitions", ())]}
    return DocEntry(**data)
