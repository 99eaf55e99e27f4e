"""What a participant may send: every refusal is clear and leaves the store exactly as it was."""

from __future__ import annotations

import pytest

from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.model import Event
from partenariat_core.participation import (
    accept_events,
    clean_card_text,
    submit_card,
    submit_continuum,
    submit_scale,
    submit_sector,
)
from partenariat_core.scoring import events_frame, score_conditions, score_continuum
from partenariat_core.sessions import create_session, set_open

ME = "participant-01"


@pytest.fixture
def session(sqlite_store, instruments):
    return create_session(
        sqlite_store,
        instruments,
        "Table de quartier",
        instrument_ids=("keep_throw", "conditions", "continuum"),
        sectors=("community", "municipal"),
    )


class Unchanged:
    """``with Unchanged(store, session): ...`` asserts the store holds the same thing afterwards."""

    def __init__(self, store, session):
        self.store, self.code = store, session.code

    def _state(self):
        return self.store.read_events(self.code), self.store.list_sessions()

    def __enter__(self):
        self.before = self._state()
        return self

    def __exit__(self, *exc):
        assert self._state() == self.before
        return False


def _card(store, session, instruments, text="Ouverture", column="keep", sub="sub-1", **kw):
    return submit_card(
        store, session, kw.pop("participant", ME), instruments["keep_throw"], column, text, sub, **kw
    )


# --------------------------------------------------------------------------------------------------
# cards


def test_a_card_is_stored_as_typed(sqlite_store, session, instruments):
    assert _card(sqlite_store, session, instruments, "Partage d'expertise") is True
    [event] = sqlite_store.read_events(session.code)
    assert (event.participant, event.instrument, event.item, event.text) == (
        ME,
        "keep_throw",
        "keep",
        "Partage d'expertise",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Le «je, me, moi»! — naïveté",
        "👩‍👩‍👧 plus de familles 👍🏽",
        "<script>alert('x')</script>",
        "=SUM(A1)",
        "+33 1 23 45 67 89",
        "@tout_le_monde",
        "-1 pour les silos",
    ],
)
def test_card_text_is_kept_as_typed(sqlite_store, session, instruments, text):
    _card(sqlite_store, session, instruments, text)
    assert [e.text for e in sqlite_store.read_events(session.code)] == [text]


def test_control_characters_are_stripped_and_spaces_collapsed():
    assert clean_card_text("a\x00b\x07c\u200bd") == "abcd"
    assert clean_card_text("  ligne 1\nligne 2\r\n\tfin  ") == "ligne 1 ligne 2 fin"
    assert clean_card_text("e\u0301cole") == "école"  # NFC
    assert clean_card_text("👩\u200d👩\u200d👧") == "👩\u200d👩\u200d👧"  # the joiner stays


def test_a_card_is_cleaned_before_it_is_stored(sqlite_store, session, instruments):
    _card(sqlite_store, session, instruments, "  Vision\x00 commune\n ")
    assert [e.text for e in sqlite_store.read_events(session.code)] == ["Vision commune"]


def test_a_too_long_card_is_refused(sqlite_store, session, instruments):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        _card(sqlite_store, session, instruments, "x" * 281)
    assert info.value.key == "error.card_too_long"
    assert info.value.params == {"length": 281, "limit": 280}


def test_a_card_at_the_limit_is_accepted(sqlite_store, session, instruments):
    assert _card(sqlite_store, session, instruments, "x" * 50, max_length=50) is True


def test_the_limit_applies_after_cleaning(sqlite_store, session, instruments):
    # 50 visible characters wrapped in spaces and control characters still fit in 50
    assert _card(sqlite_store, session, instruments, "  " + "y" * 50 + "\x00\n", max_length=50) is True


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x07", "\u200b"])
def test_an_empty_card_is_refused(sqlite_store, session, instruments, text):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        _card(sqlite_store, session, instruments, text)
    assert info.value.key == "error.card_empty"


def test_a_card_in_an_unknown_column_is_refused(sqlite_store, session, instruments):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        _card(sqlite_store, session, instruments, column="start")  # not in garder/jeter
    assert info.value.key == "error.unknown_column"


def test_too_many_cards_are_refused(sqlite_store, session, instruments):
    for n in range(2):
        assert _card(sqlite_store, session, instruments, f"carte {n}", sub=f"s{n}", max_cards=2)
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        _card(sqlite_store, session, instruments, "une de trop", sub="s2", max_cards=2)
    assert info.value.key == "error.too_many_cards"
    # another participant still has their own allowance
    assert _card(
        sqlite_store, session, instruments, "à moi", sub="s3", max_cards=2, participant="participant-02"
    )


def test_the_same_submission_twice_is_stored_once(sqlite_store, session, instruments):
    assert _card(sqlite_store, session, instruments, "Ouverture", sub="tap") is True
    with Unchanged(sqlite_store, session):
        assert _card(sqlite_store, session, instruments, "Ouverture", sub="tap") is False
    assert len(sqlite_store.read_events(session.code)) == 1


