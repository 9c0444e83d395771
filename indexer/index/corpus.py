"""Change the corpus folder safely: one writer at a time, each change atomic, ids protected.

Every change runs inside `CorpusWriter`, which holds the index's one writer lock while it
changes the folder and brings the index up to date, so uploads, edits, the watcher and the
CLI never interleave. A digest's id belongs to the file that first claimed it: a new upload
gets a fresh id or is refused (IdConflict), never takes over an existing digest.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from indexer.index import store
from indexer.index.build import update_index
from indexer.index.plan import Summary
from indexer.ingest.digest import Digest, DigestError, Skipped, record_id, slugify
from indexer.ingest.readers import SUPPORTED, JsonLinesReader
from indexer.ingest.sandbox import read_limited

log = logging.getLogger(__name__)

RECORD_FILES = (".jsonl", ".jsonlines", ".ndjson")
RECORD_FIELDS = ("title", "text", "date", "url", "lang")
UPLOAD_PREFIX = ".upload-"


class UnsupportedType(DigestError):
    """A file type no reader handles."""


class IdConflict(DigestError):
    """An upload whose records carry ids that other digests already own."""


class UnknownDigest(LookupError):
    """A doc id that no digest of the live index has."""


class Duplicate(DigestError):
    """An upload whose bytes are those of a file the index already holds."""

    def __init__(self, source: str, doc_ids: list[str]):
        super().__init__("write_duplicate", source=source, ids=", ".join(doc_ids[:5]))
        self.source, self.doc_ids = source, doc_ids


@dataclass(frozen=True)
class Removed:
    """What a deletion took away, so that it can be put back: a file's bytes, or the one
    line of a JSON-lines export."""

    doc_id: str
    source: str
    data: bytes
    record: bool


class CorpusWriter:
    """The corpus folder while this thread holds the writer lock; the index follows on exit."""

    def __init__(self, corpus: Path, index_dir: Path, wait_seconds: float):
        # Absolute once: temporary files come back as absolute paths, sources are relative.
        self.corpus, self.index_dir = corpus.resolve(), index_dir.resolve()
        self.wait_seconds = wait_seconds
        self.summary: Summary | None = None
        self.owners: dict[str, str] = {}  # doc_id -> source, as the live index has them
        self.files: dict[str, str] = {}  # sha256 of a file's bytes -> its source
        self._held = contextlib.ExitStack()

    def __enter__(self) -> CorpusWriter:
        with contextlib.ExitStack() as stack:
            stack.enter_context(store.writer_lock(self.index_dir, self.wait_seconds))
            self.owners, self.files = _live_sources(self.index_dir)
            self._held = stack.pop_all()
        return self

    def __exit__(self, kind, exc, tb) -> None:
        with self._held:
            if kind is None:  # a refused change changed nothing: no update to make
                self.summary = update_index(self.corpus, self.index_dir)

    def add_file(self, filename: str, data: bytes, replace: bool = False) -> Path:
        """Store an upload under a free name whose id no digest has; never overwrites. A file
        the index already holds is refused (Duplicate); with replace, an upload named like a
        digest of its own file is that digest's new version, and a duplicate is kept as is."""
        suffix = Path(filename).suffix.lower()
        if suffix not in SUPPORTED:
            raise UnsupportedType("write_unsupported", suffix=suffix or "(none)",
                                  types=", ".join(SUPPORTED))  # fmt: skip
        stem = slugify(Path(filename).stem)
        same = self.files.get(hashlib.sha256(data).hexdigest())
        if same is not None:
            if not replace:
                raise Duplicate(same, [i for i, s in self.owners.items() if s == same])
            return self.corpus / same
        if replace and suffix not in RECORD_FILES and self._own_file(stem):
            return self.replace(stem, data)
        tmp = self._write_hidden(stem, suffix, data)
        try:
            digests = check_readable(self.corpus, tmp)
            if suffix in RECORD_FILES:
                self._refuse_taken([d.doc_id for d in digests])
            for n in range(1, 1000):
                name = stem if n == 1 else f"{stem}-{n}"
                if suffix not in RECORD_FILES and name in self.owners:
                    continue  # the file's id would be taken: the next free name gives a fresh one
                try:
                    target = self.corpus / f"{name}{suffix}"
                    os.link(tmp, target)  # atomic, and fails rather than replace a file
                    return target
                except FileExistsError:
                    continue
            raise DigestError("write_too_many_named", name=stem)
        finally:
            tmp.unlink(missing_ok=True)

    def add_record(self, record: dict) -> Path:
        """Store a digest given as fields (title, text, date, url) as a one-line JSON export."""
        title = str(record.get("title") or "").strip()
        if not title:
            raise DigestError("write_title_needed")
        base = slugify(title)
        for n in range(1, 1000):
            doc_id = base if n == 1 else f"{base}-{n}"
            if doc_id not in self.owners and not (self.corpus / f"{doc_id}.jsonl").exists():
                line = _record_line(doc_id, record)
                return self.add_file(f"{doc_id}.jsonl", line.encode("utf-8"))
        raise DigestError("write_too_many_titled", title=title)

    def replace(self, doc_id: str, content: bytes | dict) -> Path:
        """Replace a digest: its file, or only its record in a JSON-lines export."""
        source = self.source_of(doc_id)
        target = _inside(self.corpus, source)
        if target.suffix.lower() in RECORD_FILES:
            return self._replace_record(target, doc_id, _one_record(content, doc_id))
        if isinstance(content, dict):
            raise DigestError("write_is_a_file", source=source)
        tmp = self._write_hidden(target.stem, target.suffix, content)
        try:
            check_readable(self.corpus, tmp)
            os.replace(tmp, target)  # over a link, replaces the link: its target is untouched
            return target
        finally:
            tmp.unlink(missing_ok=True)

    def remove(self, doc_id: str) -> Removed:
        """Remove a digest: its file, or its record when an export holds several digests."""
        source = self.source_of(doc_id)
        target = _inside(self.corpus, source)
        if target.suffix.lower() not in RECORD_FILES or not target.exists():
            data = target.read_bytes() if target.is_file() else b""
            target.unlink(missing_ok=True)  # a link is removed itself, never its target
            return Removed(doc_id, source, data, record=False)
        kept, gone = [], []
        for line in _lines(target):  # each line's id parsed once
            (gone if _line_id(line) == doc_id else kept).append(line)
        if any(line.strip() for line in kept):
            self._rewrite(target, kept)
        else:
            target.unlink()
        return Removed(doc_id, source, "".join(gone).encode("utf-8"), record=True)

    def restore(self, removed: Removed) -> Path:
        """Put a removed digest back: its file where it was (if that name is still free), or
        its record as an export of its own; under its id either way when no one took it."""
        if removed.record:
            return self.add_file(f"{removed.doc_id}.jsonl", removed.data)
        target = _inside(self.corpus, removed.source)
        tmp = self._write_hidden(target.stem, target.suffix, removed.data)
        try:
            check_readable(self.corpus, tmp)
            os.link(tmp, target)  # fails rather than replace a file that took the name
            return target
        except FileExistsError:
            return self.add_file(target.name, removed.data)
        finally:
            tmp.unlink(missing_ok=True)

    def _own_file(self, doc_id: str) -> bool:
        """Whether a digest of this id is a file of its own (not a record of an export)."""
        source = self.owners.get(doc_id)
        return source is not None and Path(source).suffix.lower() not in RECORD_FILES

    def source_of(self, doc_id: str) -> str:
        try:
            return self.owners[doc_id]
        except KeyError:
            raise UnknownDigest(doc_id) from None

    def _replace_record(self, target: Path, doc_id: str, record: dict) -> Path:
        line = _record_line(doc_id, record)
        JsonLinesReader.parse_record(
            line.rstrip("\n")
        )  # the reader's own checks, before anything changes
        lines = [line if _line_id(old) == doc_id else old for old in _lines(target)]
        self._rewrite(target, lines)
        return target

    def _rewrite(self, target: Path, lines: list[str]) -> None:
        text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        tmp = self._write_hidden(target.stem, target.suffix, text.encode("utf-8"))
        os.replace(tmp, target)

    def _refuse_taken(self, doc_ids: list[str]) -> None:
        taken = [f"{i} (in {self.owners[i]})" for i in doc_ids if i in self.owners]
        if taken:
            raise IdConflict("write_ids_taken", ids=", ".join(taken[:5]))

    def _write_hidden(self, stem: str, suffix: str, data: bytes) -> Path:
        """Data in a hidden file of the corpus (the indexer skips hidden files)."""
        self.corpus.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f"{UPLOAD_PREFIX}{stem[:60]}.", suffix=suffix, dir=self.corpus
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return Path(name)


