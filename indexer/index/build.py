"""Build and update the index: incremental by content hash, or a full rebuild, always aside."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from indexer.index import store
from indexer.index.analysis import ANALYSIS_VERSION
from indexer.index.manifest import DocEntry, Manifest
from indexer.index.plan import Plan, Progress, Summary, plan_build
from indexer.index.schema import build_schema, content_of
from indexer.ingest.digest import Digest
from indexer.ingest.language import LANGUAGES, detect_all, dominant
from indexer.ingest.segment import Passage, segment
from indexer.partners.directory import (
    RULES_VERSION,
    build_directory,
    curated_hash,
    partner_candidates,
    read_directory,
    write_directory,
)
from indexer.whoosh_ext import WriterCodec, create_index, install, open_index

log = logging.getLogger(__name__)

FORMAT = f"1.{ANALYSIS_VERSION}.{RULES_VERSION}"
PARALLEL_FROM = 200  # digests in a fresh build before Whoosh's multi-process writer pays off
MAX_PROCESSES = 4


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
        summary, plan = plan_build(corpus, old, progress, hold)
        curated_changed = old is not None and old.curated != curated_hash(corpus)
        if plan.changed or old is None or curated_changed:
            summary.generation = _write_generation(corpus, index_dir, old, plan, summary)
        else:
            summary.generation = store.ensure_current(index_dir).name
    summary.seconds = time.monotonic() - started
    log.info("index %s: %s", index_dir, summary.line())
    return summary


def _old_manifest(index_dir: Path, rebuild: bool) -> Manifest | None:
    """The live generation's manifest, or None when starting from scratch."""
    if rebuild:
        return None
    try:
        generation = store.current_generation(index_dir)
        manifest = store.read_manifest(generation, candidates=True)
    except (store.NoIndex, FileNotFoundError, json.JSONDecodeError, TypeError):
        return None
    if manifest.format != FORMAT:
        return None
    indexed = _indexed_passages(generation)
    if indexed != manifest.passages:
        # Two writers at once (before the lock excluded threads) could leave a passage twice.
        log.warning("generation %s holds %s passages, its manifest %s: rebuilding",
                    generation.name, indexed, manifest.passages)  # fmt: skip
        return None
    return manifest


def _indexed_passages(generation: Path) -> int | None:
    """How many passages Whoosh holds in a generation (None when it cannot be opened)."""
    try:
        ix = open_index(generation)
    except Exception:  # any damage to Whoosh's files means the same: build afresh
        log.warning("cannot open generation %s", generation.name, exc_info=True)
        return None
    try:
        return ix.doc_count()
    finally:
        ix.close()


def _published(index_dir: Path) -> dict | None:
    """The live directory, also when rebuilding: its partners' addresses must keep working."""
    try:
        return read_directory(store.current_generation(index_dir))
    except (store.NoIndex, FileNotFoundError, json.JSONDecodeError):
        return None


def _write_generation(
    corpus: Path, index_dir: Path, old: Manifest | None, plan: Plan, summary: Summary
) -> str:
    """Write the planned changes into a new generation and make it live."""
    base = store.current_generation(index_dir) if old else None
    scratch = store.new_generation(index_dir, base)
    try:
        ix = open_index(scratch) if base else create_index(scratch, build_schema())
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
        previous = read_directory(base, identities=True) if base else None
        # When rebuilding there is no previous directory, but there is a live one to keep
        # the addresses of (otherwise the previous one is the live one, read once).
        published = _published(index_dir) if base is None else None
        directory = build_directory(corpus, plan.docs, ix, previous, changed, published)
        ix.close()
        write_directory(scratch, directory)
        manifest = Manifest.new(FORMAT, plan.sources, plan.docs, curated_hash(corpus))
        summary.passages = manifest.passages
        return store.publish(index_dir, scratch, manifest).name
    except BaseException:
        store.discard(scratch)
        raise


def _writer_options(fresh: bool, digests: int) -> dict:
    """Big fresh builds analyse on every core (one segment each); small updates use one."""
    processes = min(os.cpu_count() or 1, MAX_PROCESSES)
    if fresh and digests >= PARALLEL_FROM and processes > 1:
        install()  # worker processes die with the build that forked them
        options = {"procs": processes, "multisegment": True, "limitmb": _buffer_mb(processes)}
    else:
        options = {"limitmb": 256}
    return options | {"codec": WriterCodec()}


def _buffer_mb(processes: int) -> int:
    """Each writer process's posting buffer: up to 1 GB, which sorts the benchmark corpus in
    memory (128 MB spilled it to disk: 80 s against 60 s), within a quarter of the RAM."""
    ram_mb = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20
    return max(128, min(1024, ram_mb // 4 // processes))


def _add_digest(writer, digest: Digest, entry: DocEntry) -> None:
    """Index a digest's passages and complete its manifest entry."""
    passages = segment(digest)
    languages = detect_all([p.text for p in passages])
    declared = (digest.language or "").lower()[:2]
    entry.lang = (
        declared
        if declared in LANGUAGES
        else dominant([(lang, len(p.text)) for lang, p in zip(languages, passages, strict=True)])
    )
    entry.passages = len(passages)
    partner_candidates(passages).fill(entry)
    for passage, language in zip(passages, languages, strict=True):
        writer.add_document(**_fields(digest, passage, language, entry.hash))


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
