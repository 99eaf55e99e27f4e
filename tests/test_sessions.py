"""Host actions on sessions: create, find by a typed code, open/close, hide/reveal boards."""

from __future__ import annotations

import datetime as dt

import pytest

from partenariat_core.codes import CODE_ALPHABET, is_valid_code, new_join_code, normalize_code
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.instruments import load_instruments
from partenariat_core.model import Session
from partenariat_core.sessions import TITLE_MAX, create_session, find_session, set_board_hidden, set_open
from partenariat_core.store import SQLiteStore

LOOKALIKES = set("0O1IL")


def test_a_created_session_is_stored_with_the_hosts_choices(sqlite_store, instruments):
    session = create_session(
        sqlite_store,
        instruments,
        "  Table   de quartier  ",
        date=dt.date(2026, 11, 25),
        language="en",
        instrument_ids=("keep_throw", "continuum"),
        keep_throw_preset="plus_delta",
        sectors=("community", "municipal", "community"),
    )
    assert session.title == "Table de quartier"
    assert session.sectors == ("community", "municipal")  # duplicates dropped, order kept
    assert session.is_open is True
    assert sqlite_store.get_session(session.code) == session
    assert (session.date, session.language, session.keep_throw_preset) == (
        dt.date(2026, 11, 25),
        "en",
        "plus_delta",
    )
    assert session.instruments == ("keep_throw", "continuum")


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_an_empty_title_is_refused(sqlite_store, instruments, title):
    with pytest.raises(RejectedInput) as info:
        create_session(sqlite_store, instruments, title)
    assert info.value.key == "error.title_empty"
    assert sqlite_store.list_sessions() == []


def test_a_title_at_the_limit_is_accepted_and_one_more_is_refused(sqlite_store, instruments):
    assert len(create_session(sqlite_store, instruments, "t" * TITLE_MAX).title) == TITLE_MAX
    with pytest.raises(RejectedInput) as info:
        create_session(sqlite_store, instruments, "t" * (TITLE_MAX + 1))
    assert info.value.key == "error.title_too_long"
    assert len(sqlite_store.list_sessions()) == 1


@pytest.mark.parametrize("ids", [("keep_throw", "nope"), ("profile",)])
def test_an_unknown_instrument_is_refused(sqlite_store, instruments, ids):
    with pytest.raises(RejectedInput) as info:
        create_session(sqlite_store, instruments, "Atelier", instrument_ids=ids)
    assert info.value.key == "error.unknown_instrument"
    assert sqlite_store.list_sessions() == []


def test_no_instrument_is_refused(sqlite_store, instruments):
    with pytest.raises(RejectedInput) as info:
        create_session(sqlite_store, instruments, "Atelier", instrument_ids=())
    assert info.value.key == "error.no_instrument"


def test_an_unknown_preset_is_refused(sqlite_store, instruments):
    with pytest.raises(RejectedInput) as info:
        create_session(sqlite_store, instruments, "Atelier", keep_throw_preset="sailboat")
    assert info.value.key == "error.unknown_preset"
    assert sqlite_store.list_sessions() == []


def test_the_preset_only_matters_with_a_board(sqlite_store, instruments):
    session = create_session(
        sqlite_store, instruments, "Atelier", instrument_ids=("conditions",), keep_throw_preset="sailboat"
    )
    assert sqlite_store.get_session(session.code) is not None


def test_join_codes_never_use_lookalike_characters():
    codes = [new_join_code() for _ in range(3000)]
    used = set("".join(codes))
    assert not used & LOOKALIKES
    assert used <= set(CODE_ALPHABET)
    assert all(len(code) == 6 and is_valid_code(code) for code in codes)
    assert len(used) > 20  # the whole alphabet is in use, not a handful of letters
    assert not LOOKALIKES & set(CODE_ALPHABET)


def test_created_sessions_get_distinct_valid_codes(sqlite_store, instruments):
    codes = [create_session(sqlite_store, instruments, f"Atelier {n}").code for n in range(40)]
    assert len(set(codes)) == 40
    assert all(is_valid_code(code) and not set(code) & LOOKALIKES for code in codes)


# --------------------------------------------------------------------------------------------------
# finding a session by a typed code


@pytest.fixture
def gardez(sqlite_store):
    session = Session("GARDEZ", "Atelier")
    sqlite_store.create_session(session)
    return session


@pytest.mark.parametrize("typed", ["GARDEZ", " gar dez ", "gardez", "Gar-Dez", "\tGARDEZ\n"])
def test_a_typed_code_is_normalised(sqlite_store, gardez, typed):
    assert find_session(sqlite_store, typed) == gardez


def test_normalize_code_removes_spaces_and_dashes():
    assert normalize_code(" abc 234 ") == "ABC234"
    assert normalize_code("abc-234") == "ABC234"
    assert normalize_code(None) == ""


