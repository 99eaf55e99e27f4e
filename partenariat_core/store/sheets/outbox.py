"""The durable local side of the Sheets store: the outbox and this process's copy of the sheet.

A phone's answer is acknowledged once it is committed here, in SQLite on local disk, not once Google
has it: Google may be slow, over quota or unreachable for minutes, and the participant must never be
told "try again". The background writer then copies pending rows to the sheet.

The same table also keeps the rows read back from the sheet (other processes' answers, rows typed
by a person), so ``read_events`` answers every page from local disk and never waits for the network.
Its ``seq`` is SQLite's AUTOINCREMENT: given once, when this file first learns of an event (accepted
from a phone or first seen in the sheet), never changed and never reused, which is exactly what
``LiveSessions`` needs to read "everything after the last seq I saw". The unique key
(session, submission id, instrument, item) makes accepting and learning idempotent, across restarts.

States: ``pending`` (accepted, not known to be in the sheet) and ``synced`` (the sheet has it: the
append was acknowledged, or a read found it there).

Sends. A pending event that was handed to Google once has a row in ``sends``, written *before* the
request leaves: until a read of the sheet that started after its ``check_after`` time has failed to
find it, nobody (this process, or the next one after a crash) may send it again, because Google may
still apply a request whose reply never came. ``resent`` remembers the events sent more than once,
so that a copy landing late anyway is found and removed (see ``writer.py``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from partenariat_core.errors import SessionError
from partenariat_core.model import EVENT_FIELDS, Event, Session
from partenariat_core.store.sqlite_file import SQLiteFile

try:  # POSIX: a lock that dies with its process, so a crash never leaves it behind
    import fcntl
except ImportError:  # pragma: no cover - Windows: one writer per outbox is then the operator's job
    fcntl = None  # type: ignore[assignment]

PENDING, SYNCED = "pending", "synced"
DELETED = "deleted"  # the ``is_open`` cell of a session's tombstone row (docs/google-sheets.md)
_KEY_WHERE = "session = ? AND submission_id = ? AND instrument = ? AND item = ?"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    {", ".join(f"{name} TEXT NOT NULL" for name in EVENT_FIELDS)},
    state TEXT NOT NULL,
    UNIQUE (session, submission_id, instrument, item)
);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session, seq);
CREATE INDEX IF NOT EXISTS events_pending ON events (seq) WHERE state = '{PENDING}';
CREATE TABLE IF NOT EXISTS sends (
    seq INTEGER PRIMARY KEY,
    sent_at REAL NOT NULL,
    check_after REAL NOT NULL,
    attempts INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS resent (
    seq INTEGER PRIMARY KEY,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    code TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    pending INTEGER NOT NULL,
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rewrites (
    session TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class PendingSession:
    session: Session
    version: int  # bumped by every local change; a flush only clears the version it wrote
    deleted: bool = False  # a tombstone: the host deleted the session (``DELETED`` in ``is_open``)

    def record(self) -> dict[str, str]:
        """The row to append: the session's fields, ``is_open`` set to ``DELETED`` for a tombstone."""
        rec = self.session.to_record()
        if self.deleted:
            rec["is_open"] = DELETED
        return rec


