"""The ``current`` column of raw exports: which stored events count, by the scoring's own rules.

Scale and choice items: a participant's latest event per (instrument, item) replaces the earlier ones.
Keep/throw boards: every card is its own answer, so two cards of one person in one column both count.
Every expected row below is worked out by hand from the events listed in the test.
"""

from __future__ import annotations

import pandas as pd

from partenariat_core.export import session_data
from partenariat_core.export.tables import responses_table
from partenariat_core.model import Session
from partenariat_core.scoring import events_frame, is_current


def session() -> Session:
    return Session("TEST23", "Essai", instruments=("keep_throw", "conditions", "continuum"))


def table(events, instruments, *, history: bool, instrument: str | None = None) -> list[tuple]:
    data = session_data(session(), events, instruments)
    frame = responses_table(data, "en", instrument, history=history)
    columns = ["Participant", "Activity", "Item", "Value", "Text", "Current answer"]
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


def test_a_changed_answer_is_once_in_current_and_twice_in_history(make_event, instruments):
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "C"),
        make_event("p2", "conditions", "c1_viewpoints", "B"),
        make_event("p1", "conditions", "c1_viewpoints", "A"),  # p1 changes C → A
    ]
    assert table(events, instruments, history=False) == [
        ("p2", "conditions", "c1_viewpoints", "B", "", True),
        ("p1", "conditions", "c1_viewpoints", "A", "", True),
    ]
    assert table(events, instruments, history=True) == [
        ("p1", "conditions", "c1_viewpoints", "C", "", False),
        ("p2", "conditions", "c1_viewpoints", "B", "", True),
        ("p1", "conditions", "c1_viewpoints", "A", "", True),
    ]


def test_the_same_value_sent_twice_still_counts_once(make_event, instruments):
    events = [
        make_event("p1", "continuum", "now", "networking"),
        make_event("p1", "continuum", "desired", "cooperating"),
        make_event("p1", "continuum", "now", "networking"),  # a second submit of the same answer
    ]
    assert [row[-1] for row in table(events, instruments, history=True)] == [False, True, True]
    assert table(events, instruments, history=False) == [
        ("p1", "continuum", "desired", "cooperating", "", True),
        ("p1", "continuum", "now", "networking", "", True),
    ]


def test_every_card_is_its_own_answer(make_event, instruments):
    """Two cards of p1 in "keep": the board shows both, so both are current (the latest-answer rule
    would wrongly keep only the second)."""
    events = [
        make_event("p1", "keep_throw", "keep", text="Un"),
        make_event("p1", "keep_throw", "keep", text="Deux"),
        make_event("p1", "keep_throw", "throw", text="Trois"),
    ]
    expected = [
        ("p1", "keep_throw", "keep", "", "Un", True),
        ("p1", "keep_throw", "keep", "", "Deux", True),
        ("p1", "keep_throw", "throw", "", "Trois", True),
    ]
    assert table(events, instruments, history=False) == expected
    assert table(events, instruments, history=True) == expected
    board = session_data(session(), events, instruments).summary.boards["keep_throw"]
    assert board.counts == {"keep": 2, "throw": 1}  # what the export counts is what the board shows


def test_an_event_with_no_text_is_no_card_and_not_current(make_event, instruments):
    events = [
        make_event("p1", "keep_throw", "keep", text=""),
        make_event("p1", "keep_throw", "keep", text="Un"),
    ]
    assert [row[-1] for row in table(events, instruments, history=True)] == [False, True]
    assert session_data(session(), events, instruments).summary.boards["keep_throw"].total == 1


def test_an_instrument_no_longer_known_is_read_from_its_events(make_event, instruments):
    """Its file was removed: events with text are cards (all current), valued ones follow the latest."""
    events = [
        make_event("p1", "old_board", "keep", text="Un"),
        make_event("p1", "old_board", "keep", text="Deux"),
        make_event("p1", "old_scale", "q1", "2"),
        make_event("p1", "old_scale", "q1", "4"),
    ]
    frame = events_frame(events)
    assert is_current(frame, instruments).tolist() == [True, True, False, True]


def test_the_current_rows_pivot_to_the_dashboard_counts(make_event, instruments):
    """c1 by hand: p1 C → A, p2 B, p3 A → dont_know, p3 A again at last. Current: A 2, B 1."""
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "C"),
        make_event("p2", "conditions", "c1_viewpoints", "B"),
        make_event("p3", "conditions", "c1_viewpoints", "A"),
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("p3", "conditions", "c1_viewpoints", "dont_know"),
        make_event("p3", "conditions", "c1_viewpoints", "A"),
    ]
    current = pd.Series([row[3] for row in table(events, instruments, history=False)])
    assert current.value_counts().to_dict() == {"A": 2, "B": 1}
    history = pd.Series([row[3] for row in table(events, instruments, history=True)])
    assert history.value_counts().to_dict() == {"A": 3, "C": 1, "B": 1, "dont_know": 1}
    items = session_data(session(), events, instruments).summary.conditions["conditions"].items
    assert (items.loc["c1_viewpoints", "count_A"], items.loc["c1_viewpoints", "count_B"]) == (2, 1)


def test_a_session_with_no_events_exports_headers_only(instruments):
    for history in (False, True):
        frame = responses_table(session_data(session(), [], instruments), "fr", history=history)
        assert frame.empty and frame.columns[-1] == "Réponse actuelle"
