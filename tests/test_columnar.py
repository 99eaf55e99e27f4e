"""Columnar reads: a store's ``read_frame`` and ``summarize_frame`` give what the Event path gives."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from partenariat_core.demo import ensure_demo
from partenariat_core.instruments import load_instruments
from partenariat_core.model import Event
from partenariat_core.scoring import raw_frame, read_frame, summarize, summarize_frame, withdrawal
from partenariat_core.store import SQLiteStore

T0 = dt.datetime(2026, 11, 25, 14, 0, tzinfo=dt.UTC)


def assert_same(a: object, b: object, where: str = "summary") -> None:
    """Field by field, frames and series with pandas' own comparison (dataclass ``==`` cannot)."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, obj=where)
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), where
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


@pytest.fixture
def demo_store(tmp_path):
    store = SQLiteStore(tmp_path / "columnar.db")
    instruments = load_instruments()
    session = ensure_demo(store, instruments)
    yield store, session, instruments
    store.close()


def test_sqlite_read_frame_equals_the_frame_built_from_events(demo_store):
    store, session, _ = demo_store
    events = store.read_events(session.code)
    assert len(events) > 100  # the demo: cards, scores, groups and dot votes
    frame = store.read_frame(session.code)
    pd.testing.assert_frame_equal(frame, raw_frame(events))
    assert frame["created_at"].dtype == "datetime64[us, UTC]"  # parsed, not Python objects
    middle = events[len(events) // 2].seq
    pd.testing.assert_frame_equal(
        store.read_frame(session.code, since=middle), raw_frame(store.read_events(session.code, since=middle))
    )
    assert store.read_frame("NOSUCH").empty and list(store.read_frame("NOSUCH").columns) == list(
        frame.columns
    )


def test_instants_with_several_utc_offsets_stay_python_datetimes(tmp_path):
    store = SQLiteStore(tmp_path / "offsets.db")
    montreal = dt.timezone(dt.timedelta(hours=-5))
    events = [
        Event("OFF234", "p1", "s1", "continuum", "now", "networking", created_at=T0),
        Event("OFF234", "p1", "s2", "continuum", "desired", "networking", created_at=T0.astimezone(montreal)),
    ]
    assert store.append_events(events) == 2
    frame = store.read_frame("OFF234")
    pd.testing.assert_frame_equal(frame, raw_frame(store.read_events("OFF234")))
    assert frame["created_at"].dtype == object
    assert [when.utcoffset() for when in frame["created_at"]] == [dt.timedelta(0), dt.timedelta(hours=-5)]


def test_summarize_frame_equals_summarize_with_withdrawals_and_late_events(demo_store):
    store, session, instruments = demo_store
    events = store.read_events(session.code)
    someone = next(e.participant for e in events if e.instrument == "keep_throw")
    late = Event(
        session.code, "late-1", "late-s1", "keep_throw", "keep", text="Arrivée tardive", created_at=T0
    )
    assert store.append_events([withdrawal(session.code, someone, T0 + dt.timedelta(days=400)), late]) == 2
    events = store.read_events(session.code)  # the late card's instant is older: a re-sort is needed
    expected = summarize(session, events, instruments)
    got = summarize_frame(session, read_frame(store, session.code), instruments)
    assert_same(got, expected)
    assert got.last_seq == events[-1].seq and got.curated  # the withdrawal is the latest seq
    assert all(card.participant != someone for card in got.boards["keep_throw"].columns["keep"])


def test_columns_handed_over_out_of_order_are_put_back_in_seq_order(demo_store, monkeypatch):
    # SQLite does not promise that an aggregate keeps its subquery's order: read_frame checks
    import partenariat_core.store.sqlite as sqlite_module

    store, session, _ = demo_store
    expected = raw_frame(store.read_events(session.code))
    reversed_query = sqlite_module._READ_COLUMNS.replace("ORDER BY seq", "ORDER BY seq DESC")
    assert reversed_query != sqlite_module._READ_COLUMNS
    monkeypatch.setattr(sqlite_module, "_READ_COLUMNS", reversed_query)
    pd.testing.assert_frame_equal(store.read_frame(session.code), expected)


def test_latest_answers_never_hands_one_frame_the_rows_of_another(make_event):
    # the latest rows are kept per frame while it lives; a frame made later (perhaps at the same
    # address) gets its own
    import gc

    from partenariat_core.scoring import events_frame, latest_answers

    first = events_frame([make_event("p1", "continuum", "now", value="networking")])
    assert latest_answers(first, "continuum")["value"].tolist() == ["networking"]
    for _ in range(20):
        del first
        gc.collect()
        first = events_frame([make_event("p1", "continuum", "now", value="cooperation")])
        assert latest_answers(first, "continuum")["value"].tolist() == ["cooperation"]
    both = events_frame(
        [
            make_event("p1", "continuum", "now", value="networking"),
            make_event("p1", "continuum", "now", value="cooperation"),
        ]
    )
    assert latest_answers(both, "continuum")["value"].tolist() == ["cooperation"]


def test_live_sessions_grow_the_frame_and_score_as_summarize_would(tmp_path, monkeypatch):
    # LiveSessions keeps raw_frame(events) beside each snapshot, appending each read's new rows, and
    # scores from it: at every step it must equal the frame made from all events, and the summary
    # the one summarize gives from the events
    import partenariat_core.live as live_module
    from partenariat_core.live import LiveSessions
    from partenariat_core.model import Session

    monkeypatch.setattr(live_module, "REBUILD_AFTER", 3)
    store = SQLiteStore(tmp_path / "live.db")
    instruments = load_instruments()
    session = Session("LIVE23", "Atelier", instruments=("keep_throw", "conditions", "continuum"))
    store.create_session(session)
    now = [T0]
    live = LiveSessions(store, instruments, ttl=1.0, clock=lambda: now[0].timestamp())
    montreal = dt.timezone(dt.timedelta(hours=-5))
    batches = [
        [],  # the session before its first event: an empty frame of other column types
        [Event("LIVE23", "p1", "s1", "keep_throw", "keep", text="Le plaisir", created_at=T0)],
        [
            Event("LIVE23", f"p{i}", f"c{i}", "conditions", "c1_viewpoints", "A", created_at=T0)
            for i in range(4)
        ],
        *(
            [Event("LIVE23", "p3", f"k{i}", "keep_throw", "throw", text=f"Silo {i}", created_at=T0)]
            for i in range(6)
        ),
        # another UTC offset: the column becomes Python datetimes, as raw_frame makes it
        [Event("LIVE23", "p2", "s2", "continuum", "now", "networking", created_at=T0.astimezone(montreal))],
        [withdrawal("LIVE23", "p1", T0 + dt.timedelta(days=1))],
    ]
    pieces = []
    for batch in batches:
        store.append_events(batch)
        now[0] += dt.timedelta(seconds=2)  # past the ttl: the next call reads what is new
        got = live.summary("LIVE23")
        snap = live.snapshot("LIVE23")
        kept = live._entries["LIVE23"].frame
        assert kept is not None
        pd.testing.assert_frame_equal(kept.frame, raw_frame(snap.events))
        assert_same(got, summarize(snap.session, list(snap.events), instruments))
        pieces.append(kept.pieces)
    assert pieces == [0, 0, 1, 2, 3, 0, 1, 2, 3, 0, 0]  # grown piece by piece, made whole again
    assert live._entries["LIVE23"].frame.frame["created_at"].dtype == object
    assert live.summary("LIVE23").participants == 3  # p1 withdrawn
    store.close()


def test_a_kept_frame_is_made_again_when_the_events_do_not_extend_it():
    # a Sheets rewrite reads the session from the start: new Event objects, perhaps fewer or changed
    from partenariat_core.live import _grown

    first = tuple(
        Event("LIVE23", f"p{i}", f"s{i}", "conditions", "c1_viewpoints", "A", created_at=T0, seq=i + 1)
        for i in range(3)
    )
    kept = _grown(None, first)
    grown = _grown(kept, (*first, dataclasses.replace(first[0], submission_id="s9", seq=4)))
    assert grown.pieces == 1 and len(grown.frame) == 4
    rewritten = (first[0], dataclasses.replace(first[1], value="B"))  # fewer, and one changed
    again = _grown(grown, rewritten)
    assert again.pieces == 0
    pd.testing.assert_frame_equal(again.frame, raw_frame(rewritten))
    reread = tuple(dataclasses.replace(e) for e in (*first[:2], dataclasses.replace(first[2], value="C")))
    reread = (*reread, dataclasses.replace(grown.last))  # as many events, all read again
    pd.testing.assert_frame_equal(_grown(grown, reread).frame, raw_frame(reread))
    assert _grown(grown, (*first, grown.last)) is grown  # the same events: nothing to do
