"""Curating a keep/throw board: moderation, a participant's own edits, groups and dot votes.

The scoring tests build events by hand and say the expected tallies in the comments; the action tests
go through ``partenariat_core.curation`` (host) and ``participation`` (phones) over a SQLite store.
"""

from __future__ import annotations

import pytest

from partenariat_core.curation import (
    VoteRules,
    approve_all,
    group_cards,
    hide_card,
    merge_cards,
    remove_from_group,
    rename_group,
    show_card,
    ungroup,
    vote_event,
    votes_left,
)
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.model import Session
from partenariat_core.participation import edit_card, submit_card, submit_vote, withdraw_card
from partenariat_core.scoring import events_frame, participant_count, summarize, withdrawal
from partenariat_core.scoring.curated import (
    CARD_EDIT,
    GROUP,
    GROUP_MEMBER,
    HIDDEN,
    HOST,
    MODERATION,
    VISIBLE,
    VOTE,
    WITHDRAWN_CARD,
    CardGroup,
    card_id,
    curated_board,
    split_card_id,
)
from partenariat_core.sessions import create_session, set_open

SESSION = "TEST23"


def _session(**fields) -> Session:
    return Session(SESSION, "Atelier", instruments=("keep_throw", "conditions"), **fields)


def _board(events, session=None):
    session = session or _session()
    return curated_board(events_frame(events), "keep_throw", session, events)


def _cid(submission: str, column: str = "keep") -> str:
    return card_id("keep_throw", column, submission)


@pytest.fixture
def cards(make_event):
    """Four cards: A, B, C in "keep" (by p1, p2, p3), D in "throw" (by p1)."""
    return [
        make_event("p1", "keep_throw", "keep", text="Le plaisir", submission="A"),
        make_event("p2", "keep_throw", "keep", text="le plaisir !", submission="B"),
        make_event("p3", "keep_throw", "keep", text="Vision commune", submission="C"),
        make_event("p1", "keep_throw", "throw", text="Le je-me-moi", submission="D"),
    ]


def test_card_ids_split_back_even_when_the_submission_id_has_a_slash():
    assert card_id("keep_throw", "keep", "a/b") == "keep_throw/keep/a/b"
    assert split_card_id("keep_throw/keep/a/b") == ("keep_throw", "keep", "a/b")
    assert split_card_id("group-123") is None


# scoring --------------------------------------------------------------------------------------------
def test_without_curation_every_card_is_visible_in_arrival_order(cards):
    board = _board(cards)
    assert [e.id for e in board.columns["keep"]] == [_cid("A"), _cid("B"), _cid("C")]
    assert [e.id for e in board.columns["throw"]] == [_cid("D", "throw")]
    assert all(c.state == VISIBLE and c.votes == 0 for c in board.cards.values())
    assert board.ranking() == []


def test_a_vote_changed_or_taken_back_counts_once(cards, make_event):
    a, b, c = _cid("A"), _cid("B"), _cid("C")
    events = [
        *cards,
        make_event("p1", VOTE, a, "1"),
        make_event("p1", VOTE, a, "2"),  # p1 adds a second vote on A...
        make_event("p1", VOTE, a, "1"),  # ...and takes it back: A has 1 from p1
        make_event("p2", VOTE, b, "1"),
        make_event("p2", VOTE, b, "0"),  # p2 takes back their vote on B: 0
        make_event("p2", VOTE, a, "1"),  # A: 1 (p1) + 1 (p2) = 2
        make_event("p3", VOTE, c, "1"),  # C: 1
    ]
    board = _board(events)
    assert {i: board.cards[i].votes for i in (a, b, c)} == {a: 2, b: 0, c: 1}
    assert board.total_votes == 3
    assert board.spent("p1") == 1 and board.spent("p2") == 1
    assert board.voters == 3
    assert [(r.rank, r.entry.id, r.votes) for r in board.ranking()] == [(1, a, 2), (2, c, 1)]


