"""The SQLite backend: the store contract, plus what only an embedded file store must show."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from store_contract import StoreContract

from partenariat_core.errors import StoreUnavailable
from partenariat_core.model import Event, Session
from partenariat_core.store import SQLiteStore

THREADS = 8
PER_THREAD = 500
T0 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


class TestSQLiteStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        store = SQLiteStore(tmp_path / "contract.db")
        yield store
        store.close()


def _thread_events(thread: int) -> list[Event]:
    return [
        Event(
            "MANY23",
            f"participant-{thread:02d}",
            f"t{thread}-s{n:03d}",
            "conditions",
            "c1_viewpoints",
            value="ABC"[n % 3],
            created_at=T0 + dt.timedelta(milliseconds=n),
        )
        for n in range(PER_THREAD)
    ]


def _run_threads(store: SQLiteStore, batches: list[list[Event]]) -> tuple[list[int], list[BaseException]]:
    """Each thread appends its events one call at a time, all threads starting together."""
    added = [0] * len(batches)
    errors: list[BaseException] = []
    start = threading.Barrier(len(batches))

    def work(i: int) -> None:
        try:
            start.wait(timeout=30)
            for event in batches[i]:
                added[i] += store.append_events([event])
        except BaseException as exc:  # reported by the test, not swallowed
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return added, errors


def test_many_threads_lose_nothing_and_count_nothing_twice(sqlite_store):
    batches = [_thread_events(t) for t in range(THREADS)]
    added, errors = _run_threads(sqlite_store, batches)
    assert errors == []
    assert sum(added) == THREADS * PER_THREAD
    stored = sqlite_store.read_events("MANY23")
    assert len(stored) == THREADS * PER_THREAD
    assert len({e.key for e in stored}) == THREADS * PER_THREAD
    assert len({e.seq for e in stored}) == THREADS * PER_THREAD
    # every thread's own events are in its own order
    for t in range(THREADS):
        mine = [e.submission_id for e in stored if e.participant == f"participant-{t:02d}"]
        assert mine == [e.submission_id for e in batches[t]]

    resent, errors = _run_threads(sqlite_store, batches)
    assert errors == []
    assert sum(resent) == 0
    again = sqlite_store.read_events("MANY23")
    assert len(again) == THREADS * PER_THREAD
    assert [e.seq for e in again] == [e.seq for e in stored]


def test_database_runs_in_wal_mode(sqlite_store):
    db = sqlite3.connect(sqlite_store.path)
    try:
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        db.close()
    assert mode.lower() == "wal"


def test_store_survives_reopening_the_same_file(tmp_path, make_event):
    first = SQLiteStore(tmp_path / "same.db")
    first.append_events([make_event("participant-01", "keep_throw", "keep", text="Ouverture")])
    reopened = SQLiteStore(tmp_path / "same.db")
    assert [e.text for e in reopened.read_events("TEST23")] == ["Ouverture"]


def test_a_path_under_a_file_is_unavailable(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(StoreUnavailable) as info:
        SQLiteStore(blocker / "partenariat.db")
    assert info.value.key == "error.store_sqlite"
    assert str(blocker / "partenariat.db") in info.value.params["path"]


def test_a_folder_as_database_file_is_unavailable(tmp_path):
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    with pytest.raises(StoreUnavailable) as info:
        SQLiteStore(folder)
    assert info.value.key == "error.store_sqlite"


def test_a_store_that_breaks_after_opening_raises_store_unavailable(tmp_path):
    """A file removed or replaced while the app runs becomes a message, not a traceback."""
    path = tmp_path / "live.db"
    store = SQLiteStore(path)
    session = Session.new("Table")
    store.create_session(session)
    for leftover in tmp_path.glob("live.db*"):
        leftover.unlink()
    path.mkdir()  # the file is now a folder: SQLite cannot open it
    with pytest.raises(StoreUnavailable) as info:
        store.read_events(session.code)
    assert info.value.key == "error.store_unavailable"
    with pytest.raises(StoreUnavailable):
        store.append_events([Event(session.code, "participant-01", "s1", "continuum", "now", "networking")])


def test_a_file_from_before_session_versions_opens_and_saves(tmp_path):
    # A data folder made by the first release: its sessions table has no ``version`` column.
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    fields = [name for name in Session("X", "x").to_record() if name != "version"]
    old.execute(
        f"CREATE TABLE sessions ({', '.join(f'{f} TEXT NOT NULL' for f in fields)}, PRIMARY KEY (code))"
    )
    rec = {
        k: v for k, v in Session("OLD234", "Ancien atelier", created_at=T0).to_record().items() if k in fields
    }
    old.execute(
        f"INSERT INTO sessions ({', '.join(rec)}) VALUES ({', '.join('?' for _ in rec)})", tuple(rec.values())
    )
    old.commit()
    old.close()
    store = SQLiteStore(path)
    found = store.get_session("OLD234")
    assert found is not None and found.version == 0 and found.title == "Ancien atelier"
    assert store.save_session(found.with_changes(is_open=False)).version == 1
    assert store.get_session("OLD234").is_open is False


def test_a_deleted_database_file_is_made_again_and_new_answers_are_kept(tmp_path):
    # Before: "no such table" on every request until a restart, shown as a traceback.
    path = tmp_path / "gone.db"
    store = SQLiteStore(path)
    store.create_session(Session("GONE23", "Atelier"))
    for leftover in tmp_path.glob("gone.db*"):
        leftover.unlink()
    assert store.get_session("GONE23") is None  # the data went with the file...
    store.create_session(Session("BACK23", "Atelier repris"))  # ...but the store works again at once
    assert (
        store.append_events([Event("BACK23", "participant-01", "s1", "continuum", "now", "networking")]) == 1
    )
    assert [e.value for e in SQLiteStore(path).read_events("BACK23")] == ["networking"]
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_damaged_database_file_says_so_to_the_host_only(tmp_path):
    path = tmp_path / "damaged.db"
    store = SQLiteStore(path)
    store.create_session(Session("DMG234", "Atelier"))
    for leftover in tmp_path.glob("damaged.db-*"):
        leftover.unlink()
    path.write_bytes(b"this is not a SQLite file at all, " * 200)
    with pytest.raises(StoreUnavailable) as info:
        store.read_events("DMG234")
    assert info.value.message("fr") == (
        "Les réponses ne peuvent pas être enregistrées pour l'instant. Réessayez dans un moment."
    )
    host = info.value.host_message("en")
    assert str(path) in host and "damaged" in host
    assert "Traceback" not in host and "sqlite3" not in host


def test_the_database_file_and_a_new_folder_are_private_to_their_owner(tmp_path):
    store = SQLiteStore(tmp_path / "new-folder" / "partenariat.db")
    store.create_session(Session("PRV234", "Atelier"))
    assert oct((tmp_path / "new-folder").stat().st_mode & 0o777) == "0o700"
    for made in (tmp_path / "new-folder").iterdir():  # the file and its WAL and shared-memory files
        assert made.stat().st_mode & 0o077 == 0, made.name


def test_connections_are_reused_across_operations_and_threads(tmp_path):
    # Before: every operation opened a connection (three statements before the query itself).
    store = SQLiteStore(tmp_path / "pool.db")
    store.create_session(Session("POOL23", "Atelier"))
    opened = store.db.opened
    for _ in range(50):
        assert store.get_session("POOL23").title == "Atelier"
    threads = [threading.Thread(target=store.get_session, args=("POOL23",)) for _ in range(20)]
    for thread in threads:  # one after the other, as Streamlit's page runs: each on a new thread
        thread.start()
        thread.join(timeout=30)
    assert store.db.opened == opened


def test_a_file_replaced_by_another_is_read_through_a_new_connection(tmp_path):
    path = tmp_path / "live.db"
    store = SQLiteStore(path)
    store.create_session(Session("OLD234", "Avant"))
    assert store.get_session("OLD234") is not None  # a pooled connection now holds the old file
    other = SQLiteStore(tmp_path / "backup.db")
    other.create_session(Session("NEW234", "Sauvegarde"))
    other.close()
    for leftover in tmp_path.glob("live.db-*"):
        leftover.unlink()
    (tmp_path / "backup.db").replace(path)  # e.g. a host restoring a backup while the app runs
    assert store.get_session("OLD234") is None
    assert store.get_session("NEW234").title == "Sauvegarde"


def test_close_closes_the_pooled_connections(tmp_path):
    store = SQLiteStore(tmp_path / "closed.db")
    store.get_session("NONE23")
    pooled = [db for db, _ in store.db._idle]
    assert pooled
    store.close()
    for db in pooled:
        with pytest.raises(sqlite3.ProgrammingError):  # "Cannot operate on a closed database."
            db.execute("SELECT 1")
    assert store.get_session("NONE23") is None  # still usable after close, without a pool
