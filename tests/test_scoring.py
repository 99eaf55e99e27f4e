"""Scoring, checked against small event sets whose expected results are worked out by hand below."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from partenariat_core.demo import ensure_demo
from partenariat_core.instruments import parse_instrument
from partenariat_core.model import PROFILE, Session
from partenariat_core.scoring import (
    UNKNOWN_SECTOR,
    conditions_by_sector,
    continuum_by_sector,
    events_frame,
    keep_throw_board,
    latest_answers,
    participant_cards,
    participant_count,
    participant_sectors,
    score_conditions,
    score_continuum,
    summarize,
)
from partenariat_core.scoring.frame import CURATION_INSTRUMENTS


def _std(xs):
    """Sample standard deviation (ddof=1), spelled out."""
    mean = sum(xs) / len(xs)
    return math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))


def _labels(word):
    return {"fr": word, "en": word}


@pytest.fixture
def two_conditions():
    """C1 has two items (so condition figures pool them), C2 has one; A/B/C scored 3/2/1."""
    return parse_instrument(
        {
            "id": "pooled",
            "kind": "conditions",
            "title": _labels("Pooled"),
            "scale": {
                "dont_know": _labels("?"),
                "levels": [
                    {"value": "A", "score": 3, "label": _labels("A")},
                    {"value": "B", "score": 2, "label": _labels("B")},
                    {"value": "C", "score": 1, "label": _labels("C")},
                ],
            },
            "conditions": [{"id": "C1", "label": _labels("One")}, {"id": "C2", "label": _labels("Two")}],
            "items": [
                {"id": "i1", "condition": "C1", "text": _labels("first")},
                {"id": "i2", "condition": "C1", "text": _labels("second")},
                {"id": "i3", "condition": "C2", "text": _labels("third")},
            ],
        },
        "pooled.toml",
    )


# --------------------------------------------------------------------------------------------------
# latest answer wins, don't know apart


def test_a_revised_answer_counts_once_with_the_new_value(instruments, make_event):
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("p2", "conditions", "c1_viewpoints", "B"),
        make_event("p1", "conditions", "c1_viewpoints", "C"),  # p1 changes their mind
    ]
    row = score_conditions(events_frame(events), instruments["conditions"]).items.loc["c1_viewpoints"]
    assert row["n"] == 2
    assert (row["count_A"], row["count_B"], row["count_C"]) == (0, 1, 1)
    assert row["mean"] == pytest.approx((2 + 1) / 2)


def test_latest_answers_keeps_one_row_per_participant_and_item(make_event):
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("p1", "conditions", "c2_early", "B"),
        make_event("p1", "conditions", "c1_viewpoints", "B"),
        make_event("p2", "continuum", "now", "networking"),
    ]
    latest = latest_answers(events_frame(events), "conditions")
    assert sorted(zip(latest["item"], latest["value"], strict=True)) == [
        ("c1_viewpoints", "B"),
        ("c2_early", "B"),
    ]


def test_latest_does_not_depend_on_the_order_events_are_listed(instruments, make_event):
    earlier = make_event("p1", "conditions", "c1_viewpoints", "A")
    later = make_event("p1", "conditions", "c1_viewpoints", "C")
    row = score_conditions(events_frame([later, earlier]), instruments["conditions"]).items.loc[
        "c1_viewpoints"
    ]
    assert (row["count_A"], row["count_C"]) == (0, 1)


def test_dont_know_is_counted_apart_and_never_averaged(instruments, make_event):
    events = [
        make_event("p1", "conditions", "c2_early", "A"),
        make_event("p2", "conditions", "c2_early", "dont_know"),
        make_event("p3", "conditions", "c2_early", "C"),
        make_event("p4", "conditions", "c2_early", "B"),
        make_event("p4", "conditions", "c2_early", "dont_know"),  # revised to don't know
    ]
    row = score_conditions(events_frame(events), instruments["conditions"]).items.loc["c2_early"]
    assert row["n"] == 2
    assert row["dont_know"] == 2
    assert row["count_B"] == 0
    assert row["mean"] == pytest.approx((3 + 1) / 2)
    assert row["pct_A"] == pytest.approx(100 * 1 / 2)


# --------------------------------------------------------------------------------------------------
# per item and per condition statistics


def test_item_statistics_on_the_a_b_c_scale(instruments, make_event):
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("p2", "conditions", "c1_viewpoints", "A"),
        make_event("p3", "conditions", "c1_viewpoints", "B"),
        make_event("p4", "conditions", "c1_viewpoints", "C"),
        make_event("p5", "conditions", "c1_viewpoints", "dont_know"),
    ]
    scores = score_conditions(events_frame(events), instruments["conditions"])
    row = scores.items.loc["c1_viewpoints"]
    assert row["condition"] == "C1"
    assert (row["n"], row["dont_know"]) == (4, 1)
    assert (row["count_A"], row["count_B"], row["count_C"]) == (2, 1, 1)
    assert row["pct_A"] == pytest.approx(100 * 2 / 4)
    assert row["pct_B"] == pytest.approx(100 * 1 / 4)
    assert row["pct_C"] == pytest.approx(100 * 1 / 4)
    mean = (3 + 3 + 2 + 1) / 4
    assert row["mean"] == pytest.approx(mean)
    assert row["median"] == pytest.approx((2 + 3) / 2)  # sorted 1, 2, 3, 3
    assert row["std"] == pytest.approx(
        math.sqrt(((3 - mean) ** 2 + (3 - mean) ** 2 + (2 - mean) ** 2 + (1 - mean) ** 2) / (4 - 1))
    )
    assert scores.values == ("A", "B", "C")


def test_percentages_are_rounded_to_one_decimal(instruments, make_event):
    events = [
        make_event("p1", "conditions", "c3_influence", "A"),
        make_event("p2", "conditions", "c3_influence", "B"),
        make_event("p3", "conditions", "c3_influence", "B"),
    ]
    row = score_conditions(events_frame(events), instruments["conditions"]).items.loc["c3_influence"]
    assert row["pct_A"] == 33.3  # 100 / 3 = 33.33…
    assert row["pct_B"] == 66.7  # 200 / 3 = 66.66…
    assert row["pct_C"] == 0


def test_condition_figures_pool_the_answers_to_its_items(two_conditions, make_event):
    events = [
        make_event("p1", "pooled", "i1", "A"),
        make_event("p1", "pooled", "i2", "B"),
        make_event("p2", "pooled", "i1", "C"),
        make_event("p2", "pooled", "i2", "A"),
        make_event("p3", "pooled", "i1", "B"),
        make_event("p3", "pooled", "i2", "dont_know"),
        make_event("p1", "pooled", "i3", "C"),
    ]
    conditions = score_conditions(events_frame(events), two_conditions).conditions
    assert list(conditions.index) == ["C1", "C2"]
    c1 = conditions.loc["C1"]
    pooled = [3, 1, 2, 2, 3]  # i1: A, C, B; then i2: B, A (don't know left out)
    assert (c1["n"], c1["dont_know"]) == (5, 1)
    assert (c1["count_A"], c1["count_B"], c1["count_C"]) == (2, 2, 1)
    assert c1["pct_A"] == pytest.approx(100 * 2 / 5)
    assert c1["mean"] == pytest.approx((3 + 1 + 2 + 2 + 3) / 5)
    assert c1["median"] == pytest.approx(2)  # sorted 1, 2, 2, 3, 3
    assert c1["std"] == pytest.approx(_std(pooled))
    c2 = conditions.loc["C2"]
    assert (c2["n"], c2["mean"], c2["median"]) == (1, 1.0, 1.0)
    assert math.isnan(c2["std"])  # one answer has no sample deviation


def test_a_condition_nobody_scored_has_zero_counts_and_no_mean(two_conditions, make_event):
    events = [make_event("p1", "pooled", "i1", "A"), make_event("p2", "pooled", "i3", "dont_know")]
    c2 = score_conditions(events_frame(events), two_conditions).conditions.loc["C2"]
    assert (c2["n"], c2["dont_know"], c2["count_A"]) == (0, 1, 0)
    assert math.isnan(c2["mean"]) and math.isnan(c2["pct_A"])


def test_item_statistics_on_the_1_to_5_scale(instruments, make_event):
    events = [
        make_event("p1", "conditions_1to5", "c2_early", "5"),
        make_event("p2", "conditions_1to5", "c2_early", "4"),
        make_event("p3", "conditions_1to5", "c2_early", "4"),
        make_event("p4", "conditions_1to5", "c2_early", "1"),
        make_event("p5", "conditions_1to5", "c2_early", "dont_know"),
        make_event("p1", "conditions", "c2_early", "C"),  # another instrument: not mixed in
    ]
    scores = score_conditions(events_frame(events), instruments["conditions_1to5"])
    row = scores.items.loc["c2_early"]
    assert (row["n"], row["dont_know"]) == (4, 1)
    counts = [row[f"count_{v}"] for v in ("5", "4", "3", "2", "1")]
    assert counts == [1, 2, 0, 0, 1]
    assert row["pct_4"] == pytest.approx(100 * 2 / 4)
    mean = (5 + 4 + 4 + 1) / 4
    assert row["mean"] == pytest.approx(mean)
    assert row["median"] == pytest.approx((4 + 4) / 2)
    assert row["std"] == pytest.approx(math.sqrt((1.5**2 + 0.5**2 + 0.5**2 + 2.5**2) / 3))
    condition = scores.conditions.loc["C2"]
    assert condition["mean"] == pytest.approx(mean) and condition["n"] == 4
    assert scores.values == ("5", "4", "3", "2", "1")


def test_items_come_weakest_first_and_unscored_last(instruments, make_event):
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("p2", "conditions", "c1_viewpoints", "C"),  # c1: (3 + 1) / 2 = 2
        make_event("p1", "conditions", "c3_influence", "C"),  # c3: 1
        make_event("p1", "conditions", "c5_power", "A"),  # c5: 3
        make_event("p1", "conditions", "c6_coconstruction", "B"),  # c6: 2, ties with c1
        make_event("p1", "conditions", "c2_early", "dont_know"),  # c2: nothing scored
    ]
    items = score_conditions(events_frame(events), instruments["conditions"]).items
    assert list(items.index) == [
        "c3_influence",
        "c1_viewpoints",  # a tie keeps questionnaire order
        "c6_coconstruction",
        "c5_power",
        "c2_early",  # unscored, in questionnaire order
        "c4_strategic",
    ]


def test_answers_to_unknown_items_or_values_are_ignored(instruments, make_event):
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "B"),
        make_event("p2", "conditions", "c1_viewpoints", "Z"),
        make_event("p3", "conditions", "c9_nowhere", "A"),
    ]
    scores = score_conditions(events_frame(events), instruments["conditions"])
    assert scores.items.loc["c1_viewpoints", "n"] == 1
    assert "c9_nowhere" not in scores.items.index
    assert int(scores.conditions["n"].sum()) == 1


# --------------------------------------------------------------------------------------------------
# continuum


@pytest.fixture
def continuum_events(make_event):
    return [
        make_event("p1", "continuum", "now", "coordinating"),
        make_event("p1", "continuum", "desired", "collaborating"),  # +2
        make_event("p2", "continuum", "now", "coordinating"),
        make_event("p2", "continuum", "desired", "cooperating"),  # +1
        make_event("p3", "continuum", "now", "cooperating"),
        make_event("p3", "continuum", "desired", "cooperating"),  # 0
        make_event("p4", "continuum", "now", "collaborating"),
        make_event("p4", "continuum", "desired", "coordinating"),  # -2
        make_event("p5", "continuum", "now", "networking"),  # now only
        make_event("p6", "continuum", "desired", "cooperating"),  # desired only
        make_event("p7", "continuum", "now", "networking"),
        make_event("p7", "continuum", "desired", "coordinating"),
        make_event("p7", "continuum", "now", "coordinating"),  # revised: 0
    ]


def test_continuum_counts_now_and_desired(instruments, continuum_events):
    result = score_continuum(events_frame(continuum_events), instruments["continuum"])
    assert list(result.counts.index) == ["networking", "coordinating", "cooperating", "collaborating"]
    # now: p5 networking; p1, p2, p7 coordinating; p3 cooperating; p4 collaborating
    assert list(result.counts["now"]) == [1, 3, 1, 1]
    # desired: p4, p7 coordinating; p2, p3, p6 cooperating; p1 collaborating
    assert list(result.counts["desired"]) == [0, 2, 3, 1]


def test_continuum_moves_only_count_people_who_gave_both(instruments, continuum_events):
    result = score_continuum(events_frame(continuum_events), instruments["continuum"])
    assert result.n_pairs == 5  # p1, p2, p3, p4, p7; not p5 nor p6
    moves = result.moves
    assert (
        list(moves.index)
        == list(moves.columns)
        == [
            "networking",
            "coordinating",
            "cooperating",
            "collaborating",
        ]
    )
    expected = {
        ("coordinating", "collaborating"): 1,  # p1
        ("coordinating", "cooperating"): 1,  # p2
        ("cooperating", "cooperating"): 1,  # p3
        ("collaborating", "coordinating"): 1,  # p4
        ("coordinating", "coordinating"): 1,  # p7, after revising
    }
    for now in moves.index:
        for desired in moves.columns:
            assert moves.loc[now, desired] == expected.get((now, desired), 0), (now, desired)
    assert int(moves.to_numpy().sum()) == 5


def test_continuum_shifts_and_directions(instruments, continuum_events):
    result = score_continuum(events_frame(continuum_events), instruments["continuum"])
    assert result.shifts == {-2: 1, 0: 2, 1: 1, 2: 1}
    assert result.moving_up == 1 + 1  # p1 (+2), p2 (+1)
    assert result.moving_down == 1  # p4
    assert result.staying == 2  # p3, p7


def test_continuum_by_sector_hides_small_groups(instruments, make_event):
    events = []
    for person, sector, level in [
        ("p1", "community", "networking"),
        ("p2", "community", "networking"),
        ("p3", "community", "cooperating"),
        ("p4", "municipal", "cooperating"),
    ]:
        events.append(make_event(person, PROFILE, "sector", sector))
        events.append(make_event(person, "continuum", "now", level))
    result = continuum_by_sector(events_frame(events), instruments["continuum"], "now", threshold=3)
    assert list(result.table.index) == ["community"]
    assert list(result.table.loc["community"]) == [2, 0, 1, 0]
    assert result.sizes == {"community": 3}
    assert result.hidden_people == 1


# --------------------------------------------------------------------------------------------------
# keep / throw board


def test_board_lists_cards_per_column_in_arrival_order(instruments, make_event):
    events = [
        make_event("p1", "keep_throw", "keep", text="Le plaisir"),
        make_event("p2", "keep_throw", "throw", text="Travail en silo"),
        make_event("p1", "keep_throw", "keep", text="Ouverture"),
        make_event("p3", "keep_throw", "keep", text="Ouverture"),  # same words, another card
        make_event("p3", "conditions", "c1_viewpoints", "A"),  # not a card
    ]
    board = keep_throw_board(events_frame(events), instruments["keep_throw"], "garder_jeter")
    assert list(board.columns) == ["keep", "throw"]
    assert [c.text for c in board.columns["keep"]] == ["Le plaisir", "Ouverture", "Ouverture"]
    assert [c.participant for c in board.columns["keep"]] == ["p1", "p1", "p3"]
    assert [c.text for c in board.columns["throw"]] == ["Travail en silo"]
    assert board.counts == {"keep": 3, "throw": 1}
    assert board.total == 3 + 1
    seqs = [c.seq for c in board.columns["keep"]]
    assert seqs == sorted(seqs)


def test_board_shows_empty_preset_columns(instruments, make_event):
    events = [make_event("p1", "keep_throw", "add", text="Plus de temps")]
    board = keep_throw_board(events_frame(events), instruments["keep_throw"], "garder_jeter_ajouter")
    assert board.counts == {"keep": 0, "throw": 0, "add": 1}


def test_cards_of_a_column_outside_the_preset_are_kept_in_an_extra_column(instruments, make_event):
    events = [
        make_event("p1", "keep_throw", "start", text="Commencer tôt"),  # posted under another preset
        make_event("p2", "keep_throw", "keep", text="Vision commune"),
    ]
    board = keep_throw_board(events_frame(events), instruments["keep_throw"], "garder_jeter")
    assert list(board.columns) == ["keep", "throw", "start"]
    assert [c.text for c in board.columns["start"]] == ["Commencer tôt"]
    assert board.total == 2


def test_participant_cards_are_theirs_oldest_first(make_event):
    events = [
        make_event("p1", "keep_throw", "keep", text="un"),
        make_event("p2", "keep_throw", "keep", text="pas à moi"),
        make_event("p1", "keep_throw", "throw", text="deux"),
    ]
    assert participant_cards(events_frame(events), "keep_throw", "p1") == [("keep", "un"), ("throw", "deux")]


# --------------------------------------------------------------------------------------------------
# sectors and participants


@pytest.fixture
def sector_events(make_event):
    events = []
    for person, sector, value in [
        ("p1", "community", "A"),
        ("p2", "community", "B"),
        ("p3", "community", "C"),
        ("p4", "municipal", "A"),
        ("p5", "municipal", "A"),
        ("p6", None, "B"),  # no sector given
    ]:
        if sector:
            events.append(make_event(person, PROFILE, "sector", sector))
        events.append(make_event(person, "conditions", "c1_viewpoints", value))
    # p7 first says municipal, then community: counted in community only
    events.append(make_event("p7", PROFILE, "sector", "municipal"))
    events.append(make_event("p7", "conditions", "c1_viewpoints", "A"))
    events.append(make_event("p7", PROFILE, "sector", "community"))
    return events


def test_sector_breakdown_hides_groups_under_the_threshold(instruments, sector_events):
    result = conditions_by_sector(events_frame(sector_events), instruments["conditions"], threshold=3)
    assert list(result.table.index) == ["community"]
    assert result.sizes == {"community": 4}  # p1, p2, p3 and p7
    assert result.hidden_people == 2 + 1  # municipal p4, p5; unknown p6
    assert result.table.loc["community", "C1"] == pytest.approx((3 + 2 + 1 + 3) / 4)
    assert list(result.table.columns) == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert math.isnan(result.table.loc["community", "C2"])


def test_sector_breakdown_threshold_is_a_parameter(instruments, sector_events):
    result = conditions_by_sector(events_frame(sector_events), instruments["conditions"], threshold=1)
    assert result.sizes == {"community": 4, "municipal": 2, UNKNOWN_SECTOR: 1}
    assert result.hidden_people == 0
    assert result.table.loc["municipal", "C1"] == pytest.approx((3 + 3) / 2)
    assert result.table.loc[UNKNOWN_SECTOR, "C1"] == pytest.approx(2)


def test_summary_uses_a_threshold_of_three_by_default(instruments, sector_events):
    session = Session("TEST23", "Secteurs", instruments=("conditions",))
    summary = summarize(session, sector_events, instruments)
    assert summary.conditions_by_sector["conditions"].sizes == {"community": 4}
    assert summary.conditions_by_sector["conditions"].hidden_people == 3


def test_a_participant_who_changes_sector_counts_in_the_latest(sector_events):
    sectors = participant_sectors(events_frame(sector_events))
    assert sectors["p7"] == "community"
    assert "p6" not in sectors.index


def test_participant_count_ignores_people_who_only_gave_a_sector(make_event):
    events = [
        make_event("p1", PROFILE, "sector", "community"),
        make_event("p2", PROFILE, "sector", "municipal"),
        make_event("p2", "keep_throw", "keep", text="Ouverture"),
        make_event("p3", "conditions", "c1_viewpoints", "A"),
        make_event("p3", "conditions", "c2_early", "B"),
    ]
    assert participant_count(events_frame(events)) == 2  # p2 and p3


# --------------------------------------------------------------------------------------------------
# the whole summary, on the demo session


def test_summary_of_an_empty_session(instruments):
    summary = summarize(Session("EMPT23", "Vide"), [], instruments)
    assert (summary.participants, summary.events, summary.last_seq) == (0, 0, 0)
    assert summary.boards["keep_throw"].total == 0
    assert int(summary.conditions["conditions"].items["n"].sum()) == 0
    assert summary.continuum["continuum"].n_pairs == 0


def test_summary_of_the_demo_session_matches_a_count_by_hand(instruments, sqlite_store):
    session = ensure_demo(sqlite_store, instruments)
    events = sqlite_store.read_events(session.code)
    summary = summarize(session, events, instruments)
    assert summary.last_seq == max(e.seq for e in events)
    # the board's curation (the host's groups, the dot votes) is not an answer: recount without it
    events = [e for e in events if e.instrument not in CURATION_INSTRUMENTS]

    # plain-Python recount, latest answer per (participant, instrument, item) in arrival order
    latest = {}
    for e in events:
        latest[(e.participant, e.instrument, e.item)] = e.value
    people = {e.participant for e in events if e.instrument != PROFILE}
    assert summary.participants == len(people)
    assert summary.events == len(events)

    cards = Counter(e.item for e in events if e.instrument == "keep_throw")
    assert summary.boards["keep_throw"].counts == {"keep": cards["keep"], "throw": cards["throw"]}

    conditions = summary.conditions["conditions"]
    for item in instruments["conditions"].items:
        answers = [v for (_, inst, it), v in latest.items() if inst == "conditions" and it == item.id]
        scores = [{"A": 3, "B": 2, "C": 1}[v] for v in answers if v != "dont_know"]
        row = conditions.items.loc[item.id]
        assert row["n"] == len(scores)
        assert row["dont_know"] == answers.count("dont_know")
        assert row["count_A"] == answers.count("A")
        assert row["mean"] == pytest.approx(sum(scores) / len(scores))
        assert row["std"] == pytest.approx(_std(scores))

    now = Counter(v for (_, inst, it), v in latest.items() if inst == "continuum" and it == "now")
    continuum = summary.continuum["continuum"]
    assert dict(continuum.counts["now"]) == {
        level.id: now[level.id] for level in instruments["continuum"].levels
    }
    assert continuum.n_pairs == len({p for (p, inst, _) in latest if inst == "continuum"})

    by_sector = summary.conditions_by_sector["conditions"]
    assert sum(by_sector.sizes.values()) + by_sector.hidden_people == len(people)
    assert all(size >= 3 for size in by_sector.sizes.values())


# --------------------------------------------------------------------------------------------------
# the first minutes of a session: boards must draw before anything can be averaged


def test_summary_right_after_the_first_card(instruments, make_event):
    events = [make_event("p1", "keep_throw", "keep", text="Ouverture")]
    summary = summarize(Session("TEST23", "Début"), events, instruments)
    assert summary.boards["keep_throw"].counts == {"keep": 1, "throw": 0}
    assert int(summary.conditions["conditions"].conditions["n"].sum()) == 0
    assert summary.continuum["continuum"].shifts == {}
    assert summary.conditions_by_sector["conditions"].sizes == {}


def test_only_dont_know_answers_give_counts_but_no_mean(instruments, make_event):
    events = [
        make_event("p1", "conditions", "c1_viewpoints", "dont_know"),
        make_event("p2", "conditions", "c1_viewpoints", "dont_know"),
    ]
    row = score_conditions(events_frame(events), instruments["conditions"]).items.loc["c1_viewpoints"]
    assert (row["n"], row["dont_know"]) == (0, 2)
    assert math.isnan(row["mean"]) and math.isnan(row["std"])


def test_continuum_before_anyone_gave_both_positions(instruments, make_event):
    events = [
        make_event("p1", "continuum", "now", "networking"),
        make_event("p2", "continuum", "desired", "collaborating"),
    ]
    result = score_continuum(events_frame(events), instruments["continuum"])
    assert (result.n_pairs, result.shifts) == (0, {})
    assert (result.moving_up, result.moving_down, result.staying) == (0, 0, 0)
    assert result.counts.loc["networking", "now"] == 1
    assert result.counts.loc["collaborating", "desired"] == 1
    assert int(result.moves.to_numpy().sum()) == 0


def test_sector_breakdown_when_every_group_is_too_small(instruments, make_event):
    events = [
        make_event("p1", PROFILE, "sector", "community"),
        make_event("p1", "conditions", "c1_viewpoints", "A"),
        make_event("p2", PROFILE, "sector", "municipal"),
        make_event("p2", "conditions", "c1_viewpoints", "C"),
    ]
    result = conditions_by_sector(events_frame(events), instruments["conditions"], threshold=3)
    assert len(result.table) == 0
    assert list(result.table.columns) == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert (result.sizes, result.hidden_people) == ({}, 2)
