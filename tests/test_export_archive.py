"""JSON archive: export, import into another store, nothing lost, nothing doubled, conflicts refused."""

from __future__ import annotations

import dataclasses
import json

import pytest
from export_support import CODE, known_events, known_session, stored

from partenariat_core.errors import InstrumentError
from partenariat_core.export import (
    ArchiveError,
    archive_dict,
    export_json,
    import_archive,
    instrument_data,
    load_session_data,
)
from partenariat_core.instruments import parse_instrument
from partenariat_core.store import SQLiteStore

AWKWARD = ["👩‍👩‍👧 ZWJ", "ligne 1\nligne 2", "=SUM(A1)", "<b>gras</b>", 'guillemets "doubles"']


def unseq(events):
    return [dataclasses.replace(e, seq=None) for e in events]


@pytest.fixture
def source(sqlite_store, instruments):
    store = stored(sqlite_store)
    extra = [
        dataclasses.replace(known_events()[-1], submission_id=f"awkward-{i}", text=text)
        for i, text in enumerate(AWKWARD)
    ]
    store.append_events(extra)
    return store


@pytest.fixture
def archive(source, instruments) -> bytes:
    return export_json(load_session_data(source, instruments, CODE)).data


@pytest.fixture
def target(tmp_path):
    store = SQLiteStore(tmp_path / "target.db")
    yield store
    store.close()


def test_archive_layout(archive, source):
    doc = json.loads(archive)
    assert doc["format"] == "partenariat-live-archive" and doc["version"] == 1
    assert doc["session"] == known_session().to_record()
    assert [i["id"] for i in doc["instruments"]] == ["keep_throw", "conditions", "continuum", "profile"]
    events = source.read_events(CODE)
    assert [e["submission_id"] for e in doc["events"]] == [e.submission_id for e in events]
    assert [e["seq"] for e in doc["events"]] == [e.seq for e in events]
    assert doc["events"][0]["created_at"] == "2026-11-25T14:00:10+00:00"


def test_round_trip_through_sqlite_recreates_session_and_events_exactly(archive, source, target, instruments):
    result = import_archive(target, archive, instruments)
    assert (result.created, result.added, result.total) == (
        True,
        len(known_events()) + 5,
        len(known_events()) + 5,
    )
    assert result.missing_instruments == [] and result.changed_instruments == []
    assert target.get_session(CODE) == source.get_session(CODE)
    assert unseq(target.read_events(CODE)) == unseq(source.read_events(CODE))
    assert [e.text for e in target.read_events(CODE)][-5:] == AWKWARD


def test_importing_twice_adds_nothing(archive, target, instruments):
    import_archive(target, archive, instruments)
    before = target.read_events(CODE)
    again = import_archive(target, archive, instruments)
    assert (again.created, again.added) == (False, 0)
    assert target.read_events(CODE) == before


def test_a_different_session_under_the_same_code_is_refused_and_untouched(archive, target, instruments):
    other = known_session(title="Une autre table", created_at=known_session().created_at.replace(hour=9))
    target.create_session(other)
    with pytest.raises(ArchiveError) as caught:
        import_archive(target, archive, instruments)
    assert caught.value.key == "export.err_archive_conflict"
    assert "Une autre table" in caught.value.message("fr")
    assert target.get_session(CODE) == other
    assert target.read_events(CODE) == []


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda doc: "not json at all", "export.err_archive"),
        (lambda doc: {**doc, "format": "something-else"}, "export.err_archive"),
        (lambda doc: {**doc, "version": 99}, "export.err_archive_version"),
        (lambda doc: {**doc, "session": {"code": CODE}}, "export.err_archive"),
        (
            lambda doc: {**doc, "events": doc["events"] + [{**doc["events"][0], "session": "OTHER9"}]},
            "export.err_archive",
        ),
        (lambda doc: {**doc, "events": doc["events"] + [{"session": CODE}]}, "export.err_archive"),
    ],
)
def test_bad_archives_change_nothing(archive, target, instruments, mutate, key):
    doc = mutate(json.loads(archive))
    raw = doc if isinstance(doc, str) else json.dumps(doc)
    with pytest.raises(ArchiveError) as caught:
        import_archive(target, raw, instruments)
    assert caught.value.key == key
    assert caught.value.message("en")  # a sentence for the page, in both languages
    assert target.list_sessions() == []


def test_a_broken_instrument_definition_is_named_and_nothing_written(archive, target, instruments):
    doc = json.loads(archive)
    del doc["instruments"][1]["scale"]
    with pytest.raises(InstrumentError) as caught:
        import_archive(target, json.dumps(doc), instruments)
    assert caught.value.file == "archive: instruments[1]" and caught.value.field == "scale"
    assert target.list_sessions() == []


def test_instruments_unknown_or_different_here_are_reported(archive, target, instruments):
    local = {k: v for k, v in instruments.items() if k != "continuum"}
    local["conditions"] = dataclasses.replace(instruments["conditions"], title={"fr": "Autre", "en": "Other"})
    result = import_archive(target, archive, local)
    assert result.missing_instruments == ["continuum"]
    assert result.changed_instruments == ["conditions"]
    assert len(target.read_events(CODE)) == result.total  # answers kept all the same


@pytest.mark.parametrize("ident", ["keep_throw", "conditions", "conditions_1to5", "continuum", "profile"])
def test_instrument_definitions_read_back_equal(instruments, ident):
    original = instruments[ident]
    again = parse_instrument(json.loads(json.dumps(instrument_data(original))), original.source)
    assert again == original


def test_archive_dict_of_a_session_without_sectors_has_no_profile(sqlite_store, instruments):
    stored(sqlite_store, sectors=())
    doc = archive_dict(load_session_data(sqlite_store, instruments, CODE))
    assert [i["id"] for i in doc["instruments"]] == ["keep_throw", "conditions", "continuum"]
