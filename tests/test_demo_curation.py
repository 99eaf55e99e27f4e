"""The demo session shows the whole curation flow: the host's groups and every participant's votes,
with the ARIMA board's 22 keep and 17 throw cards left as they are."""

from __future__ import annotations

from partenariat_core.demo import (
    GROUPS,
    PARTICIPANTS,
    VOTES,
    demo_events,
    demo_session,
    ensure_demo,
    read_board,
)
from partenariat_core.scoring import summarize
from partenariat_core.scoring.curated import VOTE


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