def test_a_group_counts_its_members_and_their_votes(cards, make_event):
    a, b, c = _cid("A"), _cid("B"), _cid("C")
    events = [
        *cards,
        make_event(HOST, GROUP, "g1", "keep_throw", "Le plaisir", submission="h1"),
        make_event(HOST, GROUP_MEMBER, a, "g1", submission="h1"),
        make_event(HOST, GROUP_MEMBER, b, "g1", submission="h1"),
        make_event("p1", VOTE, a, "1"),  # on a member: counts for the group
        make_event("p2", VOTE, "g1", "1"),  # on the group itself
        make_event("p3", VOTE, c, "1"),
        make_event("p4", VOTE, "g1", "1"),
    ]
    board = _board(events)
    group = board.groups["g1"]
    assert isinstance(group, CardGroup)
    assert group.count == 2 and [m.id for m in group.members] == [a, b]
    assert group.votes == 3  # 1 (p1 on A) + 1 (p2) + 1 (p4)
    assert [e.id for e in board.columns["keep"]] == ["g1", c]  # the group stands where A was
    assert [(r.rank, r.entry.id, r.votes) for r in board.ranking()] == [(1, "g1", 3), (2, c, 1)]
    # ungrouping (B leaves): the group has one member, A, and A's own vote plus the group's
    events.append(make_event(HOST, GROUP_MEMBER, b, "", submission="h2"))
    board = _board(events)
    assert board.groups["g1"].count == 1 and board.groups["g1"].votes == 3
    assert [e.id for e in board.columns["keep"]] == ["g1", b, c]


def test_hidden_cards_leave_board_tallies_and_summary_but_the_host_sees_them(cards, make_event, instruments):
    a, c = _cid("A"), _cid("C")
    events = [
        *cards,
        make_event("p3", VOTE, c, "1"),
        make_event("p1", VOTE, a, "1"),
        make_event(HOST, MODERATION, c, HIDDEN),
    ]
    board = _board(events)
    assert [card.id for card in board.hidden] == [c]
    assert board.cards[c].state == HIDDEN and board.cards[c].votes == 0
    assert c not in [e.id for e in board.columns["keep"]]
    assert board.total_votes == 1 and board.spent("p3") == 0  # p3's vote is given back
    assert board.entry(c) is None
    summary = summarize(_session(), events, instruments)
    assert [card.text for card in summary.boards["keep_throw"].columns["keep"]] == [
        "Le plaisir",
        "le plaisir !",
    ]
    # shown again: back on the board, with its vote
    events.append(make_event(HOST, MODERATION, c, VISIBLE))
    board = _board(events)
    assert board.cards[c].state == VISIBLE and board.cards[c].votes == 1


def test_approval_queue_keeps_new_cards_off_the_board_until_shown(cards, make_event):
    session = _session(cards_need_approval=True)
    board = _board(cards, session)
    assert len(board.pending) == 4 and board.columns["keep"] == []
    events = [*cards, make_event(HOST, MODERATION, _cid("B"), VISIBLE)]
    board = _board(events, session)
    assert [e.id for e in board.columns["keep"]] == [_cid("B")]
    assert len(board.pending) == 3


def test_a_participant_edits_and_withdraws_only_their_own_cards(cards, make_event, instruments):
    a, b = _cid("A"), _cid("B")
    events = [
        *cards,
        make_event("p1", CARD_EDIT, a, "edit", "Le plaisir d'agir"),
        make_event("p2", CARD_EDIT, a, "edit", "Pas à moi"),  # not p2's card: ignored
        make_event("p2", CARD_EDIT, b, "withdraw"),
        make_event("p2", CARD_EDIT, b, "edit", "Revenue ?"),  # after the withdrawal: ignored
        make_event("p3", VOTE, b, "1"),  # a vote on a withdrawn card counts nowhere
    ]
    board = _board(events)
    assert board.cards[a].text == "Le plaisir d'agir" and board.cards[a].original == "Le plaisir"
    assert board.cards[a].edited
    assert board.cards[b].state == WITHDRAWN_CARD and board.cards[b].text == "le plaisir !"
    assert [e.id for e in board.columns["keep"]] == [a, _cid("C")]
    assert board.total_votes == 0
    assert [c.id for c in board.cards_of("p2")] == []
    summary = summarize(_session(), events, instruments)
    assert [card.text for card in summary.boards["keep_throw"].columns["keep"]] == [
        "Le plaisir d'agir",
        "Vision commune",
    ]