def check_readable(corpus: Path, path: Path) -> list[Digest]:
    """The digests a file holds; DigestError with the reader's reason when any part is bad."""
    results = read_limited(path, corpus, doc_id="upload")
    bad = [r for r in results if isinstance(r, Skipped)]
    if bad:
        # One reason in the reader's language; several (an export's lines) as they were said.
        if len(bad) == 1 and bad[0].said is not None:
            raise DigestError(bad[0].said.key, **bad[0].said.values)
        raise DigestError("read_as_said", text="; ".join(r.reason for r in bad))
    ids = [r.doc_id for r in results]
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        raise DigestError("write_ids_twice", ids=", ".join(repeated[:5]))
    return results


def remove_leftovers(corpus: Path) -> int:
    """Delete upload scratch files left by a killed server (call it holding the writer lock)."""
    removed = 0
    for leftover in corpus.glob(f"{UPLOAD_PREFIX}*"):
        leftover.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.info("removed %d unfinished upload(s) from %s", removed, corpus)
    return removed


def catch_up(corpus: Path, index_dir: Path, wait_seconds: float = 600) -> Summary:
    """After a start or a lost index: drop unfinished uploads, then index what changed while
    nobody watched (the live generation is the base: nothing is rebuilt that need not be)."""
    with store.writer_lock(index_dir, wait_seconds):
        remove_leftovers(corpus)
        return update_index(corpus, index_dir)


