"""Running the room in a real browser: the host's remote on a phone, the projector's screen link,
and the fit of every projected step at 1920 × 1080 and 1280 × 720.

The projector is opened only by its screen link (read-only key): it never sees a passcode form, F5
keeps the board; the projector and a guided phone follow the host's "next" by themselves (how fast is
measured against the goal of the refresh interval plus a second, in ``test-artifacts/room-timings.txt``).
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import random
import time

import pytest
from live_server import PASSCODE, REFRESH_SECONDS, start_server, stop_server

from partenariat_core import DEMO_CODE, create_session, ensure_demo, join_url, load_instruments
from partenariat_core.agenda import screen_url
from partenariat_core.participation import submit_card
from partenariat_core.sessions import ensure_screen_key, set_agenda_mode, start_step_countdown
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
# The goal is "within the refresh interval + 1 s"; tests never fail on timing (a loaded machine is
# slower), so the waits are generous and the measured delays go to test-artifacts/room-timings.txt.
GOAL_SECONDS = REFRESH_SECONDS + 1
FOLLOW_MS = 20_000
WAIT = "L'animation va lancer la prochaine activité : elle s'affichera ici d'elle-même."
BOARD = "Qu'est-ce qu'on garde / Qu'est-ce qu'on jette"
CONDITIONS = "Les six conditions d'efficacité de l'action en partenariat"
WORDS = ("partenariat", "action", "territoire", "vision", "commune", "collaboration", "citoyen", "projet")

FIT = """() => {
  const se = document.scrollingElement, main = document.querySelector("[data-testid='stMain']");
  const boxes = [...document.querySelectorAll('.pl-s-card')].map(c => c.getBoundingClientRect());
  const out = boxes.filter(r => r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth);
  const screen = document.querySelector('.pl-screen').getBoundingClientRect();
  const card = document.querySelector('.pl-s-card');
  return {scroll: se.scrollHeight, height: innerHeight,
          main: main ? main.scrollHeight - main.clientHeight : 0,
          cards: boxes.length, outside: out.length, screen: [screen.width, screen.height],
          font: card ? parseFloat(getComputedStyle(card).fontSize) : 0,
          page: (document.querySelector('.pl-s-badge.page') || {}).textContent || ''};
}"""


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """The demo session, a guided three-step workshop and a 150-card board, before the server starts."""
    folder = tmp_path_factory.mktemp("room")
    store = SQLiteStore(folder / "partenariat.db")
    instruments = load_instruments()
    ensure_demo(store, instruments)
    guided = create_session(store, instruments, "Atelier guidé", sectors=("community", "municipal"))
    set_agenda_mode(store, guided.code, "guided")
    big = create_session(store, instruments, "Cent cinquante cartes", instrument_ids=("keep_throw",))
    rng = random.Random(150)
    for i in range(150):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9))) + f" {i}"
        column = "keep" if i % 2 else "throw"
        submit_card(store, big, f"participant{i:03d}", instruments["keep_throw"], column, text, f"s{i}")
    links = {code: ensure_screen_key(store, code) for code in (DEMO_CODE, guided.code, big.code)}
    server = start_server(folder)
    yield server, store, guided.code, big.code, links
    stop_server(server)


def fit(page) -> dict:
    page.locator(".pl-screen").wait_for()
    page.wait_for_timeout(300)  # fonts and the QR image settle
    return page.evaluate(FIT)


def test_a_guided_run_the_projector_follows_the_remote_and_survives_f5(browser, room, artifacts):
    server, store, code, _, links = room
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(screen_url(server.url, links[code]))
    projector.locator(".pl-s-joinstep").wait_for()  # step 0: the full-screen QR, address and code
    assert projector.get_by_label("Code d'animation").count() == 0
    assert projector.locator(".pl-s-code").inner_text() == code

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone.set_default_timeout(30_000)
    phone.goto(join_url(server.url, code))
    phone.get_by_text(WAIT).wait_for()  # guided, on the join step: the sector question and "wait"
    assert phone.get_by_role("heading", name=BOARD).count() == 0
    phone.screenshot(path=str(artifacts / "guided-phone-wait.png"))

    remote = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    remote.set_default_timeout(30_000)
    remote.goto(f"{server.url}/remote?session={code}")
    remote.get_by_label("Code d'animation").fill(PASSCODE)
    remote.get_by_role("button", name="Entrer").click()
    remote.get_by_role("button", name="Suivant").click()
    remote.get_by_role("heading", name="Étape 1 sur 3").wait_for()
    moved = time.monotonic()
    projector.get_by_text("Étape 1 sur 3").wait_for(timeout=FOLLOW_MS)
    followed = time.monotonic() - moved
    phone.get_by_role("heading", name=BOARD).wait_for(timeout=FOLLOW_MS)
    phone_followed = time.monotonic() - moved
    assert phone.get_by_text(WAIT).count() == 0

    # a card posted on this step is kept when the host moves on and back
    phone.get_by_label("Votre carte").fill("La vision commune")
    phone.get_by_role("button", name="Publier la carte").click()
    phone.get_by_text("Carte publiée").wait_for()
    projector.get_by_text("La vision commune").wait_for(timeout=FOLLOW_MS)
    phone.screenshot(path=str(artifacts / "guided-phone.png"))
    remote.get_by_role("button", name="Suivant").click()
    remote.get_by_role("heading", name="Étape 2 sur 3").wait_for()
    phone.get_by_role("heading", name=CONDITIONS).wait_for(timeout=FOLLOW_MS)
    remote.get_by_role("button", name="Précédent").click()
    remote.get_by_role("heading", name="Étape 1 sur 3").wait_for()
    phone.get_by_role("heading", name=BOARD).wait_for(timeout=FOLLOW_MS)
    phone.get_by_text("Mes cartes (1)").wait_for()
    projector.get_by_text("Étape 1 sur 3").wait_for(timeout=FOLLOW_MS)  # back on the board
    projector.locator(".pl-s-col").nth(1).wait_for()
    assert projector.locator(".pl-s-col").count() == 2  # keep / throw side by side
    assert remote.evaluate("document.documentElement.scrollWidth") <= 390
    remote.screenshot(path=str(artifacts / "remote-phone.png"))

    projector.reload()  # F5: the same board, still no passcode form
    projector.get_by_text("Étape 1 sur 3").wait_for()
    assert projector.get_by_label("Code d'animation").count() == 0

    # a countdown that reaches zero locks the step, decided from the clock on the next refresh
    start_step_countdown(store, code, "keep_throw", 2, lock_at_zero=True)
    projector.get_by_text("Temps écoulé").wait_for(timeout=FOLLOW_MS)
    projector.get_by_text("Réponses fermées").wait_for(timeout=FOLLOW_MS)
    projector.screenshot(path=str(artifacts / "projector-screen.png"))
    (artifacts / "room-timings.txt").write_text(
        f"refresh {REFRESH_SECONDS} s (goal: within {GOAL_SECONDS} s); after the remote's next:"
        f" projector {followed:.1f} s, phone {phone_followed:.1f} s\n"
    )


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_every_step_of_the_demo_fits_the_screen(browser, room, artifacts, size):
    server, _, _, _, links = room
    width, height = size
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(30_000)
    for step in range(5):  # join, keep/throw, its vote step, conditions, continuum
        page.goto(screen_url(server.url, links[DEMO_CODE], step))
        measured = fit(page)
        assert measured["scroll"] <= height, (step, measured)
        assert measured["main"] <= 0, (step, measured)  # Streamlit's own scroll area does not scroll
        assert measured["screen"] == [width, height], measured  # 16:9: the canvas fills the window
        assert measured["outside"] == 0, (step, measured)
        if step == 1:
            # the whole demo board on one page: 39 cards, 11 of them in the host's 4 groups (one card ×N)
            assert measured["cards"] == 39 - 11 + 4
            assert measured["page"] == ""
            assert measured["font"] >= 24 * height / 1080 - 0.01  # 24 px at 1080p, scaled
            page.screenshot(path=str(artifacts / f"projector-board-{width}x{height}.png"))
        if step == 2:  # the demo's vote step, results hidden: the count of votes, no ranking yet
            page.get_by_text("Vote en cours").wait_for()
            assert page.get_by_text("75 votes donnés · 25 personnes ont voté").count() == 1
            assert page.locator(".pl-s-vrow").count() == 0
        if step == 3:
            assert page.get_by_text("C6").count() >= 1
        if step == 4:
            assert page.locator(".pl-s-vbar").count() == 8  # 4 levels × now / desired
    page.close()


def test_150_cards_page_by_themselves_and_every_card_of_a_page_fits(browser, room, artifacts):
    server, _, _, big, links = room
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.set_default_timeout(30_000)
    page.goto(screen_url(server.url, links[big], 1))
    measured = fit(page)
    assert measured["page"].startswith("page ") and measured["page"].endswith("/3"), measured
    assert measured["outside"] == 0 and measured["scroll"] <= 1080, measured
    assert 0 < measured["cards"] < 150
    assert measured["font"] == 18
    page.screenshot(path=str(artifacts / "projector-150-cards.png"))
