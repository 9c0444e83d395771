"""Change the corpus folder safely: add, replace and remove digest files atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .digest import Digest, DigestError, Skipped, record_id, slugify
from .readers import SUPPORTED, read


class UnsupportedType(DigestError):
    """A file type no reader handles."""


def check_readable(corpus: Path, path: Path) -> list[Digest]:
    """The digests a file holds; DigestError with the reader's reason when any part is bad."""
    results = read(path, corpus, doc_id="upload")
    bad = [r for r in results if isinstance(r, Skipped)]
    if bad:
        raise DigestError("; ".join(r.reason for r in bad))
    return [r for r in results if isinstance(r, Digest)]


def add_file(corpus: Path, filename: str, data: bytes) -> Path:
    """Store an uploaded digest under a free name; never overwrites an existing file."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedType(
            f"unsupported file type {suffix or '(none)'}: use {', '.join(SUPPORTED)}"
        )
    stem = slugify(Path(filename).stem)
    tmp = _write_hidden(corpus, stem, suffix, data)
    try:
        check_readable(corpus, tmp)
        for n in range(1, 1000):
            target = corpus / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                os.link(tmp, target)  # atomic, and fails rather than replace an existing file
                return target
            except FileExistsError:
                continue
        raise DigestError(f"too many digests named {stem}")
    finally:
        tmp.unlink(missing_ok=True)


def add_record(corpus: Path, record: dict) -> Path:
    """Store a digest given as fields (title, text, date, url) as a one-line JSON export."""
    title = str(record.get("title") or "").strip()
    if not title:
        raise DigestError("a title is needed")
    fields = {k: record[k] for k in ("title", "text", "date", "url", "lang") if record.get(k)}
    doc_id = slugify(title)
    for n in range(1, 1000):
        candidate = doc_id if n == 1 else f"{doc_id}-{n}"
        if not (corpus / f"{candidate}.jsonl").exists():
            break
    line = json.dumps({"id": candidate, **fields}, ensure_ascii=False) + "\n"
    return add_file(corpus, f"{candidate}.jsonl", line.encode("utf-8"))


def replace_file(corpus: Path, source: str, data: bytes) -> Path:
    """Replace a digest's file in one step (rename over it) once the new content reads well."""
    target = _inside(corpus, source)
    tmp = _write_hidden(corpus, target.stem, target.suffix, data)
    try:
        check_readable(corpus, tmp)
        os.replace(tmp, target)
        return target
    finally:
        tmp.unlink(missing_ok=True)


def remove_digest(corpus: Path, source: str, doc_id: str) -> None:
    """Remove a digest: its file, or its line when an export holds several digests."""
    target = _inside(corpus, source)
    if target.suffix.lower() not in (".jsonl", ".jsonlines", ".ndjson"):
        target.unlink()
        return
    kept = [
        line for line in target.read_text(encoding="utf-8").splitlines(keepends=True)
        if not _is_record(line, doc_id)
    ]  # fmt: skip
    if not any(line.strip() for line in kept):
        target.unlink()
        return
    tmp = _write_hidden(corpus, target.stem, target.suffix, "".join(kept).encode("utf-8"))
    os.replace(tmp, target)


def _is_record(line: str, doc_id: str) -> bool:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(record, dict) and record_id(record.get("id", record.get("_id"))) == doc_id


def _inside(corpus: Path, source: str) -> Path:
    """A corpus-relative path that stays inside the corpus."""
    target = (corpus / source).resolve()
    if corpus.resolve() not in target.parents:
        raise DigestError(f"{source} is not inside the corpus")
    return target


def _write_hidden(corpus: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write data to a hidden temporary file in the corpus (the indexer skips hidden files)."""
    corpus.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".upload-{stem}.", suffix=suffix, dir=corpus)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return Path(name)
