"""A workshop end to end in a real browser: phone joins by the QR link, answers; projector updates.

The very first request to a fresh server is the phone's join link, and the projector is opened by a
deep link (``/dashboard?session=...``) — the situation in which Streamlit 1.67 may run a page without
``app.py`` (streamlit#9624). Screenshots of both screens are saved in ``test-artifacts/``.
"""

from __future__ import annotations

import re
import time

import pytest
from live_server import PASSCODE, REFRESH_SECONDS, start_server, stop_server

from partenariat_core import create_session, join_url, load_instruments
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def wait_stored(store, code, done, seconds: float = 30.0) -> None:
    """Read the store until ``done(events)`` holds, at most ``seconds`` (a loaded machine is slow)."""
    deadline = time.monotonic() + seconds
    while not done(store.read_events(code)):
        assert time.monotonic() < deadline, "the answers never reached the store"
        time.sleep(0.2)


@pytest.fixture
def workshop(tmp_path):
    """A session set up before the server starts, so the phone's link is the server's first request."""
    store = SQLiteStore(tmp_path / "partenariat.db")
    session = create_session(
        store, load_instruments(), "Table intersectorielle de Lévis", sectors=("community", "municipal")
    )
    server = start_server(tmp_path)
    yield server, session, store
    stop_server(server)


def test_phone_answers_appear_on_the_projector(browser, workshop, artifacts):
    server, session, store = workshop
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(30_000)
    phone.goto(join_url(server.url, session.code))
    phone.get_by_role("heading", name="Table intersectorielle de Lévis").wait_for()
    assert re.search(r"[?&]p=[\w-]{8,}", phone.url), "the participant id is kept in the URL"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no horizontal scroll on a phone"

    # a keep/throw card
    phone.get_by_role("radiogroup", name="Colonne").get_by_text("Qu'est-ce qu'on jette").click()
    phone.get_by_label("Votre carte").fill("Le travail en silo 🚫 <b>vraiment</b>")
    phone.get_by_role("button", name="Publier la carte").click()
    phone.get_by_text("Carte publiée").wait_for()

    # the six conditions: one answer per item, "don't know" for the last
    items = load_instruments()["conditions"].items
    for item, answer in zip(
        items, ["A — fort", "B — moyen", "C — faible", "A — fort", "C — faible"], strict=False
    ):
        phone.get_by_role("radiogroup", name=item.text["fr"]).get_by_text(answer, exact=True).click()
    phone.get_by_role("radiogroup", name=items[-1].text["fr"]).get_by_text("Je ne sais pas").click()
    phone.get_by_role("button", name="Envoyer").nth(1).click()
    phone.get_by_text("Merci, c'est enregistré").first.wait_for()
    # The confirmation of one form may be redrawn (hidden, then shown) while the next form reruns:
    # what counts is the store, read until the answers are there (bounded).
    wait_stored(store, session.code, lambda events: sum(e.instrument == "conditions" for e in events) == 6)

    # the continuum, now and desired
    phone.get_by_role("radiogroup", name="Où se situe le partenariat aujourd'hui ?").get_by_text(
        "Coordination", exact=True
    ).click()
    phone.get_by_role("radiogroup", name="Où devrait-il se situer ?").get_by_text(
        "Collaboration", exact=True
    ).click()
    phone.get_by_role("button", name="Envoyer").nth(2).click()
    wait_stored(store, session.code, lambda events: sum(e.instrument == "continuum" for e in events) == 2)
    phone.get_by_text("Merci, c'est enregistré").last.wait_for()
    phone.screenshot(path=str(artifacts / "phone.png"), full_page=True)

    stored = store.read_events(session.code)
    assert {(e.instrument, e.item, e.value) for e in stored if e.instrument == "continuum"} == {
        ("continuum", "now", "coordinating"),
        ("continuum", "desired", "collaborating"),
    }
    assert len([e for e in stored if e.instrument == "conditions"]) == 6

    # the projector, opened by a deep link
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(f"{server.url}/dashboard?session={session.code}")
    projector.get_by_label("Code d'animation").fill(PASSCODE)
    projector.get_by_role("button", name="Entrer").click()
    projector.get_by_role("heading", name="Table intersectorielle de Lévis").wait_for()
    projector.get_by_text("Le travail en silo 🚫 <b>vraiment</b>").wait_for()  # escaped, shown as text
    projector.get_by_text(re.compile(r"^1 participant·e · ")).wait_for()  # singular: one phone
    projector.locator(".js-plotly-plot").nth(2).wait_for()  # plotly.js draws after the page
    assert projector.locator(".js-plotly-plot").count() == 3

    # a new card from the phone shows up without reloading the projector
    phone.get_by_label("Votre carte").fill("La vision commune")
    phone.get_by_role("button", name="Publier la carte").click()
    phone.get_by_text("Carte publiée").wait_for()
    sent = time.monotonic()
    projector.get_by_text("La vision commune").wait_for(timeout=(REFRESH_SECONDS + 20) * 1000)
    delay = time.monotonic() - sent
    projector.screenshot(path=str(artifacts / "projector.png"), full_page=True)
    (artifacts / "browser-timings.txt").write_text(
        f"refresh interval {REFRESH_SECONDS} s; new card visible on the projector after {delay:.1f} s\n"
    )
    cards = [e.text for e in store.read_events(session.code) if e.instrument == "keep_throw"]
    assert cards == ["Le travail en silo 🚫 <b>vraiment</b>", "La vision commune"]
