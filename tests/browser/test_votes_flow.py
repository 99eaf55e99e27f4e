"""The whole vote flow in a real browser: three phones post cards, the host groups two and hides one,
the phones vote on their phone's vote step, the host reveals, the projector ranks (issue 10).

The host's grouping and hiding go through core calls on the server's own store (``curation`` +
``store.append_events``, as the host's curation panel will do): that panel (ui/curate.py) is built by
another helper and is not on main yet. The vote step is added with ``sessions.add_vote_step`` (the
remote's control for it is tested under AppTest), and the reveal is the remote's own button.
Screenshots: ``test-artifacts/votes-*.png``.
"""

from __future__ import annotations

import pytest
from live_server import PASSCODE, start_server, stop_server
from playwright.sync_api import expect

from partenariat_core import create_session, join_url, load_instruments
from partenariat_core.agenda import screen_url
from partenariat_core.curation import VoteRules, group_cards, hide_card
from partenariat_core.model import Event
from partenariat_core.participation import submit_card
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.curated import VOTE, card_id, curated_board
from partenariat_core.sessions import (
    add_vote_step,
    ensure_screen_key,
    go_to_step,
    set_agenda_mode,
    set_board_hidden,
)
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
FOLLOW_MS = 20_000
PHONE = {"width": 390, "height": 844}

FIT = """() => {
  const se = document.scrollingElement, main = document.querySelector("[data-testid='stMain']");
  const rows = [...document.querySelectorAll('.pl-s-vrow, .pl-s-vmore')].map(r => r.getBoundingClientRect());
  const out = rows.filter(r => r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth);
  return {scroll: se.scrollHeight, main: main ? main.scrollHeight - main.clientHeight : 0,
          rows: rows.length, outside: out.length,
          bottom: Math.max(0, ...rows.map(r => r.bottom))};
}"""


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    folder = tmp_path_factory.mktemp("votes")
    store = SQLiteStore(folder / "partenariat.db")
    instruments = load_instruments()
    session = create_session(store, instruments, "Atelier vote", instrument_ids=("keep_throw",))
    ensure_screen_key(store, session.code)
    # a board that needs the cap: 30 long cards, each with a different number of votes
    crowded = create_session(store, instruments, "Trente idées", instrument_ids=("keep_throw",))
    board = instruments["keep_throw"]
    for i in range(30):
        text = f"Idée {i:02d} : " + "une phrase assez longue pour prendre deux lignes au projecteur " * 3
        submit_card(store, crowded, f"writer{i:03d}", board, "keep", text[:280], f"w{i}")
    crowded = add_vote_step(store, crowded.code, "keep_throw", VoteRules(20, True), instruments=instruments)
    crowded = set_board_hidden(store, crowded, "vote:keep_throw", hidden=False)
    votes = [  # card i gets i + 1 votes, each from a voter of its own: all 30 ranked, no ties
        Event(
            crowded.code,
            f"voter{i:02d}x{n:02d}",
            f"v{i}-{n}",
            VOTE,
            card_id("keep_throw", "keep", f"w{i}"),
            "1",
        )
        for i in range(30)
        for n in range(i + 1)
    ]
    store.append_events(votes)
    ensure_screen_key(store, crowded.code)
    server = start_server(folder)
    yield server, store, session.code, crowded.code
    stop_server(server)


def _phone(browser, server, code):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.set_default_timeout(30_000)
    page.goto(join_url(server.url, code))
    return page


def _post(phone, text: str) -> None:
    phone.get_by_label("Votre carte").fill(text)
    phone.get_by_role("button", name="Publier la carte").click()
    phone.get_by_text("Carte publiée").last.wait_for()


def _card(phone, text: str):
    """The vote form's button that is this card (its label: the card's text, "✓ N · " once voted),
    not the stale copy Streamlit keeps on screen while a rerun redraws the form."""
    fresh = phone.locator("[class*='st-key-vote_']:not([data-stale='true'])")
    return fresh.get_by_role("button", name=text)


def _vote(phone, text: str, left: str) -> None:
    button = _card(phone, text)
    expect(button).to_have_count(1)  # the form has settled: one live button for this card
    button.click()
    phone.get_by_text(left).wait_for()


