"""The core pieces the host's "sort the board" panel needs: the approval switch, rejected
suggestions remembered through the store, and the room's board carrying groups as one card (×N)."""

from __future__ import annotations

import pytest

from partenariat_core.curation import (
    accept_suggestion,
    group_cards,
    hide_card,
    keep_shown,
    reject_suggestion,
    suggestion_title,
)
from partenariat_core.errors import RejectedInput
from partenariat_core.model import Session
from partenariat_core.scoring import summarize
from partenariat_core.scoring.curated import HOST, PENDING, SUGGESTION_REJECTED, card_id, suggestion_item
from partenariat_core.scoring.similar import suggest_groups
from partenariat_core.screen_layout import ShownCard, board_layout, merge_identical
from partenariat_core.sessions import create_session, set_cards_need_approval, set_open

CODE = "CURA23"


def _session(**fields) -> Session:
    return Session(CODE, "Atelier", instruments=("keep_throw",), **fields)


def _cid(submission: str, column: str = "keep") -> str:
    return card_id("keep_throw", column, submission)


@pytest.fixture
def cards(make_event):
    """A, B ("Le plaisir" twice, typo aside), C in keep; D in throw."""
    return [
        make_event("p1", "keep_throw", "keep", text="Le plaisir", submission="A", session=CODE),
        make_event("p2", "keep_throw", "keep", text="le plaisir !", submission="B", session=CODE),
        make_event("p3", "keep_throw", "keep", text="Vision commune", submission="C", session=CODE),
        make_event("p1", "keep_throw", "throw", text="Le je-me-moi", submission="D", session=CODE),
    ]


# the approval switch ----------------------------------------------------------------------------------
def test_approval_switch_round_trips_and_never_undoes_another_tab(sqlite_store, instruments):
    session = create_session(sqlite_store, instruments, "Atelier", instrument_ids=("keep_throw",))
    assert session.cards_need_approval is False
    stale = sqlite_store.get_session(session.code)
    on = set_cards_need_approval(sqlite_store, session.code, True)
    assert on.cards_need_approval is True
    assert sqlite_store.get_session(session.code).cards_need_approval is True
    set_open(sqlite_store, stale, False)  # a second tab drew the page before the switch
    now = sqlite_store.get_session(session.code)
    assert now.cards_need_approval is True and now.is_open is False
    off = set_cards_need_approval(sqlite_store, session.code, False)
    assert off.cards_need_approval is False and off.version == session.version + 3


def test_with_approval_on_a_new_card_waits_until_shown(sqlite_store, instruments, make_event):
    session = create_session(sqlite_store, instruments, "Atelier", instrument_ids=("keep_throw",))
    set_cards_need_approval(sqlite_store, session.code, True)
    sqlite_store.append_events(
        [make_event("p1", "keep_throw", "keep", text="Attente", submission="W", session=session.code)]
    )
    stored = sqlite_store.get_session(session.code)
    summary = summarize(stored, sqlite_store.read_events(session.code), instruments)
    assert [c.state for c in summary.curated["keep_throw"].cards.values()] == [PENDING]
    assert summary.boards["keep_throw"].total == 0


# rejected suggestions -----------------------------------------------------------------------------------
def test_a_rejected_suggestion_is_remembered_through_the_store(sqlite_store, instruments, cards):
    session = _session()
    sqlite_store.create_session(session)
    sqlite_store.append_events(cards)
    summary = summarize(session, sqlite_store.read_events(CODE), instruments)
    board = summary.curated["keep_throw"]
    (suggestion,) = suggest_groups(board, board.rejected)
    assert suggestion.card_ids == (_cid("A"), _cid("B"))
    event = reject_suggestion(session, board, list(reversed(suggestion.card_ids)), "click-1")
    assert (event.participant, event.instrument, event.value) == (HOST, SUGGESTION_REJECTED, "keep_throw")
    assert event.item == suggestion_item([_cid("A"), _cid("B")])  # the same in any order
    assert sqlite_store.append_events([event]) == 1
    assert sqlite_store.append_events([event]) == 0  # a double tap (same click id): stored once
    stored = [e for e in sqlite_store.read_events(CODE) if e.instrument == SUGGESTION_REJECTED]
    assert len(stored) == 1
    again = summarize(session, sqlite_store.read_events(CODE), instruments).curated["keep_throw"]
    assert again.rejected == frozenset({frozenset({_cid("A"), _cid("B")})})
    assert suggest_groups(again, again.rejected) == []
    # the cards are untouched: still two visible cards, no group
    assert [e.id for e in again.columns["keep"]] == [_cid("A"), _cid("B"), _cid("C")]
    assert again.groups == {}
    # and the room's board does not see the event as an answer
    assert summarize(session, sqlite_store.read_events(CODE), instruments).participants == 3


def test_rejecting_needs_two_known_cards(cards, instruments):
    board = summarize(_session(), cards, instruments).curated["keep_throw"]
    with pytest.raises(RejectedInput) as info:
        reject_suggestion(_session(), board, [_cid("A")], "click-1")
    assert info.value.key == "curation.group_too_small"
    with pytest.raises(RejectedInput) as info:
        reject_suggestion(_session(), board, [_cid("A"), _cid("Z")], "click-1")
    assert info.value.key == "curation.unknown_card"


