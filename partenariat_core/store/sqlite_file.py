"""One SQLite file used from many threads: the embedded store and the Sheets outbox share this.

Streamlit serves each browser tab on its own thread, and sqlite3 connections must not be shared across
threads without a lock, so every operation opens a short-lived connection. WAL mode with a busy
timeout lets writers queue instead of failing (``notes/stack-facts.md``: 16 writers and 4 readers lose
nothing that way, while a zero timeout drops most writes with "database is locked").
``synchronous=FULL``: an answer we acknowledged to a phone survives a power cut, not only a crash.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from partenariat_core.datadir import FOLDER_MODE, create_private_file
from partenariat_core.errors import StoreUnavailable


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
        try:
            self.path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            create_private_file(self.path)
            with self.connect() as db:
                db.execute("PRAGMA journal_mode=WAL")  # persists in the file
                db.executescript(schema)
                _add_missing_columns(db, migrations)
        except (OSError, StoreUnavailable) as exc:
            cause = exc.__cause__ if isinstance(exc, StoreUnavailable) else exc
            raise StoreUnavailable("error.store_sqlite", path=str(self.path), problem=str(cause)) from exc

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection for one operation, rows readable by column name.

        Operational failures (disk full, file removed, locked past the timeout) become
        ``StoreUnavailable``, which pages show as "try again in a moment"; ``IntegrityError`` passes
        through for the callers that rely on it."""
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailable("error.store_unavailable") from exc
        try:
            db.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            db.execute("PRAGMA synchronous=FULL")
            db.row_factory = sqlite3.Row
            yield db
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise StoreUnavailable("error.store_unavailable") from exc
        finally:
            db.close()

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