@pytest.mark.parametrize("typed", ["GARD0Z", "GARDEZ!", "AB", "ABCDEFGHJKMNP", "<script>", "ÉCOLE2"])
def test_invalid_characters_or_lengths_are_refused(sqlite_store, gardez, typed):
    with pytest.raises(SessionError) as info:
        find_session(sqlite_store, typed)
    assert info.value.key == "error.code_invalid"


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_an_empty_code_is_refused(sqlite_store, typed):
    with pytest.raises(SessionError) as info:
        find_session(sqlite_store, typed)
    assert info.value.key == "error.code_empty"


def test_an_unknown_code_is_refused(sqlite_store, gardez):
    with pytest.raises(SessionError) as info:
        find_session(sqlite_store, "GARDEY")
    assert info.value.key == "error.session_unknown"
    assert info.value.params == {"code": "GARDEY"}


def test_a_closed_session_is_refused_unless_asked_for(sqlite_store, gardez):
    set_open(sqlite_store, gardez, False)
    with pytest.raises(SessionError) as info:
        find_session(sqlite_store, "gardez")
    assert info.value.key == "error.session_closed"
    assert find_session(sqlite_store, "gardez", must_be_open=False).is_open is False


# --------------------------------------------------------------------------------------------------
# host switches


def test_closing_and_reopening_round_trips_through_the_store(sqlite_store, gardez):
    closed = set_open(sqlite_store, gardez, False)
    assert closed.is_open is False
    assert sqlite_store.get_session("GARDEZ").is_open is False
    reopened = set_open(sqlite_store, closed, True)
    assert sqlite_store.get_session("GARDEZ") == reopened
    assert reopened.is_open is True


def test_hiding_and_revealing_boards_round_trips_through_the_store(sqlite_store, gardez):
    hidden = set_board_hidden(sqlite_store, gardez, "conditions", True)
    hidden = set_board_hidden(sqlite_store, hidden, "continuum", True)
    hidden = set_board_hidden(sqlite_store, hidden, "conditions", True)  # twice: listed once
    assert sorted(sqlite_store.get_session("GARDEZ").hidden_boards) == ["conditions", "continuum"]
    shown = set_board_hidden(sqlite_store, hidden, "conditions", False)
    assert sqlite_store.get_session("GARDEZ").hidden_boards == ("continuum",)
    assert shown == sqlite_store.get_session("GARDEZ")
    assert shown.title == gardez.title and shown.is_open is True


def test_two_host_tabs_with_stale_copies_never_undo_each_other(sqlite_store, gardez):
    # Both tabs drew the page from the same copy; before versions, the second save put is_open back.
    tab_one = tab_two = sqlite_store.get_session("GARDEZ")
    set_open(sqlite_store, tab_one, False)
    set_board_hidden(sqlite_store, tab_two, "conditions", True)
    now = sqlite_store.get_session("GARDEZ")
    assert now.is_open is False and now.hidden_boards == ("conditions",)
    assert now.version == gardez.version + 2


class _BusyStore(SQLiteStore):
    """Another writer changes the session between every read and save of ours."""

    def get_session(self, code):
        found = super().get_session(code)
        if found is not None:
            super().save_session(found.with_changes(title=found.title + "!"))
        return found


def test_a_session_that_keeps_changing_gives_a_clear_conflict_and_writes_nothing_of_ours(tmp_path):
    store = _BusyStore(tmp_path / "busy.db")
    store.create_session(Session("BUSY23", "Atelier"))
    with pytest.raises(SessionError) as info:
        set_open(store, store.get_session("BUSY23"), False)
    assert info.value.key == "error.session_conflict"
    assert SQLiteStore(tmp_path / "busy.db").get_session("BUSY23").is_open is True


def test_the_same_create_request_twice_makes_one_session(sqlite_store):
    # A double click whose first run Streamlit interrupted sends the same request again.
    instruments = load_instruments()
    first = create_session(sqlite_store, instruments, "Table de Lévis", request="tab-1|Table de Lévis")
    again = create_session(sqlite_store, instruments, "Table de Lévis", request="tab-1|Table de Lévis")
    assert again == first
    other = create_session(sqlite_store, instruments, "Table de Lévis", request="tab-2|Table de Lévis")
    assert other.code != first.code  # another tab's request is another session
    titles = [s.title for s in sqlite_store.list_sessions()].count("Table de Lévis")
    assert titles == 2


def test_a_request_whose_code_is_taken_by_another_session_gets_a_fresh_code(sqlite_store):
    from partenariat_core.codes import join_code_for

    taken = join_code_for("tab-3|Atelier")
    sqlite_store.create_session(Session(taken, "Une autre session"))
    made = create_session(sqlite_store, load_instruments(), "Atelier", request="tab-3|Atelier")
    assert made.code != taken and sqlite_store.get_session(taken).title == "Une autre session"
