"""The Forms page's live part through AppTest: link a sheet, see its sync state in plain words,
pause, resume and unlink; map unread answers. The sheet is in the fake Sheets server, the server's
follower runs with the app's runtime (as under serve.py), on the real clock.
"""

from __future__ import annotations

import time

import pytest
from apptest_support import button, login, open_app, store_of

from partenariat_core.fake_sheets import FakeSheetsServer
from partenariat_core.forms_source import LinkFile, MappingFile
from partenariat_core.model import Session
from partenariat_core.runtime import shared_runtime
from partenariat_core.sheets_transport import gspread_client
from ui.literal import markdown_safe

FORM = "page-form-live"
TAB = "Réponses **gras** [x](y)"  # a worksheet name is someone's text, drawn literally
CODE = "LIV234"
HEADERS = ["Horodateur", "Votre secteur", "Qu'est-ce qu'on garde ?"]
ROWS = [
    ["20/11/2026 09:00:01", "Santé publique", "Une idée"],
    ["20/11/2026 09:00:02", "Communautaire", "Une autre"],
    ["20/11/2026 09:00:03", "Municipal", "Et une troisième"],
]


@pytest.fixture
def fake():
    with FakeSheetsServer() as server:
        server.quota.enabled = False
        server.create_spreadsheet(FORM, "Formulaire (réponses)", sheets=[TAB])
        server.set_values(FORM, TAB, [HEADERS, *ROWS])
        yield server


@pytest.fixture
def live_env(app_env, fake, monkeypatch):
    monkeypatch.setenv("PARTENARIAT_SHEETS_API_URL", fake.base_url)
    monkeypatch.setenv("PARTENARIAT_DEMO", "false")
    store = store_of(app_env)
    store.create_session(
        Session(
            CODE,
            "Atelier en direct",
            instruments=("keep_throw",),
            sectors=("community", "municipal", "public_health"),
        )
    )
    store.close()
    return app_env


