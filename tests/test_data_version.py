"""``data_version(session)``: the cheap "has anything changed?" a projector asks before re-reading.

Run on SQLite, on PostgreSQL with its change listener (LISTEN/NOTIFY, no query per check) and on
PostgreSQL without it (one indexed query). A notification arrives a moment after the commit, so a
"changed" check waits (bounded) for the token to move; an "unchanged" check first waits for a later
change of *another* session to arrive, notifications being delivered in commit order."""

from __future__ import annotations

import datetime as dt
import itertools
import time

import psycopg
import pytest

from partenariat_core.errors import SessionError
from partenariat_core.model import Event, Session
from partenariat_core.store import SQLiteStore
from partenariat_core.store.postgres import PostgresStore

T0 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
WAIT = 20.0
_markers = itertools.count(1)


def _event(session: str, n: int) -> Event:
    return Event(session, "p1", f"sub-{n:04d}", "keep_throw", "keep", text=f"carte {n}", created_at=T0)


def _wait_for(condition, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


@pytest.fixture(params=["sqlite", "postgres-notified", "postgres-query"])
def store(request, tmp_path):
    if request.param == "sqlite":
        store = SQLiteStore(tmp_path / "versions.db")
    else:
        url = request.getfixturevalue("postgres_url")
        listen = request.param == "postgres-notified"
        store = PostgresStore(url, listen=listen, max_staleness=3600)
        assert not listen or store._listener.wait_listening(WAIT)
    yield store
    store.close()


def _moves(store, code: str, before) -> bool:
    """Whether the token of ``code`` leaves ``before`` (at once for queries, soon for notifications)."""
    return _wait_for(lambda: store.data_version(code) != before)


def _settled(store) -> None:
    """Let every change made so far reach the store: a change of another session, then its arrival."""
    marker = f"MRK{next(_markers):03d}"
    before = store.data_version(marker)
    store.append_events([_event(marker, 1)])
    assert _moves(store, marker, before)


def test_nothing_changed_gives_the_same_token(store):
    store.create_session(Session(code="SAM234", title="Atelier"))
    store.append_events([_event("SAM234", 1)])
    _settled(store)
    first = store.data_version("SAM234")
    assert store.data_version("SAM234") == first
    assert hash(first) == hash(store.data_version("SAM234"))


def test_a_new_event_changes_the_token(store):
    store.append_events([_event("NEW234", 1)])
    _settled(store)
    before = store.data_version("NEW234")
    store.append_events([_event("NEW234", 2)])
    assert _moves(store, "NEW234", before)


def test_a_resent_event_or_another_session_leaves_the_token(store):
    store.append_events([_event("OWN234", 1)])
    _settled(store)
    before = store.data_version("OWN234")
    assert store.append_events([_event("OWN234", 1)]) == 0  # a retry stores nothing
    store.append_events([_event("OTH234", 1)])
    _settled(store)
    assert store.data_version("OWN234") == before


def test_creating_and_saving_the_session_change_the_token(store):
    missing = store.data_version("SET234")
    store.create_session(Session(code="SET234", title="Atelier"))
    assert _moves(store, "SET234", missing)
    created = store.data_version("SET234")
    saved = store.save_session(store.get_session("SET234").with_changes(is_open=False))
    assert _moves(store, "SET234", created)
    after_save = store.data_version("SET234")
    with pytest.raises(SessionError):  # a stale copy is refused: nothing changed
        store.save_session(saved.with_changes(version=0, title="Autre"))
    _settled(store)
    assert store.data_version("SET234") == after_save


# PostgreSQL's listener ------------------------------------------------------------------------------
@pytest.fixture
def listening(postgres_url):
    store = PostgresStore(postgres_url, max_staleness=3600)
    assert store._listener.wait_listening(WAIT)
    yield store
    store.close()


def test_a_notified_check_borrows_no_connection(listening, postgres_url):
    listening.append_events([_event("CHK234", 1)])
    _settled(listening)
    borrowed = listening._pool.get_stats().get("requests_num", 0)
    tokens = {listening.data_version("CHK234") for _ in range(200)}
    assert len(tokens) == 1
    assert listening._pool.get_stats().get("requests_num", 0) == borrowed
    # the same check without the listener is a query per call
    querying = PostgresStore(postgres_url, listen=False)
    try:
        before = querying._pool.get_stats().get("requests_num", 0)
        for _ in range(5):
            querying.data_version("CHK234")
        assert querying._pool.get_stats().get("requests_num", 0) == before + 5
    finally:
        querying.close()


def test_a_write_by_another_client_is_notified(listening, postgres_url):
    before = listening.data_version("EXT234")
    with psycopg.connect(postgres_url, autocommit=True) as conn:  # a writer that is not this store
        conn.execute(
            "INSERT INTO events (session, participant, submission_id, instrument, item, value, text,"
            " created_at) VALUES ('EXT234', 'p', 's', 'keep_throw', 'keep', '', 'x', now())"
        )
    assert _moves(listening, "EXT234", before)


def test_stores_of_one_process_share_one_listener(listening, postgres_url):
    second = PostgresStore(postgres_url)
    assert second._listener is listening._listener
    second.close()
    assert listening.listening  # the first store still listens
    before = listening.data_version("SHR234")
    listening.append_events([_event("SHR234", 1)])
    assert _moves(listening, "SHR234", before)


def test_a_lost_listener_connection_changes_every_token_then_comes_back(listening, postgres_url):
    listening.append_events([_event("LOS234", 1)])
    _settled(listening)
    before = listening.data_version("LOS234")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        killed = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = 'partenariat-listener' AND datname = current_database()"
        ).fetchone()
    assert killed == (1,)
    # notifications sent while it was away may be lost: the token differs, by query or by new epoch
    assert _moves(listening, "LOS234", before)
    assert _wait_for(lambda: listening.listening)
    again = listening.data_version("LOS234")
    assert again[0] == "notified" and again != before
    listening.append_events([_event("LOS234", 2)])
    assert _moves(listening, "LOS234", again)


def test_tokens_also_change_after_max_staleness(postgres_url):
    store = PostgresStore(postgres_url, max_staleness=0.2)
    try:
        assert store._listener.wait_listening(WAIT)
        before = store.data_version("OLD234")
        assert _moves(store, "OLD234", before)  # with no write at all
    finally:
        store.close()
