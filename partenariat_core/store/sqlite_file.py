"""One SQLite file used from many threads: the embedded store and the Sheets outbox share this.

Streamlit serves each browser tab on its own thread (a new thread for each page run), and an sqlite3
connection must be used by one thread at a time, so every operation takes a connection from a small
pool and gives it back: opening one (connect and two pragmas) cost more than the query itself on a
phone's page run. A pooled connection is only reused while the file is the one it was opened on (same
device, inode, size and modification time of the file, same WAL file): a file removed, replaced or
overwritten gets a new connection, so a vanished file is made again and a damaged one is reported as
before. ``close()`` closes them all.

WAL mode with a busy timeout lets writers queue instead of failing (``notes/stack-facts.md``: 16
writers and 4 readers lose nothing that way, while a zero timeout drops most writes with "database is
locked").
``synchronous=FULL``: an answer we acknowledged to a phone survives a power cut, not only a crash.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from partenariat_core.datadir import FOLDER_MODE, create_private_file
from partenariat_core.errors import StoreUnavailable, Translated

POOL_SIZE = 8  # idle connections kept; more threads at once each open their own, closed after use

# (device, inode, size, mtime) of the database file and (device, inode) of its WAL file, or None for a
# missing one: while it is unchanged, a pooled connection still reads the file it was opened on
_Identity = tuple[tuple[int, int, int, int] | None, tuple[int, int] | None]


class SQLiteFile:
    def __init__(
        self,
        path: Path | str,
        schema: str,
        timeout: float = 10.0,
        migrations: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.schema = schema
        self.migrations = tuple(migrations)
        self.opened = 0  # connections opened so far: benchmarks and tests see the reuse
        self._idle: list[tuple[sqlite3.Connection, _Identity]] = []
        self._pool_lock = threading.Lock()
        self._parked: list[sqlite3.Connection] = []  # see ``_retire``
        self._closed = False
        try:
            self.path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            create_private_file(self.path)
            with self.connect() as db:
                self._create_schema(db)  # idempotent: IF NOT EXISTS, and migrations check first
        except (OSError, StoreUnavailable) as exc:  # at start, the host reads it: say what and where
            cause = exc.__cause__ if isinstance(exc, StoreUnavailable) else exc
            raise StoreUnavailable("error.store_sqlite", path=str(self.path), problem=str(cause)) from exc

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one operation, rows readable by column name.

        A file that vanished (deleted, or its folder emptied) comes back empty and the schema is
        made again at once, so new answers are kept without a restart. Operational failures (disk
        full, damaged file, locked past the timeout) become ``StoreUnavailable``: participants see
        "try again in a moment", the host page says which (``detail``). ``IntegrityError`` passes
        through for the callers that rely on it. The connection goes back to the pool afterwards,
        unless the operation failed or left a transaction open."""
        db, identity = self._checkout()
        healthy = False
        try:
            yield db
            healthy = not db.in_transaction
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                healthy = not db.in_transaction
                raise
            raise self._unavailable(exc) from exc
        finally:
            self._checkin(db, identity, healthy)

    def _identity(self) -> _Identity:
        """Which file the path names now: two ``stat`` calls, a few microseconds."""
        try:
            st = os.stat(self.path)
            main: tuple[int, int, int, int] | None = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        except OSError:
            main = None
        try:
            wal = os.stat(f"{self.path}-wal")
            log: tuple[int, int] | None = (wal.st_dev, wal.st_ino)
        except OSError:
            log = None
        return main, log

    def _checkout(self) -> tuple[sqlite3.Connection, _Identity]:
        """A pooled connection still on the same file, or a new one (stale ones are closed)."""
        identity = self._identity()
        stale: list[tuple[sqlite3.Connection, _Identity]] = []
        found: tuple[sqlite3.Connection, _Identity] | None = None
        with self._pool_lock:
            while self._idle:
                db, seen = self._idle.pop()
                if seen == identity:
                    found = (db, seen)
                    break
                stale.append((db, seen))
            if found is None:
                stale.extend(self._idle)  # the file changed: none of them is good
                self._idle.clear()
        self._retire(stale, identity)
        if found is not None:
            return found
        return self._open()

    def _retire(self, stale: list[tuple[sqlite3.Connection, _Identity]], now: _Identity) -> None:
        """Close connections to a file that is no longer the one at the path, except after tampering.

        SQLite itself skips the checkpoint when the last connection to a moved or removed file
        closes. But a file overwritten in place (same inode) whose WAL file was deleted under us is
        not something SQLite ever does: the deleted WAL, still open here, may hold the only copy of
        acknowledged answers, and closing would copy its pages over whatever is in the file now, so
        a damaged file would look repaired. Those connections are parked, never used again, until
        ``close()``; the new connection reports the file as it is."""
        for db, seen in stale:
            same_file = seen[0] is not None and now[0] is not None and seen[0][:2] == now[0][:2]
            if same_file and seen[1] is not None and seen[1] != now[1]:
                with self._pool_lock:
                    self._parked.append(db)
            else:
                db.close()

    def _open(self) -> tuple[sqlite3.Connection, _Identity]:
        try:
            if not self.path.exists():
                self.path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
                create_private_file(self.path)
            db = sqlite3.connect(
                self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
        except (sqlite3.Error, OSError) as exc:
            raise self._unavailable(exc) from exc
        self.opened += 1
        try:
            db.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            db.execute("PRAGMA synchronous=FULL")
            db.row_factory = sqlite3.Row
            if db.execute("PRAGMA schema_version").fetchone()[0] == 0:  # a new, empty file
                self._create_schema(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            raise self._unavailable(exc) from exc
        # taken after the first read, which made the WAL file, and after any schema was written
        return db, self._identity()

    def _checkin(self, db: sqlite3.Connection, identity: _Identity, healthy: bool) -> None:
        now = self._identity()
        if healthy and identity == now:  # a checkpoint may have changed the file: reopen then
            with self._pool_lock:
                if not self._closed and len(self._idle) < POOL_SIZE:
                    self._idle.append((db, identity))
                    return
        if identity != now:
            self._retire([(db, identity)], now)
        else:
            db.close()

    def close(self) -> None:
        """Close the pooled connections; one in use now is closed when its operation ends."""
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
            parked, self._parked = self._parked, []
        for db in [*(db for db, _ in idle), *parked]:
            db.close()

    def _create_schema(self, db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode=WAL")  # persists in the file
        db.executescript(self.schema)
        _add_missing_columns(db, self.migrations)

    def _unavailable(self, exc: BaseException) -> StoreUnavailable:
        """The participant's "try again" plus, for the host, what is wrong with which file."""
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            detail = Translated("error.store_busy", {"path": str(self.path)})
        elif "not a database" in text or "malformed" in text or "corrupt" in text:
            detail = Translated("error.store_damaged", {"path": str(self.path)})
        else:
            problem = getattr(exc, "strerror", None) or str(exc)
            detail = Translated("error.store_sqlite", {"path": str(self.path), "problem": problem})
        return StoreUnavailable("error.store_unavailable", detail=detail)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE``: take the write lock up front, so two writers never deadlock midway."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")


def _add_missing_columns(db: sqlite3.Connection, migrations: Sequence[tuple[str, str, str]]) -> None:
    """Bring a file made by an older release up to the schema: ``(table, column, default)`` each."""
    for table, column, default in migrations:
        present = {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT '{default}'")
