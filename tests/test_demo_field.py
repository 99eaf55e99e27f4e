"""The demo's second session (RESEAU): the six key activities, a timeline of ten events across the
three domains and a grid of three actors; fixed ids, so loading it twice adds nothing."""

from __future__ import annotations

from partenariat_core.demo import (
    DEMO_CODE,
    FIELD_DEMO_CODE,
    FIELD_PARTICIPANTS,
    ensure_demo,
    field_demo_events,
    field_demo_session,
)
from partenariat_core.scoring import summarize


def test_both_demo_sessions_load_once(sqlite_store, instruments):
    ensure_demo(sqlite_store, instruments)
    first = len(sqlite_store.read_events(FIELD_DEMO_CODE))
    ensure_demo(sqlite_store, instruments)
    assert len(sqlite_store.read_events(FIELD_DEMO_CODE)) == first == len(field_demo_events(instruments))
    codes = {s.code for s in sqlite_store.list_sessions()}
    assert {DEMO_CODE, FIELD_DEMO_CODE} <= codes
    assert sqlite_store.get_session(FIELD_DEMO_CODE).instruments == (
        "six_activities",
        "transitional_results",
        "controversy",
    )


def test_the_same_events_every_time(instruments):
    assert field_demo_events(instruments) == field_demo_events(instruments)


def test_the_timeline_has_ten_events_in_time_order_across_the_three_domains(instruments):
    summary = summarize(field_demo_session(), field_demo_events(instruments), instruments)
    timeline = summary.timeline["transitional_results"]
    # by hand from sample_data/field_demo.toml: 2017, autumn 2017, spring 2018, winter 2019 (posted
    # before "2019", same start), 2019, March 2019, 2020-02-14, summer 2020, 2021, then the undated one
    assert [e.period for e in timeline.entries] == [
        "2017",
        "automne 2017",
        "printemps 2018",
        "hiver 2019",
        "2019",
        "mars 2019",
        "2020-02-14",
        "été 2020",
        "2021",
        "date à préciser",
    ]
    assert timeline.per_domain == {"constitute": 3, "represent": 4, "converge": 3}
    # ten events on ten of the thirteen results: one each, and these three have none
    assert {ident for ident, n in timeline.per_result.items() if n == 0} == {
        "key_actors",
        "interests",
        "extension",
    }
    assert all(n == 1 for n in timeline.per_result.values() if n)


def test_the_grid_has_the_three_actors_of_the_seeds_portrait(instruments):
    summary = summarize(field_demo_session(), field_demo_events(instruments), instruments)
    grid = summary.grid["controversy"]
    assert [r.name for r in grid.rows] == [
        "Ministères du gouvernement",
        "Partenariats publics-philanthropiques (PPP)",
        "Acteurs du comité intersectoriel régional",
    ]
    assert grid.rows[0].cells["values"].text == "Autonomie. Imputabilité."
    assert "scientific" not in grid.rows[0].cells  # left empty in the source
    assert grid.filled == 12  # 4 cells per actor: position, interests, values, experiential


def test_the_six_activities_are_rated_by_every_demo_participant(instruments):
    summary = summarize(field_demo_session(), field_demo_events(instruments), instruments)
    scores = summary.conditions["six_activities"].conditions
    assert list(scores.index) == ["A1", "A2", "A3", "A4", "A5", "A6"]
    assert [int(n + k) for n, k in zip(scores["n"], scores["dont_know"], strict=True)] == [
        FIELD_PARTICIPANTS
    ] * 6
    # 12 raters + 3 tables that only wrote on the timeline and the grid
    assert summary.participants == FIELD_PARTICIPANTS + 3
