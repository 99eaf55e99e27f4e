"""Creating a session in a real browser at 1366×768 (issue 9.5): a double click on *Créer la session*
makes one session, its join panel (QR, code) is on screen at once, the title field is empty again,
and every menu link carries the new session, not the demo one."""

from __future__ import annotations

import pytest
from live_server import PASSCODE, start_server, stop_server

from partenariat_core import DEMO_CODE
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("host-create"))
    yield server
    stop_server(server)


def test_a_double_click_creates_one_session_shown_at_once_and_followed_by_the_menu(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/host")
    page.get_by_label("Code d'animation").fill(PASSCODE)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_label("Titre de la session").fill("Table de Lévis")
    page.get_by_role("button", name="Créer la session").dblclick()
    page.get_by_text("Session créée : code").wait_for()
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")

    created = [
        s
        for s in SQLiteStore(server.data_dir / "partenariat.db").list_sessions()
        if s.title == "Table de Lévis"
    ]
    assert len(created) == 1
    code = created[0].code
    page.locator(".pl-code").filter(has_text=code).wait_for()
    box = page.locator(".pl-code").bounding_box()
    qr = page.locator('[data-testid="stImage"] img').first.bounding_box()
    assert box["y"] + box["height"] <= 768 and qr["y"] < 768  # above the fold, no scrolling
    assert page.get_by_label("Titre de la session").input_value() == ""
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    links = [a.get_attribute("href") or "" for a in page.locator('[data-testid="stSidebar"] a').all()]
    assert len(links) >= 5 and all(f"session={code}" in href for href in links)
    assert not any(DEMO_CODE in href for href in links)
    context.close()
