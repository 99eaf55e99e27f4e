"""A participant who types while the page's first run is still on its way keeps every character, and
what they send is what they typed (a busy server, a room joining at once).

The browser is shown a first run that has not ended: the test stands between the page and the server
(Playwright's ``route_web_socket``) and holds back every message the server sends after a given
form's Send button (the rest of the page, its URL update, its timers, the end of the run) until the
participant has typed, as a loaded server's event loop sends them late; then it lets them through in
their order. Nothing in the app is slowed or changed for the test, and a test checks that the end of
the run was still held while the participant typed, so none passes without typing "during the run".

Streamlit's browser side drops what a form holds for a widget that is no longer in the page when a
run ends (``WidgetStateManager.removeInactive``), and a widget drawn again under another identity
starts empty: these tests fail if a phone form's widget is re-created between the first run and the
next, or the run's end empties what was typed. Then a second, full run (the language switch) redraws
every form, and the text is still there.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable

import pytest
from live_server import start_server, stop_server
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from partenariat_core import Pseudonyms, create_session, join_url, load_instruments, t
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CARD = "Moins de réunions, plus de décisions"
ACTOR = "Ministères du gouvernement"
PERIOD = "printemps 2021"


class HeldRun:
    """Lets the server's messages through until the one drawing ``form``'s Send button in the first
    run, then holds every later message until ``release()``, which sends them on in their order."""

    def __init__(self, form: str) -> None:
        self.form = form
        self.holding = False
        self.armed = True  # only the first run is held
        self.held: list[bytes] = []
        self.kinds: list[str] = []  # what the held messages are, in order
        self.page_side = None  # Playwright's WebSocketRoute: sends to the page

    def route(self, ws) -> None:  # one call per websocket the page opens
        self.page_side = ws
        ws.connect_to_server().on_message(self._from_server)

    def _from_server(self, message: str | bytes) -> None:
        if isinstance(message, str):  # Streamlit sends only binary ForwardMsgs; pass anything else
            self.page_side.send(message)
            return
        msg = ForwardMsg()
        msg.ParseFromString(message)
        if self.holding:
            self.held.append(message)
            self.kinds.append(msg.WhichOneof("type") or "")
            return
        self.page_side.send(message)
        if self.armed and msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "button" and element.button.form_id == self.form:
                self.holding, self.armed = True, False

    def holds_the_run_end(self) -> bool:
        return "script_finished" in self.kinds

    def release(self) -> None:
        self.holding = False
        for message in self.held:
            self.page_side.send(message)
        self.held.clear()


def until(page, condition: Callable[[], bool], what: str, tries: int = 600) -> None:
    """Wait (bounded: 30 s) for a condition of the test's own side, letting Playwright handle events."""
    for _ in range(tries):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"never: {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("typing-first-run")
    store = SQLiteStore(data_dir / "partenariat.db")
    server = start_server(data_dir)
    yield server, store
    stop_server(server)


def open_held(browser, server, form: str):
    """A new session (so each phone's first run is a first run for its session) and a phone whose
    first run is held after ``form``'s Send button."""
    srv, store = server
    session = create_session(
        store,
        load_instruments(),
        "Frise du partenariat",
        instrument_ids=("keep_throw", "transitional_results", "controversy"),
    )
    page = browser.new_page(**PHONE)
    page.set_default_timeout(30_000)
    held = HeldRun(form)
    page.route_web_socket("**/_stcore/stream", held.route)
    page.goto(join_url(srv.url, session.code))
    return page, held, session, store


def mine(page, srv, store, session) -> list[tuple[str, str, str]]:
    token = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["p"][0]
    pid = Pseudonyms.in_data_dir(srv.data_dir).of(token)
    return [(e.item, e.value, e.text) for e in store.read_events(session.code) if e.participant == pid]


def test_what_is_typed_before_the_first_run_ends_stays_through_the_next_runs_and_is_sent(browser, server):
    srv, _store = server
    page, held, session, store = open_held(browser, server, "grid_actor_controversy")
    card, actor = page.get_by_label(t("participate.card")), page.get_by_label(t("grid.new_actor"))
    period = page.get_by_label(t("timeline.period"))
    actor.wait_for()
    until(page, held.holds_the_run_end, "the first run's end held back")
    assert page.get_by_text(t("participate.footer")).count() == 0  # the page is still being drawn
    card.fill(CARD)
    period.fill(PERIOD)
    actor.press_sequentially(ACTOR)  # key by key, as a thumb types

    held.release()  # the rest of the first run arrives, and its end
    page.get_by_text(t("participate.footer")).wait_for()
    assert [card.input_value(), period.input_value(), actor.input_value()] == [CARD, PERIOD, ACTOR]

    # The next run, the whole page again, in English: it comes after the first run's end, so what
    # that end's clean-up could have dropped is dropped by now.
    page.get_by_text("English", exact=True).click()
    page.get_by_role("button", name=t("participate.post_card", "en")).wait_for()
    card, actor = page.get_by_label(t("participate.card", "en")), page.get_by_label(t("grid.new_actor", "en"))
    period = page.get_by_label(t("timeline.period", "en"))
    assert [card.input_value(), period.input_value(), actor.input_value()] == [CARD, PERIOD, ACTOR]

    page.get_by_role("button", name=t("grid.add_actor", "en")).click()
    page.get_by_text(t("grid.actor_added", "en")).wait_for()
    page.get_by_role("button", name=t("participate.post_card", "en")).click()
    page.get_by_text(t("participate.card_saved", "en")).wait_for()
    assert sorted(mine(page, srv, store, session)) == [("actor", ACTOR, ""), ("keep", "", CARD)]
    assert card.input_value() == "" and actor.input_value() == ""  # emptied once stored
    assert period.input_value() == PERIOD  # not sent: still there
    page.close()


def test_a_card_sent_before_the_first_run_ends_is_stored_as_typed(browser, server):
    srv, _store = server
    page, held, session, store = open_held(browser, server, "card_keep_throw")
    card = page.get_by_label(t("participate.card"))
    card.wait_for()
    until(page, held.holds_the_run_end, "the first run's end held back")
    assert page.get_by_label(t("grid.new_actor")).count() == 0  # the later forms are not drawn yet
    card.fill(CARD)
    page.get_by_role("button", name=t("participate.post_card")).click()  # sent while the run goes on

    held.release()
    page.get_by_text(t("participate.card_saved")).wait_for()
    assert mine(page, srv, store, session) == [("keep", "", CARD)]
    assert card.input_value() == ""
    page.close()
