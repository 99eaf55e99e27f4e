"""PostgreSQL backend: one database shared by several app processes (``PARTENARIAT_STORE=postgres``).

Connections come from a ``psycopg_pool`` pool (one per store, so one per process), each borrowed for
one operation, as Streamlit serves every tab on its own thread. The schema is versioned: ``MIGRATIONS``
is a list of SQL strings, each applied once, in its own transaction, recorded in
``partenariat_migrations``; ``migrate`` runs them at start under an advisory lock, so two processes
starting at once never apply one twice.

Arrival order and the late-commit problem. ``seq`` comes from an identity column (a sequence), handed
out when a row is inserted, but transactions commit in their own order: writer A may take seq 10,
writer B seq 11, and B commit first. A projector reading "seq > 9" between the two commits would see
11, move its cursor to 11, and never see 10. So writers of one session are serialised: ``append_events``
first takes a transaction-scoped advisory lock on each of its sessions (``pg_advisory_xact_lock``), and
only then inserts, so its seqs are drawn after every earlier writer of that session committed (or
rolled back). Within one session, seqs therefore become visible in increasing order and a
``read_events(since=cursor)`` reader skips nothing. Writers of different sessions do not wait for each
other (except on a rare hash collision of two codes, which only costs a wait). This holds as long as the
sequence keeps PostgreSQL's default ``CACHE 1`` and every writer goes through this class.

Change notifications. Triggers (migration 2) ``NOTIFY`` on ``CHANNEL`` with the session's code when a
transaction adds events to it or creates or saves it; one ``ChangeListener`` thread per process and
database counts them, and ``data_version(code)`` turns the counts into a token a projector compares
with the last one it saw: no query while nothing changed. See ``ChangeListener`` for lost connections.

Failures to reach the server (refused, down, restarted, pool exhausted past ``timeout``) raise
``StoreUnavailable``; a malformed URL is a ``ConfigError``.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import psycopg
from psycopg.rows import dict_row, tuple_row
from psycopg_pool import ConnectionPool

from partenariat_core.agenda import Agenda
from partenariat_core.errors import ConfigError, RejectedInput, SessionError, StoreUnavailable
from partenariat_core.model import EVENT_FIELDS, Event, Session
from partenariat_core.scoring.frame import frame_from_columns
from partenariat_core.throttle import GuessThrottle

# Advisory lock keys. The one-key (bigint) and two-key (int, int) forms never conflict with each other.
MIGRATION_LOCK = 7_240_315_001  # pg_advisory_lock(bigint): one migrator at a time
EVENTS_LOCK_SPACE = 72_403  # pg_advisory_xact_lock(int, hashtext(session)): one writer per session
THROTTLE_PURGE_LOCK = 7_240_315_002  # pg_try_advisory_xact_lock(bigint): one replica tidies the throttle
CHANNEL = "partenariat_changes"  # NOTIFY payload: the code of the session whose events or settings changed

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and events
    """
    CREATE TABLE sessions (
        code text PRIMARY KEY,
        title text NOT NULL,
        date date NOT NULL,
        language text NOT NULL,
        instruments text[] NOT NULL,
        keep_throw_preset text NOT NULL,
        sectors text[] NOT NULL,
        is_open boolean NOT NULL,
        hidden_boards text[] NOT NULL,
        created_at timestamptz NOT NULL,
        version integer NOT NULL DEFAULT 0
    );
    CREATE TABLE events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session text NOT NULL,
        participant text NOT NULL,
        submission_id text NOT NULL,
        instrument text NOT NULL,
        item text NOT NULL,
        value text NOT NULL,
        text text NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (session, submission_id, instrument, item)
    );
    CREATE INDEX events_by_session ON events (session, seq);
    """,
    # 2: change notifications: one NOTIFY per changed session and transaction (see ChangeListener)
    f"""
    CREATE FUNCTION partenariat_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', changed.session)
            FROM (SELECT DISTINCT session FROM new_rows) AS changed;
        RETURN NULL;
    END $$;
    CREATE FUNCTION partenariat_notify_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('{CHANNEL}', changed.code)
            FROM (SELECT DISTINCT code FROM new_rows) AS changed;
        RETURN NULL;
    END $$;
    CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION partenariat_notify_events();
    CREATE TRIGGER sessions_notify_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION partenariat_notify_sessions();
    CREATE TRIGGER sessions_notify_update AFTER UPDATE ON sessions REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION partenariat_notify_sessions();
    """,
    # 3: the host's agenda (partenariat_core.agenda), one JSON text; '' reads as the default agenda
    "ALTER TABLE sessions ADD COLUMN agenda text NOT NULL DEFAULT ''",
    # 4: whether new cards wait for the host's approval (Session.cards_need_approval)
    "ALTER TABLE sessions ADD COLUMN cards_need_approval boolean NOT NULL DEFAULT false",
    # 5: failed host passcodes per browser session and per address, shared by every replica
    # (PostgresFailureCounts); last_failure in seconds since the epoch, from the app's clock
    """
    CREATE TABLE passcode_failures (
        kind text NOT NULL,
        key text NOT NULL,
        failures integer NOT NULL,
        last_failure double precision NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE INDEX passcode_failures_by_time ON passcode_failures (last_failure);
    """,
)

SESSION_COLUMNS = (
    "code",
    "title",
    "date",
    "language",
    "instruments",
    "keep_throw_preset",
    "sectors",
    "is_open",
    "hidden_boards",
    "created_at",
    "agenda",
    "cards_need_approval",
    "version",
)
EVENT_COLUMNS = EVENT_FIELDS  # the events table's columns are the model's fields, in order

_INSERT_EVENT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('%s' for _ in EVENT_COLUMNS)}) "
    "ON CONFLICT (session, submission_id, instrument, item) DO NOTHING"
)
_UNREACHABLE = (psycopg.OperationalError, psycopg.InterfaceError)


def describe_url(url: str) -> str:
    """``user@host:port/dbname`` for messages and logs: never the password. ``ConfigError`` if malformed."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise ConfigError(
            "error.config_value",
            name="PARTENARIAT_DATABASE_URL",
            value=re.sub(r"://[^@/]*@", "://…@", url)[:200],
            expected=f"postgresql://user:password@host:5432/dbname ({exc})",
        ) from None
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"{user}{parts.get('host', 'localhost')}{port}/{parts.get('dbname', '')}"


