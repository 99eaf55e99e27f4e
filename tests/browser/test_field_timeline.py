"""The field's instruments in a real browser: two phones add timeline events, the projector screen
(``/screen?session=&key=``) shows them with the counts, fitting 1920 × 1080 with nothing to scroll;
then a table fills the controversy grid and the projector shows it. Screenshots (phone 390 × 844,
projector 1920 × 1080) land in ``test-artifacts/``."""

from __future__ import annotations

import pytest
from live_server import REFRESH_SECONDS, start_server, stop_server

from partenariat_core import create_session, ensure_demo, join_url, load_instruments
from partenariat_core.agenda import screen_url
from partenariat_core.demo import FIELD_DEMO_CODE
from partenariat_core.sessions import ensure_screen_key
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
FOLLOW_MS = (REFRESH_SECONDS + 25) * 1000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
FIT = """() => {
  const se = document.scrollingElement, main = document.querySelector("[data-testid='stMain']");
  const screen = document.querySelector('.pl-screen').getBoundingClientRect();
  const shown = '.pl-s-tl-ev, .pl-s-tl-c, .pl-s-tl-more, .pl-s-grid, .pl-s-actor';
  const parts = [...document.querySelectorAll(shown)];
  const out = parts.map(p => p.getBoundingClientRect())
    .filter(r => r.top < 0 || r.left < 0 || r.bottom > innerHeight + 1 || r.right > innerWidth + 1);
  return {scroll: se.scrollHeight, height: innerHeight,
          main: main ? main.scrollHeight - main.clientHeight : 0,
          parts: parts.length, outside: out.length, screen: [screen.width, screen.height]};
}"""


@pytest.fixture
def field(tmp_path):
    store = SQLiteStore(tmp_path / "partenariat.db")
    session = create_session(
        store,
        load_instruments(),
        "Frise du partenariat",
        instrument_ids=("transitional_results", "controversy"),
    )
    session = ensure_screen_key(store, session.code)
    ensure_demo(store, load_instruments())  # the second demo session, for the full boards below
    server = start_server(tmp_path)
    yield server, session, store
    stop_server(server)


def add_event(phone, period: str, text: str, result: str) -> None:
    phone.get_by_label("Date ou période").fill(period)
    phone.get_by_label("L'événement").fill(text)
    phone.get_by_label("Le résultat transitoire qu'il représente").click()
    phone.get_by_role("option", name=result).click()
    phone.get_by_role("button", name="Ajouter l'événement").click()
    phone.get_by_text("Événement ajouté.").last.wait_for()


def fits(page) -> dict:
    page.wait_for_timeout(300)
    return page.evaluate(FIT)


def test_two_phones_add_events_and_the_projector_shows_them(browser, field, artifacts):
    server, session, store = field
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(screen_url(server.url, session, 1))  # step 1: the timeline
    projector.locator(".pl-screen").wait_for()
    projector.locator(".pl-s-noanswer").wait_for()  # nothing yet

    one = browser.new_page(**PHONE)
    one.set_default_timeout(30_000)
    one.goto(join_url(server.url, session.code))
    one.get_by_role("heading", name="Frise du partenariat").wait_for()
    add_event(
        one,
        "2019",
        "Charte <b>adoptée</b> par le comité",
        "1 · Adoption de structures et de règles de gouvernance en réseau",
    )
    add_event(one, "printemps 2021", "Subvention de trois ans obtenue", "3 · Captation de ressources")
    assert one.evaluate("document.documentElement.scrollWidth") <= 390, "no horizontal scroll on a phone"
    one.get_by_text("Mes événements (2)").click()
    one.get_by_text("2019 — 1 · Adoption de structures").wait_for()
    one.wait_for_timeout(500)  # the expander's opening animation
    one.screenshot(path=str(artifacts / "field-phone-timeline.png"), full_page=True)

    two = browser.new_page(**PHONE)
    two.set_default_timeout(30_000)
    two.goto(join_url(server.url, session.code))
    add_event(
        two, "mars 2020", "Communiqué commun sur l'alimentation", "2 · Communiqués ou dossiers de presse"
    )

    stored = [(e.value, e.item) for e in store.read_events(session.code)]
    assert stored == [("2019", "governance"), ("printemps 2021", "resources"), ("mars 2020", "press")]
    assert len({e.participant for e in store.read_events(session.code)}) == 2

    projector.get_by_text("Communiqué commun sur l'alimentation").wait_for(timeout=FOLLOW_MS)
    projector.get_by_text("Charte <b>adoptée</b> par le comité").wait_for()  # escaped: shown as text
    events = projector.locator(".pl-s-tl-text").all_inner_texts()
    # in time order: 2019, March 2020, spring 2021
    assert events == [
        "Charte <b>adoptée</b> par le comité",
        "Communiqué commun sur l'alimentation",
        "Subvention de trois ans obtenue",
    ]
    assert projector.get_by_text("Se constituer et se maintenir (1)").count() == 1
    assert projector.get_by_text("3 événements").count() == 1
    fit = fits(projector)
    assert fit["screen"] == [1920, 1080]
    assert fit["scroll"] <= fit["height"] and fit["main"] <= 0 and fit["outside"] == 0, fit
    projector.screenshot(path=str(artifacts / "field-projector-timeline.png"))


