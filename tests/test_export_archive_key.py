"""The JSON archive leaves the projector's screen key out: whoever holds an exported file must not be
able to open the live screen. An imported session gets a key of its own when a screen link is first
asked for, also from an archive written before the key was left out."""

from __future__ import annotations

import json

from export_support import CODE, stored

from partenariat_core import agenda, ensure_screen_key, screen_key_matches, screen_url
from partenariat_core.export import export_json, import_archive, load_session_data
from partenariat_core.sessions import set_agenda_mode


def keyed(sqlite_store):
    store = stored(sqlite_store)
    set_agenda_mode(store, CODE, "guided")  # the rest of the agenda is archived as before
    session = ensure_screen_key(store, CODE)
    assert session.agenda.screen_key
    return store, session


def test_the_archive_holds_no_screen_key(sqlite_store, instruments):
    store, session = keyed(sqlite_store)
    raw = export_json(load_session_data(store, instruments, CODE)).data
    key = session.agenda.screen_key
    assert key.encode() not in raw  # nowhere in the file, whatever field would carry it
    archived = agenda.Agenda.from_json(json.loads(raw)["session"]["agenda"])
    assert archived.screen_key == "" and archived.mode == "guided"
    assert "screen_key" not in json.loads(json.loads(raw)["session"]["agenda"])
    assert store.get_session(CODE).agenda.screen_key == key  # the live session keeps its key


def test_an_imported_session_gets_a_fresh_key_and_the_old_links_do_not_open_it(
    sqlite_store, instruments, tmp_path
):
    from partenariat_core.store import SQLiteStore

    store, session = keyed(sqlite_store)
    raw = export_json(load_session_data(store, instruments, CODE)).data
    target = SQLiteStore(tmp_path / "target.db")
    try:
        result = import_archive(target, raw, instruments)
        assert result.created and result.session.agenda.screen_key == ""
        assert not screen_key_matches(target.get_session(CODE), session.agenda.screen_key)
        fresh = ensure_screen_key(target, CODE)  # what the remote page and `screen-url` ask for
        assert fresh.agenda.screen_key and fresh.agenda.screen_key != session.agenda.screen_key
        assert "key=" + fresh.agenda.screen_key in screen_url("http://127.0.0.1:8501", fresh)
        assert fresh.agenda.mode == "guided"
    finally:
        target.close()


def test_an_old_archive_with_a_key_imports_without_it(sqlite_store, instruments, tmp_path):
    from partenariat_core.store import SQLiteStore

    store, session = keyed(sqlite_store)
    doc = json.loads(export_json(load_session_data(store, instruments, CODE)).data)
    doc["session"]["agenda"] = session.agenda.to_json()  # as archives were written before
    assert session.agenda.screen_key in doc["session"]["agenda"]
    target = SQLiteStore(tmp_path / "target.db")
    try:
        result = import_archive(target, json.dumps(doc), instruments)
        assert result.created and result.added == result.total
        imported = target.get_session(CODE)
        assert imported.agenda.screen_key == "" and imported.agenda.mode == "guided"
        assert not screen_key_matches(imported, session.agenda.screen_key)
    finally:
        target.close()