def test_curation_events_stay_out_of_every_other_board(cards, make_event, instruments):
    events = [
        *cards,
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("voter-only", VOTE, _cid("A"), "1"),
        make_event(HOST, MODERATION, _cid("C"), HIDDEN),
    ]
    frame = events_frame(events)
    assert set(frame["instrument"]) == {"keep_throw", "conditions"}
    assert participant_count(frame) == 3  # p1, p2, p3: neither the voter nor the host
    summary = summarize(_session(), events, instruments)
    assert summary.participants == 3 and summary.events == 5
    assert summary.curated["keep_throw"].total_votes == 1


def test_a_withdrawn_respondents_votes_count_for_nothing(cards, make_event):
    events = [*cards, make_event("p9", VOTE, _cid("A"), "1"), make_event("p8", VOTE, _cid("A"), "1")]
    events.append(withdrawal(SESSION, "p9", events[-1].created_at))
    assert _board(events).cards[_cid("A")].votes == 1


def test_ties_share_a_rank_and_top_cuts_by_rank(cards, make_event):
    a, b, c, d = _cid("A"), _cid("B"), _cid("C"), _cid("D", "throw")
    events = [*cards]
    for voter, target in (("p1", a), ("p2", a), ("p1", b), ("p2", c), ("p3", d)):
        events.append(make_event(voter, VOTE, target, "1"))
    ranked = _board(events).ranking()
    assert [(r.rank, r.entry.id) for r in ranked] == [(1, a), (2, b), (2, c), (2, d)]
    assert [r.entry.id for r in _board(events).ranking(top=1)] == [a]
    assert [r.entry.id for r in _board(events).ranking(column="throw")] == [d]


# host actions -----------------------------------------------------------------------------------------
def test_host_actions_build_events_that_the_board_follows(cards):
    session = _session()
    board = _board(cards)
    a, b, c, d = _cid("A"), _cid("B"), _cid("C"), _cid("D", "throw")
    events = [*cards, *group_cards(session, board, [a, b], "  Le   plaisir ", "click-1")]
    board = _board(events)
    (gid,) = board.groups
    assert board.groups[gid].title == "Le plaisir" and board.groups[gid].count == 2
    # merging C into A puts C in A's group
    events += merge_cards(session, board, c, a, "click-2")
    board = _board(events)
    assert board.groups[gid].count == 3 and board.columns["keep"] == [board.groups[gid]]
    events.append(rename_group(session, board, gid, "Plaisir et vision", "click-3"))
    events.append(remove_from_group(session, _board(events), c, "click-4"))
    board = _board(events)
    assert board.groups[gid].title == "Plaisir et vision" and board.groups[gid].count == 2
    events += ungroup(session, board, gid, "click-5")
    board = _board(events)
    assert board.groups == {} and [e.id for e in board.columns["keep"]] == [a, b, c]
    events.append(hide_card(session, board, d, "click-6"))
    assert _board(events).cards[d].state == HIDDEN
    events.append(show_card(session, _board(events), d, "click-7"))
    assert _board(events).cards[d].state == VISIBLE
    # merging a card with no group makes one titled with the target's text
    board = _board(events)
    events += merge_cards(session, board, b, a, "click-8")
    (gid2,) = _board(events).groups
    assert _board(events).groups[gid2].title == "Le plaisir"


def test_host_actions_refuse_what_makes_no_sense(cards):
    session = _session()
    board = _board(cards)
    a, d = _cid("A"), _cid("D", "throw")
    cases = [
        (lambda: group_cards(session, board, [a], "x", "s"), "curation.group_too_small"),
        (lambda: group_cards(session, board, [a, a], "x", "s"), "curation.group_too_small"),
        (lambda: group_cards(session, board, [a, d], "x", "s"), "curation.group_columns"),
        (lambda: group_cards(session, board, [a, _cid("B")], "  ", "s"), "curation.group_title_empty"),
        (
            lambda: group_cards(session, board, [a, _cid("B")], "x" * 121, "s"),
            "curation.group_title_too_long",
        ),
        (lambda: hide_card(session, board, "keep_throw/keep/nope", "s"), "curation.unknown_card"),
        (lambda: ungroup(session, board, "group-x", "s"), "curation.unknown_group"),
        (lambda: remove_from_group(session, board, a, "s"), "curation.not_grouped"),
        (lambda: hide_card(session, board, a, ""), "curation.no_submission"),
    ]
    for action, key in cases:
        with pytest.raises(RejectedInput) as info:
            action()
        assert info.value.key == key


