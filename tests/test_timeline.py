"""The timeline of transitional results: reading periods, the order, the counts (all by hand), and
what a participant may add (refusals change nothing, a resend is stored once)."""

from __future__ import annotations

import datetime as dt

import pytest

from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.participation_field import submit_timeline_event
from partenariat_core.scoring import events_frame, is_current
from partenariat_core.scoring.frame import withdrawal
from partenariat_core.scoring.summary import summarize
from partenariat_core.scoring.timeline import period_start
from partenariat_core.sessions import create_session, set_open

TL = "transitional_results"


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("2019", dt.date(2019, 1, 1)),
        ("printemps 2021", dt.date(2021, 3, 1)),
        ("Printemps 2021", dt.date(2021, 3, 1)),
        ("spring 2021", dt.date(2021, 3, 1)),
        ("été 2018", dt.date(2018, 6, 1)),
        ("automne 2020", dt.date(2020, 9, 1)),
        ("mars 2020", dt.date(2020, 3, 1)),
        ("15 août 2022", dt.date(2022, 8, 1)),
        ("March 2020", dt.date(2020, 3, 1)),
        ("2021-03-15", dt.date(2021, 3, 15)),
        ("2021-03", dt.date(2021, 3, 1)),
        ("15/03/2021", dt.date(2021, 3, 15)),
        ("2019-2021", dt.date(2019, 1, 1)),
        ("fin 2020", dt.date(2020, 11, 1)),
        ("bientôt", None),
        ("", None),
        ("l'an dernier", None),
    ],
)
def test_periods_are_read_as_their_start(typed, start):
    assert period_start(typed) == start


def test_events_sorted_by_period_where_readable_else_in_posting_order(make_event, instruments):
    tl = instruments[TL]
    events = [
        make_event("p1", TL, "networks", "printemps 2021", "Première rencontre du comité"),  # 2021-03
        make_event("p2", TL, "press", "un jour", "Communiqué commun"),  # unreadable, posted 2nd
        make_event("p1", TL, "governance", "2019", "Charte adoptée"),  # 2019-01
        make_event("p3", TL, "resources", "2021-02-10", "Subvention obtenue"),  # 2021-02-10
        make_event("p2", TL, "key_actors", "plus tard", "La mairie adhère"),  # unreadable, posted 5th
        make_event("p3", TL, "networks", "2019", "Réseau créé"),  # 2019-01, after the charter (posted later)
    ]
    result = summarize(_session(), events, instruments).timeline[TL]
    assert [e.text for e in result.entries] == [
        "Charte adoptée",
        "Réseau créé",
        "Subvention obtenue",
        "Première rencontre du comité",
        "Communiqué commun",
        "La mairie adhère",
    ]
    # per result: networks 2, governance 1, press 1, resources 1, key_actors 1, every other 0
    assert result.per_result["networks"] == 2
    assert result.per_result["governance"] == 1
    assert result.per_result["controversies"] == 0
    assert sum(result.per_result.values()) == 6
    assert list(result.per_result) == [r.id for r in tl.results()]
    # per domain: constitute = networks 2 + governance 1 = 3; represent = press + key_actors = 2;
    # converge = resources = 1
    assert result.per_domain == {"constitute": 3, "represent": 2, "converge": 1}
    assert result.entries[0].domain == "constitute"
    assert result.total == 6


def test_every_event_counts_even_two_on_the_same_result_by_one_person(make_event, instruments):
    events = [
        make_event("p1", TL, "press", "2020", "Communiqué A"),
        make_event("p1", TL, "press", "2021", "Communiqué B"),
    ]
    result = summarize(_session(), events, instruments).timeline[TL]
    assert result.per_result["press"] == 2
    frame = events_frame(events)
    assert is_current(frame, instruments).tolist() == [True, True]


