"""On the real server, a screen is rerun by the server when an answer arrives (ui/push.py).

The tab here speaks Streamlit's websocket protocol (``bench/st_client.py``) and, unlike a browser,
never runs the fragment's timer: any run it receives after its first one was started by the server.
So the card reaching it proves the push, whatever the machine's speed.
"""

from __future__ import annotations

import asyncio
import sys
import time
from urllib.parse import urlsplit

import pytest
from live_server import PASSCODE, ROOT, start_server, stop_server

from partenariat_core import GUIDED_MODE, create_session, load_instruments, set_agenda_mode
from partenariat_core.agenda import screen_url
from partenariat_core.participation import submit_card
from partenariat_core.sessions import ensure_screen_key, go_to_step
from partenariat_core.store import SQLiteStore
from ui.push import PHONE_SAFETY_SECONDS, SAFETY_SECONDS

sys.path.insert(0, str(ROOT / "bench"))
from st_client import StreamlitTab

TEXT = "Une carte poussée vers les écrans"


@pytest.fixture(scope="module")
def pushed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("push")
    store = SQLiteStore(folder / "partenariat.db")
    instruments = load_instruments()
    session = create_session(store, instruments, "Écran poussé", instrument_ids=("keep_throw",))
    go_to_step(store, session.code, 1)
    session = ensure_screen_key(store, session.code)
    server = start_server(folder)
    yield server, store, instruments, session
    stop_server(server)
    store.close()


async def _watch(server, store, instruments, session) -> tuple[StreamlitTab, float]:
    url = urlsplit(screen_url(server.url, session, 1))
    tab = StreamlitTab(f"ws://{url.netloc}", page="screen", query=url.query, timeout=60)
    await tab.connect()
    try:
        first = await tab.run()
        assert first.ok, first.status
        # the page relies on the push: its own timer is only the safety net
        assert list(tab.auto_rerun.values()) == [SAFETY_SECONDS]
        assert tab.unasked_runs == 0
        submit_card(store, session, "anon-push-1", instruments["keep_throw"], "keep", TEXT, "push-1")
        deadline = time.monotonic() + 30  # bounded; the server's check runs ten times a second
        while not any(TEXT in text for text in tab.unasked_texts) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return tab, deadline
    finally:
        await tab.close()


def test_a_new_card_is_pushed_to_a_screen_that_never_asked(pushed):
    server, store, instruments, session = pushed
    tab, _ = asyncio.run(_watch(server, store, instruments, session))
    assert tab.unasked_runs >= 1
    assert any(TEXT in text for text in tab.unasked_texts)  # escaped HTML: the text has no markup


async def _dashboard(server, store, instruments, session) -> StreamlitTab:
    url = urlsplit(server.url)
    tab = StreamlitTab(
        f"ws://{url.netloc}", page="dashboard", query=f"session={session.code}&kiosk=1", timeout=60
    )
    await tab.connect()
    try:
        assert (await tab.run()).ok
        entered = await tab.run(tab.form_states("host_passcode", {"passcode_input": PASSCODE}))
        assert entered.ok and list(tab.auto_rerun.values()) == [SAFETY_SECONDS]
        submit_card(
            store, session, "anon-push-2", instruments["keep_throw"], "throw", DASHBOARD_TEXT, "push-2"
        )
        deadline = time.monotonic() + 30
        while not any(DASHBOARD_TEXT in text for text in tab.unasked_texts) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return tab
    finally:
        await tab.close()


DASHBOARD_TEXT = "Une carte poussée vers le tableau"


def test_a_new_card_is_pushed_to_a_dashboard_that_never_asked(pushed):
    server, store, instruments, session = pushed
    tab = asyncio.run(_dashboard(server, store, instruments, session))
    assert any(DASHBOARD_TEXT in text for text in tab.unasked_texts)


@pytest.fixture(scope="module")
def guided_room(pushed):
    server, store, instruments, _ = pushed
    session = create_session(store, instruments, "Plénière guidée", instrument_ids=("keep_throw",))
    session = set_agenda_mode(store, session.code, GUIDED_MODE)
    return server, store, instruments, session


async def _phone(server, store, instruments, session) -> tuple[StreamlitTab, int, int]:
    """A phone on the join step; a card arrives (nothing it draws changes), then the host moves on."""
    url = urlsplit(server.url)
    tab = StreamlitTab(f"ws://{url.netloc}", query=f"session={session.code}", timeout=60)
    await tab.connect()
    try:
        assert (await tab.run()).ok
        assert "card_keep_throw" not in tab.forms()  # "wait for the host"
        assert list(tab.auto_rerun.values()) == [PHONE_SAFETY_SECONDS]  # told, not polling
        submit_card(store, session, "anon-push-3", instruments["keep_throw"], "keep", "Une carte", "push-3")
        await asyncio.sleep(1.5)  # fifteen looks of the push thread: a card changes no phone's view
        after_card = tab.unasked_runs
        go_to_step(store, session.code, 1)
        deadline = time.monotonic() + 30
        while "card_keep_throw" not in tab.forms() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return tab, after_card, tab.unasked_runs
    finally:
        await tab.close()


def test_a_phone_is_told_when_the_host_moves_and_only_then(guided_room):
    tab, after_card, after_move = asyncio.run(_phone(*guided_room))
    assert after_card == 0
    assert "card_keep_throw" in tab.forms()  # the keep/throw card's form, drawn by a run it never asked
    assert after_move >= 1
