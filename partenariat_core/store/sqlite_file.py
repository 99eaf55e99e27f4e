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
from partenariat_core.errors import StoreUnavailable, Translated


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
        through for the callers that rely on it."""
        try:
            if not self.path.exists():
                self.path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
                create_private_file(self.path)
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise self._unavailable(exc) from exc
        try:
            db.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
            db.execute("PRAGMA synchronous=FULL")
            db.row_factory = sqlite3.Row
            if db.execute("PRAGMA schema_version").fetchone()[0] == 0:  # a new, empty file
                self._create_schema(db)
            yield db
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.IntegrityError):
                raise
            raise self._unavailable(exc) from exc
        finally:
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
