"""The projector's vote step (ui/projector.vote_body): hidden, nothing ranks; revealed, the top list."""

from __future__ import annotations

import datetime as dt
import functools
import re

from partenariat_core import agenda
from partenariat_core.agenda import VoteStep, screen_view
from partenariat_core.curation import group_cards
from partenariat_core.i18n import t
from partenariat_core.model import Event, Session
from partenariat_core.scoring import events_frame, summarize
from partenariat_core.scoring.curated import VOTE, card_id, curated_board
from ui.projector import VOTE_TOP, Screen, step_html

T0 = dt.datetime(2026, 12, 1, 14, 0, 0, tzinfo=dt.UTC)


def room(instruments, n_cards: int, votes: dict[int, list[str]], *, revealed: bool, group=()):
    """Cards ``c0..c{n-1}`` (card i written by ``writer-i``); ``votes``: card → voters (one vote each)."""
    session = Session("ABC234", "Atelier", instruments=("keep_throw",), created_at=T0, date=T0.date())
    session = agenda.go_to(agenda.add_vote(session, VoteStep("keep_throw")), 2)
    if revealed:
        session = session.with_changes(hidden_boards=())
    events = [
        Event(session.code, f"writer-{i:03d}", f"c{i}", "keep_throw", "keep", text=f"Idée {i} <b>", seq=i + 1)
        for i in range(n_cards)
    ]
    if group:
        board = curated_board(events_frame(events), "keep_throw", session, events)
        grouped = group_cards(
            session, board, [card_id("keep_throw", "keep", f"c{i}") for i in group], "Groupe", "g1"
        )
        events += grouped
    for i, voters in votes.items():
        target = card_id("keep_throw", "keep", f"c{i}")
        events += [Event(session.code, voter, f"v-{voter}-{i}", VOTE, target, "1") for voter in voters]
    events = [e if e.seq else Event(**{**e.__dict__, "seq": 1000 + n}) for n, e in enumerate(events)]
    summary = summarize(session, events, instruments, 3)
    return Screen(
        summary=summary,
        view=screen_view(session, T0),
        instruments=instruments,
        join_url="http://127.0.0.1:8501/?session=ABC234",
        lang="fr",
        t=functools.partial(t, lang="fr"),
        now_seconds=0.0,
    )


def test_hidden_results_show_the_tally_and_no_ranking(instruments):
    screen = room(instruments, 4, {0: ["p1", "p2"], 1: ["p1"], 3: ["p3"]}, revealed=False)
    body = step_html(screen)
    assert "Vote en cours" in body
    assert "4 votes donnés · 3 personnes ont voté" in body  # 2 + 1 + 1 votes, by p1, p2, p3
    assert "Idée" not in body and "class='pl-s-vrow" not in body  # no card text, no ranking leaks
    assert "Vote : " in body  # the step's title in the header


def test_revealed_results_rank_groups_and_cap_the_list(instruments):
    # 14 cards; c0 and c1 grouped (×2). Votes: group 2 (on c0) + 1 (on c1) = 3; c2: 3; c3: 2;
    # c4..c13: 1 each. Ranking: group and c2 tie at rank 1 (group first: its oldest card came first),
    # c3 is rank 3, the ten others share rank 4: 13 entries with votes, 10 shown, "+ 3 autres".
    votes = {0: ["a", "b"], 1: ["c"], 2: ["a", "b", "c"], 3: ["d", "e"]}
    votes.update({i: [f"x{i}"] for i in range(4, 14)})
    screen = room(instruments, 14, votes, revealed=True, group=(0, 1))
    body = step_html(screen)
    rows = re.findall(
        r"<div class='pl-s-vrank'>(\d+)</div><div class='pl-s-vtext'>(.*?)</div>.*?"
        r"<span class='pl-s-vnum'>(\d+)</span>",
        body,
    )
    assert len(rows) == VOTE_TOP == 10
    assert rows[0] == ("1", "Groupe <b class='pl-s-times'>×2</b>", "3")
    assert rows[1] == ("1", "Idée 2 &lt;b&gt;", "3")  # text escaped
    assert rows[2] == ("3", "Idée 3 &lt;b&gt;", "2")
    assert [r[0] for r in rows[3:]] == ["4"] * 7 and {r[2] for r in rows[3:]} == {"1"}
    assert "+ 3 autres idées ayant reçu des votes" in body


def test_revealed_without_votes_says_so(instruments):
    body = step_html(room(instruments, 3, {}, revealed=True))
    assert "Aucun vote pour l&#x27;instant." in body and "class='pl-s-vrow" not in body
