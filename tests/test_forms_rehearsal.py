"""The guide's rehearsal, as a host would run it (docs/forms-live.md): a fake Form's sheet, linked
from the command line, three responses sent, and the server shows them with nobody clicking."""

from __future__ import annotations

import time

import pytest

from partenariat_core.__main__ import main as cli
from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.forms_source.rehearsal import form_headers
from partenariat_core.forms_source.rehearsal import main as rehearse
from partenariat_core.model import Session
from partenariat_core.runtime import start_runtime
from partenariat_core.store import SQLiteStore

CODE = "REP234"


@pytest.fixture
def env(tmp_path, monkeypatch):
    with FakeSheetsServer() as fake:
        fake.create_spreadsheet("repetition", "Répétition", sheets=["Feuille 1"])
        monkeypatch.setenv("PARTENARIAT_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("PARTENARIAT_SECRETS_FILE", str(tmp_path / "none.toml"))
        monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", fake.base_url)
        monkeypatch.setenv("PARTENARIAT_DEMO", "false")
        for name in ("STORE", "SQLITE_PATH", "INSTRUMENTS_DIR", "LANGUAGE"):
            monkeypatch.delenv(f"PARTENARIAT_{name}", raising=False)
        store = SQLiteStore(tmp_path / "partenariat.db")
        store.create_session(
            Session(
                CODE,
                "Répétition",
                instruments=("keep_throw", "conditions", "continuum"),
                sectors=("community", "municipal"),
            )
        )
        store.close()
        yield fake


def test_three_responses_reach_the_projector_without_a_click(env, instruments, capsys):
    runtime = start_runtime(follow=True)  # what serve.py runs
    try:
        assert rehearse(["form", CODE, "repetition"]) == 0
        headers = env.values("repetition", "Feuille 1")[0]
        assert headers == form_headers(runtime.store.get_session(CODE), instruments)
        assert cli(["link", CODE, "repetition"]) == 0
        out = capsys.readouterr().out
        assert "Colonnes non associées" not in out and "Réponse non reconnue" not in out  # all mapped
        assert rehearse(["answer", "repetition", "--count", "3"]) == 0
        assert "3 réponses ajoutées" in capsys.readouterr().out
        per_response = len(headers) - 1  # one answer per question, all readable
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(runtime.live.events(CODE)) < 3 * per_response:
            time.sleep(0.1)
        events = runtime.live.events(CODE)
        assert len({e.participant for e in events}) == 3
        assert len(events) == 3 * per_response
        summary = runtime.live.summary(CODE)
        assert summary is not None and summary.participants == 3
    finally:
        runtime.close()


def test_the_rehearsal_refuses_googles_api(env, monkeypatch, capsys):
    monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", "https://sheets.googleapis.com")
    assert rehearse(["answer", "repetition"]) == 1
    assert "feuille factice" in capsys.readouterr().err


def test_answering_a_sheet_without_a_form_header_says_what_to_do(env, capsys):
    assert rehearse(["answer", "repetition"]) == 1
    assert "est vide" in capsys.readouterr().err
