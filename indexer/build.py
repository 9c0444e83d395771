"""Build and update the index: incremental by content hash, or a full rebuild, always aside."""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import hashlib
import json
import logging
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import multiproc
from whoosh.filedb.filestore import FileStorage

from . import store
from .analysis import ANALYSIS_VERSION
from .codec import WriterCodec
from .digest import Digest, Skipped, slugify
from .directory import (
    build_directory,
    curated_hash,
    partner_candidates,
    read_directory,
    write_directory,
)
from .language import LANGUAGES, UNDETERMINED, detect_all, dominant
from .readers import is_supported, read, source_name
from .schema import build_schema, content_of
from .segment import Passage, segment

log = logging.getLogger(__name__)

FORMAT = f"1.{ANALYSIS_VERSION}"
PARALLEL_FROM = 200  # digests in a fresh build before Whoosh's multi-process writer pays off
MAX_PROCESSES = 4
PR_SET_PDEATHSIG = 1  # prctl(2)
Progress = Callable[[int], None]


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
        return (
            f"added {self.added}, updated {self.updated}, removed {self.removed}, "
            f"unchanged {self.unchanged}, skipped {len(self.skipped)}, "
            f"passages {self.passages}, {self.seconds:.2f} s"
        )


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
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:20]


def update_index(
    corpus: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    wait_seconds: float = 10.0,
    progress: Progress | None = None,
    hold: frozenset[str] = frozenset(),
) -> Summary:
    """Bring the index in line with the corpus; a new generation goes live only when complete.

    Files named in hold (corpus-relative: still being written) are left as the index has them.
    """
    started = time.monotonic()
    with store.writer_lock(index_dir, wait_seconds):
        old = _old_manifest(index_dir, rebuild)
        summary, plan = _plan(corpus, old, progress, hold)
        curated_changed = old is not None and old.get("curated") != curated_hash(corpus)
        if plan.changed or old is None or curated_changed:
            summary.generation = _write_generation(corpus, index_dir, old, plan, summary)
        else:
            summary.generation = store.ensure_current(index_dir).name
    summary.seconds = time.monotonic() - started
    log.info("index %s: %s", index_dir, summary.line())
    return summary


@dataclass
class _Plan:
    """The digests to (re)index and the doc ids to delete, with the new manifest."""

    to_index: list[Digest] = field(default_factory=list)
    to_delete: set[str] = field(default_factory=set)
    sources: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)

    @property
    def passages(self) -> int:
        return sum(doc["passages"] for doc in self.docs.values())

    @property
    def changed(self) -> bool:
        return bool(self.to_index or self.to_delete)


def _old_manifest(index_dir: Path, rebuild: bool) -> dict | None:
    """The live generation's manifest, or None when starting from scratch."""
    if rebuild:
        return None
    try:
        generation = store.current_generation(index_dir)
        manifest = store.read_manifest(generation)
    except (store.NoIndex, FileNotFoundError, json.JSONDecodeError):
        return None
    if manifest.get("format") != FORMAT:
        return None
    indexed = _indexed_passages(generation)
    if indexed != manifest.get("passages"):
        # Two writers at once (before the lock excluded threads) could leave a passage twice.
        log.warning("generation %s holds %s passages, its manifest %s: rebuilding",
                    generation.name, indexed, manifest.get("passages"))  # fmt: skip
        return None
    return manifest


def _indexed_passages(generation: Path) -> int | None:
    """How many passages Whoosh holds in a generation (None when it cannot be opened)."""
    try:
        ix = FileStorage(str(generation), supports_mmap=False).open_index()
    except Exception:  # any damage to Whoosh's files means the same: build afresh
        log.warning("cannot open generation %s", generation.name, exc_info=True)
        return None
    try:
        return ix.doc_count()
    finally:
        ix.close()


