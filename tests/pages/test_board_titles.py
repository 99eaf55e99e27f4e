"""A board's title names its preset's columns on the phone, the dashboard and the projector."""

from __future__ import annotations

from html import escape

from apptest_support import login, open_app, store_of

from partenariat_core import create_session, load_instruments
from partenariat_core.sessions import ensure_screen_key, go_to_step

TITLE = "Commencer / Arrêter / Continuer"
OLD = "Qu'est-ce qu'on garde / Qu'est-ce qu'on jette"


def _start_stop_continue(app_env):
    open_app("pages/participate.py")  # builds the runtime and its store
    return create_session(
        store_of(app_env),
        load_instruments(),
        "Bilan",
        instrument_ids=("keep_throw",),
        keep_throw_preset="commencer_arreter_continuer",
    )


def test_phone_and_dashboard_title_a_start_stop_continue_board_by_its_columns(app_env):
    session = _start_stop_continue(app_env)
    phone = open_app("pages/participate.py", session=session.code)
    headers = [h.value for h in phone.header]
    assert TITLE in headers and OLD not in headers
    board = login(open_app("pages/dashboard.py", session=session.code))
    assert TITLE in [s.value for s in board.subheader]
    assert any(tg.label == f"Afficher : {TITLE}" for tg in board.toggle)


def test_the_screen_titles_the_step_by_its_columns(app_env):
    session = ensure_screen_key(store_of(app_env), _start_stop_continue(app_env).code)
    at = open_app("pages/screen.py", session=session.code, key=session.agenda.screen_key, step="1")
    (board,) = [el.proto.body for el in at.get("html") if el.proto.body.startswith("<div class='pl-screen")]
    assert f"<b>{escape(TITLE)}</b>" in board and escape(OLD) not in board


def test_the_remote_names_the_step_by_its_columns(app_env):
    session = _start_stop_continue(app_env)
    go_to_step(store_of(app_env), session.code, 1)
    remote = login(open_app("pages/remote.py", session=session.code))
    assert f"### Étape 1 sur 1 : {TITLE}" in [m.value for m in remote.markdown]


def test_the_default_preset_keeps_the_title_it_had():
    instrument = load_instruments()["keep_throw"]
    assert instrument.heading("garder_jeter", "fr") == OLD
    assert instrument.heading("commencer_arreter_continuer", "en") == "Start / Stop / Continue"
