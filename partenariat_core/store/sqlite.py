"""SQLite backend: the embedded default, one file, zero setup (see ``sqlite_file`` for threads)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from partenariat_core.errors import SessionError
from partenariat_core.model import EVENT_FIELDS, SESSION_FIELDS, Event, Session
from partenariat_core.scoring.frame import frame_from_columns
from partenariat_core.store.sqlite_file import SQLiteFile

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


# The events of a session from a cursor on, one JSON array per column (see ``read_frame``).
_READ_COLUMNS = (
    "SELECT "
    + ", ".join(f"json_group_array({name})" for name in ("seq", *EVENT_FIELDS))
    + f" FROM (SELECT seq, {', '.join(EVENT_FIELDS)} FROM events"
    " WHERE session = ? AND seq > ? ORDER BY seq)"
)

# Columns added after the first release, with the value rows written before them get.
MIGRATIONS: tuple[tuple[str, str, str], ...] = (("sessions", "version", "0"), ("sessions", "agenda", ""))


class SQLiteStore:
    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.db = SQLiteFile(path, SCHEMA, timeout, migrations=MIGRATIONS)
        self.path = self.db.path

    # sessions ---------------------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        rec = session.to_record()
        marks = ", ".join("?" for _ in rec)
        try:
            with self.db.transaction() as db:
                db.execute(f"INSERT INTO sessions ({', '.join(rec)}) VALUES ({marks})", tuple(rec.values()))
        except sqlite3.IntegrityError:
            raise SessionError("error.session_exists", code=session.code) from None

    def get_session(self, code: str) -> Session | None:
        with self.db.connect() as db:
            row = db.execute("SELECT * FROM sessions WHERE code = ?", (code,)).fetchone()
        return Session.from_record(dict(row)) if row else None

    def list_sessions(self) -> list[Session]:
        with self.db.connect() as db:
            rows = db.execute("SELECT * FROM sessions ORDER BY created_at DESC").fetchall()
        return [Session.from_record(dict(row)) for row in rows]

    def save_session(self, session: Session) -> Session:
        saved = session.with_changes(version=session.version + 1)
        rec = saved.to_record()
        sets = ", ".join(f"{name} = ?" for name in rec)
        with self.db.transaction() as db:
            row = db.execute("SELECT version FROM sessions WHERE code = ?", (session.code,)).fetchone()
            if row is None:
                raise SessionError("error.session_unknown", code=session.code)
            if int(row["version"]) != session.version:
                raise SessionError("error.session_conflict", code=session.code)
            db.execute(f"UPDATE sessions SET {sets} WHERE code = ?", (*rec.values(), session.code))
        return saved

    def delete_session(self, code: str) -> bool:
        with self.db.transaction() as db:
            gone = db.execute("DELETE FROM sessions WHERE code = ?", (code,)).rowcount
            if gone:
                db.execute("DELETE FROM events WHERE session = ?", (code,))
        return bool(gone)

    # events -----------------------------------------------------------------------------------
    def append_events(self, events: Sequence[Event]) -> int:
        if not events:
            return 0
        columns = ", ".join(EVENT_FIELDS)
        marks = ", ".join("?" for _ in EVENT_FIELDS)
        rows = [tuple(e.to_record().values()) for e in events]
        with self.db.transaction() as db:
            before = db.total_changes
            db.executemany(f"INSERT OR IGNORE INTO events ({columns}) VALUES ({marks})", rows)
            return db.total_changes - before

    def read_events(self, session: str, since: int = 0) -> list[Event]:
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT * FROM events WHERE session = ? AND seq > ? ORDER BY seq", (session, since)
            ).fetchall()
        return [Event.from_record(dict(row), seq=row["seq"]) for row in rows]

    def read_frame(self, session: str, since: int = 0) -> pd.DataFrame:
        """``read_events`` as a pandas table (``scoring.frame.COLUMNS``), without an ``Event``, a row
        object or even a Python tuple per event: SQLite hands each column over as one JSON array
        (``json_group_array``, built in C) and ``json.loads`` (in C too) turns it into a list. At 100k
        events that takes half the time of fetching rows; texts round-trip exactly (JSON escapes
        every character that needs it; the contract suite checks the awkward ones)."""
        with self.db.connect() as db:
            row = db.execute(_READ_COLUMNS, (session, since)).fetchone()
        columns = [json.loads(value) for value in row]
        seq = np.asarray(columns[0], dtype="int64")
        if len(seq) > 1 and not bool(np.all(seq[1:] > seq[:-1])):
            # the aggregate kept the subquery's order in every SQLite we ran, but that is not promised
            order = np.argsort(seq, kind="stable")
            columns = [[values[i] for i in order] for values in columns]
        return frame_from_columns(columns[:-1], columns[-1])

    def data_version(self, session: str) -> tuple[int, int]:
        """A token that changes whenever ``session`` gets new events or is created or saved: while it
        equals the last one seen, nothing changed and a screen need not re-read nor re-draw.

        Take it *before* reading. It is the session's highest ``seq`` (events are only ever added, with
        growing seqs) and its version (-1 while it does not exist), read through the ``(session, seq)``
        index and the primary key: two look-ups, whatever the number of events. ``PRAGMA data_version``
        would need a connection kept open, and changes with any write to any session."""
        with self.db.connect() as db:
            row = db.execute(
                "SELECT (SELECT COALESCE(MAX(seq), 0) FROM events WHERE session = ?),"
                " (SELECT version FROM sessions WHERE code = ?)",
                (session, session),
            ).fetchone()
        return (int(row[0]), -1 if row[1] is None else int(row[1]))

    def close(self) -> None:
        """Close the pooled connections (see ``sqlite_file``)."""
        self.db.close()
