"""After *Créer la session*, the host works on the new session: the menu, the join panel and the
other host pages point at it; the form is cleared; a second send of the same form creates nothing."""

from __future__ import annotations

from apptest_support import button, login, open_app, store_of

from partenariat_core import DEMO_CODE


def create(at, title: str):
    at.text_input(key="new_title").input(title)
    return button(at, "Créer la session").click().run()


def test_the_menu_and_the_join_panel_follow_a_new_session_and_the_form_is_cleared(app_env):
    at = login(open_app("pages/host.py", session=DEMO_CODE))
    create(at, "Table de Lévis")
    assert not at.exception
    (new,) = [s for s in store_of(app_env).list_sessions() if s.title == "Table de Lévis"]
    assert [s.value for s in at.success] == [f"Session créée : code {new.code}."]
    (shown,) = [box for box in at.selectbox if box.label == "Session affichée"]
    assert shown.value == new.code
    assert at.text_input(key="new_title").value == ""  # cleared for the next session
    hrefs = [link.proto.query_string for link in at.get("page_link")]
    assert hrefs and all(f"session={new.code}" in href for href in hrefs if "session=" in href)
    assert sum(f"session={new.code}" in href for href in hrefs) >= 5  # host menu, dashboard, remote links
    assert not any(f"session={DEMO_CODE}" in href for href in hrefs)
    board = at.switch_page("pages/dashboard.py").run()  # the menu's "Tableau projeté"
    assert not board.exception
    (picked,) = [box for box in board.selectbox if box.label == "Session"]
    assert picked.value == new.code  # not the demo session, its default


def test_a_double_click_creates_one_session(app_env):
    at = login(open_app("pages/host.py"))
    before = len(store_of(app_env).list_sessions())
    create(at, "Comité")
    create(at, "Comité")  # the second click of a double click, the form filled in the same way
    sessions = store_of(app_env).list_sessions()
    assert len(sessions) == before + 1
    assert [s.title for s in sessions].count("Comité") == 1
    create(at, "Comité 2")  # a new form is a new session
    assert len(store_of(app_env).list_sessions()) == before + 2
