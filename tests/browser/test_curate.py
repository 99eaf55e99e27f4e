"""Sorting the board in a real browser: on the host page the host hides one card and groups two; the
projector's screen link then shows the group once with ×2 and not the hidden card. Screenshots of the
host's panel (phone 390 × 844 and desktop 1920 × 1080) and of the projector go to test-artifacts/."""

from __future__ import annotations

import pytest
from curate_support import tick
from live_server import PASSCODE, start_server, stop_server

from partenariat_core import create_session, load_instruments
from partenariat_core.agenda import screen_url
from partenariat_core.participation import submit_card
from partenariat_core.sessions import ensure_screen_key, go_to_step
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
FOLLOW_MS = 20_000
CARDS = [
    ("keep", "Le plaisir de travailler ensemble"),
    ("keep", "Vision commune"),
    ("keep", "Des rencontres régulières"),
    ("throw", "Travail en silo"),
    ("throw", "Les réunions trop longues"),
    ("throw", "les reunions trop longues"),  # near-identical: suggested, and the host says no
]


@pytest.fixture(scope="module")
def sorted_room(tmp_path_factory):
    folder = tmp_path_factory.mktemp("curate")
    store = SQLiteStore(folder / "partenariat.db")
    instruments = load_instruments()
    session = create_session(store, instruments, "Atelier à trier", instrument_ids=("keep_throw",))
    for n, (column, text) in enumerate(CARDS):
        submit_card(store, session, f"participant{n:03d}", instruments["keep_throw"], column, text, f"s{n}")
    go_to_step(store, session.code, 1)  # the projector shows the board
    link = ensure_screen_key(store, session.code)
    server = start_server(folder)
    yield server, session.code, link
    stop_server(server)


def _host_panel(browser, server, code: str, size: tuple[int, int]):
    phone = size[0] < 600
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, is_mobile=phone, has_touch=phone)
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/host?session={code}")
    page.get_by_label("Code d'animation").fill(PASSCODE)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_text("Trier le tableau").click()  # open the expander
    page.get_by_role("button", name="Actualiser").wait_for()
    return page


def _panel(page):
    """The expander itself: the page scrolls inside Streamlit's own container, so a full-page shot
    would miss it."""
    return page.locator("[data-testid='stExpander']").filter(has_text="Trier le tableau").first


def _row(page, text: str):
    return page.locator("div[class*='st-key-cur_row_']").filter(has_text=text)


def test_host_hides_one_groups_two_and_the_projector_follows(browser, sorted_room, artifacts):
    server, code, link = sorted_room
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(screen_url(server.url, link))
    projector.get_by_text("Travail en silo").wait_for()

    host = _host_panel(browser, server, code, (1920, 1080))
    host.get_by_text("Ces 2 cartes se ressemblent : les regrouper ?").wait_for()
    _panel(host).screenshot(path=str(artifacts / "curate-host-before-1920.png"))
    host.get_by_role("button", name="Pas pareil").click()
    host.get_by_text("Ces 2 cartes se ressemblent : les regrouper ?").wait_for(state="detached")
    _row(host, "Travail en silo").get_by_role("button", name="Masquer").click()
    _row(host, "Travail en silo").get_by_role("button", name="Remettre au tableau").wait_for()
    assert "pl-c-hidden" in _row(host, "Travail en silo").inner_html()  # struck through for the host

    tick(host, [_row(host, "Le plaisir de travailler ensemble"), _row(host, "Vision commune")])
    title = host.get_by_label("Titre du regroupement")
    title.wait_for()
    assert title.input_value() == "Le plaisir de travailler ensemble"  # prefilled from the first card
    _panel(host).screenshot(path=str(artifacts / "curate-host-ticked-1920.png"))
    title.fill("Ensemble, une vision")
    title.press("Enter")
    host.get_by_role("button", name="Regrouper sous ce titre", exact=True).click()
    host.get_by_text("Ensemble, une vision ×2").wait_for()
    _panel(host).screenshot(path=str(artifacts / "curate-host-after-1920.png"))

    # the projector, at its next refresh: the group once with ×2, the hidden card gone
    group = projector.locator(".pl-s-card", has_text="Ensemble, une vision")
    group.wait_for(timeout=FOLLOW_MS)
    assert group.locator(".pl-s-times").inner_text() == "×2"
    projector.get_by_text("Travail en silo").wait_for(state="detached", timeout=FOLLOW_MS)
    cards = projector.locator(".pl-s-card").all_inner_texts()
    assert sorted(cards) == sorted(
        [
            "Ensemble, une vision ×2",
            "Des rencontres régulières",
            "Les réunions trop longues",
            "les reunions trop longues",
        ]
    )
    assert projector.get_by_text("Vision commune").count() == 0  # inside the group, not on its own
    projector.screenshot(path=str(artifacts / "curate-projector-1920.png"))

    # the dashboard (host's laptop): the same group as one card ×2, its members a click away
    dashboard = browser.new_page(viewport={"width": 1920, "height": 1080})
    dashboard.set_default_timeout(30_000)
    dashboard.goto(f"{server.url}/dashboard?session={code}")
    dashboard.get_by_label("Code d'animation").fill(PASSCODE)
    dashboard.get_by_role("button", name="Entrer").click()
    summary = dashboard.locator("details.pl-group summary", has_text="Ensemble, une vision")
    summary.wait_for()
    assert summary.locator(".pl-times").inner_text() == "×2"
    assert not dashboard.get_by_text("Vision commune", exact=True).is_visible()  # closed: one card
    summary.click()
    dashboard.get_by_text("Vision commune", exact=True).wait_for()
    dashboard.screenshot(path=str(artifacts / "curate-dashboard-1920.png"))

    phone = _host_panel(browser, server, code, (390, 844))
    phone.get_by_text("Ensemble, une vision ×2").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off the phone
    _panel(phone).screenshot(path=str(artifacts / "curate-host-390.png"))

    # the remote, for a host with a phone: the same hidden card, and the way back
    remote = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    remote.set_default_timeout(30_000)
    remote.goto(f"{server.url}/remote?session={code}")
    remote.get_by_label("Code d'animation").fill(PASSCODE)
    remote.get_by_role("button", name="Entrer").click()
    remote.get_by_text("Trier le tableau").click()
    _row(remote, "Travail en silo").get_by_role("button", name="Remettre au tableau").wait_for()
    assert remote.evaluate("document.documentElement.scrollWidth") <= 390
    _panel(remote).screenshot(path=str(artifacts / "curate-remote-390.png"))