def test_approve_all_approves_exactly_the_queue(cards, make_event):
    session = _session(cards_need_approval=True)
    events = [*cards, make_event(HOST, MODERATION, _cid("C"), HIDDEN)]
    approved = approve_all(session, _board(events, session), "click-1")
    assert sorted(e.item for e in approved) == sorted([_cid("A"), _cid("B"), _cid("D", "throw")])
    board = _board([*events, *approved], session)
    assert board.pending == [] and [c.id for c in board.hidden] == [_cid("C")]


def test_vote_rules(cards, make_event):
    session = _session()
    a, b, c, d = _cid("A"), _cid("B"), _cid("C"), _cid("D", "throw")
    events = [*cards, make_event("p1", VOTE, a, "1"), make_event("p1", VOTE, b, "1")]
    board = _board(events)
    assert votes_left(board, "p1") == 1
    with pytest.raises(RejectedInput) as info:
        vote_event(session, board, "p1", a, 2, "s")  # one per card by default
    assert info.value.key == "curation.one_vote_per_card"
    events.append(vote_event(session, board, "p1", c, 1, "s1"))  # the third
    board = _board(events)
    with pytest.raises(RejectedInput) as info:
        vote_event(session, board, "p1", d, 1, "s2")  # a fourth: refused
    assert info.value.key == "curation.no_votes_left"
    assert info.value.message("fr") == "Vous avez utilisé vos 3 votes. Retirez-en un pour voter ailleurs."
    events.append(vote_event(session, board, "p1", a, 0, "s3"))  # taking back is always allowed
    events.append(vote_event(session, _board(events), "p1", d, 1, "s4"))
    board = _board(events)
    assert board.votes_of("p1") == {b: 1, c: 1, d: 1}
    stacking = VoteRules(per_person=3, several_per_card=True)
    assert vote_event(session, _board(cards), "p2", a, 3, "s5", stacking).value == "3"
    with pytest.raises(RejectedInput):
        vote_event(session, _board(cards), "p2", a, 4, "s6", stacking)
    with pytest.raises(RejectedInput) as info:
        VoteRules(per_person=0)
    assert info.value.key == "curation.votes_per_person"
    hidden = [*cards, make_event(HOST, MODERATION, a, HIDDEN)]
    with pytest.raises(RejectedInput) as info:
        vote_event(session, _board(hidden), "p2", a, 1, "s7")
    assert info.value.key == "curation.vote_unknown_target"


def test_one_vote_per_card_also_holds_across_a_group(cards, make_event):
    session = _session()
    a, b = _cid("A"), _cid("B")
    events = [*cards, make_event("p1", VOTE, a, "1")]
    events += group_cards(session, _board(events), [a, b], "Plaisir", "click")
    board = _board(events)
    (gid,) = board.groups
    with pytest.raises(RejectedInput) as info:
        vote_event(session, board, "p1", gid, 1, "s")  # p1 already has a vote in this group
    assert info.value.key == "curation.one_vote_per_card"


# a participant's own actions, through the store -------------------------------------------------------
@pytest.fixture
def live(sqlite_store, instruments):
    session = create_session(sqlite_store, instruments, "Atelier", instrument_ids=("keep_throw",))
    board = instruments["keep_throw"]
    for n, (who, text) in enumerate([("participant-01", "Le plaisir"), ("participant-02", "Vision")]):
        submit_card(sqlite_store, session, who, board, "keep", text, f"card-{n}")
    return sqlite_store, session, board


def _store_board(store, session):
    return _board(store.read_events(session.code), session)


def test_a_resent_vote_is_stored_once_and_counted_once(live):
    store, session, board = live
    target = _cid("card-0")
    assert submit_vote(store, session, "participant-02", board, target, 1, "tap-1") is True
    assert submit_vote(store, session, "participant-02", board, target, 1, "tap-1") is False
    assert _store_board(store, session).cards[target].votes == 1
    assert submit_vote(store, session, "participant-02", board, target, 0, "tap-2") is True
    assert _store_board(store, session).cards[target].votes == 0
    assert len([e for e in store.read_events(session.code) if e.instrument == VOTE]) == 2