def test_a_withdrawn_participant_events_leave_the_timeline(make_event, instruments):
    events = [
        make_event("p1", TL, "press", "2020", "Communiqué"),
        make_event("p2", TL, "networks", "2019", "Réseau"),
    ]
    events.append(withdrawal("TEST01", "p1", events[-1].created_at))
    result = summarize(_session(), events, instruments).timeline[TL]
    assert [e.text for e in result.entries] == ["Réseau"]
    assert result.per_domain == {"constitute": 1, "represent": 0, "converge": 0}


def test_an_event_whose_result_left_the_file_is_kept_but_not_counted(make_event, instruments):
    events = [make_event("p1", TL, "gone", "2020", "Ancien résultat")]
    result = summarize(_session(), events, instruments).timeline[TL]
    assert [e.text for e in result.entries] == ["Ancien résultat"]
    assert result.entries[0].domain == ""
    assert sum(result.per_result.values()) == 0


def _session():
    from partenariat_core.model import Session

    return Session("TEST01", "Frise", instruments=(TL,))


# --- submitting -------------------------------------------------------------------------------------


@pytest.fixture
def session(sqlite_store, instruments):
    return create_session(sqlite_store, instruments, "Frise", instrument_ids=(TL, "keep_throw"))


def test_two_events_are_stored_and_a_resend_is_stored_once(sqlite_store, session, instruments):
    tl = instruments[TL]
    assert submit_timeline_event(
        sqlite_store, session, "participant-01", tl, "press", "2020", "Communiqué", "s1"
    )
    assert not submit_timeline_event(
        sqlite_store, session, "participant-01", tl, "press", "2020", "Communiqué", "s1"
    )
    assert submit_timeline_event(
        sqlite_store, session, "participant-01", tl, "networks", " printemps\n2021 ", "  Réseau  créé ", "s2"
    )
    stored = sqlite_store.read_events(session.code)
    assert [(e.item, e.value, e.text) for e in stored] == [
        ("press", "2020", "Communiqué"),
        ("networks", "printemps 2021", "Réseau créé"),
    ]


@pytest.mark.parametrize(
    ("result", "period", "text", "key"),
    [
        ("nope", "2020", "x", "timeline.err_result"),
        ("press", "   ", "x", "timeline.err_period"),
        ("press", "2020", "  ", "timeline.err_text"),
        ("press", "x" * 41, "ok", "timeline.err_too_long"),
        ("press", "2020", "x" * 281, "timeline.err_too_long"),
    ],
)
def test_bad_events_are_refused_and_store_nothing(
    sqlite_store, session, instruments, result, period, text, key
):
    with pytest.raises(RejectedInput) as info:
        submit_timeline_event(
            sqlite_store, session, "participant-01", instruments[TL], result, period, text, "s"
        )
    assert info.value.key == key
    assert info.value.message("fr") and info.value.message("en")
    assert sqlite_store.read_events(session.code) == []


def test_the_event_limit_counts_only_this_persons_events(sqlite_store, session, instruments):
    tl = instruments[TL]
    for n in range(2):
        submit_timeline_event(
            sqlite_store, session, "participant-01", tl, "press", "2020", f"e{n}", f"a{n}", max_events=2
        )
    with pytest.raises(RejectedInput) as info:
        submit_timeline_event(
            sqlite_store, session, "participant-01", tl, "press", "2020", "e3", "a3", max_events=2
        )
    assert info.value.key == "timeline.err_too_many"
    assert submit_timeline_event(
        sqlite_store, session, "participant-02", tl, "press", "2020", "e", "b0", max_events=2
    )
    assert len(sqlite_store.read_events(session.code)) == 3


def test_a_closed_session_or_an_instrument_not_in_it_refuses(sqlite_store, session, instruments):
    other = create_session(sqlite_store, instruments, "Autre", instrument_ids=("keep_throw",))
    with pytest.raises(RejectedInput):
        submit_timeline_event(
            sqlite_store, other, "participant-01", instruments[TL], "press", "2020", "x", "s"
        )
    closed = set_open(sqlite_store, session, False)
    with pytest.raises(SessionError):
        submit_timeline_event(
            sqlite_store, closed, "participant-01", instruments[TL], "press", "2020", "x", "s"
        )
    assert sqlite_store.read_events(session.code) == []