def _read_sheet():
    at = login(open_app("pages/forms_import.py", session=CODE))
    assert not at.exception, at.exception
    at.text_input[0].input(FORM)
    at.text_input[1].input(TAB)
    at = button(at, "Lire la feuille").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def _wait(condition, seconds=10.0):
    """Bounded wait for the server's follower (a thread on the real clock)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _texts(at):
    return [m.value for m in at.markdown]


def test_linking_a_sheet_brings_its_rows_without_a_click_and_shows_the_sync_state(live_env):
    at = _read_sheet()
    assert any(c.value.startswith("Aucune feuille n'est reliée à cette session.") for c in at.caption)
    at = button(at, "Relier cette feuille (suivi en direct)").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Feuille reliée") for s in at.success)
    [link] = LinkFile.in_data_dir(live_env).load()
    assert (link.session, link.spreadsheet, link.worksheet) == (CODE, FORM, TAB)
    # no import clicked: the server's follower reads the sheet by itself
    follower = shared_runtime().follower
    assert _wait(lambda: any(s.last_read is not None for s in follower.statuses(CODE)))
    store = store_of(live_env)
    try:
        events = store.read_events(CODE)
    finally:
        store.close()
    # "Santé publique" is not a sector's wording: 3 cards and 2 sectors until the host maps it
    assert sorted(e.value or e.text for e in events) == [
        "Et une troisième",
        "Une autre",
        "Une idée",
        "community",
        "municipal",
    ]
    at.run()
    texts = _texts(at)
    assert f"**Onglet « {markdown_safe(TAB)} » de la feuille {markdown_safe(FORM)}**" in texts
    assert any(
        t.startswith("Dernière lecture à ") and t.endswith(": 3 réponses dans l'onglet.") for t in texts
    )
    assert any(t.startswith("Prochaine lecture dans ") for t in texts)
    assert not any("**gras**" in t for t in texts)


def test_pause_resume_and_unlink(live_env):
    at = _read_sheet()
    at = button(at, "Relier cette feuille (suivi en direct)").click().run()
    at = button(at, "Mettre en pause").click().run()
    assert not at.exception, at.exception
    [link] = LinkFile.in_data_dir(live_env).load()
    assert link.paused
    assert any(t.startswith("En pause : la feuille n'est plus lue.") for t in _texts(at))
    at = button(at, "Reprendre").click().run()
    assert not LinkFile.in_data_dir(live_env).load()[0].paused
    at = button(at, "Délier").click().run()
    assert not at.exception, at.exception
    assert LinkFile.in_data_dir(live_env).load() == []
    assert any("Aucune feuille n'est reliée" in c.value for c in at.caption)


def test_a_renamed_worksheet_is_said_with_what_to_do(live_env, fake):
    at = _read_sheet()
    at = button(at, "Relier cette feuille (suivi en direct)").click().run()
    follower = shared_runtime().follower
    assert _wait(lambda: any(s.last_read is not None for s in follower.statuses(CODE)))
    gspread_client(fake.base_url, timeout=5).open_by_key(FORM).worksheet(TAB).update_title("Réponses 2")
    follower.read_now()
    assert _wait(lambda: follower.statuses(CODE)[0].error_key == "forms.worksheet_gone", 40.0)
    at.run()
    [error] = [e.value for e in at.error]
    assert error.startswith(f"Problème : L'onglet « {markdown_safe(TAB)} » n'existe plus dans cette feuille")
    assert "Redonnez-lui son nom, ou déliez puis reliez la feuille avec le nouveau nom." in error


def test_an_unread_answer_is_suggested_and_saved_with_the_mapping(live_env):
    at = _read_sheet()
    [choice] = [sb for sb in at.selectbox if sb.key and sb.key.startswith("forms_ans_")]
    assert choice.label == markdown_safe("Santé publique")
    assert choice.value == "public_health"  # the suggestion, ready to save
    at = button(at, "Enregistrer ces réponses").click().run()
    assert not at.exception, at.exception
    saved = MappingFile.in_data_dir(live_env).load(CODE)
    assert saved.answer_for("profile:sector", "santé publique") == "public_health"
    assert any(c.value == "Toutes les réponses des colonnes associées sont reconnues." for c in at.caption)


CSV = (
    "Horodateur;Votre secteur;Qu'est-ce qu'on garde ?\n"
    "20/11/2026 09:00:01;Municipal;**Idée** <b>grasse</b>\n"
    "20/11/2026 09:00:02;Communautaire;Une autre\n"
).encode("utf-8-sig")


def _upload(at, label_start, name, data, mime):
    [uploader] = [u for u in at.get("file_uploader") if u.label.startswith(label_start)]
    uploader.set_value((name, data, mime))
    return at.run()


def test_a_response_file_is_imported_once_with_the_same_mapping(live_env):
    at = login(open_app("pages/forms_import.py", session=CODE))
    at = _upload(at, "Ou importer un fichier", "Réponses (Excel).csv", CSV, "text/csv")
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [
        f"Fichier « {markdown_safe('Réponses (Excel).csv')} » lu : 2 lignes. Vérifiez la correspondance, "
        "puis importez."
    ]
    labels = [b.label for b in at.button]
    assert "Relier cette feuille (suivi en direct)" not in labels  # a file is not followed
    at = button(at, "Importer les réponses").click().run()
    assert not at.exception, at.exception
    assert any(s.value == "4 nouvelles réponses importées depuis 2 lignes." for s in at.success)
    at = button(at, "Importer les réponses").click().run()
    assert any(s.value.startswith("0 nouvelle réponse importée") for s in at.success)
    store = store_of(live_env)
    try:
        texts = sorted(e.value or e.text for e in store.read_events(CODE))
    finally:
        store.close()
    assert texts == ["**Idée** <b>grasse</b>", "Une autre", "community", "municipal"]


def test_a_saved_mapping_file_is_applied_and_a_wrong_one_says_so(live_env):
    from partenariat_core.forms_source import mapping_file, suggest_mapping
    from partenariat_core.instruments import load_instruments

    at = _read_sheet()
    session = Session(
        CODE, "x", instruments=("keep_throw",), sectors=("community", "municipal", "public_health")
    )
    earlier = suggest_mapping(HEADERS, session, load_instruments()).with_answer(
        "profile:sector", "Santé publique", "public_health"
    )
    at = _upload(at, "Reprendre une correspondance", "m.json", b"{not json", "application/json")
    [error] = [e.value for e in at.error]
    assert error.startswith("Ce fichier n'est pas une correspondance enregistrée")
    assert MappingFile.in_data_dir(live_env).load(CODE) is None  # nothing changed
    at = _upload(at, "Reprendre une correspondance", "m2.json", mapping_file(earlier), "application/json")
    assert not at.exception, at.exception
    saved = MappingFile.in_data_dir(live_env).load(CODE)
    assert saved is not None and saved.answer_for("profile:sector", "SANTÉ PUBLIQUE") == "public_health"
