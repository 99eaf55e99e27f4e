"""The Google Sheets backend against the fake Sheets API: the store contract, twice.

``TestSheetsStore`` runs the contract on one store, as pages use it (answers served from the
outbox). ``TestThroughTheSheet`` runs it again with every read served by a *second* store that has
its own, empty outbox, so everything it returns came through the spreadsheet: layout, cell
neutralisation, time zones and arrival order all make the round trip.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import pytest
from store_contract import StoreContract

from partenariat_core.config import load_settings
from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.model import Event, Session
from partenariat_core.store import BACKENDS, open_store
from partenariat_core.store.sheets import SheetsOptions, SheetsStore
from partenariat_core.store.sheets.layout import from_cell, to_cell
from partenariat_core.store.sheets.pacing import AdaptiveInterval, Backoff, Budget

KEY = "contract-sheet"
FAST = SheetsOptions(
    read_seconds=0.05,
    sessions_seconds=0.5,
    flush_seconds=0.02,
    backoff_base=0.02,
    backoff_cap=0.2,
    timeout=2.0,
    quota_per_minute=6000,  # quotas are exercised in test_sheets_faults.py; here, speed
)


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(KEY, "Partenariat Live")
        yield server


def open_sheets_store(fake: FakeSheetsServer, path, **kwargs) -> SheetsStore:
    return SheetsStore(
        KEY, outbox_path=path, api_url=fake.base_url, options=kwargs.pop("options", FAST), **kwargs
    )


class TestSheetsStore(StoreContract):
    @pytest.fixture
    def store(self, fake, tmp_path):
        store = open_sheets_store(fake, tmp_path / "outbox.db")
        yield store
        assert store.flush(timeout=10), store.sync_status()
        store.close()


class ThroughTheSheet:
    """Writes go to one store; reads come from another that only knows what the sheet holds."""

    def __init__(self, writer: SheetsStore, reader: SheetsStore) -> None:
        self.writer, self.reader = writer, reader

    def _synced(self) -> SheetsStore:
        assert self.writer.flush(timeout=10), self.writer.sync_status()
        assert self.reader.refresh(timeout=10), self.reader.sync_status()
        return self.reader

    def create_session(self, session: Session) -> None:
        self._synced()  # a code created by another process must be known before refusing it
        self.writer.create_session(session)

    def get_session(self, code: str) -> Session | None:
        return self._synced().get_session(code)

    def list_sessions(self) -> list[Session]:
        return self._synced().list_sessions()

    def save_session(self, session: Session) -> Session:
        return self.writer.save_session(session)

    def delete_session(self, code: str) -> bool:
        self._synced()  # a session created by another process is known before deleting it
        return self.writer.delete_session(code)

    def append_events(self, events: Sequence[Event]) -> int:
        return self.writer.append_events(events)

    def read_events(self, session: str, since: int = 0) -> list[Event]:
        return self._synced().read_events(session, since)

    def close(self) -> None:
        self.writer.close()
        self.reader.close()


class TestThroughTheSheet(StoreContract):
    @pytest.fixture
    def store(self, fake, tmp_path):
        both = ThroughTheSheet(
            open_sheets_store(fake, tmp_path / "writer.db"), open_sheets_store(fake, tmp_path / "reader.db")
        )
        yield both
        both.close()


# what only the Sheets backend must show -------------------------------------------------------------
def test_risky_texts_are_stored_as_text_and_read_back_exactly():
    for text in ("=SUM(A1)", "+33 1", "-1", "@x", "'quoted", "''", "\tx", "plain", "", "a=b"):
        cell = to_cell(text)
        assert from_cell(cell) == text
        assert not cell.startswith(("=", "+", "-", "@", "\t"))


def test_formula_text_lands_as_text_in_the_sheet(fake, tmp_path):
    store = open_sheets_store(fake, tmp_path / "o.db")
    when = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
    store.append_events(
        [Event("FRM234", "p1", "s1", "keep_throw", "keep", text='=HYPERLINK("x")', created_at=when)]
    )
    assert store.flush(timeout=10)
    store.close()
    rows = fake.values(KEY, "responses")
    assert rows[0][:3] == ["session", "participant", "submission_id"]
    assert rows[1][6] == '\'=HYPERLINK("x")'
    cell = fake.metadata(KEY)  # the fake keeps RAW text as a plain string, never a Formula
    assert cell["sheets"]


def test_one_append_carries_many_answers(fake, tmp_path):
    store = open_sheets_store(fake, tmp_path / "o.db", start=False)  # worker paused: answers pile up
    events = [Event("BAT234", f"p{n}", f"s{n}", "keep_throw", "keep", text=f"carte {n}") for n in range(120)]
    assert store.append_events(events) == 120
    store.worker.start()
    assert store.flush(timeout=10)
    store.close()
    assert fake.stats()["by_route"].get("values.append", 0) == 1
    assert len(fake.values(KEY, "responses")) == 1 + 120


def test_session_changes_are_appended_and_the_highest_version_counts(fake, tmp_path):
    store = open_sheets_store(fake, tmp_path / "o.db")
    first, second = Session("ONE234", "Un"), Session("TWO234", "Deux")
    store.create_session(first)
    store.create_session(second)
    assert store.flush(timeout=10)
    store.save_session(second.with_changes(title="Deux, renommé", is_open=False))
    assert store.flush(timeout=10)
    store.close()
    rows = fake.values(KEY, "sessions")
    header = rows[0]
    at = {name: header.index(name) for name in ("code", "title", "is_open", "version")}
    got = [(r[at["code"]], r[at["title"]], r[at["is_open"]], r[at["version"]]) for r in rows[1:]]
    # no row is rewritten in place: the change is a new row with the next version
    assert got == [
        ("ONE234", "Un", "1", "0"),
        ("TWO234", "Deux", "1", "0"),
        ("TWO234", "Deux, renommé", "0", "1"),
    ]
    fake.set_values(KEY, "sessions", [header, rows[3], rows[1], rows[2]])  # a person sorts: new row first
    reader = open_sheets_store(fake, tmp_path / "r.db")
    read = reader.get_session("TWO234")
    reader.close()
    assert read is not None and (read.title, read.is_open, read.version) == ("Deux, renommé", False, 1)


def test_columns_reordered_by_a_person_are_followed(fake, tmp_path):
    # an organiser moved "text" first and added a notes column: rows are still read and written right
    header = [
        "text",
        "notes",
        "session",
        "participant",
        "submission_id",
        "instrument",
        "item",
        "value",
        "created_at",
    ]
    fake.create_spreadsheet("moved", "Moved", sheets=["sessions", "responses"])
    fake.set_values(
        "moved",
        "responses",
        [
            header,
            [
                "Bravo",
                "à revoir",
                "MOV234",
                "p9",
                "s9",
                "keep_throw",
                "keep",
                "",
                "2026-11-25T10:00:00+00:00",
            ],
        ],
    )
    store = SheetsStore("moved", outbox_path=tmp_path / "o.db", api_url=fake.base_url, options=FAST)
    assert [e.text for e in store.read_events("MOV234")] == ["Bravo"]
    store.append_events([Event("MOV234", "p1", "s1", "keep_throw", "throw", text="Réunions trop longues")])
    assert store.flush(timeout=10)
    store.close()
    last = fake.values("moved", "responses")[-1]
    assert last[0] == "Réunions trop longues" and last[1] == "" and last[2] == "MOV234" and last[6] == "throw"


def test_rows_typed_by_a_person_get_new_seqs_and_duplicates_count_once(fake, tmp_path):
    store = open_sheets_store(fake, tmp_path / "o.db")
    mine = Event("DUP234", "p1", "s1", "keep_throw", "keep", text="mine")
    store.append_events([mine])
    assert store.flush(timeout=10)
    seen = store.read_events("DUP234")
    rows = fake.values(KEY, "responses")
    typed = ["DUP234", "p2", "s2", "keep_throw", "throw", "", "typed", "2026-11-25T10:00:00"]
    fake.set_values(KEY, "responses", [*rows, rows[1], typed])  # our row pasted twice, plus a new one
    assert store.refresh(timeout=10)
    later = store.read_events("DUP234", since=seen[-1].seq)
    store.close()
    assert [e.text for e in later] == ["typed"]
    assert later[0].seq > seen[-1].seq
    assert later[0].created_at.tzinfo is not None  # a time typed without zone is read as UTC


def test_sheets_backend_is_registered_and_opened_from_settings(fake, tmp_path):
    env = {
        "PARTENARIAT_STORE": "sheets",
        "PARTENARIAT_DATA_DIR": str(tmp_path),
        "PARTENARIAT_SHEETS_SPREADSHEET": f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0",
        "PARTENARIAT_SHEETS_API_URL": fake.base_url,
    }
    settings = load_settings(env=env, secrets_file=tmp_path / "none.toml")
    assert "sheets" in BACKENDS
    store = open_store(settings)
    try:
        assert isinstance(store, SheetsStore)
        assert store.target.key == KEY
        assert store.outbox.path == tmp_path / "sheets_outbox.db"
        status = store.sync_status()
        assert status.connected and status.error_key is None
    finally:
        store.close()


def test_budget_makes_the_next_call_wait_for_the_oldest_to_leave_the_minute():
    now = [100.0]
    budget = Budget(3, clock=lambda: now[0])
    for t in (100.0, 110.0, 120.0):
        now[0] = t
        assert budget.wait("write") == 0.0
        budget.record("write")
    assert budget.wait("read") == 0.0  # reads and writes are counted apart, as Google does
    assert budget.wait("write") == pytest.approx(100.0 + 60 - 120.0)
    now[0] = 160.5
    assert budget.wait("write") == 0.0 and budget.used("write") == 2


def test_backoff_grows_is_capped_and_never_immediate():
    backoff = Backoff(base=1.0, cap=8.0, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(8)]
    ceilings = [1, 2, 4, 8, 8, 8, 8, 8]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert len(set(delays)) == len(delays)  # jittered
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_read_interval_doubles_under_429_and_eases_back():
    interval = AdaptiveInterval(shortest=2.0, longest=30.0)
    for _ in range(6):
        interval.throttled()
    assert interval.current == 30.0
    for _ in range(20):
        interval.succeeded()
    assert interval.current == 2.0
