"""The history of corrections to partners.toml: who made each one, when, what it was, and the
file as it stood before and after it. Append-only; kept in a hidden folder of the corpus (never
read as a digest), one JSON line per change, each state of the file stored once by its hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from indexer.index import store
from indexer.partners.curated import key

log = logging.getLogger(__name__)

HISTORY_DIR = ".partners-history"
LOG_FILE = "changes.jsonl"
_READ: dict[Path, tuple[tuple[int, int], list]] = {}  # log file -> (its stat, its changes)
ACTIONS = ("rename", "add_name", "merge", "split", "own", "ignore", "dismiss", "undo")


@dataclass(frozen=True)
class Change:
    """One correction as recorded: `subject` is the partner it was made on, `detail` what it
    gave (the new name, the partner merged into, the change an undo took back)."""

    number: int
    at: str  # UTC, ISO 8601, to the second
    author: str
    action: str  # one of ACTIONS
    subject: str
    detail: str
    names: tuple[str, ...]  # every name in the entries and lists it changed
    before: str  # sha256 of the file before it
    after: str  # and after it
    undoes: int | None = None

    def touches(self, names) -> bool:
        """Whether it changed an entry or a list holding one of these names."""
        return bool({key(n) for n in self.names} & {key(n) for n in names})


class History:
    """The corrections of one corpus, oldest first. Writes are made under the writer lock."""

    def __init__(self, corpus: Path):
        self.folder = Path(corpus) / HISTORY_DIR
        self.log_path = self.folder / LOG_FILE

    def changes(self) -> list[Change]:
        """Every recorded change; a line cut short by a crash is left out (and logged)."""
        try:
            stat = self.log_path.stat()
        except FileNotFoundError:
            return []
        cached = _READ.get(self.log_path)
        if cached and cached[0] == (stat.st_mtime_ns, stat.st_size):
            return cached[1]
        changes = []
        for line in self.log_path.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(line)
                changes.append(Change(**{**data, "names": tuple(data["names"])}))
            except (ValueError, TypeError, KeyError):
                log.warning("%s: a line that is not a change was left out", self.log_path)
        _READ[self.log_path] = ((stat.st_mtime_ns, stat.st_size), changes)
        return changes

    def get(self, number: int) -> Change | None:
        return next((c for c in self.changes() if c.number == number), None)

    def about(self, names) -> list[Change]:
        """The changes touching a partner known by any of these names, newest first."""
        return [c for c in reversed(self.changes()) if c.touches(names)]

    def undone(self) -> set[int]:
        """The numbers of the changes an undo has taken back."""
        return {c.undoes for c in self.changes() if c.undoes is not None}

    def last_own(self, author: str) -> Change | None:
        """The author's newest change that is not an undo and not undone yet."""
        undone = self.undone()
        own = [c for c in self.changes() if c.author == author and c.action != "undo"]
        return next((c for c in reversed(own) if c.number not in undone), None)

    def text(self, sha: str) -> str | None:
        """The file as it stood in one recorded state, or None when it is not kept."""
        path = self.folder / f"{sha}.toml"
        if len(sha) != 64 or not sha.isalnum() or not path.exists():
            return None
        return path.read_text(encoding="utf-8")

    def record(self, author: str, action: str, subject: str, detail: str, *, names,
               before: str, after: str, undoes: int | None = None) -> Change:  # fmt: skip
        """Keep both states of the file and append the change (the caller holds the lock)."""
        self.folder.mkdir(exist_ok=True)
        shas = [self._keep(text) for text in (before, after)]
        changes = self.changes()
        change = Change(
            number=changes[-1].number + 1 if changes else 1,
            at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            author=author,
            action=action,
            subject=subject,
            detail=detail,
            names=tuple(dict.fromkeys(names)),
            before=shas[0],
            after=shas[1],
            undoes=undoes,
        )
        self._append(json.dumps(asdict(change), ensure_ascii=False))
        return change

    def edited_by_hand(self, current: str) -> bool:
        """Whether the file differs from what the last recorded change left."""
        changes = self.changes()
        return bool(changes) and changes[-1].after != sha256(current)

    def _keep(self, text: str) -> str:
        sha = sha256(text)
        path = self.folder / f"{sha}.toml"
        if not path.exists():
            store.write_atomic(path, text)
        return sha

    def _append(self, line: str) -> None:
        with open(self.log_path, "ab") as handle:
            if handle.tell() and not _ends_with_newline(self.log_path):
                handle.write(b"\n")  # a line a crash cut short stays on its own
            handle.write(line.encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        store.fsync_dir(self.folder)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
