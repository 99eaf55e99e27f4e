"""The vote step of the agenda (issue 10.4): stored in ``Session.agenda``, listed right after its board,
hidden until revealed, and the rules phones are held to."""

from __future__ import annotations

import datetime as dt

import pytest

from partenariat_core import agenda
from partenariat_core.agenda import Agenda, VoteStep, phone_view, screen_view
from partenariat_core.curation import VoteRules
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.model import Session
from partenariat_core.participation import submit_card, submit_vote, withdraw_card
from partenariat_core.scoring.curated import card_id
from partenariat_core.sessions import (
    add_vote_step,
    create_session,
    remove_vote_step,
    set_agenda_mode,
    set_board_hidden,
    set_step_locked,
)

T0 = dt.datetime(2026, 12, 1, 14, 0, 0, tzinfo=dt.UTC)
INSTRUMENTS = ("keep_throw", "conditions", "continuum")


def session(**fields: object) -> Session:
    base = {"code": "ABC234", "title": "Atelier", "created_at": T0, "date": T0.date()}
    return Session(**{**base, **fields})  # type: ignore[arg-type]


def test_agenda_json_round_trip_keeps_the_vote_steps():
    a = Agenda(mode="guided", current=2, votes=(VoteStep("keep_throw", 5, True), VoteStep("other")))
    text = a.to_json()
    assert '"votes":[{"board":"keep_throw","per_person":5,"several":true}' in text
    assert Agenda.from_json(text) == a
    assert "votes" not in Agenda().to_json()  # a session without a vote step: the record as before


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('{"votes": "x"}', ()),
        ('{"votes": [1, null, {"per_person": 2}]}', ()),  # no board: dropped
        ('{"votes": [{"board": "keep_throw", "per_person": 0}]}', (VoteStep("keep_throw", 3),)),
        ('{"votes": [{"board": "keep_throw", "per_person": "9"}]}', (VoteStep("keep_throw", 3),)),
        ('{"votes": [{"board": "keep_throw", "per_person": 21}]}', (VoteStep("keep_throw", 3),)),
        ('{"votes": [{"board": "keep_throw", "per_person": true}]}', (VoteStep("keep_throw", 3),)),
        ('{"votes": [{"board": "keep_throw", "several": "yes"}]}', (VoteStep("keep_throw", 3),)),
        (
            '{"votes": [{"board": "keep_throw", "per_person": 4}, {"board": "keep_throw", "per_person": 7}]}',
            (VoteStep("keep_throw", 4),),
        ),
        ('{"votes": [{"board": "a:b"}]}', ()),  # a ":" would make the step id ambiguous
    ],
)
def test_a_damaged_votes_entry_still_loads(raw, expected):
    loaded = Agenda.from_json(raw)
    assert loaded.votes == expected
    assert loaded.mode == "free"


def test_the_vote_step_comes_right_after_its_board_and_the_host_stays_put():
    s = session(instruments=INSTRUMENTS)
    s = agenda.go_to(s, 2)  # on "conditions"
    s = agenda.add_vote(s, VoteStep("keep_throw"))
    assert agenda.steps(s) == ("join", "keep_throw", "vote:keep_throw", "conditions", "continuum")
    assert agenda.current_step(s) == "conditions"  # index 2 → 3: the host did not move
    assert s.hidden_boards == ("vote:keep_throw",)  # results hidden until revealed
    assert agenda.vote_board("vote:keep_throw") == "keep_throw"
    assert agenda.vote_board("keep_throw") is None and agenda.vote_board("vote:") is None
    # changing the rules keeps a single step, and does not hide results the host revealed meanwhile
    s = s.with_changes(hidden_boards=())
    s = agenda.add_vote(s, VoteStep("keep_throw", 5, True))
    assert s.agenda.votes == (VoteStep("keep_throw", 5, True),) and s.hidden_boards == ()
    with pytest.raises(ValueError):
        agenda.add_vote(s, VoteStep("not_here"))


