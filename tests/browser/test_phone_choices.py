"""A phone in a real browser (390×844): choices survive a language switch, a partial answer says what is
left, a refused card keeps its text, and every radio option is a 44 px tap target (issue 9.4)."""

from __future__ import annotations

import pytest
from live_server import start_server, stop_server

from partenariat_core import create_session, join_url, label, load_instruments, set_open
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
INSTRUMENTS = load_instruments()
CONDITIONS = INSTRUMENTS["conditions"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("phone-choices")
    store = SQLiteStore(data_dir / "partenariat.db")
    session = create_session(store, INSTRUMENTS, "Atelier", instrument_ids=("keep_throw", "conditions"))
    server = start_server(data_dir)
    yield server, session, store
    stop_server(server)


@pytest.fixture
def phone(browser, server):
    srv, session, _store = server
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(join_url(srv.url, session.code))
    page.get_by_label("Votre carte").wait_for()
    yield page
    context.close()


def checked(page) -> list[str]:
    return [
        r.evaluate("e => e.closest('label').innerText.trim()") for r in page.locator("input:checked").all()
    ]


def test_radio_options_are_44_px_tap_targets(phone):
    selector = '[data-testid="stRadio"] label[data-testid="stRadioOption"]'
    options = phone.locator(selector)
    phone.wait_for_function(  # the style sheet comes with the page's first run, just after the elements
        f"() => [...document.querySelectorAll('{selector}')]"
        ".every(e => e.getBoundingClientRect().height >= 44)",
        timeout=10_000,
    )
    heights = [options.nth(i).bounding_box()["height"] for i in range(options.count())]
    per_item = len(CONDITIONS.scale.levels) + 1  # the levels, then "don't know"
    assert len(heights) == 2 + len(CONDITIONS.items) * per_item  # two columns first
    assert min(heights) >= 44, min(heights)


def test_the_sector_list_is_a_44_px_tap_target(browser, server):
    srv, _session, store = server
    sectors = [c.id for c in INSTRUMENTS["profile"].sectors][:3]
    session = create_session(store, INSTRUMENTS, "Secteurs", instrument_ids=("keep_throw",), sectors=sectors)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(join_url(srv.url, session.code))
    control = page.locator('[data-testid="stSelectbox"] div[role="group"]')
    control.wait_for()
    # the page's style sheet arrives with the page's first run, a moment after the first elements
    selector = '[data-testid="stSelectbox"] div[role="group"]'
    page.wait_for_function(
        f"() => document.querySelector('{selector}').getBoundingClientRect().height >= 44", timeout=10_000
    )
    assert control.bounding_box()["height"] >= 44
    context.close()


def test_choices_survive_a_language_switch_and_a_partial_answer_says_what_is_left(phone):
    first = CONDITIONS.items[0]
    group = phone.locator('[data-testid="stRadio"]').filter(has_text=label(first.text, "fr"))
    level = CONDITIONS.scale.levels[0]
    group.get_by_text(label(level.label, "fr"), exact=True).click()
    phone.get_by_role("button", name="Envoyer").click()
    left = len(CONDITIONS.items) - 1
    phone.get_by_text(f"Il reste {left} énoncés sans réponse", exact=False).wait_for()
    phone.get_by_text("Merci, c'est enregistré !", exact=False).wait_for()

    phone.get_by_text("Qu'est-ce qu'on jette", exact=True).click()
    phone.get_by_label("Votre carte").fill("Moins de réunions")
    phone.get_by_role("button", name="Publier la carte").click()
    phone.get_by_text("Carte publiée").wait_for()
    phone.get_by_text("Mes cartes (1)").wait_for()  # the card just posted, not one post behind
    saved = phone.get_by_text("Merci, c'est enregistré !", exact=False)
    saved.wait_for(state="hidden")  # the older confirmation, under the form left, is gone
    shown = phone.locator('[data-testid="stAlertContentSuccess"]').filter(visible=True)
    texts = [a.inner_text().strip() for a in shown.all()]
    assert len(texts) == 1 and texts[0].endswith("Carte publiée ! Ajoutez-en d'autres si vous voulez.")
    assert checked(phone) == ["Qu'est-ce qu'on jette", label(level.label, "fr")]  # the column stayed

    phone.get_by_text("English", exact=True).click()
    phone.get_by_role("button", name="Post the card").wait_for()
    phone.wait_for_function("() => document.querySelectorAll('input:checked').length == 2")
    assert checked(phone) == ["What we throw away", label(level.label, "en")]


def test_a_card_refused_because_the_session_closed_keeps_its_text(phone, server):
    _srv, session, store = server
    set_open(store, store.get_session(session.code), False)  # as another server process would
    phone.wait_for_timeout(3_000)  # the server reads sessions again after its 2 s cache (LiveSessions)
    try:
        phone.get_by_label("Votre carte").fill("Une idée à garder")
        phone.get_by_role("button", name="Publier la carte").click()
        phone.locator('[data-testid="stAlertContentError"]').wait_for()
        assert phone.get_by_label("Votre carte").input_value() == "Une idée à garder"
    finally:
        set_open(store, store.get_session(session.code), True)
