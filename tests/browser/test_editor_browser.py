"""The activity editor in a real browser (issue 11.2): a host makes a three-column board at 1280 wide,
a session uses it, and a phone at 390×844 answers it. Screenshots land in ``test-artifacts/``."""

from __future__ import annotations

import pytest
from live_server import PASSCODE, start_server, stop_server

from partenariat_core.instruments.registry import EDITOR, InstrumentRegistry
from partenariat_core.sessions import create_session
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("editor"))
    yield server
    stop_server(server)


def test_a_host_makes_a_board_in_the_page_and_a_phone_answers_it(browser, server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/activities")
    page.get_by_label("Code d'animation").fill(PASSCODE)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_role("tab", name="Créer ou modifier").click()
    page.get_by_label("Titre (français)").fill("Bilan de l'année")
    columns = page.get_by_label("Nombre de colonnes")
    columns.fill("3")
    columns.press("Enter")
    page.get_by_label("Colonne 3 (français)").wait_for()
    for n, name in enumerate(("Forces", "Freins", "Idées"), start=1):
        field = page.get_by_label(f"Colonne {n} (français)")
        field.fill(name)
        field.press("Tab")
    page.get_by_role("button", name="Enregistrer l'activité").click()
    page.get_by_text("Activité « bilan_de_l_annee » enregistrée").wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    page.screenshot(path=str(artifacts / "editor-page-1280.png"), full_page=True)
    page.get_by_role("tab", name="Créer ou modifier").click()
    page.get_by_text("Vous modifiez « bilan_de_l_annee »").wait_for()  # the saved board, open to edit
    assert page.get_by_label("Colonne 2 (français)").input_value() == "Freins"
    page.screenshot(path=str(artifacts / "editor-form-1280.png"), full_page=True)
    context.close()

    folder = server.data_dir / "instruments"
    registry = InstrumentRegistry([(folder, EDITOR)])
    board = registry["bilan_de_l_annee"]
    assert [c.label["fr"] for c in board.presets[0].columns] == ["Forces", "Freins", "Idées"]
    store = SQLiteStore(server.data_dir / "partenariat.db")
    session = create_session(store, registry, "Bilan 2026", instrument_ids=("bilan_de_l_annee",))
    store.close()

    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(30_000)
    phone.goto(f"{server.url}/participate?session={session.code}")
    phone.get_by_text("Idées", exact=True).click()
    phone.get_by_label("Votre carte").fill("Un jardin partagé")
    phone.get_by_role("button", name="Publier la carte").click()
    phone.get_by_text("Carte publiée").wait_for()
    phone.screenshot(path=str(artifacts / "editor-board-phone-390.png"), full_page=True)
    events = SQLiteStore(server.data_dir / "partenariat.db").read_events(session.code)
    assert [(e.item, e.text) for e in events if e.instrument == "bilan_de_l_annee"] == [
        ("col3", "Un jardin partagé")
    ]
    phone_context.close()