def test_a_resent_card_at_the_limit_is_not_an_error(sqlite_store, session, instruments):
    _card(sqlite_store, session, instruments, "seule", sub="only", max_cards=1)
    with Unchanged(sqlite_store, session):
        assert _card(sqlite_store, session, instruments, "seule", sub="only", max_cards=1) is False


def test_a_closed_session_refuses_cards(sqlite_store, session, instruments):
    closed = set_open(sqlite_store, session, False)
    with Unchanged(sqlite_store, session), pytest.raises(SessionError) as info:
        _card(sqlite_store, closed, instruments)
    assert info.value.key == "error.session_closed"


def test_no_session_refuses_cards(sqlite_store, session, instruments):
    with Unchanged(sqlite_store, session), pytest.raises(SessionError) as info:
        _card(sqlite_store, None, instruments)
    assert info.value.key == "error.session_unknown"


@pytest.mark.parametrize(
    "participant", ["", "short", "x" * 33, "has space ok", "<script>x</script>", "id;DROP TABLE"]
)
def test_an_invalid_participant_id_is_refused(sqlite_store, session, instruments, participant):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        _card(sqlite_store, session, instruments, participant=participant)
    assert info.value.key == "error.participant"


def test_an_instrument_not_in_the_session_is_refused(sqlite_store, instruments):
    only_board = create_session(sqlite_store, instruments, "Juste le tableau", instrument_ids=("keep_throw",))
    with Unchanged(sqlite_store, only_board), pytest.raises(RejectedInput) as info:
        submit_scale(sqlite_store, only_board, ME, instruments["conditions"], {"c1_viewpoints": "A"}, "s1")
    assert info.value.key == "error.instrument_not_in_session"


# --------------------------------------------------------------------------------------------------
# scale answers


def test_scale_answers_are_stored_one_event_per_item(sqlite_store, session, instruments):
    added = submit_scale(
        sqlite_store,
        session,
        ME,
        instruments["conditions"],
        {"c1_viewpoints": "A", "c2_early": "dont_know", "c3_influence": None, "c4_strategic": ""},
        "form-1",
    )
    assert added == 2
    stored = sqlite_store.read_events(session.code)
    assert sorted((e.item, e.value) for e in stored) == [("c1_viewpoints", "A"), ("c2_early", "dont_know")]
    assert {e.submission_id for e in stored} == {"form-1"}


def test_a_resent_scale_submission_adds_nothing(sqlite_store, session, instruments):
    answers = {"c1_viewpoints": "A", "c2_early": "B"}
    submit_scale(sqlite_store, session, ME, instruments["conditions"], answers, "form-1")
    with Unchanged(sqlite_store, session):
        assert submit_scale(sqlite_store, session, ME, instruments["conditions"], answers, "form-1") == 0


@pytest.mark.parametrize("value", ["D", "a", "3", "<b>A</b>", "=1+1"])
def test_a_bad_scale_value_is_refused_and_nothing_stored(sqlite_store, session, instruments, value):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        submit_scale(
            sqlite_store,
            session,
            ME,
            instruments["conditions"],
            {"c1_viewpoints": "A", "c2_early": value},
            "f",
        )
    assert info.value.key == "error.bad_value"


def test_an_unknown_item_is_refused_and_nothing_stored(sqlite_store, session, instruments):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        submit_scale(
            sqlite_store, session, ME, instruments["conditions"], {"c1_viewpoints": "A", "c9_nope": "B"}, "f"
        )
    assert info.value.key == "error.unknown_item"
    assert info.value.params == {"item": "c9_nope"}


@pytest.mark.parametrize("answers", [{}, {"c1_viewpoints": None}, {"c1_viewpoints": "", "c2_early": None}])
def test_nothing_answered_is_refused(sqlite_store, session, instruments, answers):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        submit_scale(sqlite_store, session, ME, instruments["conditions"], answers, "f")
    assert info.value.key == "error.nothing_answered"


def test_a_revised_scale_answer_replaces_the_first_in_scoring(sqlite_store, session, instruments):
    conditions = instruments["conditions"]
    submit_scale(sqlite_store, session, ME, conditions, {"c1_viewpoints": "A", "c2_early": "A"}, "form-1")
    submit_scale(sqlite_store, session, ME, conditions, {"c1_viewpoints": "C"}, "form-2")
    items = score_conditions(events_frame(sqlite_store.read_events(session.code)), conditions).items
    assert (items.loc["c1_viewpoints", "n"], items.loc["c1_viewpoints", "count_C"]) == (1, 1)
    assert items.loc["c1_viewpoints", "count_A"] == 0
    assert items.loc["c2_early", "count_A"] == 1  # untouched by the revision


def test_a_closed_session_refuses_scale_answers(sqlite_store, session, instruments):
    closed = set_open(sqlite_store, session, False)
    with Unchanged(sqlite_store, session), pytest.raises(SessionError) as info:
        submit_scale(sqlite_store, closed, ME, instruments["conditions"], {"c1_viewpoints": "A"}, "f")
    assert info.value.key == "error.session_closed"


