"""Screens told about a change (ui/push.py): which screens are rerun, and when their drawing changes
by itself. The real server's side is in tests/browser/test_screen_push_server.py."""

from __future__ import annotations

import datetime as dt
import time

from partenariat_core.agenda import ScreenView
from partenariat_core.instruments import load_instruments
from partenariat_core.live import LiveSessions
from partenariat_core.model import Event, Session
from partenariat_core.screen_layout import SECONDS_PER_PAGE
from partenariat_core.store import SQLiteStore
from ui import push as push_module
from ui.projector import next_redraw
from ui.push import (
    LOST_SECONDS,
    MAX_PHONES_IN_FLIGHT,
    MIN_GAP_SECONDS,
    SWEEP_SECONDS,
    ScreenPush,
    Watcher,
    due,
)


def watcher(
    serial: int, *, drawn_at: float = 0.0, wake_at: float | None = None, code: str = "PSH234"
) -> Watcher:
    return Watcher(code, "frag", "page", "session=PSH234", serial, drawn_at=drawn_at, wake_at=wake_at)


def test_only_screens_drawn_from_an_older_snapshot_are_rerun():
    screens = [("old", watcher(1)), ("current", watcher(2)), ("other", watcher(1, code="AUTRE1"))]
    assert due(screens, {"PSH234": 2, "AUTRE1": 1}, now=10.0) == ["old"]


def test_a_screen_is_rerun_when_its_drawing_changes_by_itself():
    assert due([("clock", watcher(2, wake_at=11.0))], {"PSH234": 2}, now=10.5) == []
    assert due([("clock", watcher(2, wake_at=11.0))], {"PSH234": 2}, now=11.0) == ["clock"]


def test_a_screen_is_not_asked_twice_while_a_request_is_on_its_way():
    w = watcher(1)
    w.requested_at = 10.0
    assert due([("s", w)], {"PSH234": 2}, now=10.0 + LOST_SECONDS / 2) == []
    assert due([("s", w)], {"PSH234": 2}, now=10.0 + LOST_SECONDS) == ["s"]  # lost: ask again


def test_a_screen_just_drawn_waits_a_little_while_answers_pour_in():
    w = watcher(1, drawn_at=10.0)
    assert due([("s", w)], {"PSH234": 2}, now=10.0 + MIN_GAP_SECONDS / 2) == []
    assert due([("s", w)], {"PSH234": 2}, now=10.0 + MIN_GAP_SECONDS) == ["s"]


def test_a_page_slower_to_redraw_keeps_its_own_gap():
    dashboard = watcher(1, drawn_at=10.0)
    dashboard.min_gap = 0.5  # the host dashboard passes its refresh interval
    assert due([("d", dashboard)], {"PSH234": 2}, now=10.0 + MIN_GAP_SECONDS) == []
    assert due([("d", dashboard)], {"PSH234": 2}, now=10.5) == ["d"]


def test_a_new_answer_reruns_the_screens_of_its_session_once(tmp_path):
    store = SQLiteStore(tmp_path / "push.db")
    store.create_session(Session("PSH234", "Atelier"))
    live = LiveSessions(store, load_instruments(), ttl=0.0)
    asked: list[str] = []
    clock = [100.0]
    push = ScreenPush(lambda session_id, _w: asked.append(session_id) or True, clock=lambda: clock[0])
    serial = live.snapshot("PSH234").serial
    for tab in ("screen-1", "screen-2"):
        push.watch(tab, live, watcher(serial, drawn_at=99.0))
    try:
        assert push.check() == []  # nothing new: nobody is rerun
        card = Event(
            "PSH234",
            "anon-1",
            "s1",
            "keep_throw",
            "keep",
            text="carte",
            created_at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC),
        )
        store.append_events([card])
        clock[0] += 0.1
        assert sorted(push.check()) == ["screen-1", "screen-2"]
        clock[0] += 0.1
        assert push.check() == []  # asked already, and their runs have not come back yet
        new = live.snapshot("PSH234").serial
        push.watch("screen-1", live, watcher(new, drawn_at=clock[0]))  # screen-1 redrew; screen-2 is slow
        clock[0] += LOST_SECONDS
        assert push.check() == ["screen-2"]  # its request was lost: asked again, screen-1 left alone
        assert push.pushed == 3
    finally:
        push.stop()
        store.close()


