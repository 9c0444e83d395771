"""Staff accounts, their sessions and the throttling of wrong guesses, in one SQLite file
beside the index (`staff.sqlite3`), shared by every worker process.

Passwords are hashed with scrypt (hashlib; n=2**14, r=8, p=1, a 16-byte salt). A session is a
random id whose SHA-256 is a row here: signing out, a password change or removing the person
deletes the rows, and the cookie holding the id is worth nothing at once.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import sqlite3
import time
import unicodedata
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

STAFF_FILE = "staff.sqlite3"
SESSION_SECONDS = 8 * 3600  # a working day; then staff sign in again
MIN_PASSWORD = 10  # characters
FREE_FAILURES = 5  # wrong guesses per address or account before each next one waits
MAX_DELAY = 15 * 60  # seconds: the longest wait, reached after 15 more failures
FORGET_SECONDS = 24 * 3600  # failures older than this no longer count
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS staff (name TEXT PRIMARY KEY, hash TEXT NOT NULL, added REAL);
CREATE TABLE IF NOT EXISTS sessions (digest TEXT PRIMARY KEY, name TEXT NOT NULL,
                                     expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL,
                                     last REAL NOT NULL);
"""


class AccountError(ValueError):
    """A name or password that cannot be used, said for people."""


@dataclass(frozen=True)
class Throttled(Exception):
    """Too many wrong guesses: the next one is heard after retry_after seconds."""

    retry_after: int


def normal_name(name: str) -> str:
    """A person's name as stored and compared: NFC, trimmed, case kept."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name or len(name) > 100 or any(c.isspace() and c != " " for c in name):
        raise AccountError("A name is 1-100 characters on one line.")
    return name


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt, expected = stored.split("$")
    except ValueError:
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return scheme == "scrypt" and hmac.compare_digest(digest.hex(), expected)


class StaffStore:
    """The staff file of one installation; every call opens and closes its own connection, so
    threads and processes share it through SQLite's own locking."""

    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def beside(cls, index_dir: Path) -> StaffStore:
        return cls(Path(index_dir).parent / STAFF_FILE)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.executescript(_SCHEMA)
        return connection

    def _run(self, sql: str, *args) -> list[tuple]:
        with closing(self._connect()) as db:
            return db.execute(sql, args).fetchall()

    def secret(self) -> str:
        """The key session cookies are signed with: made once, the same in every worker."""
        with closing(self._connect()) as db:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('secret', ?)", (secrets.token_hex(32),))
            return db.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()[0]

    # people
    def names(self) -> list[str]:
        if not self.path.exists():
            return []
        return [row[0] for row in self._run("SELECT name FROM staff ORDER BY name")]

    def add(self, name: str, password: str) -> None:
        name = normal_name(name)
        _check_password(password)
        try:
            self._run("INSERT INTO staff VALUES (?, ?, ?)", name, hash_password(password),
                      time.time())  # fmt: skip
        except sqlite3.IntegrityError:
            raise AccountError(f"{name!r} already has an account.") from None

    def set_password(self, name: str, password: str) -> None:
        """A new password; every session of the person ends."""
        name = normal_name(name)
        _check_password(password)
        with closing(self._connect()) as db:
            found = db.execute("UPDATE staff SET hash = ? WHERE name = ?",
                               (hash_password(password), name)).rowcount  # fmt: skip
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))
        if not found:
            raise AccountError(f"There is no account {name!r}.")

    def remove(self, name: str) -> None:
        name = normal_name(name)
        with closing(self._connect()) as db:
            found = db.execute("DELETE FROM staff WHERE name = ?", (name,)).rowcount
            db.execute("DELETE FROM sessions WHERE name = ?", (name,))
        if not found:
            raise AccountError(f"There is no account {name!r}.")

    def check(self, name: str, password: str) -> bool:
        rows = self._run("SELECT hash FROM staff WHERE name = ?", name.strip())
        if not rows:
            hash_password(password)  # the same time for a name that does not exist
            return False
        return password_matches(password, rows[0][0])

    # sessions
    def open_session(self, name: str) -> str:
        session_id = secrets.token_urlsafe(32)
        self._run("INSERT INTO sessions VALUES (?, ?, ?)", _digest(session_id), name,
                  time.time() + SESSION_SECONDS)  # fmt: skip
        return session_id

    def session_name(self, session_id: str) -> str | None:
        """Who holds this live session, or None (ended, expired, or never opened)."""
        rows = self._run("SELECT name FROM sessions WHERE digest = ? AND expires > ?",
                         _digest(session_id), time.time())  # fmt: skip
        return rows[0][0] if rows else None

    def end_session(self, session_id: str) -> None:
        self._run("DELETE FROM sessions WHERE digest = ? OR expires <= ?", _digest(session_id),
                  time.time())  # fmt: skip

    # throttling
    def wait_for(self, *keys: str) -> None:
        """Throttled while any key has failed too often, too recently."""
        now = time.time()
        placeholders = ",".join("?" * len(keys))
        rows = self._run(f"SELECT count, last FROM failures WHERE key IN ({placeholders})", *keys)
        waits = [last + delay(count) - now for count, last in rows]
        if waits and max(waits) > 0:
            raise Throttled(int(max(waits)) + 1)

    def failed(self, *keys: str) -> None:
        now = time.time()
        with closing(self._connect()) as db:
            db.execute("DELETE FROM failures WHERE last < ?", (now - FORGET_SECONDS,))
            for key in keys:
                db.execute("INSERT INTO failures VALUES (?, 1, ?) ON CONFLICT(key) DO UPDATE "
                           "SET count = count + 1, last = ?", (key, now, now))  # fmt: skip

    def succeeded(self, *keys: str) -> None:
        placeholders = ",".join("?" * len(keys))
        self._run(f"DELETE FROM failures WHERE key IN ({placeholders})", *keys)


def delay(failures: int) -> float:
    """Seconds the next guess waits after this many failures: none for the first few, then
    doubling from one second up to MAX_DELAY."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(2 ** (failures - FREE_FAILURES), MAX_DELAY))


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"A password has at least {MIN_PASSWORD} characters.")


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()
