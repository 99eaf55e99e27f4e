"""Every answer in the sheet exactly once, whatever the timing, across restarts and late writes; and a
sheet people may sort and edit (issue 13).

The fake Sheets server holds, delays and applies requests the way Google may; a process is killed
with SIGKILL (``tests/sheets_child.py``) while Google still holds its write. Rows are counted in the
fake's sheet by submission key.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import gspread
import pytest
from sheets_child import answers
from sheets_support import FAST

from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.model import SESSION_FIELDS, Event, Session
from partenariat_core.sheets_transport import redirecting_session
from partenariat_core.store.sheets import SheetsOptions, SheetsStore
from partenariat_core.store.sheets.outbox import WriterLock

KEY = "once-sheet"
CHILD = Path(__file__).resolve().parent / "sheets_child.py"


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(KEY, "Partenariat Live")
        yield server


def options(**changes) -> SheetsOptions:
    return SheetsOptions(**{**FAST.__dict__, **changes})


def open_store(fake: FakeSheetsServer, path: Path, **kwargs) -> SheetsStore:
    return SheetsStore(
        KEY, outbox_path=path, api_url=fake.base_url, options=kwargs.pop("options", FAST), **kwargs
    )


def sheet_keys(fake: FakeSheetsServer) -> Counter[tuple[str, ...]]:
    rows = fake.values(KEY, "responses")
    at = [rows[0].index(name) for name in ("session", "submission_id", "instrument", "item")]
    return Counter(tuple(row[i] for i in at) for row in rows[1:])


def assert_exactly_once(fake: FakeSheetsServer, expected: list[Event]) -> None:
    keys = sheet_keys(fake)
    wanted = {(e.session, e.submission_id, e.instrument, e.item) for e in expected}
    assert set(keys) == wanted, f"lost: {len(wanted - set(keys))}, foreign: {len(set(keys) - wanted)}"
    assert [k for k, n in keys.items() if n > 1] == []  # duplicated
    assert sum(keys.values()) == len(expected)


def until(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def sends(path: Path) -> int:
    """Rows the outbox records as handed to Google (read by a separate connection, as a person would)."""
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT count(*) FROM sends").fetchone()[0])


def worksheet(fake: FakeSheetsServer, title: str) -> gspread.Worksheet:
    """The worksheet as a person's client sees it (gspread against the fake)."""
    client = gspread.Client(auth=None, session=redirecting_session(fake.base_url))
    return client.open_by_key(KEY).worksheet(title)


def prepared(fake: FakeSheetsServer, tmp_path: Path) -> None:
    """Worksheets and headers made, as by a first start of the app."""
    open_store(fake, tmp_path / "first.db").close()