def test_a_closed_tab_is_forgotten(tmp_path):
    store = SQLiteStore(tmp_path / "push.db")
    store.create_session(Session("PSH234", "Atelier"))
    live = LiveSessions(store, load_instruments(), ttl=0.0)
    push = ScreenPush(lambda _s, _w: False)  # Streamlit no longer knows the session
    push.watch("gone", live, watcher(0))
    try:
        assert push.check() == [] and push.watching() == 0
    finally:
        push.stop()
        store.close()


def test_a_closed_tab_that_nothing_makes_due_is_swept(tmp_path):
    """A dashboard's tab closed in a quiet session: no answer makes it due, so no failed request
    tells that it closed; the sweep does, and lets go of its session too."""
    store = SQLiteStore(tmp_path / "push.db")
    store.create_session(Session("PSH234", "Atelier"))
    live = LiveSessions(store, load_instruments(), ttl=0.0)
    open_tabs = {"open", "closed"}
    clock = [100.0]
    push = ScreenPush(lambda _s, _w: True, clock=lambda: clock[0], connected=open_tabs.__contains__)
    serial = live.snapshot("PSH234").serial
    push.watch("open", live, watcher(serial, drawn_at=99.0))
    push.watch("closed", live, watcher(serial, drawn_at=99.0))
    try:
        open_tabs.discard("closed")
        clock[0] += SWEEP_SECONDS / 2
        assert push.check() == [] and push.watching() == 2  # not yet looked at
        clock[0] += SWEEP_SECONDS / 2
        assert push.check() == [] and push.watching() == 1
        push.forget("open")
        assert push.watching() == 0 and not push._lives  # no screen left: its session let go
    finally:
        push.stop()
        store.close()


def test_a_full_page_run_forgets_what_its_tab_watched(tmp_path, monkeypatch):
    """The host leaves the dashboard for another page in the same tab: its full run drops the old
    screen's watcher (a screen page registers again from its fragment in the same run)."""
    from types import SimpleNamespace

    import streamlit.runtime.scriptrunner as scriptrunner

    store = SQLiteStore(tmp_path / "push.db")
    store.create_session(Session("PSH234", "Atelier"))
    live = LiveSessions(store, load_instruments(), ttl=0.0)
    monkeypatch.setattr(scriptrunner, "get_script_run_ctx", lambda: SimpleNamespace(session_id="host-tab"))
    push_module.page_started()  # no screen yet in this process: nothing is made for a phone
    assert push_module.shared.cache_info().currsize == 0
    push = push_module.shared()
    serial = live.snapshot("PSH234").serial
    now = time.time()
    push.watch("host-tab", live, watcher(serial, drawn_at=now))
    push.watch("screen-tab", live, watcher(serial, drawn_at=now))
    try:
        push_module.page_started()
        assert push.watching() == 1  # the screen's own tab is left alone
    finally:
        push.stop()
        push_module.shared.cache_clear()
        store.close()


def view(remaining: int | None) -> ScreenView:
    return ScreenView(
        index=1, step="keep_throw", total=3, pinned=False, revealed=True, locked=False, remaining=remaining
    )


def test_a_board_redraws_at_its_next_page_and_a_countdown_every_second():
    now = 10 * SECONDS_PER_PAGE + 3.5
    assert next_redraw(view(None), now) == 11 * SECONDS_PER_PAGE
    assert next_redraw(view(90), now) == now + 1.0
    assert next_redraw(view(0), now) == 11 * SECONDS_PER_PAGE  # time is up: the clock no longer moves


def phone(drawn: object, group: object, current, *, drawn_at: float = 0.0) -> Watcher:
    return Watcher(
        "PSH234", "watch", "page", "session=PSH234", drawn, drawn_at, None, group=group, current=current
    )


