"""LiveSessions: one shared read per ttl, readers that never wait on a slow read, and a board never
drawn from older events than the ones already read."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from partenariat_core.instruments import load_instruments
from partenariat_core.live import LiveSessions
from partenariat_core.model import Event, Session
from partenariat_core.store import SQLiteStore

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class CountingStore(SQLiteStore):
    """A real SQLite store that counts reads and can hold one until told to go on."""

    def __init__(self, path) -> None:
        super().__init__(path)
        self.event_reads = 0
        self.hold: threading.Event | None = None
        self.entered = threading.Event()

    def read_events(self, session, since=0):
        self.event_reads += 1
        if self.hold is not None:
            self.entered.set()
            assert self.hold.wait(timeout=10)
        return super().read_events(session, since)


def card(n: int, participant: str = "anon-participant-1") -> Event:
    return Event("LIV234", participant, f"s{n}", "keep_throw", "keep", text=f"carte {n}", created_at=T0)


@pytest.fixture
def setup(tmp_path):
    store = CountingStore(tmp_path / "live.db")
    store.create_session(Session("LIV234", "Atelier"))
    clock = Clock()
    live = LiveSessions(store, load_instruments(), ttl=1.0, clock=clock)
    return store, live, clock


def test_many_callers_within_the_ttl_cost_one_read(setup):
    store, live, clock = setup
    store.append_events([card(1)])
    for _ in range(50):
        assert [e.text for e in live.events("LIV234")] == ["carte 1"]
    assert store.event_reads == 1 and live.reads == 1
    store.append_events([card(2)])
    clock.now += 1.0  # ttl passed: the next caller reads only what is new
    assert [e.text for e in live.events("LIV234")] == ["carte 1", "carte 2"]
    assert store.event_reads == 2


def test_a_summary_is_never_older_than_the_events_already_read(setup):
    # The old cache returned a summary younger than its ttl even when newer events had been read.
    store, live, _clock = setup
    store.append_events([card(1)])
    assert live.summary("LIV234").participants == 1
    store.append_events([card(2, participant="anon-participant-2")])
    live.invalidate("LIV234")  # the phone's own write: its author must see it at once
    assert len(live.events("LIV234")) == 2
    assert live.summary("LIV234").participants == 2  # scored again, at once, not after the ttl


def test_a_summary_is_computed_once_per_change(setup):
    store, live, clock = setup
    store.append_events([card(1)])
    for _ in range(20):
        live.summary("LIV234")
        clock.now += 2.0  # every call re-reads the store, but nothing changed
    assert live.summaries == 1 and live.reads + live.checks == 20


def test_readers_get_the_last_snapshot_while_another_caller_reads(setup):
    store, live, clock = setup
    store.append_events([card(1)])
    assert len(live.events("LIV234")) == 1
    store.append_events([card(2)])  # something new, so the next caller really reads
    clock.now += 5.0
    store.hold = threading.Event()
    slow = threading.Thread(target=live.events, args=("LIV234",))
    slow.start()
    assert store.entered.wait(timeout=10)  # that caller is now inside a (slow) store read
    # Everyone else is served at once from what was read before; before, they queued on one lock.
    got = []
    readers = [threading.Thread(target=lambda: got.append(len(live.events("LIV234")))) for _ in range(5)]
    for r in readers:
        r.start()
    for r in readers:
        r.join(timeout=5)
    assert got == [1, 1, 1, 1, 1] and not any(r.is_alive() for r in readers)
    store.hold.set()
    slow.join(timeout=10)
    assert store.event_reads == 2


def test_a_session_change_is_seen_and_rescored(setup):
    store, live, _clock = setup
    store.append_events([card(1)])
    first = live.summary("LIV234")
    session = store.get_session("LIV234")
    store.save_session(session.with_changes(hidden_boards=("keep_throw",)))
    live.invalidate("LIV234")
    again = live.summary("LIV234")
    assert again is not first and again.session.hidden_boards == ("keep_throw",)


def test_an_unknown_session_has_no_summary(setup):
    _store, live, _clock = setup
    assert live.summary("NOP234") is None and live.events("NOP234") == ()


def test_an_unchanged_session_costs_a_version_check_not_a_read(setup):
    store, live, clock = setup
    store.append_events([card(1)])
    assert len(live.events("LIV234")) == 1
    for _ in range(10):
        clock.now += 2.0
        assert len(live.events("LIV234")) == 1
    assert store.event_reads == 1 and live.checks == 10 and live.reads == 1
    store.append_events([card(2)])
    clock.now += 2.0
    assert [e.text for e in live.events("LIV234")] == ["carte 1", "carte 2"]
    assert store.event_reads == 2


def test_a_hand_edit_in_the_sheet_redraws_the_board(tmp_path):
    # Before: boards read only events after their last seq, so a cell a person edited or a row they
    # deleted in the Google sheet stayed on the projector until the app restarted.
    from partenariat_core.fake_sheets import FakeSheetsServer
    from partenariat_core.store.sheets import SheetsOptions, SheetsStore

    fast = SheetsOptions(
        read_seconds=0.05, sessions_seconds=0.5, flush_seconds=0.02, timeout=2.0, reconcile_seconds=0.2
    )
    with FakeSheetsServer() as fake:
        fake.create_spreadsheet("LIVE-SHEET", "Partenariat Live")
        store = SheetsStore("LIVE-SHEET", outbox_path=tmp_path / "o.db", api_url=fake.base_url, options=fast)
        try:
            store.create_session(Session("LIV234", "Atelier"))
            store.append_events([card(1), card(2, participant="anon-participant-2")])
            assert store.flush(timeout=10)
            clock = Clock()
            live = LiveSessions(store, load_instruments(), ttl=1.0, clock=clock)
            assert sorted(e.text for e in live.events("LIV234")) == ["carte 1", "carte 2"]
            assert live.summary("LIV234").participants == 2
            rows = fake.values("LIVE-SHEET", "responses")
            header = rows[0]
            edited = [rows[0], rows[1]]  # a person deletes the second answer's row...
            edited[1] = [*rows[1]]
            edited[1][header.index("text")] = "carte 1, corrigée"  # ...and corrects the first
            fake.set_values("LIVE-SHEET", "responses", [*edited, [""] * len(header)])
            deadline = clock.now + 60
            while clock.now < deadline:
                clock.now += 1.0
                if [e.text for e in live.events("LIV234")] == ["carte 1, corrigée"]:
                    break
                time.sleep(0.1)
            assert [e.text for e in live.events("LIV234")] == ["carte 1, corrigée"]
            assert live.summary("LIV234").participants == 1
        finally:
            store.close()