# item 2: kill -9 while Google holds the write ----------------------------------------------------------
def test_kill_9_while_google_holds_the_append_and_applies_it_later_sends_nothing_twice(fake, tmp_path):
    prepared(fake, tmp_path)
    outbox = tmp_path / "outbox.db"
    child = subprocess.Popen(
        [sys.executable, str(CHILD), fake.base_url, KEY, str(outbox), "30", "1.0", "1.5"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "accepted 30"
        fake.faults.delay(2.0, n=1, only="write")  # Google applies the append 2 s after it arrives
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
        assert until(lambda: outbox.exists() and sends(outbox) == 30, seconds=20)  # the append left
        time.sleep(0.3)
        assert fake.values(KEY, "responses")[1:] == []  # held by Google
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    restarted = open_store(fake, outbox, options=options(timeout=1.0, settle_seconds=1.5))
    try:
        assert restarted.flush(timeout=15), restarted.sync_status()
        appends = restarted.worker.counters["appends"]
        time.sleep(0.5)  # anything still held would have landed by now
    finally:
        restarted.close()
    assert appends == 0  # the restarted writer found the held rows; it never sent them again
    assert_exactly_once(fake, answers(30))


# item 1: the append landed, recording it locally failed -----------------------------------------------
def test_a_local_failure_after_the_append_does_not_send_the_batch_again(fake, tmp_path):
    outbox = tmp_path / "outbox.db"
    store = open_store(fake, outbox, options=options(local_timeout=0.2), start=False)
    sent = answers(6)
    store.append_events(sent)
    fake.faults.delay(0.6, n=1, only="write")  # time to lock the outbox while the append is out
    store.worker.start()
    assert until(lambda: sends(outbox) == 6)
    blocker = sqlite3.connect(outbox, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another program holds the file: marking the rows fails
    try:
        assert until(lambda: store.worker.counters["appends"] == 1)
        assert until(lambda: store.sync_status().error_key == "error.store_unavailable", seconds=5)
        time.sleep(0.3)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert store.flush(timeout=10), store.sync_status()
    store.close()
    assert fake.stats()["by_route"]["values.append"] == 1
    assert_exactly_once(fake, sent)


# item 7: one timed-out write does not hold back the others -------------------------------------------
def test_one_timed_out_write_does_not_hold_back_the_other_batches(fake, tmp_path):
    outbox = tmp_path / "outbox.db"
    store = open_store(fake, outbox, options=options(timeout=0.5, settle_seconds=6.0), start=False)
    first, second = answers(10), answers(10, start=10)
    store.append_events(first)
    fake.faults.delay(4.0, n=1, only="write")  # the first batch's reply comes far past the timeout
    landed: dict[str, float] = {}
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for key in sheet_keys(fake):
                landed.setdefault(key[1], time.monotonic())
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    store.worker.start()
    try:
        assert until(lambda: store.worker.counters["failures"] >= 1)  # the first append timed out
        store.append_events(second)
        assert until(lambda: all(e.submission_id in landed for e in first + second), seconds=20)
        assert store.flush(timeout=15), store.sync_status()
    finally:
        stop.set()
        watcher.join(timeout=2)
        store.close()
    assert max(landed[e.submission_id] for e in second) < min(landed[e.submission_id] for e in first)
    assert_exactly_once(fake, first + second)


# issue 12 item 5: stop() keeps the writer lock while the thread is still in a call ----------------------
def test_stop_keeps_the_writer_lock_until_the_thread_has_really_stopped(fake, tmp_path):
    outbox = tmp_path / "outbox.db"
    store = open_store(fake, outbox, start=False)
    store.append_events(answers(5))
    fake.faults.delay(1.5, n=1, only="write")
    store.worker.start()
    assert until(lambda: sends(outbox) == 5)
    store.worker.stop(timeout=0.1)  # the thread is inside the held append
    other = WriterLock(outbox)
    assert not other.acquire()  # a new worker may not send these rows yet
    assert until(lambda: not store.worker.running, seconds=10)
    assert other.acquire()  # the thread is gone: the lock is free
    other.release()
    assert_exactly_once(fake, answers(5))


# item 5: a person sorts the sessions worksheet -------------------------------------------------------
def effective_sessions(fake: FakeSheetsServer) -> dict[str, tuple[str, str]]:
    """code -> (title, is_open) of the row with the highest version, as the app reads the sheet."""
    rows = fake.values(KEY, "sessions")
    at = {name: rows[0].index(name) for name in ("code", "title", "is_open", "version")}
    best: dict[str, tuple[int, str, str]] = {}
    for row in rows[1:]:
        version = int(row[at["version"]] or 0)
        if row[at["code"]] not in best or version >= best[row[at["code"]]][0]:
            best[row[at["code"]]] = (version, row[at["title"]], row[at["is_open"]])
    return {code: (title, is_open) for code, (_, title, is_open) in best.items()}


def test_sorting_the_sessions_sheet_then_closing_a_session_keeps_every_session(fake, tmp_path):
    store = open_store(fake, tmp_path / "o.db")
    for code, title in (("AAA234", "Atelier A"), ("BBB234", "Atelier B"), ("CCC234", "Atelier C")):
        store.create_session(Session(code, title))
    assert store.flush(timeout=10)
    sheet = worksheet(fake, "sessions")
    rows = sheet.get_all_values()
    sheet.update([rows[0], *sorted(rows[1:], reverse=True)], "A1", raw=True)  # Z→A, as a person sorts
    closing = store.get_session("AAA234")
    assert closing is not None
    store.save_session(closing.with_changes(is_open=False))  # at once, before any read of the sheet
    assert store.flush(timeout=10)
    store.close()
    assert effective_sessions(fake) == {
        "AAA234": ("Atelier A", "0"),
        "BBB234": ("Atelier B", "1"),
        "CCC234": ("Atelier C", "1"),
    }
    reader = open_store(fake, tmp_path / "reader.db")
    seen = {s.code: s.is_open for s in reader.list_sessions()}
    reader.close()
    assert seen == {"AAA234": False, "BBB234": True, "CCC234": True}


def test_an_old_sessions_sheet_without_a_version_column_is_read_and_keeps_working(fake, tmp_path):
    old_fields = [f for f in SESSION_FIELDS if f != "version"]
    record = Session("OLD234", "Ancienne feuille").to_record()
    fake.create_spreadsheet("old", "Old", sheets=["sessions", "responses"])
    fake.set_values("old", "sessions", [old_fields, [record[f] for f in old_fields]])
    store = SheetsStore("old", outbox_path=tmp_path / "o.db", api_url=fake.base_url, options=FAST)
    session = store.get_session("OLD234")
    assert session is not None and session.version == 0 and session.title == "Ancienne feuille"
    saved = store.save_session(session.with_changes(title="Renommée"))
    assert saved.version == 1
    assert store.flush(timeout=10), store.sync_status()
    store.close()
    rows = fake.values("old", "sessions")
    assert rows[0] == [*old_fields, "version"]  # the column is added after the others
    assert rows[1][: len(old_fields)] == [record[f] for f in old_fields]  # the old row is untouched
    reader = SheetsStore("old", outbox_path=tmp_path / "r.db", api_url=fake.base_url, options=FAST)
    again = reader.get_session("OLD234")
    reader.close()
    assert again is not None and (again.title, again.version) == ("Renommée", 1)


# item 6: hand edits and deletions reach the app --------------------------------------------------------
def test_cells_edited_and_rows_deleted_by_a_person_reach_the_app(fake, tmp_path):
    store = open_store(fake, tmp_path / "o.db", options=options(reconcile_seconds=0.3))
    sent = answers(3, session="EDT234")
    store.append_events(sent)
    assert store.flush(timeout=10)
    sheet = worksheet(fake, "responses")
    rows = sheet.get_all_values()
    text = rows[0].index("text")
    edited = [*rows[1][:text], "carte modifiée", *rows[1][text + 1 :]]
    sheet.update([rows[0], edited, rows[3]], "A1", raw=True)  # row 2 edited, row 3 deleted...
    sheet.batch_clear(["A4:Z4"])  # ...so the last row moves up
    assert until(
        lambda: [e.text for e in store.read_events("EDT234")] == ["carte modifiée", "carte 2"], seconds=10
    ), [e.text for e in store.read_events("EDT234")]
    counters = dict(store.worker.counters)
    store.close()
    assert counters["dropped"] == 1 and counters["edited"] == 1
    assert sheet_keys(fake) == Counter(
        {("EDT234", "sub-0000", "keep_throw", "keep"): 1, ("EDT234", "sub-0002", "keep_throw", "keep"): 1}
    )


# a copy that lands after the resend is found and deleted ---------------------------------------------
def test_a_write_google_applies_after_it_was_sent_again_leaves_one_row(fake, tmp_path):
    store = open_store(fake, tmp_path / "o.db", options=options(timeout=0.4, settle_seconds=0.3), start=False)
    sent = answers(8, session="LAT234")
    store.append_events(sent)
    fake.faults.delay(2.5, n=1, only="write")  # longer than timeout + settle: the batch is sent again
    store.worker.start()
    try:
        assert until(lambda: sum(sheet_keys(fake).values()) >= 8)  # the second send landed
        assert until(lambda: store.worker.counters["duplicates_deleted"] == 8, seconds=20)
        assert store.flush(timeout=10)
        texts = [e.text for e in store.read_events("LAT234")]
    finally:
        store.close()
    assert fake.stats()["by_route"]["values.append"] == 2  # the held one and the resend
    assert_exactly_once(fake, sent)
    assert texts == [e.text for e in sent]  # the app counted each answer once all along


# the app's columns carry a warning-only protection ------------------------------------------------------
def test_the_apps_columns_are_protected_with_a_warning_only_once(fake, tmp_path):
    open_store(fake, tmp_path / "o.db").close()
    open_store(fake, tmp_path / "o.db").close()  # a restart adds nothing more
    sheets = {s["properties"]["title"]: s for s in fake.metadata(KEY)["sheets"]}
    for title, width in (("responses", 8), ("sessions", len(SESSION_FIELDS))):
        ranges = sheets[title].get("protectedRanges", [])
        assert len(ranges) == 1, ranges
        (protected,) = ranges
        assert protected["warningOnly"] is True and protected["description"] == "Partenariat Live"
        grid = protected["range"]
        assert (grid.get("startColumnIndex", 0), grid["endColumnIndex"]) == (0, width)
        assert "startRowIndex" not in grid  # the whole columns, header included
    assert "protectedRanges" not in sheets["Sheet1"]


def test_an_extra_copy_is_deleted_only_from_a_row_that_still_holds_its_key(fake, tmp_path):
    store = open_store(fake, tmp_path / "o.db")
    sent = answers(3, session="DEL234")
    store.append_events(sent)
    assert store.flush(timeout=10)
    store.close()  # the worker is stopped: the call below is the only one
    key = ("DEL234", "sub-0001", "keep_throw", "keep")  # the answer in row 3
    rows = fake.values(KEY, "responses")
    sheet = worksheet(fake, "responses")
    sheet.update([rows[0], rows[3], rows[2], rows[1]], "A1", raw=True)  # a person sorted since the read
    store.worker.to_delete = [(2, key), (3, key)]  # row 2 now holds another answer; row 3 still holds it
    store.worker._delete_extra_copies()
    assert sheet_keys(fake) == Counter(
        {("DEL234", "sub-0002", "keep_throw", "keep"): 1, ("DEL234", "sub-0000", "keep_throw", "keep"): 1}
    )
