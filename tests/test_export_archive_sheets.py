"""JSON archive round trip through the Google Sheets backend, against the fake Sheets API on loopback.

The archive is imported into one ``SheetsStore``; what comes back is read by a *second* store with its
own empty outbox, so everything compared made the trip through the spreadsheet's cells.
"""

from __future__ import annotations

import dataclasses

import pytest
from export_support import CODE, FORMULA_CARDS, known_events, stored

from partenariat_core.export import ArchiveError, export_json, import_archive, load_session_data
from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.store.sheets import SheetsOptions, SheetsStore

KEY = "archive-sheet"
FAST = SheetsOptions(
    read_seconds=0.05,
    sessions_seconds=0.2,
    flush_seconds=0.02,
    backoff_base=0.02,
    backoff_cap=0.2,
    timeout=2.0,
    quota_per_minute=6000,
)


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(KEY, "Partenariat Live")
        assert server.base_url.startswith("http://127.0.0.1:")
        yield server


def sheets_store(fake, path) -> SheetsStore:
    return SheetsStore(KEY, outbox_path=path, api_url=fake.base_url, options=FAST)


def unseq(events):
    return [dataclasses.replace(e, seq=None) for e in events]


def test_archive_round_trip_through_the_sheet(fake, tmp_path, sqlite_store, instruments):
    source = stored(sqlite_store)
    archive = export_json(load_session_data(source, instruments, CODE)).data
    writer = sheets_store(fake, tmp_path / "writer.db")
    reader = sheets_store(fake, tmp_path / "reader.db")
    try:
        result = import_archive(writer, archive, instruments)
        assert (result.created, result.added) == (True, len(known_events()))
        assert writer.flush(timeout=20), writer.sync_status()
        assert reader.refresh(timeout=20), reader.sync_status()
        assert reader.get_session(CODE) == source.get_session(CODE)
        back = reader.read_events(CODE)
        assert unseq(back) == unseq(source.read_events(CODE))
        assert [e.text for e in back if e.text in FORMULA_CARDS] == FORMULA_CARDS  # cells gave them back

        again = import_archive(reader, archive, instruments)  # the second store already has it all
        assert (again.created, again.added) == (False, 0)
    finally:
        writer.close()
        reader.close()


def test_conflicting_session_in_the_sheet_is_refused(fake, tmp_path, sqlite_store, instruments):
    archive = export_json(load_session_data(stored(sqlite_store), instruments, CODE)).data
    store = sheets_store(fake, tmp_path / "outbox.db")
    try:
        other = dataclasses.replace(
            sqlite_store.get_session(CODE), title="Autre", created_at=known_events()[0].created_at
        )
        store.create_session(other)
        with pytest.raises(ArchiveError) as caught:
            import_archive(store, archive, instruments)
        assert caught.value.key == "export.err_archive_conflict"
        assert store.read_events(CODE) == []
        assert store.get_session(CODE) == other
    finally:
        store.close()


# issue 13 item 3: the command line's import reaches the sheet ------------------------------------------
@pytest.fixture
def sheets_env(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_STORE", "sheets")
    monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("PARTENARIAT_SHEETS_SPREADSHEET", KEY)
    monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", fake.base_url)
    monkeypatch.setenv("PARTENARIAT_SHEETS_TIMEOUT_SECONDS", "1")
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    for name in (
        "SQLITE_PATH",
        "INSTRUMENTS_DIR",
        "LANGUAGE",
        "SHEETS_OUTBOX_PATH",
        "SHEETS_CREDENTIALS_FILE",
    ):
        monkeypatch.delenv(f"PARTENARIAT_{name}", raising=False)
    return tmp_path / "data"


def archive_file(sqlite_store, instruments, tmp_path):
    path = tmp_path / "archive.json"
    path.write_bytes(export_json(load_session_data(stored(sqlite_store), instruments, CODE)).data)
    return path


def test_command_line_import_into_the_sheets_store_reaches_the_sheet(
    fake, sheets_env, tmp_path, sqlite_store, instruments, capsys
):
    from partenariat_core.__main__ import main

    archive = archive_file(sqlite_store, instruments, tmp_path)
    assert main(["--lang", "en", "import", str(archive)]) == 0
    out = capsys.readouterr().out
    total = len(known_events())
    assert f"{total} answers added of {total}" in out
    assert "Everything is in the Google Sheets spreadsheet." in out
    rows = fake.values(KEY, "responses")
    assert len(rows) - 1 == total  # every answer is a row, before the command returned
    assert [r[0] for r in fake.values(KEY, "sessions")[1:]] == [CODE]


def test_command_line_import_while_the_sheet_is_down_says_what_waits_and_sends_it_later(
    fake, sheets_env, tmp_path, sqlite_store, instruments, capsys
):
    from partenariat_core.__main__ import main

    archive = archive_file(sqlite_store, instruments, tmp_path)
    fake.faults.outage_start()
    assert main(["import", str(archive)]) == 0
    err = capsys.readouterr().err
    total = len(known_events())
    assert f"{total + 1} éléments n'ont pas encore pu être envoyés" in err  # the answers and the session
    assert str(sheets_env / "sheets_outbox.db") in err
    fake.faults.outage_end()
    titles = [s["properties"]["title"] for s in fake.metadata(KEY)["sheets"]]
    assert titles == ["Sheet1"]  # nothing reached the spreadsheet, not even the worksheets
    assert main(["import", str(archive)]) == 0  # the next run sends what waited; the archive adds nothing
    assert "Tout est dans la feuille Google Sheets." in capsys.readouterr().out
    assert len(fake.values(KEY, "responses")) - 1 == total