def _plan(
    corpus: Path, old: dict | None, progress: Progress | None, hold: frozenset[str]
) -> tuple[Summary, _Plan]:
    """Compare the corpus with the live manifest, reading only files whose bytes changed."""
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

    def __init__(self, corpus: Path, old: dict | None, present: set[str]):
        self.corpus = corpus
        self.old_sources = old["sources"] if old else {}
        self.old_docs = old["docs"] if old else {}
        self.summary, self.plan = Summary(), _Plan()
        self.claimed: dict[str, str] = {  # doc_id -> source
            doc_id: entry["source"]
            for doc_id, entry in self.old_docs.items()
            if entry["source"] in present
        }

    def free(self, doc_id: str, rel: str) -> bool:
        return self.claimed.get(doc_id, rel) == rel

    def add(self, path: Path, held: bool = False) -> None:
        rel = source_name(path, self.corpus)
        if path.is_symlink() and not _inside(path.resolve(), self.corpus.resolve()):
            self._record(rel, {}, [], [Skipped(rel, "a link to a file outside the corpus")])
            return
        previous = self.old_sources.get(rel)
        if held:  # still being written: as indexed before, or not yet
            if previous:
                self._keep(rel, previous)
            return
        stat = path.stat()
        seen = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        if previous and all(previous.get(k) == v for k, v in seen.items()):
            self._keep(rel, previous)  # the same size and time: not read, not even hashed
            return
        seen["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        if previous and previous["sha256"] == seen["sha256"]:
            self._keep(rel, previous | seen)
        else:
            self._read(path, rel, seen)

    def _keep(self, rel: str, previous: dict) -> None:
        """A file whose bytes did not change keeps its digests, unless its ids were taken
        (then it is read again); one with skipped parts is always read again."""
        if previous["skipped"] or not all(self.free(i, rel) for i in previous["doc_ids"]):
            self._read(self.corpus / rel, rel, previous)
            return
        self.claimed.update(dict.fromkeys(previous["doc_ids"], rel))
        self.plan.docs.update({i: self.old_docs[i] for i in previous["doc_ids"]})
        self.plan.sources[rel] = previous
        self.summary.unchanged += len(previous["doc_ids"])

    def _read(self, path: Path, rel: str, seen: dict) -> None:
        """Read one new or changed file and decide, digest by digest, what to index."""
        self.summary.files_read += 1
        ids, skipped = [], []
        for result in read(path, self.corpus, self._file_id(path, rel)):
            if isinstance(result, Digest) and (
                not self.free(result.doc_id, rel) or result.doc_id in ids
            ):
                owner = self.claimed.get(result.doc_id, rel)
                result = Skipped(rel, f"doc_id {result.doc_id!r} already used by {owner}")
            if isinstance(result, Skipped):
                skipped.append(result)
                continue
            self.claimed[result.doc_id] = rel
            ids.append(result.doc_id)
            self._plan_digest(result)
        self._record(rel, seen, ids, skipped)

    def _file_id(self, path: Path, rel: str) -> str:
        """The doc id a one-digest file gets: its name's slug, made unique when taken."""
        doc_id = slugify(path.stem)
        if not self.free(doc_id, rel):  # "report.txt" beside "report.html": keep both, apart
            doc_id = slugify(f"{path.stem}-{path.suffix.lstrip('.')}")
        if not self.free(doc_id, rel):  # long names that differ only past the slug's length
            doc_id = f"{doc_id[:90]}-{hashlib.sha256(rel.encode()).hexdigest()[:8]}"
        return doc_id

    def _plan_digest(self, digest: Digest) -> None:
        entry = _doc_entry(digest)
        previous = self.old_docs.get(digest.doc_id)
        if previous and previous["hash"] == entry["hash"]:
            self.plan.docs[digest.doc_id] = previous
            self.summary.unchanged += 1
            return
        self.plan.docs[digest.doc_id] = entry
        self.plan.to_index.append(digest)
        if previous:
            self.summary.updated += 1
        else:
            self.summary.added += 1

    def _record(self, rel: str, seen: dict, ids: list[str], skipped: list[Skipped]) -> None:
        """What the manifest remembers of a file: size, time and hash, its ids and skips."""
        self.summary.skipped.extend(skipped)
        reasons = [s.reason for s in skipped]
        self.plan.sources[rel] = {"sha256": "", **seen, "doc_ids": ids, "skipped": reasons}

    def finish(self) -> tuple[Summary, _Plan]:
        plan, summary, old_docs = self.plan, self.summary, self.old_docs
        plan.to_delete = (set(old_docs) - set(plan.docs)) | {
            d.doc_id for d in plan.to_index if d.doc_id in old_docs
        }
        summary.removed = len(set(old_docs) - set(plan.docs))
        summary.digests = len(plan.docs)
        summary.passages = plan.passages  # new digests count once indexed (_write_generation)
        return summary, plan


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _doc_entry(digest: Digest) -> dict:
    """A digest's manifest entry; passages and language are filled in when it is indexed."""
    return {
        "title": digest.title,
        "date": digest.date,
        "url": digest.url,
        "source": digest.source,
        "hash": digest_hash(digest),
        "passages": 0,
        "lang": UNDETERMINED,
    }


def _write_generation(
    corpus: Path, index_dir: Path, old: dict | None, plan: _Plan, summary: Summary
) -> str:
    """Write the planned changes into a new generation and make it live."""
    base = store.current_generation(index_dir) if old else None
    scratch = store.new_generation(index_dir, base)
    try:
        # File handles, not mmap: through mmap Whoosh copies each segment file it opens into
        # memory (190 MB for the benchmark corpus, 0.5 s of an update).
        storage = FileStorage(str(scratch), supports_mmap=False)
        ix = storage.open_index() if base else storage.create_index(build_schema())
        writer = ix.writer(**_writer_options(base is None, len(plan.to_index)))
        try:
            for doc_id in plan.to_delete:
                writer.delete_by_term("doc_id", doc_id)
            for digest in plan.to_index:
                _add_digest(writer, digest, plan.docs[digest.doc_id])
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        changed = frozenset(plan.to_delete | {d.doc_id for d in plan.to_index})
        previous = read_directory(base) if base else None
        directory = build_directory(corpus, plan.docs, ix, previous, changed)
        ix.close()
        write_directory(scratch, directory)
        summary.passages = plan.passages
        manifest = {
            "format": FORMAT,
            "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "digests": len(plan.docs),
            "passages": summary.passages,
            "sources": plan.sources,
            "docs": plan.docs,
            "curated": curated_hash(corpus),
        }
        return store.publish(index_dir, scratch, manifest).name
    except BaseException:
        store.discard(scratch)
        raise


def _die_with_parent(run):
    """Whoosh's worker processes end when the build that forked them is killed."""

    def run_then(self):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        return run(self)

    return run_then


multiproc.SubWriterTask.run = _die_with_parent(multiproc.SubWriterTask.run)


def _writer_options(fresh: bool, digests: int) -> dict:
    """Big fresh builds analyse on every core (one segment each); small updates use one."""
    processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    if fresh and digests >= PARALLEL_FROM and processes > 1:
        options = {"procs": processes, "multisegment": True, "limitmb": _buffer_mb(processes)}
    else:
        options = {"limitmb": 256}
    return options | {"codec": WriterCodec()}


def _buffer_mb(processes: int) -> int:
    """Each writer process's posting buffer: up to 1 GB, which sorts the benchmark corpus in
    memory (128 MB spilled it to disk: 80 s against 60 s), within a quarter of the RAM."""
    ram_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    return max(128, min(1024, ram_mb // 4 // processes))


def _add_digest(writer, digest: Digest, entry: dict) -> None:
    """Index a digest's passages and complete its manifest entry."""
    passages = segment(digest)
    languages = detect_all([p.text for p in passages])
    declared = (digest.language or "").lower()[:2]
    entry["lang"] = (
        declared
        if declared in LANGUAGES
        else dominant([(lang, len(p.text)) for lang, p in zip(languages, passages, strict=True)])
    )
    entry["passages"] = len(passages)
    entry.update(partner_candidates(digest, passages))
    for passage, language in zip(passages, languages, strict=True):
        writer.add_document(**_fields(digest, passage, language, entry["hash"]))


def _fields(digest: Digest, passage: Passage, language: str, doc_hash: str) -> dict:
    fields = {
        "passage_id": passage.passage_id,
        "doc_id": digest.doc_id,
        "title": digest.title,
        "heading": passage.heading,
        "text": passage.text,
        "content": content_of(digest.title, passage.heading, passage.text),
        "lang": language,
        "kind": passage.kind,
        "position": passage.position,
        "doc_hash": doc_hash,
        "url": digest.url,
    }
    if digest.date:
        fields["date"] = digest.date
    return fields
