"""The PostgreSQL backend on a real, private server (``tests/postgres_server.py``): the store contract,
plus what only a shared server must show: migrations, concurrent writers, late commits, outages."""

from __future__ import annotations

import datetime as dt
import threading
import time

import psycopg
import pytest
from store_contract import StoreContract

from partenariat_core.config import load_settings
from partenariat_core.errors import ConfigError, RejectedInput, StoreUnavailable
from partenariat_core.model import Event, Session
from partenariat_core.store import open_store
from partenariat_core.store.postgres import MIGRATION_LOCK, MIGRATIONS, PostgresStore, migrate

T0 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


class TestPostgresStore(StoreContract):
    @pytest.fixture
    def store(self, postgres_url):
        store = PostgresStore(postgres_url)
        yield store
        store.close()


@pytest.fixture
def pg_store(postgres_url):
    store = PostgresStore(postgres_url, max_size=12)
    yield store
    store.close()


def _event(session: str, participant: str, n: int, **fields: object) -> Event:
    values: dict[str, object] = {
        "session": session,
        "participant": participant,
        "submission_id": f"{participant}-s{n:04d}",
        "instrument": "keep_throw",
        "item": "keep",
        "text": f"carte {n}",
        "created_at": T0 + dt.timedelta(milliseconds=n),
    }
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def _versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM partenariat_migrations ORDER BY version")]


