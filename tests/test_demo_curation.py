"""The demo session shows the whole curation flow: the host's groups and every participant's votes,
with the ARIMA board's 22 keep and 17 throw cards left as they are."""

from __future__ import annotations

from dataclasses import replace

from partenariat_core.agenda import Agenda, VoteStep, steps
from partenariat_core.curation import VoteRules
from partenariat_core.demo import (
    DEMO_CODE,
    GROUPS,
    PARTICIPANTS,
    VOTES,
    demo_events,
    demo_session,
    ensure_demo,
    read_board,
)
from partenariat_core.participation import submit_vote
from partenariat_core.scoring import summarize
from partenariat_core.scoring.curated import VOTE
from partenariat_core.sessions import add_vote_step, set_board_hidden


def test_the_demo_has_its_groups_and_three_votes_per_participant(instruments):
    summary = summarize(demo_session(), demo_events(instruments), instruments)
    board = summary.curated["keep_throw"]
    assert summary.boards["keep_throw"].counts == {"keep": 22, "throw": 17}
    assert summary.participants == PARTICIPANTS  # voting makes nobody a second participant
    seeds = read_board()
    titles = {group.title: [m.text for m in group.members] for group in board.groups.values()}
    assert titles == {title: [seeds[column][n] for n in sorted(members)] for column, title, members in GROUPS}
    assert [group.count for group in board.groups.values()] == [3, 3, 2, 3]
    assert board.total_votes == PARTICIPANTS * VOTES == 75
    assert board.voters == PARTICIPANTS
    assert all(board.spent(p) == VOTES for p in board.votes)
    ranked = board.ranking()
    assert sum(r.votes for r in ranked) == 75
    assert [r.votes for r in ranked] == sorted((r.votes for r in ranked), reverse=True)


def test_loading_the_demo_twice_adds_no_vote(sqlite_store, instruments):
    ensure_demo(sqlite_store, instruments)
    ensure_demo(sqlite_store, instruments)
    votes = [e for e in sqlite_store.read_events("GARDEZ") if e.instrument == VOTE]
    assert len(votes) == PARTICIPANTS * VOTES


def test_the_demo_board_has_its_vote_step_after_it_with_results_hidden():
    session = demo_session()
    assert session.agenda.votes == (VoteStep("keep_throw", 3, several_per_card=False),)
    # join, the board, its vote step, then the two instruments: five steps
    assert steps(session) == ("join", "keep_throw", "vote:keep_throw", "conditions", "continuum")
    assert session.hidden_boards == ("vote:keep_throw",)  # the host reveals from the remote
    assert session.agenda.current == 0  # the host starts on the join step


def test_every_generated_vote_is_accepted_by_the_demo_vote_step(sqlite_store, instruments):
    """The 75 generated votes, replayed one by one through the phones' own path (``submit_vote``,
    checking the step's rules: at most 3 each, one per card or group), are all accepted."""
    session = demo_session()
    sqlite_store.create_session(session)
    events = demo_events(instruments)
    sqlite_store.append_events([e for e in events if e.instrument != VOTE])
    votes = [e for e in events if e.instrument == VOTE]
    assert len(votes) == 75 and {e.value for e in votes} == {"1"}
    for vote in votes:
        accepted = submit_vote(
            sqlite_store,
            session,
            vote.participant,
            instruments["keep_throw"],
            vote.item,
            1,
            vote.submission_id,
        )
        assert accepted, vote
    board = summarize(session, sqlite_store.read_events(DEMO_CODE), instruments).curated["keep_throw"]
    assert board.total_votes == 75 and all(board.spent(p) == 3 for p in board.votes)
    assert all(n <= 1 for p in board.votes for n in board.votes_of(p).values())


def test_a_demo_session_from_before_vote_steps_gets_the_step_once(sqlite_store, instruments):
    """An older data folder: its demo session was created with no vote step. Loading the demo adds
    the step (hidden) once; a second load changes nothing more."""
    old = replace(demo_session(), agenda=Agenda(), hidden_boards=())
    sqlite_store.create_session(old)
    ensure_demo(sqlite_store, instruments)
    after = sqlite_store.get_session(DEMO_CODE)
    assert after.agenda.votes == (VoteStep("keep_throw", 3),)
    assert after.hidden_boards == ("vote:keep_throw",)
    ensure_demo(sqlite_store, instruments)
    again = sqlite_store.get_session(DEMO_CODE)
    assert again.version == after.version  # not written again
    assert again.agenda == after.agenda and again.hidden_boards == after.hidden_boards


def test_a_demo_vote_step_the_host_changed_is_left_as_it_is(sqlite_store, instruments):
    """A demo whose vote step the host changed (5 votes, several per card, results shown) keeps it."""
    ensure_demo(sqlite_store, instruments)
    add_vote_step(sqlite_store, DEMO_CODE, "keep_throw", VoteRules(5, True), instruments=instruments)
    set_board_hidden(sqlite_store, sqlite_store.get_session(DEMO_CODE), "vote:keep_throw", hidden=False)
    changed = sqlite_store.get_session(DEMO_CODE)
    ensure_demo(sqlite_store, instruments)
    kept = sqlite_store.get_session(DEMO_CODE)
    assert kept.agenda.votes == (VoteStep("keep_throw", 5, True),)
    assert "vote:keep_throw" not in kept.hidden_boards
    assert kept.version == changed.version
