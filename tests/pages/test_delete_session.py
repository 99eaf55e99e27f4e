"""The host deletes a session: the JSON archive is offered first, the code must be typed again, and
afterwards the session and its answers are gone from the app."""

from __future__ import annotations

import json

from apptest_support import ROOT, button, login, open_app, store_of
from streamlit.testing.v1 import AppTest

from partenariat_core import Event, create_session, load_instruments
from partenariat_core.sessions import ensure_screen_key


def test_delete_asks_for_the_code_offers_the_archive_then_removes_the_session(app_env):
    open_app("pages/participate.py")  # builds the runtime and its store
    store = store_of(app_env)
    session = create_session(store, load_instruments(), "Essai à supprimer")
    store.append_events([Event(session.code, "p1", "s1", "keep_throw", "keep", text="Une carte")])
    screen_key = ensure_screen_key(store, session.code).agenda.screen_key
    at = login(open_app("pages/host.py", session=session.code))

    button(at, "Préparer : l'archive JSON").click().run()
    (download,) = at.get("download_button")
    prepared = at.session_state[f"prepared:{session.code}:json:delete"]
    assert download.proto.label == f"Télécharger {prepared.name}"
    archive = json.loads(prepared.data)
    assert archive["session"]["code"] == session.code and len(archive["events"]) == 1

    at.text_input(key=f"delete_code_{session.code}").input("XXXXXX").run()
    button(at, "Supprimer définitivement").click().run()
    assert [e.value for e in at.error] == [f"Le code tapé n'est pas {session.code} : rien n'a été supprimé."]
    assert store.get_session(session.code) is not None

    at.text_input(key=f"delete_code_{session.code}").input(session.code.lower()).run()
    button(at, "Supprimer définitivement").click().run()
    assert not at.exception
    assert store.get_session(session.code) is None and store.read_events(session.code) == []
    assert [s.value for s in at.success] == [f"Session {session.code} supprimée."]
    (shown,) = [box for box in at.selectbox if box.label == "Session affichée"]
    assert shown.value != session.code  # the page moved on to a session that exists

    screen = AppTest.from_file(str(ROOT / "pages/screen.py"), default_timeout=60)  # the projector's link
    screen.query_params.update(session=session.code, key=screen_key)
    screen.run()
    assert not screen.exception and len(screen.error) == 1  # a clear message, no board
    phone = open_app("pages/participate.py", session=session.code)
    assert not phone.exception
    (refused,) = [e.value for e in phone.error]
    assert refused.startswith(f"Aucune session ne porte le code « {session.code} »")  # the join form
