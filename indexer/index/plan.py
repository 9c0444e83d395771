"""Planning a build: compare the corpus with the live manifest and decide, file by file, what
to index, keep and delete, reading only files whose bytes changed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from indexer.index.manifest import DocEntry, Manifest, SourceEntry
from indexer.ingest.digest import Digest, Skipped, slugify
from indexer.ingest.readers import is_supported, source_name
from indexer.ingest.sandbox import read_limited

Progress = Callable[[int], None]
_USED_BY = " already used by "  # in the skip of a digest whose id another file holds


def _id_taken(reason: str) -> bool:
    return reason.startswith("doc_id ") and _USED_BY in reason


@dataclass
class Summary:
    """What one `index` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    digests: int = 0
    passages: int = 0
    seconds: float = 0.0
    generation: str = ""
    files_read: int = 0  # files read and parsed; the others were known by size, time or hash

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def line(self) -> str:
        if not (self.added or self.updated or self.removed or self.skipped):
            return (f"up to date: {self.unchanged} digests, {self.passages} passages "
                    f"({self.seconds:.2f} s)")  # fmt: skip
        return (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, "
            f"unchanged {self.unchanged}, skipped {len(self.skipped)}, "
            f"passages {self.passages}, {self.seconds:.2f} s"
        )


@dataclass
class Plan:
    """The digests to (re)index and the doc ids to delete, with the new manifest's entries."""

    to_index: list[Digest] = field(default_factory=list)
    to_delete: set[str] = field(default_factory=set)
    sources: dict[str, SourceEntry] = field(default_factory=dict)
    docs: dict[str, DocEntry] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.to_index or self.to_delete)


def corpus_files(corpus: Path) -> list[Path]:
    """Readable files of the corpus in a stable order, hidden files and folders left out."""
    files = []
    for path in sorted(corpus.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(corpus).parts)
        if path.is_file() and not hidden and is_supported(path):
            files.append(path)
    return files


def digest_hash(digest: Digest) -> str:
    """A fingerprint of everything indexed from a digest."""
    payload = [digest.title, digest.date, digest.url, digest.language, digest.source]
    payload.append([(b.kind, b.level, b.text) for b in digest.blocks])
    if digest.from_ocr or digest.partly_unreadable:  # (absent otherwise: old hashes hold)
        payload.append([digest.from_ocr, digest.partly_unreadable])
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:20]


def plan_build(
    corpus: Path,
    old: Manifest | None,
    progress: Progress | None = None,
    hold: frozenset[str] = frozenset(),
) -> tuple[Summary, Plan]:
    """What a build must do to bring the index from `old` (None: nothing) to the corpus.

    Files named in hold (still being written) are planned as the index has them."""
    files = corpus_files(corpus)
    planner = _Planner(corpus, old, {source_name(p, corpus) for p in files})
    for path in files:
        planner.add(path, held=source_name(path, corpus) in hold)
        if progress:
            progress(1)
    return planner.finish()