def migrate(conn: psycopg.Connection[Any], migrations: Sequence[str] = MIGRATIONS) -> list[int]:
    """Apply the migrations this database lacks; return their numbers (1-based), in order.

    ``conn`` must be in autocommit mode. A session-level advisory lock makes a second process wait
    here until the first is done, then find nothing left to do; each migration and its row in
    ``partenariat_migrations`` commit together, so a failed one leaves the earlier ones applied and is
    retried at the next start."""
    applied: list[int] = []
    cur = conn.cursor(row_factory=tuple_row)
    cur.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
    try:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS partenariat_migrations ("
            " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row[0] for row in cur.execute("SELECT version FROM partenariat_migrations")}
        for number, sql in enumerate(migrations, start=1):
            if number in done:
                continue
            with conn.transaction():
                cur.execute(sql)
                cur.execute("INSERT INTO partenariat_migrations (version) VALUES (%s)", (number,))
            applied.append(number)
    finally:
        if not conn.closed:
            cur.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    return applied


class ChangeListener:
    """One ``LISTEN`` connection per process and database, shared by every store on that URL.

    Migration 2 makes PostgreSQL send a notification on ``CHANNEL`` whenever a transaction adds
    events to a session or creates or saves it, the payload being the session's code; this thread
    counts them per session. ``token(code)`` is then a dictionary look-up, no round trip: a projector
    asking "anything new?" costs nothing while nothing changed, however many screens ask.

    A notification sent while the connection is down is lost, so the connection's ``epoch`` is part of
    every token: after a reconnection every token differs once and every reader re-reads. While it is
    down, ``token`` answers ``None`` and the store falls back to a query. A heartbeat query, with TCP
    keepalives and a TCP user timeout, notices a connection that died silently."""

    def __init__(self, url: str, *, heartbeat: float = 5.0, retry: float = 1.0, connect_timeout: int = 5):
        self.url = url
        self.heartbeat = heartbeat
        self.retry = retry
        self.connect_timeout = connect_timeout
        self.users = 0  # stores sharing this listener; see _acquire_listener
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}
        self._epoch = 0
        self._up = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="partenariat-pg-listener", daemon=True)
        self._thread.start()

    @property
    def listening(self) -> bool:
        return self._up.is_set()

    def wait_listening(self, timeout: float) -> bool:
        """Block until the connection listens (at most ``timeout`` seconds); whether it does."""
        return self._up.wait(timeout)

    def token(self, session: str) -> tuple[str, int, int] | None:
        with self._lock:
            if not self._up.is_set():
                return None
            return ("notified", self._epoch, self._counts.get(session, 0))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=self.connect_timeout,
                    application_name="partenariat-listener",
                    keepalives=1,
                    keepalives_idle=10,
                    keepalives_interval=5,
                    keepalives_count=3,
                    tcp_user_timeout=int(self.heartbeat * 3000),
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")  # in effect from here: a later commit reaches us
                    with self._lock:
                        self._epoch += 1
                        self._up.set()
                    self._listen(conn)
            except psycopg.Error:
                pass  # the server is away: readers fall back to queries until we are back
            finally:
                with self._lock:
                    self._up.clear()
            self._stop.wait(self.retry)

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        last_beat = time.monotonic()
        while not self._stop.is_set():
            for note in conn.notifies(timeout=0.25):
                with self._lock:
                    self._counts[note.payload] = self._counts.get(note.payload, 0) + 1
            if time.monotonic() - last_beat >= self.heartbeat:
                conn.execute("SELECT 1")
                last_beat = time.monotonic()