def test_a_rejection_of_another_board_or_by_a_phone_does_not_count(cards, make_event, instruments):
    pair = f"{_cid('A')}\n{_cid('B')}"
    events = [
        *cards,
        make_event(HOST, SUGGESTION_REJECTED, "s1", "other_board", pair, session=CODE),
        make_event("p1", SUGGESTION_REJECTED, "s2", "keep_throw", pair, session=CODE),
    ]
    board = summarize(_session(), events, instruments).curated["keep_throw"]
    assert board.rejected == frozenset()
    assert len(suggest_groups(board, board.rejected)) == 1


# the room's board carries groups --------------------------------------------------------------------------
def test_the_room_board_shows_a_group_as_one_card_with_its_count(cards, instruments):
    session = _session()
    board = summarize(session, cards, instruments).curated["keep_throw"]
    events = [*cards, *group_cards(session, board, [_cid("A"), _cid("B")], "Le plaisir", "g-click")]
    events.append(hide_card(session, board, _cid("D", "throw"), "h-click"))
    summary = summarize(session, events, instruments)
    room = summary.boards["keep_throw"]
    keep = room.columns["keep"]
    assert [(c.text, c.count) for c in keep] == [("Le plaisir", 2), ("Vision commune", 1)]
    assert [m.text for m in keep[0].members] == ["Le plaisir", "le plaisir !"]
    assert keep[1].members == ()
    assert room.columns["throw"] == []  # hidden: out of the room's board
    # counts are cards, not entries: 2 grouped + 1, and the exports' card lists keep every member
    assert room.counts == {"keep": 3, "throw": 0} and room.total == 3
    assert [c.text for c in room.cards("keep")] == ["Le plaisir", "le plaisir !", "Vision commune"]


def test_the_projector_layout_counts_a_group_and_an_identical_card_together():
    # a group of 3 titled "Vision commune" and one more card saying the same: one card ×4
    merged = merge_identical([ShownCard("Vision commune", 3), "Autre", "vision  commune "])
    assert merged == [ShownCard("Vision commune", 4), ShownCard("Autre", 1)]
    layout = board_layout({"keep": [ShownCard("Le plaisir", 2), "Vision"], "throw": []})
    assert layout.cards == 2
    assert layout.pages[0][0][0] == (ShownCard("Le plaisir", 2), ShownCard("Vision", 1))


# accepting a suggestion, and switching approval on without emptying the board --------------------------
def test_accepting_a_suggestion_titles_the_group_with_the_most_common_text(make_event, instruments):
    events = [
        make_event("p1", "keep_throw", "keep", text="le plaisir !", submission="A", session=CODE),
        make_event("p2", "keep_throw", "keep", text="Le plaisir", submission="B", session=CODE),
        make_event("p3", "keep_throw", "keep", text="Le plaisir", submission="C", session=CODE),
    ]
    session = _session()
    board = summarize(session, events, instruments).curated["keep_throw"]
    (suggestion,) = suggest_groups(board, board.rejected)
    assert suggestion.title == "le plaisir !"  # the oldest card's; the group takes the most common
    accepted = accept_suggestion(session, board, suggestion.card_ids, "tap-1")
    after = summarize(session, [*events, *accepted], instruments)
    (group,) = after.curated["keep_throw"].groups.values()
    assert (group.title, group.count) == ("Le plaisir", 3)
    assert [(c.text, c.count) for c in after.boards["keep_throw"].columns["keep"]] == [("Le plaisir", 3)]
    assert suggestion_title(["b", "a", "b", "a"]) == "b"  # a tie: the oldest
    with pytest.raises(RejectedInput):
        accept_suggestion(session, board, [_cid("A")], "tap-2")


def test_turning_approval_on_keeps_the_cards_already_on_the_board(cards, make_event, instruments):
    session = _session()
    board = summarize(session, cards, instruments).curated["keep_throw"]
    hidden = hide_card(session, board, _cid("C"), "h-1")
    board = summarize(session, [*cards, hidden], instruments).curated["keep_throw"]
    kept = keep_shown(session, board, "switch-1")
    assert sorted(e.item for e in kept) == sorted([_cid("A"), _cid("B"), _cid("D", "throw")])
    strict = session.with_changes(cards_need_approval=True)
    late = make_event("p4", "keep_throw", "keep", text="Arrivée après", submission="E", session=CODE)
    after = summarize(strict, [*cards, hidden, *kept, late], instruments).curated["keep_throw"]
    assert {c.id: c.state for c in after.cards.values()} == {
        _cid("A"): "visible",
        _cid("B"): "visible",
        _cid("C"): "hidden",  # hidden stays hidden
        _cid("D", "throw"): "visible",
        _cid("E"): PENDING,  # only the card posted after the switch waits
    }
    # without keep_shown, the switch alone would have sent the whole board to the queue
    alone = summarize(strict, [*cards, hidden], instruments).curated["keep_throw"]
    assert len(alone.pending) == 3