def _live_sources(index_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Who owns each doc id, and which file each file hash is, as the live index has them."""
    try:
        manifest = store.read_manifest(store.current_generation(index_dir))
    except store.NoIndex:
        return {}, {}
    files = {e.sha256: source for source, e in manifest.sources.items() if e.sha256 and e.doc_ids}
    return manifest.owners(), files


def _one_record(content: bytes | dict, doc_id: str) -> dict:
    """The one record a PUT gives for a JSON-lines digest: JSON fields or a one-line export."""
    if isinstance(content, dict):
        return content
    lines = [line for line in content.decode("utf-8", "replace").splitlines() if line.strip()]
    if len(lines) != 1:
        raise DigestError("write_one_record")
    try:
        record = json.loads(lines[0])
    except (json.JSONDecodeError, RecursionError):
        record = None
    if not isinstance(record, dict):
        raise DigestError("write_record_not_object")
    given = record.get("id", record.get("_id"))
    if given is not None and record_id(given) != doc_id:
        raise DigestError("write_record_id", given=repr(given), doc_id=repr(doc_id))
    return record


def _record_line(doc_id: str, record: dict) -> str:
    fields = {k: record[k] for k in RECORD_FIELDS if record.get(k)}
    return json.dumps({"id": doc_id, **fields}, ensure_ascii=False) + "\n"


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _line_id(line: str) -> str | None:
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    return record_id(record.get("id", record.get("_id")))


def _inside(corpus: Path, source: str) -> Path:
    """A corpus-relative path whose folder is inside the corpus (the file itself may be a
    link: it is replaced or removed as a link, never followed)."""
    target = corpus / source
    folder = target.parent.resolve()
    if folder != corpus and corpus not in folder.parents:
        raise DigestError("write_outside", source=source)
    return target
