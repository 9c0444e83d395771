"""Staff corrections to the partner directory, written to corpus/partners.toml.

Each change re-reads the file under the one writer lock, edits it with tomlkit (comments and
order kept), writes it aside, fsyncs and renames it over, and records who made it, when, and
the file before and after it in the history; then the index applies it (the directory is
rebuilt incrementally: mentions of partners whose names did not change are kept). Undo takes
back the author's own last change, and only that.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from indexer.index import store
from indexer.index.build import update_index
from indexer.ingest.text import clean_line
from indexer.locale import Message
from indexer.partners.curated import CURATED_FILE, Curated, CuratedError, key
from indexer.partners.history import Change, History
from indexer.partners.revert import RevertConflict, changed_names, revert

log = logging.getLogger(__name__)

MAX_NAME = 500  # characters in one name


class EditError(ValueError):
    """A correction that cannot be made (a merge into itself, an empty name): English in
    logs and str(), any language through its Message (said)."""

    def __init__(self, key: str, **values):
        self.said = Message(key, **values)
        super().__init__(str(self.said))


@dataclass(frozen=True)
class PartnerRef:
    """The partner a correction is about, as the directory shows it."""

    name: str
    names: tuple[str, ...] = ()


class CuratedEditor:
    """Corrections of one corpus's partner directory; each one applied to the index at once."""

    def __init__(self, corpus: Path, index_dir: Path, wait_seconds: float = 30.0, *,
                 author: str):  # fmt: skip
        self.corpus, self.index_dir, self.wait_seconds = corpus, index_dir, wait_seconds
        self.path, self.author, self.history = corpus / CURATED_FILE, author, History(corpus)

    def rename(self, partner: PartnerRef, new_name: str) -> None:
        new_name = _checked(new_name)

        def edit(doc):
            entry = _entry_for(doc, partner)
            aliases = [
                a
                for a in [*entry.get("aliases", []), str(entry["name"])]
                if key(a) != key(new_name)
            ]
            entry["name"] = new_name
            entry["aliases"] = _array(aliases)

        self._change(edit, "rename", partner.name, new_name)

    def add_name(self, partner: PartnerRef, name: str) -> None:
        name = _checked(name)

        def edit(doc):
            _remove_everywhere(doc, name)
            entry = _entry_for(doc, partner)
            if key(name) != key(str(entry["name"])):
                entry["aliases"] = _array([*entry.get("aliases", []), name])

        self._change(edit, "add_name", partner.name, name)

    def merge(self, partner: PartnerRef, into: PartnerRef) -> None:
        """One partner's names become another's."""
        if key(partner.name) == key(into.name):
            raise EditError("edit_self_merge")

        def edit(doc):
            moving = _take_entry(doc, partner)
            entry = _entry_for(doc, into)
            names = [*entry.get("aliases", []), *moving]
            entry["aliases"] = _array([n for n in names if key(n) != key(str(entry["name"]))])

        self._change(edit, "merge", partner.name, into.name)

    def split(self, partner: PartnerRef, name: str) -> None:
        """One of a partner's names becomes a partner of its own, kept apart from it."""
        if key(name) == key(partner.name):
            raise EditError("edit_split_main")
        if key(name) not in {key(n) for n in partner.names}:
            raise EditError("edit_not_its_name", name=name)

        def edit(doc):
            _remove_everywhere(doc, name)
            _entry_for(doc, partner)  # the rest stays together, in an entry of its own
            doc.setdefault("partner", _tomlkit().aot()).append(_new_entry(name))

        self._change(edit, "split", partner.name, name)

    def mark(self, partner: PartnerRef, kind: str) -> None:
        """Our own unit ("own") or not an organisation ("ignore"): never a partner again."""
        if kind not in ("own", "ignore"):
            raise EditError("edit_mark_kind")

        def edit(doc):
            names = [*_take_entry(doc, partner), *partner.names]
            table = doc.setdefault(kind, _tomlkit().table())
            listed = list(table.get("names", []))
            table["names"] = _array(
                listed + [n for n in names if key(n) not in {key(x) for x in listed}]
            )

        self._change(edit, kind, partner.name, "")

    def dismiss(self, one: str, other: str) -> None:
        """A suggested merge staff turned down: never suggested again."""

        def edit(doc):
            review = doc.setdefault("review", _tomlkit().table())
            pairs = list(review.get("dismissed", []))
            pair = sorted([one, other])
            if pair not in [sorted(p) for p in pairs]:
                pairs.append(pair)
            review["dismissed"] = _array(pairs)

        self._change(edit, "dismiss", one, other)

    def undo(self) -> Change:
        """Take back this author's own last change (not yet undone), leaving everyone else's;
        EditError saying who, or that a hand edit, changed the same partner since."""
        with store.writer_lock(self.index_dir, self.wait_seconds):
            current = self._current()[0]
            change = self.history.last_own(self.author)
            if change is None:
                raise EditError("edit_nothing_to_undo")
            _refuse_if_touched_since(self.history, change)
            before, after = (self.history.text(sha) for sha in (change.before, change.after))
            if before is None or after is None:
                raise EditError("edit_not_kept", n=change.number)
            try:
                reverted = revert(before, after, current)
            except RevertConflict as conflict:
                raise EditError("edit_hand_changed", names=_names(conflict.names),
                                n=change.number) from conflict  # fmt: skip
            return self._write(current, reverted, "undo", change.subject, str(change.number),
                               undoes=change.number)  # fmt: skip

    def _change(self, edit, action: str, subject: str, detail: str) -> Change:
        with store.writer_lock(self.index_dir, self.wait_seconds):
            old, doc = self._current()
            edit(doc)
            return self._write(old, _tomlkit().dumps(doc), action, subject, detail)

    def _current(self):
        """The file's text and its tomlkit document; CuratedError when a hand edit broke it."""
        try:
            Curated.load(self.corpus)  # a hand edit's wrong type or encoding, said plainly
            old = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
            return old, _tomlkit().parse(old)
        except (CuratedError, _tomlkit().exceptions.TOMLKitError) as error:
            raise CuratedError(f"{error}; correct the file first") from error

    def _write(self, old: str, new: str, action: str, subject: str, detail: str,
               undoes: int | None = None) -> Change:  # fmt: skip
        """Replace the file, record the change, apply it to the index."""
        store.write_atomic(self.path, new)
        store.fsync_dir(self.corpus)
        names = changed_names(old, new)
        change = self.history.record(self.author, action, subject, detail, undoes=undoes,
                                     names=names, before=old, after=new)  # fmt: skip
        log.info("partners.toml: change %d (%s) by %s; updating the directory",
                 change.number, action, self.author)  # fmt: skip
        update_index(self.corpus, self.index_dir)
        return change


