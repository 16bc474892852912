"""Outcomes kept between runs: an indexed store beside the compiled rulebooks, read by key.

Every row is an outcome durable_rules produced for one subject (a role's
verdict or a notice's showing, with the value of every node behind it), keyed
by the hash of exactly the field values its rules read (the situation) and by
the hash of the compiled rulebook that produced it (see `cache.py`), so a
stored outcome is only ever reused with the very compiled rules it came from.
A row is compact: the node values as a string of 0 and 1 in the unit's fixed
node order, and the values the comparisons saw.

The store is one SQLite database (`memo.sqlite`) in WAL mode, so a run reads
only the situations it meets, one query per scenario, and many processes (a
`--jobs` batch, two terminals) read and write it at once. Writes are short
transactions under a busy timeout; a store that is locked, torn, foreign or
unreadable is treated as no memo and the outcome is evaluated: the store never
fails an evaluation. A database that is not this store's (another program's,
another format, or not a database at all) is replaced by an empty one.

A stored outcome is checked before it is used: its row's seal (a SHA-256 of
the rulebook's hash, the situation and the outcome) must match, and its status
must be the one its own node values give (see `status_from_values`). A row that
fails either check is not used, and is overwritten by the outcome evaluated
in its place.

The store is bounded: the outcomes of a compiled rulebook not used for
`UNUSED_SECONDS` are deleted, and when the database outgrows its share of the
cache folder's size limit (see `cachedir.py`) the least recently used rows go
first. Rows are keyed by hashes, so new ones land all over the table: they are
written a thousand or so at a time, which keeps each transaction, and the
journal, small.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any

from . import cachedir
from .outcome import Outcome, Unit

if TYPE_CHECKING:  # pragma: no cover
    # sqlite3 only where the store is used: a run that finds its outcomes elsewhere never pays for it
    import sqlite3

    from .compiler import CompiledRulebook, Ref

FORMAT = 6
APPLICATION_ID = 0x67646C6E  # "gdln": this store's mark in the database header, so a foreign one is known
NOTICE_PREFIX = "notice:"  # how the runtime names the unit of a notice
BUSY_SECONDS = 2.0  # how long a run waits for another's write before going on without the store
FLUSH_EVERY = 1_024  # new outcomes kept in memory before they are written: memory and journal stay small
TOUCH_SECONDS = 6 * 3600  # a row's last use is rewritten only when older than this: reads stay reads
UNUSED_SECONDS = 30 * 86400  # the outcomes of a compiled rulebook not used for this long are deleted
QUERY_CHUNK = 500  # situations asked in one query
_BROKEN_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB: the file is not a store this module can use

_INHERITED: list[Any] = []  # connections a forked process got from its parent: kept, unused, never closed

_SCHEMA = """
CREATE TABLE outcome (
    book INTEGER NOT NULL,
    situation BLOB NOT NULL,
    body TEXT NOT NULL,
    seal BLOB NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (book, situation)
) WITHOUT ROWID;
CREATE TABLE version (
    book INTEGER PRIMARY KEY,
    used INTEGER NOT NULL
);
"""


def situation_hash(key: tuple[Any, ...]) -> bytes:
    """The situation a key names, as 16 bytes: the hash of the field values the unit's rules read."""
    text = json.dumps(key, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def book_number(key: str) -> int:
    """A compiled rulebook's number in the store: 8 bytes of its hash (the seal holds the whole of it)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


def row_seal(book: str, situation: bytes, body: str) -> bytes:
    return hashlib.sha256(b"%s\0%s\0%s" % (book.encode(), situation, body.encode("utf-8"))).digest()[:16]


class MemoStore:
    """The stored outcomes of one compiled rulebook (`key`: its hash) in the store at `path`, opened lazily.

    `budget`: the bytes the database may take; by default its share of the
    cache folder's size limit, worked out when it is written.
    """

    def __init__(self, path: str, compiled: CompiledRulebook, key: str = "", budget: int | None = None) -> None:
        self.path = path
        self.compiled = compiled
        self.key = key
        self.book = book_number(key)
        self.budget = budget
        self._db: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._off = False  # the store is unusable in this process: every outcome is evaluated
        self._new: dict[bytes, str] = {}
        self._touch: set[bytes] = set()
        self.refused = 0  # stored rows that failed their checks, this process

    # -- opening ---------------------------------------------------------------

    def _forked(self) -> None:
        """In a process forked from the one that opened the store: a connection must not cross a fork (its locks
        are the parent's), and the outcomes not yet written are the parent's to write."""
        if self._pid != os.getpid():
            self._pid = os.getpid()
            if self._db is not None:
                _INHERITED.append(self._db)  # never closed here: closing could act on the parent's store
                self._db = None
            self._new, self._touch = {}, set()

    def _connect(self, create: bool, again: bool = True) -> sqlite3.Connection | None:
        """The open store, or None: not there yet (unless `create`), unusable, or busy past the timeout.

        A file that is not the store is replaced by an empty store (`again`: once)."""
        self._forked()
        if self._db is not None or self._off:
            return self._db
        for path in (self.path, self.path + "-wal", self.path + "-shm"):
            try:
                mode = os.stat(path).st_mode
            except FileNotFoundError:
                if path == self.path and not create:
                    return None  # nothing stored yet: no need to make the store before there is something to keep
                continue
            except OSError:
                self._off = True
                return None
            if not stat.S_ISREG(mode):  # a FIFO would block the open, a folder fails it
                self._off = True
                return None
        # sqlite3 only where the store is used: a run that finds its outcomes elsewhere never pays for it
        import sqlite3

        try:
            if create:
                os.makedirs(os.path.dirname(self.path) or ".", mode=0o700, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error):
            self._off = True
            return None
        try:
            # making the store need not reach the disk: a store torn by a crash meanwhile is replaced next time
            db.execute("PRAGMA synchronous = OFF")
            if not self._ready(db):
                db.close()
                if not self._replace():
                    self._off = True
                    return None
                db = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA synchronous = OFF")
                if not self._ready(db):
                    raise sqlite3.DatabaseError("not a memo store after replacing it")
        except sqlite3.Error as exc:
            db.close()
            if again and _broken(exc) and self._replace():
                return self._connect(create, again=False)
            self._off = True
            return None
        try:  # a commit reaching the disk in the journal is enough for a cache; the journal shrinks after use
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(f"PRAGMA journal_size_limit = {cachedir.journal_allowance(cachedir.size_limit())}")
        except sqlite3.Error:
            pass
        self._db = db
        return db

    def _ready(self, db: sqlite3.Connection) -> bool:
        """Whether `db` is this store (made so if it is an empty database); False for anything else."""
        mark, version = db.execute("SELECT * FROM pragma_application_id, pragma_user_version").fetchone()
        if mark == APPLICATION_ID:
            return version == FORMAT
        if mark != 0 or db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            return False  # another program's database, or a store of before the mark
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # only before the first table: lets eviction shrink the file
        db.execute("PRAGMA journal_mode = WAL")
        with _transaction(db):
            if db.execute("PRAGMA application_id").fetchone()[0] == 0:  # no other process made it meanwhile
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {FORMAT}")
        return db.execute("PRAGMA user_version").fetchone()[0] == FORMAT

    def _replace(self) -> bool:
        """Remove a database that is not this store, with its journal files; True when it is gone."""
        for path in (self.path, self.path + "-wal", self.path + "-shm", self.path + "-journal"):
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
            except OSError:
                return False
        return True

    def _trouble(self, exc: Exception) -> None:
        """After a failed query: a broken file is dropped and the store left alone for this run; a lock passes."""
        if _broken(exc):
            self.close()
            self._replace()
            self._off = True

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except Exception:  # noqa: BLE001 - closing a store that failed: nothing left to save
                pass
            self._db = None

    # -- reading -------------------------------------------------------------

    def get(self, key: tuple[Any, ...], unit: Unit) -> Outcome | None:
        """The stored outcome for `key`, or None (not stored, refused by its checks, or the store unusable)."""
        return self.get_many([(key, unit)]).get(key)

    def get_many(self, wanted: list[tuple[tuple[Any, ...], Unit]]) -> dict[tuple[Any, ...], Outcome]:
        """The stored outcomes of the keys wanted (each with its unit), those stored and whole, in one query."""
        db = self._connect(create=False)
        if db is None or not wanted:
            return {}
        # sqlite3 only where the store is used: a run that finds its outcomes elsewhere never pays for it
        import sqlite3

        by_hash = {situation_hash(key): (key, unit) for key, unit in wanted}
        hashes = list(by_hash)
        rows = []
        try:
            for start in range(0, len(hashes), QUERY_CHUNK):
                chunk = hashes[start : start + QUERY_CHUNK]
                rows += db.execute(
                    "SELECT situation, body, seal, used FROM outcome WHERE book = ? AND situation IN"
                    f" ({','.join('?' * len(chunk))})",
                    [self.book, *chunk],
                ).fetchall()
        except sqlite3.Error as exc:
            self._trouble(exc)
            return {}
        found = {}
        stale = time.time() - TOUCH_SECONDS
        for situation, body, sealed, used in rows:
            key, unit = by_hash[situation]
            outcome = self._checked(situation, body, sealed, unit)
            if outcome is None:
                self.refused += 1
                continue
            found[key] = outcome
            if used < stale:
                self._touch.add(situation)
        return found

    def _checked(self, situation: bytes, body: Any, sealed: Any, unit: Unit) -> Outcome | None:
        """The outcome a row holds, if its seal matches and its status is the one its node values give."""
        if not isinstance(body, str) or sealed != row_seal(self.key, situation, body):
            return None
        try:
            outcome = decode(unit, json.loads(body))
            if outcome.status == status_from_values(self.compiled, unit.name, outcome):
                return outcome
        except (ValueError, IndexError, TypeError, KeyError, AttributeError, RecursionError):
            pass
        return None

    # -- writing -------------------------------------------------------------

    def put(self, key: tuple[Any, ...], unit: Unit, outcome: Outcome) -> None:
        """Keep an outcome the store did not give, to be written with the next `save` (soon, in a long batch)."""
        self._forked()
        if self._off:
            return
        self._new[situation_hash(key)] = json.dumps(encode(unit, outcome), ensure_ascii=False, separators=(",", ":"))
        if len(self._new) >= FLUSH_EVERY:
            self.save()

    def save(self) -> None:
        """Write the new outcomes and the last use of those read, in one short transaction, then keep the store
        within its budget. A store that is busy or cannot be written keeps nothing: these are only a cache."""
        self._forked()
        new, touched = self._new, self._touch
        self._new, self._touch = {}, set()
        if not new and not touched:
            return
        db = self._connect(create=True)
        if db is None:
            return
        # sqlite3 only where the store is used: a run that finds its outcomes elsewhere never pays for it
        import sqlite3

        now = int(time.time())
        try:
            with _transaction(db):
                db.executemany(
                    "INSERT OR REPLACE INTO outcome VALUES (?, ?, ?, ?, ?)",
                    [(self.book, s, body, row_seal(self.key, s, body), now) for s, body in new.items()],
                )
                db.executemany(
                    "UPDATE outcome SET used = ? WHERE book = ? AND situation = ?",
                    [(now, self.book, s) for s in touched],
                )
                db.execute("INSERT OR REPLACE INTO version VALUES (?, ?)", (self.book, now))
                for (stale,) in db.execute(
                    "SELECT book FROM version WHERE used < ?", (now - UNUSED_SECONDS,)
                ).fetchall():
                    db.execute("DELETE FROM outcome WHERE book = ?", (stale,))
                    db.execute("DELETE FROM version WHERE book = ?", (stale,))
            self._bound(db)
        except sqlite3.Error as exc:
            self._trouble(exc)

    def _bound(self, db: sqlite3.Connection) -> None:
        """Evict the least recently used rows when the database outgrows its budget, and give the space back."""
        budget = self.budget if self.budget is not None else cachedir.memo_budget(os.path.dirname(self.path))
        query = "SELECT * FROM pragma_page_count, pragma_freelist_count, pragma_page_size"
        pages, free, size = db.execute(query).fetchone()
        if pages * size <= budget:
            return
        used = (pages - free) * size
        if used > budget * 0.9:
            count = db.execute("SELECT count(*) FROM outcome").fetchone()[0]
            drop = count - int(count * budget * 0.75 / used)  # room for more before the next eviction
            with _transaction(db):
                db.execute(
                    "DELETE FROM outcome WHERE (book, situation) IN"
                    " (SELECT book, situation FROM outcome ORDER BY used LIMIT ?)",
                    (drop,),
                )
        db.executescript("PRAGMA incremental_vacuum;")  # run to the end (execute would free one page)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def count(self) -> int:
        """How many outcomes the store holds for this compiled rulebook (0 when it is not there or unusable)."""
        db = self._connect(create=False)
        if db is None:
            return 0
        # sqlite3 only where the store is used: a run that finds its outcomes elsewhere never pays for it
        import sqlite3

        try:
            return int(db.execute("SELECT count(*) FROM outcome WHERE book = ?", (self.book,)).fetchone()[0])
        except sqlite3.Error as exc:
            self._trouble(exc)
            return 0


def stored_outcomes(path: str) -> tuple[int, int] | None:
    """How many outcomes the store at `path` holds, and for how many compiled rulebooks; None if it is not a
    store (or not there). It neither makes nor repairs the store."""
    # sqlite3 only where the store is used: a run that finds its outcomes elsewhere never pays for it
    import sqlite3

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with closing(sqlite3.connect(path, timeout=BUSY_SECONDS)) as db:  # read only, it would leave journal files
            if db.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                return None
            rows, books = db.execute("SELECT count(*), count(DISTINCT book) FROM outcome").fetchone()
            return int(rows), int(books)
    except (OSError, sqlite3.Error):
        return None


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """A write transaction, taking the write lock at once (waiting up to the busy timeout), committed or undone."""
    # sqlite3 only where the store is used: a run that finds its outcomes elsewhere never pays for it
    import sqlite3

    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error:  # SQLite undid it already (a full disk, say)
            pass
        raise
    db.execute("COMMIT")


def _broken(exc: Exception) -> bool:
    """Whether an sqlite3 error says the file is damaged or not a database (rather than busy or locked)."""
    return getattr(exc, "sqlite_errorcode", None) in _BROKEN_CODES or "not a database" in str(exc)


_BIT = {True: "1", False: "0", None: "-"}


def status_from_values(compiled: CompiledRulebook, unit_name: str, outcome: Outcome) -> str | None:
    """The status an outcome's own node values give, by the compiled verdict rules; None for an unknown unit.

    A role is not triggered unless its `triggered` node is true; then it
    applies if it has no `ok` node or that node is true, and is blocked
    otherwise. A notice is shown when its `when` node is true.
    """

    def value(ref: Ref) -> bool:
        return outcome.values[(ref.node, ref.link)]

    role = compiled.roles.get(unit_name)
    if role is not None:
        if not value(role.triggered):
            return "not_triggered"
        return "applies" if role.ok is None or value(role.ok) else "blocked"
    if unit_name.startswith(NOTICE_PREFIX):
        notice = compiled.notices.get(unit_name[len(NOTICE_PREFIX) :])
        if notice is not None and notice.when is not None:
            return "shown" if value(notice.when.ref) else "hidden"
    return None


def encode(unit: Unit, outcome: Outcome) -> list[Any]:
    """[status, node values as 0/1 in the unit's node order (- for none), the values its comparisons saw, and
    for each fold the positions of the events that satisfied it (None when there was no area to fold)]."""
    bits = "".join(_BIT[outcome.values.get(pair)] for pair in unit.reach)
    observed = [outcome.observed[pair] for pair in unit.reach if pair in outcome.observed]
    folds = [outcome.folds.get((fold.node, fold.link)) for fold in unit.folds]
    return [outcome.status, bits, observed, [None if f is None else list(f) for f in folds]]


def decode(unit: Unit, raw: list[Any]) -> Outcome:
    status, bits, observed, folds = raw
    if not isinstance(bits, str) or len(bits) != len(unit.reach) or set(bits) - {"0", "1", "-"}:
        raise ValueError("stored outcome does not fit the unit")
    if not isinstance(observed, list) or not isinstance(folds, list) or len(folds) != len(unit.folds):
        raise TypeError("stored observations do not fit the unit")
    values = {pair: bit == "1" for pair, bit in zip(unit.reach, bits, strict=True) if bit != "-"}
    leaves = [pair for pair in unit.reach if pair in unit.leaves and pair in values]
    held = {
        (fold.node, fold.link): tuple(found) for fold, found in zip(unit.folds, folds, strict=True) if found is not None
    }
    return Outcome(status, values, dict(zip(leaves, observed, strict=True)), held)