_LISTENERS: dict[str, ChangeListener] = {}
_LISTENERS_LOCK = threading.Lock()


def _acquire_listener(url: str) -> ChangeListener:
    """The process's listener for ``url``, started on first use."""
    with _LISTENERS_LOCK:
        listener = _LISTENERS.get(url)
        if listener is None:
            listener = _LISTENERS[url] = ChangeListener(url)
        listener.users += 1
        return listener


def _release_listener(listener: ChangeListener) -> None:
    with _LISTENERS_LOCK:
        listener.users -= 1
        if listener.users > 0:
            return
        if _LISTENERS.get(listener.url) is listener:
            del _LISTENERS[listener.url]
    listener.stop()


def _problem(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


class PostgresStore:
    """The ``Store`` protocol on PostgreSQL; see the module docstring for ordering and failures."""

    def __init__(
        self,
        url: str,
        *,
        min_size: int = 1,
        max_size: int = 10,
        timeout: float = 10.0,
        connect_timeout: int = 5,
        listen: bool = True,
        max_staleness: float = 30.0,
    ) -> None:
        self.where = describe_url(url)
        self.max_staleness = max_staleness
        self._born = time.monotonic()
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout) as conn:
                migrate(conn)
        except psycopg.Error as exc:
            raise StoreUnavailable("error.store_postgres", where=self.where, problem=_problem(exc)) from exc
        self._pool: ConnectionPool[psycopg.Connection[dict[str, Any]]] = ConnectionPool(
            url,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            kwargs={"autocommit": True, "connect_timeout": connect_timeout, "row_factory": dict_row},
            # One round trip per borrow, so a server restart costs no failed request.
            check=ConnectionPool.check_connection,
            name="partenariat",
            open=False,
        )
        self._pool.open(wait=False)
        self._listener = _acquire_listener(url) if listen else None
        self._throttle: GuessThrottle | None = None
        self._throttle_lock = threading.Lock()

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        """A pooled connection for one operation. Connection trouble becomes ``StoreUnavailable``; a value
        PostgreSQL cannot store (a NUL character in a text, which SQLite would take) becomes
        ``RejectedInput`` — the input layer already drops such characters, this is the last guard."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except _UNREACHABLE as exc:
            raise StoreUnavailable("error.store_unavailable") from exc
        except psycopg.DataError as exc:
            raise RejectedInput("error.rejected") from exc

    # sessions ---------------------------------------------------------------------------------
    def create_session(self, session: Session) -> None:
        values = _session_values(session)
        with self._connection() as conn:
            cur = conn.execute(
                f"INSERT INTO sessions ({', '.join(SESSION_COLUMNS)}) "
                f"VALUES ({', '.join('%s' for _ in SESSION_COLUMNS)}) ON CONFLICT (code) DO NOTHING",
                values,
            )
            if cur.rowcount == 0:
                raise SessionError("error.session_exists", code=session.code)

    def get_session(self, code: str) -> Session | None:
        with self._connection() as conn:
            row = conn.execute("SELECT * FROM sessions WHERE code = %s", (code,)).fetchone()
        return _session_from_row(row) if row else None

    def list_sessions(self) -> list[Session]:
        with self._connection() as conn:
            rows = conn.execute("SELECT * FROM sessions ORDER BY created_at DESC, code").fetchall()
        return [_session_from_row(row) for row in rows]

    def save_session(self, session: Session) -> Session:
        """Compare-and-set in one statement: the row changes only if its version is still ours."""
        values = _session_values(session)[1:-1]  # everything but the code and the version
        sets = ", ".join(f"{name} = %s" for name in SESSION_COLUMNS[1:-1])
        with self._connection() as conn:
            row = conn.execute(
                f"UPDATE sessions SET {sets}, version = version + 1 "
                "WHERE code = %s AND version = %s RETURNING *",
                (*values, session.code, session.version),
            ).fetchone()
            if row is None:
                exists = conn.execute("SELECT 1 FROM sessions WHERE code = %s", (session.code,)).fetchone()
                key = "error.session_conflict" if exists else "error.session_unknown"
                raise SessionError(key, code=session.code)
        return _session_from_row(row)

    def delete_session(self, code: str) -> bool:
        """One transaction: the session row, then its events; the listener hears of it as of a change
        (no trigger fires on DELETE, so the notification is sent here)."""
        with self._connection() as conn, conn.transaction():
            gone = conn.execute("DELETE FROM sessions WHERE code = %s", (code,)).rowcount
            if gone:
                conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (EVENTS_LOCK_SPACE, code))
                conn.execute("DELETE FROM events WHERE session = %s", (code,))
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, code))
        return bool(gone)

    # events -----------------------------------------------------------------------------------
    def append_events(self, events: Sequence[Event]) -> int:
        if not events:
            return 0
        with self._connection() as conn:
            return self._append_in(conn, events)

    def _append_in(self, conn: psycopg.Connection[Any], events: Sequence[Event]) -> int:
        """One transaction: lock each session's stream (sorted, so two writers never deadlock), then
        insert, skipping keys already stored. All rows or none."""
        rows = [_event_values(e) for e in events]
        with conn.transaction(), conn.cursor() as cur:
            for session in sorted({e.session for e in events}):
                cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (EVENTS_LOCK_SPACE, session))
            cur.executemany(_INSERT_EVENT, rows)
            return cur.rowcount

    def read_events(self, session: str, since: int = 0) -> list[Event]:
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT * FROM events WHERE session = %s AND seq > %s ORDER BY seq", (session, since)
            ).fetchall()
        return [_event_from_row(row) for row in rows]

    def read_frame(self, session: str, since: int = 0) -> pd.DataFrame:
        """``read_events`` as a pandas table (``scoring.frame.COLUMNS``): tuples from the server go
        straight into columns, with no ``Event`` (nor dict) per row."""
        with self._connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            rows = cur.execute(_READ_COLUMNS, (session, since)).fetchall()
        if not rows:
            return frame_from_columns([[]], [])
        *columns, created_at = zip(*rows, strict=True)
        return frame_from_columns(columns, created_at)

    # passcode throttle ------------------------------------------------------------------------
    def passcode_throttle(self) -> GuessThrottle:
        """The throttle of wrong host passcodes for this deployment: its counts in this database, so
        every replica sees every replica's failures (``PostgresFailureCounts``). One per store."""
        with self._throttle_lock:
            if self._throttle is None:
                self._throttle = GuessThrottle(clock=time.time, counts=PostgresFailureCounts(self))
            return self._throttle

    # change notifications ---------------------------------------------------------------------
    def data_version(self, session: str) -> Hashable:
        """A token that changes whenever ``session`` gets new events or is created or saved: while it
        equals the last one seen, nothing changed and a screen need not re-read nor re-draw.

        Take it *before* reading, so that a change made during the read shows as a new token next time.
        Tokens are opaque: compare them with ``==`` only. With the listener up the answer is local
        (no query); it also changes every ``max_staleness`` seconds, a bounded re-read as insurance
        against a notification lost without the connection noticing. With the listener down (or
        ``listen=False``) it is one indexed query: the session's highest ``seq`` and its version."""
        if self._listener is not None:
            token = self._listener.token(session)
            if token is not None:
                return (*token, int((time.monotonic() - self._born) // self.max_staleness))
        with self._connection() as conn:
            row = conn.execute(
                "SELECT (SELECT coalesce(max(seq), 0) FROM events WHERE session = %s) AS seq,"
                " (SELECT version FROM sessions WHERE code = %s) AS version",
                (session, session),
            ).fetchone()
        assert row is not None
        return ("read", row["seq"], -1 if row["version"] is None else row["version"])

    @property
    def listening(self) -> bool:
        """Whether change notifications are being received (``data_version`` costs no query)."""
        return self._listener is not None and self._listener.listening

    def close(self) -> None:
        """Close the pool's connections and, with the last store on this URL, the listener."""
        if self._listener is not None:
            _release_listener(self._listener)
            self._listener = None
        self._pool.close()


def _session_values(s: Session) -> tuple[Any, ...]:
    return (
        s.code,
        s.title,
        s.date,
        s.language,
        list(s.instruments),
        s.keep_throw_preset,
        list(s.sectors),
        s.is_open,
        list(s.hidden_boards),
        s.created_at,
        s.agenda.to_json(),
        s.cards_need_approval,
        s.version,
    )


def _session_from_row(row: dict[str, Any]) -> Session:
    return Session(
        code=row["code"],
        title=row["title"],
        date=row["date"],
        language=row["language"],
        instruments=tuple(row["instruments"]),
        keep_throw_preset=row["keep_throw_preset"],
        sectors=tuple(row["sectors"]),
        is_open=row["is_open"],
        hidden_boards=tuple(row["hidden_boards"]),
        created_at=row["created_at"],
        agenda=Agenda.from_json(row["agenda"]),
        cards_need_approval=row["cards_need_approval"],
        version=row["version"],
    )


class PostgresFailureCounts:
    """``throttle.FailureCounts`` in the ``passcode_failures`` table (migration 5), so every replica
    counts into, and waits on, the same counts.

    ``add`` is one upsert per key (atomic: two replicas counting the same address at once both count)
    that starts a count idle for ``forget_after`` over at one; then one replica at a time removes the
    counts idle that long and the least recent beyond ``max_tracked``: a flood of addresses cannot fill
    the table."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def add(
        self, keys: Sequence[tuple[str, str]], now: float, forget_after: float, max_tracked: int
    ) -> list[int]:
        counts = []
        with self.store._connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            for kind, key in keys:  # one statement each, in autocommit: no lock held across them
                cur.execute(
                    "INSERT INTO passcode_failures AS f (kind, key, failures, last_failure)"
                    " VALUES (%s, %s, 1, %s) ON CONFLICT (kind, key) DO UPDATE SET"
                    " failures = CASE WHEN f.last_failure <= %s THEN 1 ELSE f.failures + 1 END,"
                    " last_failure = EXCLUDED.last_failure RETURNING failures",
                    (kind, key, now, now - forget_after),
                )
                row = cur.fetchone()
                counts.append(int(row[0]) if row else 1)
            with conn.transaction():  # one replica at a time tidies up; the others need not wait
                cur.execute("SELECT pg_try_advisory_xact_lock(%s)", (THROTTLE_PURGE_LOCK,))
                row = cur.fetchone()
                if row and row[0]:
                    cur.execute(
                        "DELETE FROM passcode_failures WHERE last_failure <= %s", (now - forget_after,)
                    )
                    cur.execute(
                        "DELETE FROM passcode_failures WHERE (kind, key) IN (SELECT kind, key"
                        " FROM passcode_failures ORDER BY last_failure DESC OFFSET %s)",
                        (max_tracked,),
                    )
        return counts

    def get(self, keys: Sequence[tuple[str, str]]) -> list[tuple[int, float] | None]:
        with self.store._connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            found = {}
            for kind, key in keys:
                row = cur.execute(
                    "SELECT failures, last_failure FROM passcode_failures WHERE kind = %s AND key = %s",
                    (kind, key),
                ).fetchone()
                if row is not None:
                    found[(kind, key)] = (int(row[0]), float(row[1]))
        return [found.get(k) for k in keys]

    def clear(self, keys: Sequence[tuple[str, str]]) -> None:
        with self.store._connection() as conn, conn.cursor() as cur:
            for kind, key in keys:
                cur.execute("DELETE FROM passcode_failures WHERE kind = %s AND key = %s", (kind, key))


_READ_COLUMNS = (
    f"SELECT seq, {', '.join(EVENT_FIELDS)} FROM events WHERE session = %s AND seq > %s ORDER BY seq"
)


def _event_values(e: Event) -> tuple[Any, ...]:
    return (e.session, e.participant, e.submission_id, e.instrument, e.item, e.value, e.text, e.created_at)


def _event_from_row(row: dict[str, Any]) -> Event:
    return Event(
        session=row["session"],
        participant=row["participant"],
        submission_id=row["submission_id"],
        instrument=row["instrument"],
        item=row["item"],
        value=row["value"],
        text=row["text"],
        created_at=row["created_at"],
        seq=row["seq"],
    )