def test_post_group_hide_vote_reveal_rank(browser, room, artifacts):
    server, store, code, _ = room
    a, b, c = (_phone(browser, server, code) for _ in range(3))
    _post(a, "Vision commune")
    _post(a, "Hors sujet")
    _post(b, "Une vision commune")
    _post(c, "Budget partagé")
    _post(c, "Des locaux")

    # The host (core calls on the server's store: the curation panel is another helper's, see above)
    session = store.get_session(code)
    events = store.read_events(code)
    instruments = load_instruments()
    board = curated_board(events_frame(events), "keep_throw", session, events)
    ids = {card.text: card.id for card in board.cards.values()}
    store.append_events(
        group_cards(
            session, board, [ids["Vision commune"], ids["Une vision commune"]], "Vision commune", "h1"
        )
    )
    store.append_events([hide_card(session, board, ids["Hors sujet"], "h2")])
    add_vote_step(store, code, "keep_throw", VoteRules(3, False), instruments=instruments)
    set_agenda_mode(store, code, "guided")
    go_to_step(store, code, 2)  # join, keep_throw, vote:keep_throw

    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(screen_url(server.url, store.get_session(code)))
    projector.get_by_text("Vote en cours").wait_for()

    for phone in (a, b, c):  # guided: each phone follows the host to the vote step by itself
        phone.get_by_text("Il vous reste 3 votes").wait_for(timeout=FOLLOW_MS)
    assert _card(a, "Hors sujet").count() == 0  # hidden: out of the vote
    assert _card(a, "Vision commune ×2").count() == 1  # the group, once, with its count
    assert _card(a, "Budget partagé").bounding_box()["height"] >= 44  # a big touch target
    a.screenshot(path=str(artifacts / "votes-phone.png"))

    _vote(a, "Vision commune", "Il vous reste 2 votes")
    _vote(a, "Budget partagé", "Il vous reste 1 vote")
    _vote(b, "Vision commune", "Il vous reste 2 votes")
    _vote(b, "Des locaux", "Il vous reste 1 vote")
    _vote(c, "Vision commune", "Il vous reste 2 votes")
    _vote(c, "Budget partagé", "Il vous reste 1 vote")
    _vote(c, "Des locaux", "Vous avez donné tous vos votes (3)")
    _vote(c, "Des locaux", "Il vous reste 1 vote")  # tapped again: taken back
    assert c.get_by_text("Vote repris.").count() == 1
    expect(_card(c, "Des locaux")).to_have_text("Des locaux")  # settled after the take-back
    labels = c.locator("[class*='st-key-vote_']:not([data-stale='true']) button").all_inner_texts()
    assert labels == ["✓ 1 · Vision commune ×2", "✓ 1 · Budget partagé", "Des locaux"], labels
    c.screenshot(path=str(artifacts / "votes-phone-after.png"))
    # By hand: the group 3 (a, b, c), Budget partagé 2 (a, c), Des locaux 1 (b): 6 votes, 3 voters.
    projector.get_by_text("6 votes donnés · 3 personnes ont voté").wait_for(timeout=FOLLOW_MS)
    assert projector.get_by_text("Budget partagé").count() == 0  # hidden: nothing ranks yet

    remote = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    remote.set_default_timeout(30_000)
    remote.goto(f"{server.url}/remote?session={code}")
    remote.get_by_label("Code d'animation").fill(PASSCODE)
    remote.get_by_role("button", name="Entrer").click()
    remote.get_by_role("heading", name="Étape 2 sur 2").wait_for()
    remote.get_by_role("button", name="Afficher les résultats").click()

    projector.locator(".pl-s-vrow").nth(2).wait_for(timeout=FOLLOW_MS)
    rows = [
        (
            row.locator(".pl-s-vrank").inner_text(),
            row.locator(".pl-s-vtext").inner_text(),
            row.locator(".pl-s-vnum").inner_text(),
        )
        for row in projector.locator(".pl-s-vrow").all()
    ]
    assert rows == [("1", "Vision commune ×2", "3"), ("2", "Budget partagé", "2"), ("3", "Des locaux", "1")]
    assert projector.get_by_text("Hors sujet").count() == 0
    measured = projector.evaluate(FIT)
    assert measured["scroll"] <= 1080 and measured["outside"] == 0, measured
    projector.screenshot(path=str(artifacts / "votes-projector.png"))
    votes = [e for e in store.read_events(code) if e.instrument == VOTE]
    assert len(votes) == 8  # every tap stored once: 7 votes given and one taken back


def test_thirty_ranked_ideas_fit_the_screen_with_the_rest_counted(browser, room, artifacts):
    server, store, _, crowded = room
    for width, height in ((1920, 1080), (1280, 720)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.set_default_timeout(30_000)
        page.goto(screen_url(server.url, store.get_session(crowded), 2))
        page.locator(".pl-s-vmore").wait_for()
        page.wait_for_timeout(300)
        measured = page.evaluate(FIT)
        assert measured["rows"] == 11, measured  # ten ranked rows and "+ 20 others"
        assert measured["outside"] == 0 and measured["scroll"] <= height and measured["main"] <= 0, measured
        assert page.locator(".pl-s-vmore").inner_text() == "+ 20 autres idées ayant reçu des votes"
        assert page.locator(".pl-s-vrank").first.inner_text() == "1"
        assert page.locator(".pl-s-vnum").first.inner_text() == "30"  # card 29: 30 votes, the most
        page.screenshot(path=str(artifacts / f"votes-projector-30-{width}x{height}.png"))
        (artifacts / "votes-fit.txt").open("a").write(f"{width}x{height}: {measured}\n")
        page.close()