class _Planner:
    """Decides, file by file, what a build indexes, keeps and deletes.

    A doc id belongs to the file that first claimed it: every id of the live manifest stays
    with its file while that file exists, so a new file can never take over a digest.
    """

    def __init__(self, corpus: Path, old: Manifest | None, present: set[str]):
        self.corpus = corpus
        self.old_sources = old.sources if old else {}
        self.old_docs = old.docs if old else {}
        self.summary, self.plan = Summary(), Plan()
        owners = old.owners() if old else {}  # doc_id -> source
        self.claimed = {i: source for i, source in owners.items() if source in present}

    def free(self, doc_id: str, rel: str) -> bool:
        return self.claimed.get(doc_id, rel) == rel

    def add(self, path: Path, held: bool = False) -> None:
        rel = source_name(path, self.corpus)
        if path.is_symlink() and not _inside(path.resolve(), self.corpus.resolve()):
            self._record(rel, SourceEntry(), [Skipped(rel, "a link to a file outside the corpus")])
            return
        previous = self.old_sources.get(rel)
        if held:  # still being written: as indexed before, or not yet
            if previous:
                self._keep(rel, previous)
            return
        stat = path.stat()
        if previous and previous.same_stat(stat.st_size, stat.st_mtime_ns):
            self._keep(rel, previous)  # the same size and time: not read, not even hashed
            return
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        seen = SourceEntry(sha, stat.st_size, stat.st_mtime_ns)
        if previous and previous.sha256 == sha:
            self._keep(rel, dataclasses.replace(previous, size=seen.size, mtime_ns=seen.mtime_ns))
        else:
            self._read(path, rel, seen)

    def _keep(self, rel: str, previous: SourceEntry) -> None:
        """A file whose bytes did not change keeps its digests and its skips, remembered by its
        hash: a file that failed is not read again until it changes. It is read again only
        when an id of its was taken, or one it wanted may now be free."""
        conflict = any(_id_taken(reason) for reason in previous.skipped)
        if conflict or not all(self.free(i, rel) for i in previous.doc_ids):
            self._read(self.corpus / rel, rel, previous)
            return
        self.claimed.update(dict.fromkeys(previous.doc_ids, rel))
        self.plan.docs.update({i: self.old_docs[i] for i in previous.doc_ids})
        self.plan.sources[rel] = previous
        self.summary.unchanged += len(previous.doc_ids)
        self.summary.skipped.extend(Skipped(rel, reason) for reason in previous.skipped)

    def _read(self, path: Path, rel: str, seen: SourceEntry) -> None:
        """Read one new or changed file and decide, digest by digest, what to index."""
        self.summary.files_read += 1
        seen = SourceEntry(seen.sha256, seen.size, seen.mtime_ns)
        skipped = []
        for result in read_limited(path, self.corpus, self._file_id(path, rel)):
            if isinstance(result, Digest) and (
                not self.free(result.doc_id, rel) or result.doc_id in seen.doc_ids
            ):
                owner = self.claimed.get(result.doc_id, rel)
                result = Skipped(rel, f"doc_id {result.doc_id!r}{_USED_BY}{owner}")
            if isinstance(result, Skipped):
                skipped.append(result)
                continue
            self.claimed[result.doc_id] = rel
            seen.doc_ids.append(result.doc_id)
            self._plan_digest(result)
        self._record(rel, seen, skipped)

    def _file_id(self, path: Path, rel: str) -> str:
        """The doc id a one-digest file gets: its name's slug, made unique when taken."""
        doc_id = slugify(path.stem)
        if not self.free(doc_id, rel):  # "report.txt" beside "report.html": keep both, apart
            doc_id = slugify(f"{path.stem}-{path.suffix.lstrip('.')}")
        if not self.free(doc_id, rel):  # long names that differ only past the slug's length
            doc_id = f"{doc_id[:90]}-{hashlib.sha256(rel.encode()).hexdigest()[:8]}"
        return doc_id

    def _plan_digest(self, digest: Digest) -> None:
        entry = DocEntry(
            digest.title, digest.date, digest.url, digest.source, digest_hash(digest),
            ocr=digest.from_ocr, partly_unreadable=digest.partly_unreadable,
        )  # fmt: skip
        previous = self.old_docs.get(digest.doc_id)
        if previous and previous.hash == entry.hash:
            self.plan.docs[digest.doc_id] = previous
            self.summary.unchanged += 1
            return
        self.plan.docs[digest.doc_id] = entry
        self.plan.to_index.append(digest)
        if previous:
            self.summary.updated += 1
        else:
            self.summary.added += 1

    def _record(self, rel: str, entry: SourceEntry, skipped: list[Skipped]) -> None:
        """What the manifest remembers of a file: size, time and hash, its ids and skips."""
        self.summary.skipped.extend(skipped)
        entry.skipped = [s.reason for s in skipped]
        self.plan.sources[rel] = entry

    def finish(self) -> tuple[Summary, Plan]:
        plan, summary, old_docs = self.plan, self.summary, self.old_docs
        plan.to_delete = (set(old_docs) - set(plan.docs)) | {
            d.doc_id for d in plan.to_index if d.doc_id in old_docs
        }
        summary.removed = len(set(old_docs) - set(plan.docs))
        summary.digests = len(plan.docs)
        summary.passages = sum(doc.passages for doc in plan.docs.values())  # new ones: 0 yet
        return summary, plan


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
