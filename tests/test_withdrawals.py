"""Withdrawn responses: a row deleted from a linked sheet takes its answers off every board.

Events are append-only; a withdrawal event makes every event of its participant count for nothing.
Expected figures are counted by hand from the events written in each test.
"""

from __future__ import annotations

import datetime as dt

from partenariat_core.model import Session
from partenariat_core.scoring import (
    WITHDRAWN,
    events_frame,
    participant_count,
    summarize,
    withdrawal,
)
from tests.conftest import SESSION, T0


def test_a_withdrawn_participant_counts_for_nothing_on_any_board(instruments, make_event):
    session = Session(SESSION, "t", instruments=("conditions", "continuum", "keep_throw"))
    events = [
        make_event("form-aaaaaaaa", "conditions", "c1_viewpoints", "A"),
        make_event("form-aaaaaaaa", "continuum", "now", "networking"),
        make_event("form-aaaaaaaa", "keep_throw", "keep", text="Carte A"),
        make_event("form-bbbbbbbb", "conditions", "c1_viewpoints", "C"),
        make_event("form-bbbbbbbb", "keep_throw", "keep", text="Carte B"),
    ]
    before = summarize(session, events, instruments)
    assert before.participants == 2
    assert before.boards["keep_throw"].counts["keep"] == 2
    gone = withdrawal(SESSION, "form-aaaaaaaa", T0 + dt.timedelta(minutes=5))
    gone = gone.__class__(**{**gone.__dict__, "seq": 6})
    after = summarize(session, [*events, gone], instruments)
    # only B is left: one person, one card, and the item's one answer is B's "C"
    assert after.participants == 1
    assert [c.text for c in after.boards["keep_throw"].columns["keep"]] == ["Carte B"]
    items = after.conditions["conditions"].items
    assert int(items.loc["c1_viewpoints", "n"]) == 1
    assert int(items.loc["c1_viewpoints", "count_C"]) == 1
    assert int(items.loc["c1_viewpoints", "count_A"]) == 0
    assert int(after.continuum["continuum"].counts.to_numpy().sum()) == 0
    assert after.last_seq == 6  # the withdrawal is the latest event, even if it shows nowhere
    assert after.events == 2  # B's answer and B's card


def test_withdrawals_are_idempotent_and_left_out_of_the_frame(make_event):
    a = make_event("form-aaaaaaaa", "conditions", "c1_viewpoints", "A")
    first = withdrawal(SESSION, "form-aaaaaaaa", T0)
    again = withdrawal(SESSION, "form-aaaaaaaa", T0 + dt.timedelta(seconds=9))
    assert first.key == again.key  # a second withdrawal is a resend, the store keeps one
    frame = events_frame([a, first])
    assert len(frame) == 0 and WITHDRAWN not in set(frame["instrument"])
    assert participant_count(frame) == 0


def test_a_withdrawal_takes_back_only_its_own_participant(make_event, sqlite_store):
    sqlite_store.create_session(Session(SESSION, "t", instruments=("conditions",)))
    kept = make_event("form-keepkeep", "conditions", "c1_viewpoints", "B")
    other = make_event("form-gonegone", "conditions", "c1_viewpoints", "A")
    sqlite_store.append_events([kept, other])
    assert sqlite_store.append_events([withdrawal(SESSION, "form-gonegone", T0)]) == 1
    assert sqlite_store.append_events([withdrawal(SESSION, "form-gonegone", T0)]) == 0
    frame = events_frame(sqlite_store.read_events(SESSION))
    assert frame["participant"].tolist() == ["form-keepkeep"]