def test_a_table_fills_the_grid_and_the_projector_shows_it(browser, field, artifacts):
    server, session, store = field
    phone = browser.new_page(**PHONE)
    phone.set_default_timeout(30_000)
    phone.goto(join_url(server.url, session.code))
    # the first run finished: a field typed into while it runs can be drawn again empty (seen on a
    # loaded CI run: the actor never added, "Acteur ajouté." never shown)
    phone.get_by_label("Ajouter un acteur (son nom)").wait_for()
    phone.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    phone.get_by_label("Ajouter un acteur (son nom)").fill("Ministères du gouvernement")
    phone.get_by_role("button", name="Ajouter l'acteur").click()
    phone.get_by_text("Acteur ajouté.").wait_for()
    phone.get_by_role("radiogroup", name="Case à remplir").get_by_text("Intérêts, enjeux").click()
    phone.get_by_label("Votre texte").fill("Contrôler les orientations et la gouvernance des programmes.")
    phone.get_by_role("button", name="Enregistrer la case").click()
    phone.get_by_text("Case enregistrée.").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_text("La grille actuelle (1 acteur)").click()
    phone.wait_for_timeout(500)
    phone.screenshot(path=str(artifacts / "field-phone-grid.png"), full_page=True)
    assert [(e.item, e.value) for e in store.read_events(session.code)] == [
        ("actor", "Ministères du gouvernement"),
        ("interests", "Ministères du gouvernement"),
    ]

    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(screen_url(server.url, session, 2))  # step 2: the grid
    projector.locator(".pl-s-grid").wait_for()
    projector.get_by_text("Contrôler les orientations et la gouvernance des programmes.").wait_for()
    fit = fits(projector)
    assert fit["scroll"] <= fit["height"] and fit["main"] <= 0 and fit["outside"] == 0, fit
    projector.screenshot(path=str(artifacts / "field-projector-grid.png"))


def test_the_demo_sessions_full_timeline_and_grid_fit_the_projector(browser, field, artifacts):
    server, _session, store = field
    demo = ensure_screen_key(store, FIELD_DEMO_CODE)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(screen_url(server.url, demo, 1))  # the six key activities
    projector.locator(".pl-s-hrow").nth(5).wait_for()
    fit = fits(projector)
    assert fit["scroll"] <= fit["height"] and fit["main"] <= 0, fit
    projector.screenshot(path=str(artifacts / "field-projector-demo-six.png"))
    projector.goto(screen_url(server.url, demo, 2))  # the timeline
    projector.locator(".pl-s-tl-ev").nth(9).wait_for()
    assert projector.locator(".pl-s-tl-ev").count() == 10
    fit = fits(projector)
    assert fit["scroll"] <= fit["height"] and fit["main"] <= 0 and fit["outside"] == 0, fit
    projector.screenshot(path=str(artifacts / "field-projector-demo-timeline.png"))
    projector.goto(screen_url(server.url, demo, 3))  # the controversy grid: three actors
    projector.locator(".pl-s-grid, .pl-s-actor").first.wait_for()
    fit = fits(projector)
    assert fit["scroll"] <= fit["height"] and fit["main"] <= 0 and fit["outside"] == 0, fit
    projector.screenshot(path=str(artifacts / "field-projector-demo-grid.png"))