def _threads(count: int, work) -> list[BaseException]:
    """Run ``work(i)`` on ``count`` threads started together; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            work(i)
        except BaseException as exc:  # reported by the test, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


# migrations -----------------------------------------------------------------------------------------
def test_a_new_database_gets_every_migration_once(postgres_url):
    PostgresStore(postgres_url).close()
    PostgresStore(postgres_url).close()  # a restart applies nothing more
    assert _versions(postgres_url) == list(range(1, len(MIGRATIONS) + 1))


def test_processes_starting_together_apply_each_migration_once(postgres_url):
    stores: list[PostgresStore] = []
    errors = _threads(6, lambda i: stores.append(PostgresStore(postgres_url, min_size=0)))
    for store in stores:
        store.close()
    assert errors == []
    assert len(stores) == 6
    assert _versions(postgres_url) == list(range(1, len(MIGRATIONS) + 1))


def test_only_the_missing_migrations_run_each_in_its_own_transaction(postgres_url):
    first = ["CREATE TABLE notes (id integer PRIMARY KEY)"]
    broken = [*first, "CREATE TABLE tags (id integer); SELECT 1 / 0"]
    fixed = [*first, "CREATE TABLE tags (id integer)", "ALTER TABLE tags ADD COLUMN label text"]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        assert migrate(conn, first) == [1]
        with pytest.raises(psycopg.errors.DivisionByZero):
            migrate(conn, broken)
        # the failed migration left nothing behind: no table, no record, and the lock is free
        assert conn.execute("SELECT to_regclass('tags')").fetchone() == (None,)
        with psycopg.connect(postgres_url, autocommit=True) as other:
            assert other.execute("SELECT pg_try_advisory_lock(%s)", (MIGRATION_LOCK,)).fetchone() == (True,)
        assert _versions(postgres_url) == [1]
        assert migrate(conn, fixed) == [2, 3]
        assert migrate(conn, fixed) == []
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'tags' ORDER BY 1"
        ).fetchall()
    assert columns == [("id",), ("label",)]
    assert _versions(postgres_url) == [1, 2, 3]


# concurrent writers ---------------------------------------------------------------------------------
def test_many_threads_lose_nothing_and_count_nothing_twice(pg_store):
    threads, per_thread = 8, 150
    batches = [[_event("MANY23", f"p{t}", n) for n in range(per_thread)] for t in range(threads)]
    added = [0] * threads

    def work(i: int) -> None:
        for event in batches[i]:
            added[i] += pg_store.append_events([event])
            added[i] += pg_store.append_events([event])  # a retry of the same submit adds nothing

    assert _threads(threads, work) == []
    assert added == [per_thread] * threads
    stored = pg_store.read_events("MANY23")
    assert len(stored) == threads * per_thread
    assert len({e.key for e in stored}) == threads * per_thread
    for t in range(threads):  # every thread's events in its own order
        mine = [e.submission_id for e in stored if e.participant == f"p{t}"]
        assert mine == [e.submission_id for e in batches[t]]


def test_a_reader_following_a_cursor_misses_no_event_of_concurrent_writers(pg_store):
    # Six writers append to one session while a projector polls with "since=cursor", as live.py does.
    # With seqs that could commit out of order, the reader would skip some; it must see each exactly once.
    writers, per_writer = 6, 120
    done = threading.Event()
    seen: list[Event] = []

    def reader() -> None:
        cursor = 0
        while True:
            finished = done.is_set()  # read once more after the writers stopped
            for event in pg_store.read_events("LATE23", since=cursor):
                seen.append(event)
                cursor = event.seq
            if finished:
                return

    def work(i: int) -> None:
        for n in range(per_writer):
            pg_store.append_events([_event("LATE23", f"w{i}", n), _event("OTHER2", f"w{i}", n)])

    thread = threading.Thread(target=reader)
    thread.start()
    errors = _threads(writers, work)
    done.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert errors == []
    assert len(seen) == writers * per_writer
    assert len({e.key for e in seen}) == writers * per_writer
    assert [e.seq for e in seen] == sorted(e.seq for e in seen)


def _wait_until(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_an_event_committed_late_is_not_skipped_by_a_reader(pg_store, postgres_url):
    # Writer A draws its seq and has not committed yet; writer B comes later. Without the per-session
    # lock B commits a higher seq first, a reader moves its cursor past A's seq and never sees A.
    first = _event("SLOW23", "a", 1)
    second = _event("SLOW23", "b", 2)
    with pg_store._pool.connection() as conn_a:
        conn_a.execute("BEGIN")  # A's append, held open: its transaction() becomes a savepoint
        assert pg_store._append_in(conn_a, [first]) == 1
        writer_b = threading.Thread(target=pg_store.append_events, args=([second],))
        writer_b.start()

        def b_is_waiting_or_done() -> bool:
            if not writer_b.is_alive():
                return True
            with psycopg.connect(postgres_url) as conn:
                waiting = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                    ("%pg_advisory_xact_lock%",),
                ).fetchone()
            return waiting[0] == 1

        assert _wait_until(b_is_waiting_or_done)
        early = pg_store.read_events("SLOW23")
        cursor = early[-1].seq if early else 0
        conn_a.execute("COMMIT")
    writer_b.join(timeout=30)
    assert not writer_b.is_alive()
    assert early == []  # B waited for A instead of committing ahead of it
    later = pg_store.read_events("SLOW23", since=cursor)
    assert [e.participant for e in later] == ["a", "b"]


def test_all_events_of_one_call_are_stored_or_none(pg_store):
    good = _event("ATOM23", "p", 1)
    bad = _event("ATOM23", "p", 2, text="nul \x00 byte")  # PostgreSQL text cannot hold NUL
    with pytest.raises(RejectedInput):
        pg_store.append_events([good, bad])
    assert pg_store.read_events("ATOM23") == []
    assert pg_store.append_events([good]) == 1


# outages --------------------------------------------------------------------------------------------
def test_a_server_that_refuses_connections_is_unavailable_at_start(postgres_server):
    url = postgres_server.url().replace(f":{postgres_server.port}/", ":1/")
    with pytest.raises(StoreUnavailable) as info:
        PostgresStore(url, connect_timeout=2)
    assert info.value.key == "error.store_postgres"
    message = info.value.message("en")
    assert "partenariat@127.0.0.1:1/postgres" in message and "refused" in message.lower()
    assert postgres_server.password not in message


def test_a_server_gone_later_is_unavailable_then_a_restart_costs_no_failed_request(pg_store, postgres_url):
    session = Session(code="DOWN23", title="Panne")
    pg_store.create_session(session)
    # the server drops every connection of the pool (as a restart does): the next call still works
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    assert pg_store.get_session("DOWN23") == session


def test_a_stopped_server_makes_calls_unavailable():
    from postgres_server import start_server

    server = start_server()
    try:
        store = PostgresStore(server.url(), timeout=2, connect_timeout=2)
        store.append_events([_event("GONE23", "p", 1)])
        server.stop()
        with pytest.raises(StoreUnavailable) as info:
            store.read_events("GONE23")
        assert info.value.key == "error.store_unavailable"
        with pytest.raises(StoreUnavailable):
            store.append_events([_event("GONE23", "p", 2)])
        store.close()
    finally:
        server.stop()


# configuration --------------------------------------------------------------------------------------
def test_open_store_builds_the_postgres_backend_from_settings(postgres_url, tmp_path):
    env = {"PARTENARIAT_STORE": "postgres", "PARTENARIAT_DATABASE_URL": postgres_url}
    store = open_store(load_settings(env=env, secrets_file=tmp_path / "none.toml"))
    try:
        assert isinstance(store, PostgresStore)
        store.create_session(Session(code="CFG234", title="Réglages"))
        assert store.get_session("CFG234").title == "Réglages"
    finally:
        store.close()


def test_postgres_without_a_url_is_a_config_error(tmp_path):
    settings = load_settings(env={"PARTENARIAT_STORE": "postgres"}, secrets_file=tmp_path / "none.toml")
    with pytest.raises(ConfigError) as info:
        open_store(settings)
    assert info.value.params["name"] == "PARTENARIAT_DATABASE_URL"


def test_a_malformed_url_is_a_config_error_that_hides_the_password():
    with pytest.raises(ConfigError) as info:
        PostgresStore("postgresql://ann:s3cret@db.example/x?no_such_option=1")
    assert info.value.params["name"] == "PARTENARIAT_DATABASE_URL"
    assert "s3cret" not in info.value.message("en")


def test_every_session_field_has_its_column():
    # A field added to Session without a migration here is dropped silently on save: the agenda was,
    # before migration 3, and every remote action was undone on PostgreSQL.
    from partenariat_core.model import SESSION_FIELDS
    from partenariat_core.store.postgres import SESSION_COLUMNS

    assert sorted(SESSION_COLUMNS) == sorted(SESSION_FIELDS)
