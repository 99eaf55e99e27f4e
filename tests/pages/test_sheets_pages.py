"""The app on the Google Sheets backend, through AppTest, against the fake Sheets server.

The host page shows the sync panel (and offers to create missing worksheets); the Forms page reads
a response sheet, shows the automatic mapping and imports answers once.
"""

from __future__ import annotations

import pytest
from apptest_support import button, login, open_app

from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.runtime import shared_runtime
from partenariat_core.store.sheets import SheetsStore

KEY = "pages-sheet"
FORM = "pages-form"
FORM_ROWS = [
    ["Horodateur", "Où se situe le partenariat aujourd'hui ?", "Où devrait-il se situer ?", "Remarques"],
    ["25/11/2026 14:03:12", "Coopération", "Collaboration", "merci"],
    ["25/11/2026 14:04:01", "Réseautage", "Coordination", ""],
]


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        yield server


@pytest.fixture
def sheets_env(app_env, fake, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_STORE", "sheets")
    monkeypatch.setenv("PARTENARIAT_SHEETS_SPREADSHEET", KEY)
    monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", fake.base_url)
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    yield app_env  # app_env's teardown closes the runtime, and so the Sheets writer


def test_host_page_shows_the_sync_state_and_creates_missing_worksheets(sheets_env, fake):
    fake.create_spreadsheet(KEY, "Classeur existant", sheets=["Budget"])
    fake.set_values(KEY, "Budget", [["poste", "montant"]])
    at = login(open_app("pages/host.py"))
    assert not at.exception, at.exception
    assert any("sessions, responses" in w.value for w in at.warning)
    at = button(at, "Créer les onglets manquants (sessions, responses)").click().run()
    assert any(s.value == "Onglets créés : sessions, responses." for s in at.success)
    titles = [s["properties"]["title"] for s in fake.metadata(KEY)["sheets"]]
    assert titles == ["Budget", "sessions", "responses"]


def test_forms_page_maps_and_imports_once(sheets_env, fake):
    fake.create_spreadsheet(KEY, "Partenariat Live")
    fake.create_spreadsheet(FORM, "Formulaire (réponses)", sheets=["Réponses au formulaire 1"])
    fake.set_values(FORM, "Réponses au formulaire 1", FORM_ROWS)
    at = login(open_app("pages/host.py"))
    at.text_input(key="new_title").input("Atelier Forms")
    at = button(at, "Créer la session").click().run()
    code = at.query_params["session"]
    code = code[0] if isinstance(code, list) else code
    at.switch_page("pages/forms_import.py").run()
    assert not at.exception, at.exception
    at.text_input[0].input(FORM)
    at = button(at, "Lire la feuille").click().run()
    assert not at.error, [e.value for e in at.error]
    targets = [sb.value for sb in at.selectbox if sb.key and sb.key.startswith("forms_col_")]
    assert targets == ["continuum:now", "continuum:desired", ""]
    assert any("Remarques" in c.value for c in at.caption)
    at = button(at, "Importer les réponses").click().run()
    assert any(s.value == "4 nouvelles réponses importées depuis 2 lignes." for s in at.success)
    at = button(at, "Importer les réponses").click().run()
    assert any("0 nouvelle réponse importée" in s.value for s in at.success)
    store = shared_runtime().store
    assert isinstance(store, SheetsStore)
    assert sorted(e.value for e in store.read_events(code)) == [
        "collaborating",
        "cooperating",
        "coordinating",
        "networking",
    ]