def test_phones_are_rerun_when_what_they_drew_moves_a_few_at_a_time(tmp_path):
    """The host moves a room of 40 phones: each is asked once, at most MAX_PHONES_IN_FLIGHT at a time,
    the next ones as the first come back (a phone's run registers it again)."""
    store = SQLiteStore(tmp_path / "push.db")
    live = LiveSessions(store, load_instruments(), ttl=0.0)
    step = ["join"]
    looks = []

    def current() -> object:
        looks.append(step[0])
        return step[0]

    asked: list[str] = []
    clock = [100.0]
    push = ScreenPush(lambda session_id, _w: asked.append(session_id) or True, clock=lambda: clock[0])
    tabs = [f"phone-{i:02d}" for i in range(40)]
    for tab in tabs:
        push.watch(tab, live, phone("join", "room", current))
    try:
        assert push.check() == [] and looks == ["join"]  # one look for the whole group
        assert push.check() == [] and len(looks) == 2  # settled: still one look, nobody compared
        step[0] = "keep_throw"
        first = push.check()
        assert len(first) == MAX_PHONES_IN_FLIGHT
        assert push.check() == []  # those runs have not come back yet
        for tab in first:  # they redrew the new step
            push.watch(tab, live, phone("keep_throw", "room", current, drawn_at=clock[0]))
        second = push.check()
        assert len(second) == MAX_PHONES_IN_FLIGHT and not set(second) & set(first)
        for tab in second:
            push.watch(tab, live, phone("keep_throw", "room", current, drawn_at=clock[0]))
        third = push.check()
        assert sorted(first + second + third) == tabs  # everyone once
        for tab in third:
            push.watch(tab, live, phone("keep_throw", "room", current, drawn_at=clock[0]))
        assert push.check() == []
        assert len(asked) == 40
    finally:
        push.stop()
        store.close()


def test_a_phone_that_drew_an_older_view_into_a_settled_group_is_still_told(tmp_path):
    """A slow phone registers what it drew before the host moved, after its group was found settled
    on the new view: it must not be skipped with the group."""
    store = SQLiteStore(tmp_path / "push.db")
    live = LiveSessions(store, load_instruments(), ttl=0.0)
    step = ["keep_throw"]
    asked: list[str] = []
    push = ScreenPush(lambda session_id, _w: asked.append(session_id) or True, clock=lambda: 100.0)
    push.watch("fast", live, phone("keep_throw", "room", lambda: step[0]))
    try:
        assert push.check() == []  # the group is settled on keep_throw
        push.watch("slow", live, phone("join", "room", lambda: step[0]))
        assert push.check() == ["slow"]
    finally:
        push.stop()
        store.close()


def test_a_phone_redrawing_its_page_counts_as_in_flight_until_it_registers_again(tmp_path):
    store = SQLiteStore(tmp_path / "push.db")
    live = LiveSessions(store, load_instruments(), ttl=0.0)
    step = ["join"]
    asked: list[str] = []
    clock = [100.0]
    push = ScreenPush(lambda session_id, _w: asked.append(session_id) or True, clock=lambda: clock[0])
    tabs = [f"phone-{i:02d}" for i in range(MAX_PHONES_IN_FLIGHT + 1)]
    for tab in tabs:
        push.watch(tab, live, phone("join", "room", lambda: step[0]))
    try:
        step[0] = "keep_throw"
        first = push.check()
        assert len(first) == MAX_PHONES_IN_FLIGHT
        for tab in first:  # their pushed check reran the whole page: these runs have begun
            push.page_started(tab)
        assert push.check() == []  # still in flight: the last phone waits for a free place
        push.watch(first[0], live, phone("keep_throw", "room", lambda: step[0], drawn_at=clock[0]))
        assert push.check() == [tabs[-1]]  # one run ended: the next phone is asked
        clock[0] += LOST_SECONDS
        push.check()
        assert push.watching() == 2  # the others never registered again: they left the page
    finally:
        push.stop()
        store.close()
