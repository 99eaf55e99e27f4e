"""SQLite backend: the embedded default, one file, zero setup.

Streamlit serves each browser tab on its own thread, so this backend opens a short-lived connection per
operation (sqlite3 connections must not be shared across threads without a lock) and runs in WAL mode
with a busy timeout: measured in ``notes/stack-facts.md``, 16 writers and 4 readers lose nothing that
way, while a zero timeout drops most writes with "database is locked".
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from partenariat_core.errors import SessionError, StoreUnavailable
from partenariat_core.model import EVENT_FIELDS, SESSION_FIELDS, Event, Session

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS sessions (
    {", ".join(f"{name} TEXT NOT NULL" for name in SESSION_FIELDS)},
    PRIMARY KEY (code)
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    {", ".join(f"{name} TEXT NOT NULL" for name in EVENT_FIELDS)},
    UNIQUE (session, submission_id, instrument, item)
);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session, seq);
"""


class SQLiteStore:
    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute("PRAGMA journal_mode=WAL")  # persists in the file
                db.executescript(SCHEMA)
        except (sqlite3.Error, OSError, StoreUnavailable) as exc:
            cause = exc.__cause__ if isinstance(exc, StoreUnavailable) else exc
            raise StoreUnavailable("error.store_sqlite", path=str(self.path), problem=str(cause)) from exc

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one operation. Operational failures (disk full, file removed, locked past
        the timeout) become ``StoreUnavailable``, which pages show as "try again in a moment";
        ``IntegrityError`` passes through for the callers that expect it."""
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailable("error.store_unavailable") from exc
        try:
            db.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            db.execute("PRAGMA synchronous=NORMAL")
            yield db
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise StoreUnavailable("error.store_unavailable") from exc
        finally:
            db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # sessions ---------------------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        rec = session.to_record()
        marks = ", ".join("?" for _ in rec)
        try:
            with self._transaction() as db:
                db.execute(f"INSERT INTO sessions ({', '.join(rec)}) VALUES ({marks})", tuple(rec.values()))
        except sqlite3.IntegrityError:
            raise SessionError("error.session_exists", code=session.code) from None

    def get_session(self, code: str) -> Session | None:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM sessions WHERE code = ?", (code,)).fetchone()
        return Session.from_record(dict(row)) if row else None

    def list_sessions(self) -> list[Session]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM sessions ORDER BY created_at DESC").fetchall()
        return [Session.from_record(dict(row)) for row in rows]

    def save_session(self, session: Session) -> None:
        rec = session.to_record()
        sets = ", ".join(f"{name} = ?" for name in rec)
        with self._transaction() as db:
            cur = db.execute(f"UPDATE sessions SET {sets} WHERE code = ?", (*rec.values(), session.code))
            if cur.rowcount == 0:
                raise SessionError("error.session_unknown", code=session.code)

    # events -----------------------------------------------------------------------------------
    def append_events(self, events: Sequence[Event]) -> int:
        if not events:
            return 0
        columns = ", ".join(EVENT_FIELDS)
        marks = ", ".join("?" for _ in EVENT_FIELDS)
        rows = [tuple(e.to_record().values()) for e in events]
        with self._transaction() as db:
            before = db.total_changes
            db.executemany(f"INSERT OR IGNORE INTO events ({columns}) VALUES ({marks})", rows)
            return db.total_changes - before

    def read_events(self, session: str, since: int = 0) -> list[Event]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(
                "SELECT * FROM events WHERE session = ? AND seq > ? ORDER BY seq", (session, since)
            ).fetchall()
        return [Event.from_record(dict(row), seq=row["seq"]) for row in rows]

    def close(self) -> None:
        """Nothing to release: connections live for one operation."""