def test_a_fourth_vote_is_refused_and_stores_nothing(live):
    store, session, board = live
    rules = VoteRules(per_person=3, several_per_card=True)
    target = _cid("card-1")
    for n in range(1, 4):
        submit_vote(store, session, "participant-01", board, target, n, f"tap-{n}", rules=rules)
    before = store.read_events(session.code)
    with pytest.raises(RejectedInput) as info:
        submit_vote(store, session, "participant-01", board, target, 4, "tap-4", rules=rules)
    assert info.value.key == "curation.no_votes_left"
    assert store.read_events(session.code) == before
    assert _store_board(store, session).cards[target].votes == 3


def test_edit_and_withdraw_through_the_store(live):
    store, session, board = live
    mine, theirs = _cid("card-0"), _cid("card-1")
    assert edit_card(store, session, "participant-01", board, mine, " Le  plaisir\nd'agir ", "e1")
    assert edit_card(store, session, "participant-01", board, mine, "ignored", "e1") is False  # resend
    assert _store_board(store, session).cards[mine].text == "Le plaisir d'agir"
    before = store.read_events(session.code)
    refusals = [
        (
            lambda: edit_card(store, session, "participant-01", board, theirs, "x", "e2"),
            "curation.not_your_card",
        ),
        (
            lambda: edit_card(store, session, "participant-01", board, mine, "x" * 281, "e3"),
            "error.card_too_long",
        ),
        (lambda: edit_card(store, session, "participant-01", board, mine, "  ", "e4"), "error.card_empty"),
        (
            lambda: withdraw_card(store, session, "participant-01", board, theirs, "w0"),
            "curation.not_your_card",
        ),
    ]
    for action, key in refusals:
        with pytest.raises(RejectedInput) as info:
            action()
        assert info.value.key == key
    assert store.read_events(session.code) == before
    assert withdraw_card(store, session, "participant-01", board, mine, "w1")
    curated = _store_board(store, session)
    assert curated.cards[mine].state == WITHDRAWN_CARD and curated.cards_of("participant-01") == []
    with pytest.raises(RejectedInput) as info:
        edit_card(store, session, "participant-01", board, mine, "encore", "e5")
    assert info.value.key == "curation.card_withdrawn"
    closed = set_open(store, session, False)
    with pytest.raises(SessionError):
        submit_vote(store, closed, "participant-02", board, theirs, 1, "tap-x")


def test_a_phones_saved_state_ignores_its_votes_and_card_edits(cards, make_event):
    from partenariat_core.participation import participant_state

    events = [
        *cards,
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("p1", VOTE, _cid("B"), "1"),
        make_event("p1", CARD_EDIT, _cid("A"), "edit", "Le plaisir d'agir"),
    ]
    state = participant_state(events, "p1")
    assert state.answers == {"conditions": {"c1_viewpoints": "A"}}  # no "_vote" answers
    assert state.cards == [("keep_throw", "keep", "Le plaisir"), ("keep_throw", "throw", "Le je-me-moi")]


@pytest.mark.parametrize("approval", [False, True])
def test_a_board_nobody_curated_yet_equals_the_general_path(make_event, approval):
    # a board without host action is made in one pass; a group title with no member yet sends the
    # same cards through the general path, which must give the same board
    events = [
        make_event("p1", "keep_throw", "keep", text="Le plaisir"),
        make_event("p2", "keep_throw", "throw", text="Les silos"),
        make_event("p1", "keep_throw", "keep", text="Relu", submission="dup"),
        make_event("p3", "keep_throw", "keep", text="Renvoyé", submission="dup"),  # same card id
        make_event("p2", "keep_throw", "extra", text="Hors preset"),
        make_event("p3", "conditions", "c1_viewpoints", "A"),
    ]
    session = _session(cards_need_approval=approval)
    plain = _board(events, session)
    titled = _board([*events, make_event(HOST, GROUP, "g-empty", "keep_throw", text="Vide")], session)
    assert plain == titled
    assert list(plain.cards) == [
        _cid("sub-00001"),
        _cid("sub-00002", "throw"),
        _cid("dup"),
        _cid("sub-00005", "extra"),
    ]
    assert plain.cards[_cid("dup")].text == "Renvoyé" and plain.cards[_cid("dup")].participant == "p3"
    assert {c.state for c in plain.cards.values()} == {"pending" if approval else VISIBLE}
    assert [e.text for e in plain.columns["keep"]] == ([] if approval else ["Le plaisir", "Renvoyé"])
    assert list(plain.columns) == ["keep", "throw", "extra"]
