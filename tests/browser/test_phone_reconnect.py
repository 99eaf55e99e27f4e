"""A phone that loses its connection for a moment (its screen locks, it changes networks) while the
host moves on draws the new step once it is back, without waiting for its 30 s safety check
(ui/push.py keeps a disconnected tab's watcher while Streamlit keeps its session for a reconnect).

The connection is cut between the page and the server by Playwright's ``route_web_socket``: the
page's websocket is closed on both sides, and the page's attempts to reconnect are refused until the
test lets them through, as a phone without network would see."""

from __future__ import annotations

import pytest
from live_server import start_server, stop_server

from partenariat_core import GUIDED_MODE, create_session, load_instruments, set_agenda_mode, t
from partenariat_core.sessions import go_to_step
from partenariat_core.store import SQLiteStore


class Cable:
    """Every websocket the page opens, passed through to the server until ``cut()``; while cut, the
    page's new attempts are closed at once."""

    def __init__(self) -> None:
        self.cut_off = False
        self.pairs: list[tuple[object, object]] = []
        self.opened = 0

    def route(self, ws) -> None:
        self.opened += 1
        if self.cut_off:
            ws.close()
            return
        self.pairs.append((ws, ws.connect_to_server()))

    def cut(self) -> None:
        self.cut_off = True
        for page_side, server_side in self.pairs:
            server_side.close()
            page_side.close()
        self.pairs.clear()


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reconnect")
    store = SQLiteStore(folder / "partenariat.db")
    server = start_server(folder)
    yield server, store
    stop_server(server)
    store.close()


def test_a_phone_back_from_a_lost_connection_shows_the_step_the_host_moved_to(browser, room):
    server, store = room
    session = create_session(store, load_instruments(), "Plénière", instrument_ids=("keep_throw",))
    session = set_agenda_mode(store, session.code, GUIDED_MODE)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    cable = Cable()
    try:
        phone = context.new_page()
        phone.route_web_socket("**/_stcore/stream", cable.route)
        phone.goto(f"{server.url}/?session={session.code}")
        phone.get_by_text(t("agenda.wait", "fr"), exact=False).wait_for(timeout=30_000)
        cable.cut()
        phone.wait_for_timeout(1_000)
        go_to_step(store, session.code, 1)
        phone.wait_for_timeout(3_000)  # the server tried to tell the phone, which was away
        assert cable.opened >= 2  # the page kept trying to reconnect meanwhile
        cable.cut_off = False
        # 15 s: well under the phone's 30 s safety check, well over a reconnect and a redraw
        phone.get_by_role("button", name="Publier la carte").wait_for(timeout=15_000)
    finally:
        context.close()