def test_removing_a_vote_step_drops_its_lock_timer_and_hidden_state():
    s = agenda.add_vote(session(instruments=INSTRUMENTS), VoteStep("keep_throw"))
    s = agenda.go_to(s, 2)  # on the vote step
    s = agenda.lock_step(s, "vote:keep_throw", True)
    s = agenda.start_countdown(s, "vote:keep_throw", 60, T0)
    s = agenda.remove_vote(s, "keep_throw")
    assert agenda.steps(s) == ("join", *INSTRUMENTS)
    assert agenda.current_step(s) == "keep_throw"  # the host on the vote step goes back to its board
    assert s.agenda.locked == () and s.agenda.countdown is None and s.hidden_boards == ()
    assert agenda.remove_vote(s, "keep_throw") == s  # nothing to remove: unchanged
    s = agenda.go_to(agenda.add_vote(s, VoteStep("keep_throw")), 4)  # on "continuum"
    assert agenda.current_step(agenda.remove_vote(s, "keep_throw")) == "continuum"


def test_phone_and_screen_views_of_a_vote_step():
    s = agenda.add_vote(session(instruments=INSTRUMENTS), VoteStep("keep_throw"))
    free = phone_view(s, T0)
    assert free.activities == ("keep_throw", "vote:keep_throw", "conditions", "continuum")
    guided = agenda.go_to(agenda.set_mode(s, "guided"), 2)
    assert phone_view(guided, T0).activities == ("vote:keep_throw",)
    view = screen_view(guided, T0)
    assert (view.step, view.index, view.total, view.revealed) == ("vote:keep_throw", 2, 5, False)
    locked = agenda.lock_step(guided, "vote:keep_throw", True)
    assert phone_view(locked, T0).locked == frozenset({"vote:keep_throw"})
    assert not agenda.step_locked(locked, "keep_throw", T0)  # the board's own step stays open
    shown = guided.with_changes(hidden_boards=())
    assert screen_view(shown, T0).revealed


# through the store ----------------------------------------------------------------------------------


@pytest.fixture
def room(sqlite_store, instruments):
    s = create_session(sqlite_store, instruments, "Atelier", instrument_ids=("keep_throw", "conditions"))
    board = instruments["keep_throw"]
    for n, who in enumerate(("participant-01", "participant-02", "participant-03")):
        submit_card(sqlite_store, s, who, board, "keep", f"Carte {n}", f"card-{n}")
    return sqlite_store, s, board


def test_add_and_remove_a_vote_step_compare_and_set(room, instruments):
    store, s, _ = room
    set_agenda_mode(store, s.code, "guided")  # a change made elsewhere meanwhile is kept
    after = add_vote_step(store, s.code, "keep_throw", VoteRules(4, True), instruments=instruments)
    assert after.agenda.mode == "guided"
    assert after.agenda.votes == (VoteStep("keep_throw", 4, True),)
    assert store.get_session(s.code).agenda.votes == (VoteStep("keep_throw", 4, True),)
    assert "vote:keep_throw" in store.get_session(s.code).hidden_boards
    revealed = set_board_hidden(store, after, "vote:keep_throw", hidden=False)  # reveal: the step's hide/show
    assert agenda.step_revealed(revealed, "vote:keep_throw")
    for board in ("conditions", "continuum"):  # not a keep/throw board, not in the session
        with pytest.raises(RejectedInput) as info:
            add_vote_step(store, s.code, board, VoteRules(), instruments=instruments)
        assert info.value.key == "votes.unknown_board"
    with pytest.raises(SessionError):
        add_vote_step(store, "ZZZ999", "keep_throw", VoteRules())
    assert remove_vote_step(store, s.code, "keep_throw").agenda.votes == ()


def test_a_phones_vote_follows_the_vote_steps_rules_and_lock(room, instruments):
    store, s, board = room
    add_vote_step(store, s.code, "keep_throw", VoteRules(2, False), instruments=instruments)
    s = store.get_session(s.code)
    cards = [card_id("keep_throw", "keep", f"card-{n}") for n in range(3)]
    assert submit_vote(store, s, "participant-01", board, cards[0], 1, "t1")
    assert submit_vote(store, s, "participant-01", board, cards[1], 1, "t2")
    with pytest.raises(RejectedInput) as info:  # the step gives 2 votes, not the default 3
        submit_vote(store, s, "participant-01", board, cards[2], 1, "t3")
    assert info.value.key == "curation.no_votes_left"
    locked = set_step_locked(store, s.code, "vote:keep_throw", True)
    before = store.read_events(s.code)
    with pytest.raises(SessionError) as closed:
        submit_vote(store, locked, "participant-02", board, cards[0], 1, "t4")
    assert closed.value.key == "agenda.step_locked"
    assert store.read_events(s.code) == before


