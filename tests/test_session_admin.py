"""Renaming and duplicating a session (partenariat_core.sessions)."""

from __future__ import annotations

import datetime as dt

import pytest

from partenariat_core import agenda
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.model import Event, utcnow
from partenariat_core.sessions import (
    create_session,
    duplicate_session,
    ensure_screen_key,
    move_step,
    rename_session,
    set_agenda_mode,
)


@pytest.fixture
def source(sqlite_store, instruments):
    session = create_session(
        sqlite_store,
        instruments,
        "Table de quartier",
        date=dt.date(2026, 11, 25),
        language="en",
        instrument_ids=("keep_throw", "continuum"),
        keep_throw_preset="plus_delta",
        sectors=("community", "municipal"),
    )
    set_agenda_mode(sqlite_store, session.code, "guided")
    move_step(sqlite_store, session.code, 1)
    ensure_screen_key(sqlite_store, session.code)
    sqlite_store.append_events([Event(session.code, "pid-000001", "s1", "continuum", "now", "networking")])
    return sqlite_store.get_session(session.code)


def test_renaming_changes_the_title_only(sqlite_store, source):
    renamed = rename_session(sqlite_store, source.code, "  Table  de quartier — Hochelaga ")
    assert renamed.title == "Table de quartier — Hochelaga"
    assert renamed == source.with_changes(title=renamed.title, version=source.version + 1)
    assert len(sqlite_store.read_events(source.code)) == 1


def test_a_bad_title_is_refused_and_changes_nothing(sqlite_store, source):
    for bad, key in (("   ", "error.title_empty"), ("x" * 121, "error.title_too_long")):
        with pytest.raises(RejectedInput) as refused:
            rename_session(sqlite_store, source.code, bad)
        assert refused.value.key == key
    assert sqlite_store.get_session(source.code) == source
    with pytest.raises(SessionError):
        rename_session(sqlite_store, "NOPE22", "Titre")


def test_a_duplicate_has_the_same_settings_a_new_code_and_nothing_else(sqlite_store, instruments, source):
    copy = duplicate_session(sqlite_store, instruments, source.code, "Table de quartier — après")
    assert copy.code != source.code
    assert (copy.title, copy.language, copy.instruments, copy.keep_throw_preset, copy.sectors) == (
        "Table de quartier — après",
        "en",
        ("keep_throw", "continuum"),
        "plus_delta",
        ("community", "municipal"),
    )
    assert copy.agenda == agenda.Agenda(mode="guided")  # guided like the source, at its first step, no key
    assert copy.is_open is True and copy.date == utcnow().date()
    assert sqlite_store.read_events(copy.code) == []
    assert sqlite_store.get_session(copy.code) == copy
    assert sqlite_store.get_session(source.code) == source  # the source is untouched


def test_a_duplicate_keeps_the_title_unless_given_and_refuses_an_unknown_session(
    sqlite_store, instruments, source
):
    assert duplicate_session(sqlite_store, instruments, source.code).title == "Table de quartier"
    with pytest.raises(SessionError):
        duplicate_session(sqlite_store, instruments, "NOPE22")