class Outbox:
    def __init__(self, path: Path | str, timeout: float = 10.0) -> None:
        self.db = SQLiteFile(path, SCHEMA, timeout)
        self.path = self.db.path

    # events -------------------------------------------------------------------------------------
    def accept(self, events: Sequence[Event]) -> int:
        """Queue events for the sheet; returns how many were new (all or none are stored)."""
        if not events:
            return 0
        rows = [(*e.to_record().values(), PENDING) for e in events]
        marks = ", ".join("?" for _ in range(len(EVENT_FIELDS) + 1))
        with self.db.transaction() as db:
            before = db.total_changes
            db.executemany(
                f"INSERT OR IGNORE INTO events ({', '.join(EVENT_FIELDS)}, state) VALUES ({marks})", rows
            )
            return db.total_changes - before

    def learn(self, events: Iterable[Event]) -> int:
        """Record events found in the sheet: new ones get the next seq, pending ones become synced."""
        rows = [tuple(e.to_record().values()) for e in events]
        if not rows:
            return 0
        keys = [(r[0], r[2], r[3], r[4]) for r in rows]
        marks = ", ".join("?" for _ in EVENT_FIELDS)
        with self.db.transaction() as db:
            db.executemany(
                f"UPDATE events SET state = '{SYNCED}' WHERE {_KEY_WHERE} AND state = ?",
                [(*k, PENDING) for k in keys],
            )
            before = db.total_changes
            db.executemany(
                f"INSERT OR IGNORE INTO events ({', '.join(EVENT_FIELDS)}, state) VALUES ({marks}, ?)",
                [(*r, SYNCED) for r in rows],
            )
            added = db.total_changes - before
            db.execute(
                "DELETE FROM sends "
                f"WHERE (SELECT state FROM events e WHERE e.seq = sends.seq) IS NOT '{PENDING}'"
            )
            return added

    def pending(self, limit: int, checked_at: float = float("inf")) -> list[Event]:
        """The oldest pending events that may be sent now, in seq order, at most ``limit``: never
        sent, or sent and then missing from a read of the sheet that started at ``checked_at``
        (wall time), after their ``check_after``."""
        with self.db.connect() as db:
            rows = db.execute(
                f"SELECT e.* FROM events e LEFT JOIN sends s ON s.seq = e.seq WHERE e.state = '{PENDING}' "
                "AND (s.seq IS NULL OR s.check_after <= ?) ORDER BY e.seq LIMIT ?",
                (checked_at, limit),
            ).fetchall()
        return [Event.from_record(dict(row), seq=row["seq"]) for row in rows]

    def pending_count(self) -> int:
        with self.db.connect() as db:
            return int(db.execute(f"SELECT count(*) FROM events WHERE state = '{PENDING}'").fetchone()[0])

    def in_flight(self) -> int:
        """Pending events sent at least once whose fate the sheet has not told yet."""
        with self.db.connect() as db:
            return int(
                db.execute(
                    f"SELECT count(*) FROM sends s JOIN events e ON e.seq = s.seq WHERE e.state = '{PENDING}'"
                ).fetchone()[0]
            )

    def mark_sending(self, seqs: Sequence[int], now: float, check_after: float) -> None:
        """Record, durably and before the request leaves, that these events are being sent."""
        with self.db.transaction() as db:
            db.executemany(
                "INSERT INTO sends (seq, sent_at, check_after, attempts) VALUES (?, ?, ?, 1) "
                "ON CONFLICT (seq) DO UPDATE SET sent_at = excluded.sent_at, "
                "check_after = excluded.check_after, attempts = attempts + 1",
                [(s, now, check_after) for s in seqs],
            )
            db.executemany(
                "INSERT OR IGNORE INTO resent (seq, at) "
                "SELECT seq, ? FROM sends WHERE seq = ? AND attempts > 1",
                [(now, s) for s in seqs],
            )

    def not_sent(self, seqs: Sequence[int]) -> None:
        """The request never reached Google (refused connection, 429): sendable again at once."""
        with self.db.transaction() as db:
            db.executemany("UPDATE sends SET attempts = attempts - 1 WHERE seq = ?", [(s,) for s in seqs])
            db.execute("DELETE FROM sends WHERE attempts <= 0")

    def check_after(self, seqs: Sequence[int], when: float) -> None:
        """The request failed in a way that may have landed: look for it in the sheet after ``when``."""
        with self.db.transaction() as db:
            db.executemany("UPDATE sends SET check_after = ? WHERE seq = ?", [(when, s) for s in seqs])

    def mark_synced(self, seqs: Sequence[int]) -> None:
        with self.db.transaction() as db:
            db.executemany(f"UPDATE events SET state = '{SYNCED}' WHERE seq = ?", [(s,) for s in seqs])
            db.executemany("DELETE FROM sends WHERE seq = ?", [(s,) for s in seqs])

    def resent_keys(self, since: float) -> set[tuple[str, str, str, str]]:
        """Keys of events sent more than once since ``since`` (wall time): a late copy may land."""
        with self.db.connect() as db:
            db.execute("DELETE FROM resent WHERE at < ?", (since,))
            rows = db.execute(
                "SELECT e.session, e.submission_id, e.instrument, e.item FROM resent r "
                "JOIN events e ON e.seq = r.seq"
            ).fetchall()
        return {tuple(row) for row in rows}

    def read(self, session: str, since: int = 0) -> list[Event]:
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT * FROM events WHERE session = ? AND seq > ? ORDER BY seq", (session, since)
            ).fetchall()
        return [Event.from_record(dict(row), seq=row["seq"]) for row in rows]

    def reconcile(self, events: Sequence[Event]) -> tuple[int, int]:
        """Make the synced rows match a full read of the sheet, which is the truth: rows a person
        deleted are dropped, cells a person edited are taken. Pending rows (not in the sheet yet)
        stay. When a key is in the sheet twice, its first row counts. Returns (dropped, edited)."""
        first: dict[tuple[str, str, str, str], tuple[str, ...]] = {}
        for e in events:
            rec = e.to_record()
            first.setdefault((e.session, *e.key), tuple(rec.values()))
        names = ", ".join(EVENT_FIELDS)
        marks = ", ".join("?" for _ in EVENT_FIELDS)
        on_key = (
            "p.session = events.session AND p.submission_id = events.submission_id "
            "AND p.instrument = events.instrument AND p.item = events.item"
        )
        changed = " OR ".join(f"p.{f} IS NOT events.{f}" for f in EVENT_FIELDS)
        with self.db.transaction() as db:
            db.execute(f"CREATE TEMP TABLE IF NOT EXISTS present ({names})")
            db.execute("DELETE FROM present")
            db.executemany(f"INSERT INTO present ({names}) VALUES ({marks})", list(first.values()))
            db.execute(
                "CREATE INDEX IF NOT EXISTS temp.present_key "
                "ON present (session, submission_id, instrument, item)"
            )
            # Sessions whose past events are about to change: screens must read them again from the
            # start, since reading "after the last seq" would never see an edit or a deletion.
            db.execute(
                "INSERT INTO rewrites (session, generation) "
                f"SELECT DISTINCT session, 1 FROM events WHERE state = '{SYNCED}' AND ("
                f"NOT EXISTS (SELECT 1 FROM present p WHERE {on_key}) "
                f"OR EXISTS (SELECT 1 FROM present p WHERE {on_key} AND ({changed}))) "
                "ON CONFLICT (session) DO UPDATE SET generation = generation + 1"
            )
            before = db.total_changes
            db.execute(
                f"DELETE FROM events WHERE state = '{SYNCED}' "
                f"AND NOT EXISTS (SELECT 1 FROM present p WHERE {on_key})"
            )
            dropped = db.total_changes - before
            sets = ", ".join(f"{f} = (SELECT p.{f} FROM present p WHERE {on_key})" for f in EVENT_FIELDS)
            before = db.total_changes
            db.execute(
                f"UPDATE events SET {sets} WHERE state = '{SYNCED}' "
                f"AND EXISTS (SELECT 1 FROM present p WHERE {on_key} AND ({changed}))"
            )
            edited = db.total_changes - before
            db.execute("DELETE FROM present")
        return dropped, edited

    def data_version(self, session: str) -> tuple[int, int, str]:
        """(rewrites of the session's past events, its highest seq, its stored record): changes
        whenever anything a screen draws changes; one local look-up, no network."""
        with self.db.connect() as db:
            row = db.execute(
                "SELECT (SELECT COALESCE(MAX(generation), 0) FROM rewrites WHERE session = ?),"
                " (SELECT COALESCE(MAX(seq), 0) FROM events WHERE session = ?),"
                " (SELECT record FROM sessions WHERE code = ?)",
                (session, session, session),
            ).fetchone()
        return (int(row[0]), int(row[1]), row[2] or "")

    def rewrite_generation(self, session: str) -> int:
        """How many times a reconciliation edited or dropped past events of ``session``."""
        return self.data_version(session)[0]

    # sessions -----------------------------------------------------------------------------------
    def add_session(self, session: Session) -> None:
        try:
            with self.db.transaction() as db:
                db.execute(
                    "INSERT INTO sessions (code, record, pending, version) VALUES (?, ?, 1, 1)",
                    (session.code, _dump(session)),
                )
        except sqlite3.IntegrityError:
            raise SessionError("error.session_exists", code=session.code) from None

    def change_session(self, session: Session) -> Session:
        """Compare-and-set on the session's own ``version`` (see ``Store.save_session``)."""
        saved = session.with_changes(version=session.version + 1)
        with self.db.transaction() as db:
            row = db.execute("SELECT record FROM sessions WHERE code = ?", (session.code,)).fetchone()
            if row is None or _deleted(row["record"]):
                raise SessionError("error.session_unknown", code=session.code)
            if _load(row["record"]).version != session.version:
                raise SessionError("error.session_conflict", code=session.code)
            db.execute(
                "UPDATE sessions SET record = ?, pending = 1, version = version + 1 WHERE code = ?",
                (_dump(saved), session.code),
            )
        return saved

    def delete_session(self, code: str) -> bool:
        """Turn the session into a tombstone, to append to the sheet as its next version. The code
        stays taken: the answers' rows keep it in the sheet, so a new session must not reuse it."""
        with self.db.transaction() as db:
            row = db.execute("SELECT record FROM sessions WHERE code = ?", (code,)).fetchone()
            if row is None or _deleted(row["record"]):
                return False
            last = _load(row["record"])
            db.execute(
                "UPDATE sessions SET record = ?, pending = 1, version = version + 1 WHERE code = ?",
                (_dump(last.with_changes(version=last.version + 1), deleted=True), code),
            )
        return True

    def is_deleted(self, code: str) -> bool:
        with self.db.connect() as db:
            row = db.execute("SELECT record FROM sessions WHERE code = ?", (code,)).fetchone()
        return row is not None and _deleted(row["record"])

    def get_session(self, code: str) -> Session | None:
        with self.db.connect() as db:
            row = db.execute("SELECT record FROM sessions WHERE code = ?", (code,)).fetchone()
        return _load(row["record"]) if row and not _deleted(row["record"]) else None

    def sessions(self) -> list[Session]:
        with self.db.connect() as db:
            rows = db.execute("SELECT record FROM sessions").fetchall()
        return [_load(row["record"]) for row in rows if not _deleted(row["record"])]

    def pending_sessions(self) -> list[PendingSession]:
        with self.db.connect() as db:
            rows = db.execute(
                "SELECT record, version FROM sessions WHERE pending = 1 ORDER BY rowid"
            ).fetchall()
        return [PendingSession(_load(row["record"]), row["version"], _deleted(row["record"])) for row in rows]

    def mark_session_synced(self, code: str, version: int) -> None:
        """Clear ``pending`` unless the session changed again while its write was in flight."""
        with self.db.transaction() as db:
            db.execute("UPDATE sessions SET pending = 0 WHERE code = ? AND version = ?", (code, version))

    def learn_sessions(self, sessions: Iterable[Session], deleted: Iterable[Session] = ()) -> None:
        """Sessions read from the sheet: they replace local copies that have nothing unsent.

        A pending local session that the sheet already holds exactly (its write landed, the reply
        was lost) counts as synced. ``deleted``: sessions whose newest row is a tombstone.
        """
        found = [(s, _dump(s)) for s in sessions] + [(s, _dump(s, deleted=True)) for s in deleted]
        with self.db.transaction() as db:
            for session, record in found:
                row = db.execute(
                    "SELECT record, pending FROM sessions WHERE code = ?", (session.code,)
                ).fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO sessions (code, record, pending, version) VALUES (?, ?, 0, 0)",
                        (session.code, record),
                    )
                elif not row["pending"] or row["record"] == record:
                    db.execute(
                        "UPDATE sessions SET record = ?, pending = 0 WHERE code = ?", (record, session.code)
                    )


def _dump(session: Session, *, deleted: bool = False) -> str:
    rec = session.to_record()
    if deleted:
        rec["is_open"] = DELETED
    return json.dumps(rec, ensure_ascii=False, sort_keys=True)


def _deleted(record: str) -> bool:
    return bool(json.loads(record).get("is_open") == DELETED)


def _load(record: str) -> Session:
    return Session.from_record(json.loads(record))


class WriterLock:
    """Who may send this outbox to the sheet: one worker at a time, in this process or another.

    Without it, two stores opened on the same outbox (Streamlit's "clear cache" rebuilding the app's
    runtime while the old one still runs, or two processes given the same file) would both append
    the same pending rows. An ``flock`` on ``<outbox>.lock`` is per open file, so it also separates
    two stores of one process, and the kernel drops it when a process dies.
    """

    def __init__(self, outbox_path: Path) -> None:
        self.path = Path(str(outbox_path) + ".lock")
        self._fd: int | None = None
        self._guard = threading.Lock()  # the worker's thread and stop() may both release

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock if free (never waits); ``True`` while this worker holds it."""
        if self._fd is not None or fcntl is None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        with self._guard:
            if self._fd is not None:
                os.close(self._fd)  # closing the file releases the flock
                self._fd = None
