"""Sector tables: small groups never shown, not even by subtraction from the whole room's results."""

from __future__ import annotations

import datetime as dt

import pytest
from export_support import CODE, known_events, known_session

from partenariat_core.breakdowns import protect, sector_tables
from partenariat_core.model import Event, Session
from partenariat_core.scoring import summarize

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("sizes", "hidden", "threshold", "shown", "still_hidden"),
    [
        ({"a": 3, "b": 4}, 0, 3, {"a": 3, "b": 4}, 0),  # nobody hidden: nothing to protect
        ({"a": 3, "b": 4}, 2, 3, {"b": 4}, 5),  # 2 hidden could be worked out: hide a (smallest) too
        ({"a": 3, "b": 3, "c": 5}, 1, 3, {"b": 3, "c": 5}, 4),  # tie broken by id: a goes
        ({"a": 3}, 2, 3, {}, 5),  # the known session: nothing can be shown
        ({"a": 3, "b": 4}, 3, 3, {"a": 3, "b": 4}, 3),  # 3 hidden together: their total is allowed
        ({"a": 1, "b": 1}, 1, 1, {"a": 1, "b": 1}, 1),  # threshold 1: everything goes
    ],
)
def test_complementary_suppression(sizes, hidden, threshold, shown, still_hidden):
    assert protect(sizes, hidden, threshold) == (shown, still_hidden)


def test_known_session_shows_no_sector_at_threshold_3(instruments):
    """community (3) would be shown and municipal (2) hidden, but then municipal = whole − community."""
    summary = summarize(known_session(), known_events(), instruments, threshold=3)
    tables = sector_tables(summary, known_events(), instruments, 3, "fr")
    assert [t.title for t in tables] == [
        "Les six conditions d'efficacité de l'action en partenariat : score dérivé moyen par secteur",
        "Où se situe le partenariat aujourd'hui ? — personnes par niveau et par secteur",
        "Où devrait-il se situer ? — personnes par niveau et par secteur",
    ]
    assert all(t.table.empty and t.hidden_people == 5 for t in tables)
    assert tables[0].note.startswith("5 personnes ne sont pas montrées par secteur")


def test_known_session_at_threshold_2_shows_both_groups_by_hand(instruments):
    summary = summarize(known_session(), known_events(), instruments, threshold=2)
    conditions, now, desired = sector_tables(summary, known_events(), instruments, 2, "en")
    assert conditions.table.index.to_list() == ["Community (n = 3)", "Municipal (n = 2)"]
    assert conditions.table.loc["Community (n = 3)"].to_list() == [3.0, 1.33, 2.33, 2.0, 1.67, 2.33]
    # municipal, p4 and p5: C1 B A, C2 C C, C3 C B, C4 B B, C5 (don't know) B, C6 B B
    assert conditions.table.loc["Municipal (n = 2)"].to_list() == [2.5, 1.0, 1.5, 2.0, 2.0, 2.0]
    assert conditions.hidden_people == 0
    # now: p1, p2 coordinating, p3 networking (community); p4 cooperating, p5 coordinating (municipal)
    assert now.table.loc["Community (n = 3)"].to_list() == [1, 2, 0, 0]
    assert now.table.loc["Municipal (n = 2)"].to_list() == [0, 1, 1, 0]
    assert desired.table.loc["Municipal (n = 2)"].to_list() == [0, 0, 1, 1]


def test_people_without_a_sector_form_their_own_group(instruments):
    events = []
    for i in range(4):
        person = f"x{i}"
        if i < 3:
            events.append(
                Event("NOSEC3", person, f"{person}-s", "profile", "sector", "education", created_at=T0)
            )
        events.append(Event("NOSEC3", person, f"{person}-c", "continuum", "now", "networking", created_at=T0))
    session = Session("NOSEC3", "t", sectors=("education",), instruments=("continuum",), created_at=T0)
    summary = summarize(session, events, instruments, threshold=1)
    tables = sector_tables(summary, events, instruments, 1, "fr")
    assert tables[0].table.index.to_list() == ["Éducation (n = 3)", "Secteur non précisé (n = 1)"]


def test_no_sector_question_no_table(instruments):
    summary = summarize(known_session(sectors=()), known_events(), instruments)
    assert sector_tables(summary, known_events(), instruments, 3, "fr") == []


def test_plain_note_when_only_small_groups_are_hidden(instruments):
    """Three more people, each alone in a sector: 2 + 1 + 1 + 1 = 5 hidden, enough that community (3)
    can stay: the plain note. (The known session alone gets the longer note: see above.)"""
    events = known_events()
    for person, sector in (("z1", "education"), ("z2", "private"), ("z3", "citizen")):
        events.append(Event(CODE, person, f"{person}-s", "profile", "sector", sector, created_at=T0))
        events.append(Event(CODE, person, f"{person}-c", "continuum", "now", "networking", created_at=T0))
    summary = summarize(known_session(), events, instruments, threshold=3)
    now = sector_tables(summary, events, instruments, 3, "en")[1]
    assert now.table.index.to_list() == ["Community (n = 3)"]
    assert now.table.loc["Community (n = 3)"].to_list() == [1, 2, 0, 0]
    assert now.hidden_people == 5
    assert now.note == "5 people from sectors with fewer than 3 people are not shown."