def _refuse_if_touched_since(history: History, change: Change) -> None:
    """EditError when somebody else's later change, still in force, touched the same names."""
    undone = history.undone()
    for later in history.changes():
        if (later.number > change.number and later.author != change.author
                and later.action != "undo" and later.number not in undone
                and later.touches(change.names)):  # fmt: skip
            raise EditError("edit_later_change", author=later.author,
                            names=_names([later.subject]), n=change.number,
                            later=later.number, at=later.at.replace("T", " ")[:16])  # fmt: skip


def _names(names) -> str:
    return ", ".join(list(names)[:3]) or "?"


def _tomlkit():
    import tomlkit  # loaded for a correction, not in every worker
    import tomlkit.exceptions

    return tomlkit


def _checked(name: str) -> str:
    name = clean_line(str(name))  # as digests are cleaned: no control character in a name
    if not name:
        raise EditError("edit_empty_name")
    if len(name) > MAX_NAME:
        raise EditError("edit_long_name", max=MAX_NAME)
    return name


def _entry_for(doc, partner: PartnerRef):
    """The [[partner]] entry holding one of the partner's names, or a new one for it."""
    keys = {key(n) for n in [partner.name, *partner.names]}
    for entry in doc.get("partner", []):
        if {key(str(n)) for n in [entry["name"], *entry.get("aliases", [])]} & keys:
            return entry
    entry = _new_entry(partner.name)
    doc.setdefault("partner", _tomlkit().aot()).append(entry)
    return doc["partner"][-1]


def _take_entry(doc, partner: PartnerRef) -> list[str]:
    """Remove the partner's entry (if any); its names, main name first."""
    keys = {key(n) for n in [partner.name, *partner.names]}
    entries = doc.get("partner", [])
    for i, entry in enumerate(entries):
        names = [str(n) for n in [entry["name"], *entry.get("aliases", [])]]
        if {key(n) for n in names} & keys:
            del entries[i]
            return names
    return [partner.name]


def _remove_everywhere(doc, name: str) -> None:
    """Take a name out of every entry's aliases (it is about to belong elsewhere)."""
    for entry in doc.get("partner", []):
        aliases = [a for a in entry.get("aliases", []) if key(str(a)) != key(name)]
        if len(aliases) != len(entry.get("aliases", [])):
            entry["aliases"] = _array(aliases)


def _new_entry(name: str):
    entry = _tomlkit().table()
    entry["name"] = name
    return entry


def _array(items):
    array = _tomlkit().array()
    array.extend(items)
    return array