# --------------------------------------------------------------------------------------------------
# continuum


def test_continuum_answers_are_stored(sqlite_store, session, instruments):
    added = submit_continuum(
        sqlite_store,
        session,
        ME,
        instruments["continuum"],
        {"now": "coordinating", "desired": "cooperating"},
        "c1",
    )
    assert added == 2
    result = score_continuum(events_frame(sqlite_store.read_events(session.code)), instruments["continuum"])
    assert result.moves.loc["coordinating", "cooperating"] == 1
    assert result.shifts == {1: 1}


def test_one_continuum_question_alone_is_accepted(sqlite_store, session, instruments):
    assert (
        submit_continuum(sqlite_store, session, ME, instruments["continuum"], {"now": "networking"}, "c1")
        == 1
    )


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"now": "partnering"}, "error.bad_value"),
        ({"now": "networking", "someday": "networking"}, "error.unknown_item"),
        ({"now": None, "desired": ""}, "error.nothing_answered"),
    ],
)
def test_bad_continuum_answers_are_refused(sqlite_store, session, instruments, answers, key):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        submit_continuum(sqlite_store, session, ME, instruments["continuum"], answers, "c1")
    assert info.value.key == key


# --------------------------------------------------------------------------------------------------
# sector


def test_a_session_sector_is_stored(sqlite_store, session):
    assert submit_sector(sqlite_store, session, ME, "community", "sector-1") == 1
    [event] = sqlite_store.read_events(session.code)
    assert (event.instrument, event.item, event.value) == ("profile", "sector", "community")


@pytest.mark.parametrize("sector", ["education", "", "COMMUNITY", "community "])
def test_only_the_sessions_sectors_are_accepted(sqlite_store, session, sector):
    with Unchanged(sqlite_store, session), pytest.raises(RejectedInput) as info:
        submit_sector(sqlite_store, session, ME, sector, "sector-1")
    assert info.value.key == "error.bad_value"


def test_a_session_without_sectors_accepts_none(sqlite_store, instruments):
    plain = create_session(sqlite_store, instruments, "Sans secteurs")
    with Unchanged(sqlite_store, plain), pytest.raises(RejectedInput):
        submit_sector(sqlite_store, plain, ME, "community", "sector-1")


# --------------------------------------------------------------------------------------------------
# accept_events: the one rule check the phone functions and the Forms import share


def _kt_event(session, text, item="keep", sub="sub-x", participant=ME):
    return Event(session.code, participant, sub, "keep_throw", item, text=text)


def test_accept_events_cleans_cards_and_leaves_out_resends(session, instruments):
    kt = instruments["keep_throw"]
    stored = _kt_event(session, "Déjà là", sub="sub-old")
    got = accept_events(
        session,
        kt,
        [_kt_event(session, " Une\tidée \n"), _kt_event(session, "Déjà là", sub="sub-old")],
        known=[stored],
    )
    assert [(e.submission_id, e.text) for e in got] == [("sub-x", "Une idée")]


def test_accept_events_counts_cards_of_the_batch_and_of_known(session, instruments):
    kt = instruments["keep_throw"]
    known = [_kt_event(session, "Un", sub="sub-1")]
    batch = [_kt_event(session, "Deux", sub="sub-2"), _kt_event(session, "Trois", sub="sub-3")]
    assert len(accept_events(session, kt, batch[:1], known=known, max_cards=2)) == 1
    with pytest.raises(RejectedInput) as info:
        accept_events(session, kt, batch, known=known, max_cards=2)
    assert info.value.key == "error.too_many_cards"
    other = _kt_event(session, "Trois", sub="sub-3", participant="participant-02")
    assert len(accept_events(session, kt, [batch[0], other], known=known, max_cards=2)) == 2


def test_accept_events_refuses_what_the_phone_refuses(sqlite_store, session, instruments):
    kt = instruments["keep_throw"]
    cases = [
        (kt, _kt_event(session, "x" * 281), "error.card_too_long"),
        (kt, _kt_event(session, "   "), "error.card_empty"),
        (kt, _kt_event(session, "ok", item="maybe"), "error.unknown_column"),
        (kt, _kt_event(session, "ok", participant="x"), "error.participant"),
        (None, Event(session.code, ME, "s", "profile", "sector", value="education"), "error.bad_value"),
        (
            instruments["conditions_1to5"],
            Event(session.code, ME, "s", "conditions_1to5", "c1_viewpoints", value="4"),
            "error.instrument_not_in_session",
        ),
    ]
    for instrument, event, key in cases:
        with pytest.raises(RejectedInput) as info:
            accept_events(session, instrument, [event])
        assert info.value.key == key
    closed = set_open(sqlite_store, session, False)
    with pytest.raises(SessionError) as closed_info:
        accept_events(closed, kt, [_kt_event(session, "ok")])
    assert closed_info.value.key == "error.session_closed"