def test_a_locked_board_refuses_a_withdrawal(room):
    store, s, board = room
    locked = set_step_locked(store, s.code, "keep_throw", True)
    with pytest.raises(SessionError) as info:
        withdraw_card(store, locked, "participant-01", board, card_id("keep_throw", "keep", "card-0"), "w")
    assert info.value.key == "agenda.step_locked"


def test_a_vote_checked_on_the_board_the_caller_gives(room, instruments):
    """The page passes the board it drew (the shared summary's): the rules run on it, not on a board
    built again; a board whose spent votes are already at the limit refuses, whatever ``known`` says."""
    from partenariat_core.scoring import events_frame
    from partenariat_core.scoring.curated import curated_board

    store, s, board = room
    add_vote_step(store, s.code, "keep_throw", VoteRules(1, False), instruments=instruments)
    s = store.get_session(s.code)
    cards = [card_id("keep_throw", "keep", f"card-{n}") for n in range(3)]
    assert submit_vote(store, s, "participant-01", board, cards[0], 1, "t1")
    events = store.read_events(s.code)
    drawn = curated_board(events_frame(events), board, s, events)
    with pytest.raises(RejectedInput) as info:  # the given board knows the first vote
        submit_vote(store, s, "participant-01", board, cards[1], 1, "t2", known=(), board=drawn)
    assert info.value.key == "curation.no_votes_left"
    assert (
        submit_vote(store, s, "participant-01", board, cards[0], 1, "t1", known=events, board=drawn) is False
    )


def test_own_cards_are_the_rooms_latest_state_of_my_cards(room, instruments):
    from partenariat_core.curation import hide_card
    from partenariat_core.participation import edit_card, own_cards
    from partenariat_core.scoring import events_frame
    from partenariat_core.scoring.curated import curated_board

    store, s, board = room
    submit_card(store, s, "participant-01", board, "throw", "Deuxième", "card-9")
    first, second = card_id("keep_throw", "keep", "card-0"), card_id("keep_throw", "throw", "card-9")
    edit_card(store, s, "participant-01", board, first, "Carte 0, mieux dite", "e1")
    events = store.read_events(s.code)
    store.append_events([hide_card(s, curated_board(events_frame(events), board, s, events), second, "h1")])
    mine = own_cards(store.read_events(s.code), s, board, "participant-01")
    assert [(c.id, c.text, c.state) for c in mine] == [
        (first, "Carte 0, mieux dite", "visible"),
        (second, "Deuxième", "hidden"),
    ]  # another person's cards are not in it
    withdraw_card(store, s, "participant-01", board, first, "w1")
    assert [c.id for c in own_cards(store.read_events(s.code), s, board, "participant-01")] == [second]
    assert own_cards(store.read_events(s.code), s, board, "participant-77") == []
    waiting = s.with_changes(cards_need_approval=True)
    assert [c.state for c in own_cards(store.read_events(s.code), waiting, board, "participant-02")] == [
        "pending"
    ]


def test_a_duplicate_keeps_the_vote_step_and_hides_its_results_again(room, instruments):
    from partenariat_core.sessions import duplicate_session

    store, s, _ = room
    add_vote_step(store, s.code, "keep_throw", VoteRules(5, True), instruments=instruments)
    set_board_hidden(store, store.get_session(s.code), "vote:keep_throw", hidden=False)  # revealed here
    copy = duplicate_session(store, instruments, s.code, "Table 2")
    assert copy.agenda.votes == (VoteStep("keep_throw", 5, True),)
    assert copy.hidden_boards == ("vote:keep_throw",) and agenda.current_step(copy) == "join"
    assert store.read_events(copy.code) == []
