"""The whole vote flow in a real browser, as a host meets it: three phones post cards; on the host
page's "Trier le tableau" panel the host hides one and groups two; on the remote the host adds the
board's vote step, switches to guided mode and moves to it; the phones vote on their phone's vote
step; the remote reveals; the projector ranks (issue 10). Every wait is on visible state or on the
store, bounded. Screenshots: ``test-artifacts/votes-*.png``.
"""

from __future__ import annotations

import time

import pytest
from curate_support import tick
from live_server import PASSCODE, start_server, stop_server
from playwright.sync_api import expect

from partenariat_core import create_session, join_url, load_instruments
from partenariat_core.agenda import VoteStep, current_step, screen_url
from partenariat_core.curation import VoteRules
from partenariat_core.model import Event
from partenariat_core.participation import submit_card
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.curated import VOTE, card_id, curated_board
from partenariat_core.sessions import add_vote_step, ensure_screen_key, set_board_hidden
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
FOLLOW_MS = 30_000  # a refresh interval or a phone's 10 s free-mode check, on a loaded 2-core machine
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


def _login(browser, server, path: str, size: tuple[int, int]):
    phone = size[0] < 600
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, is_mobile=phone, has_touch=phone)
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/{path}")
    page.get_by_label("Code d'animation").fill(PASSCODE)
    page.get_by_role("button", name="Entrer").click()
    return page


def _row(page, text: str):
    """The sort panel's row of the card that reads exactly ``text`` ("Vision commune", not "Une
    vision commune")."""
    return page.locator("div[class*='st-key-cur_row_']").filter(has=page.get_by_text(text, exact=True))


def _stored_board(store, code):
    session = store.get_session(code)
    events = store.read_events(code)
    return curated_board(events_frame(events), "keep_throw", session, events)


def _until(check, what: str, tries: int = 100):
    """Poll the store (bounded: ``tries`` × 0.2 s) until ``check()`` holds; fail naming ``what``."""
    for _ in range(tries):
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"the store never showed {what}")


def test_post_group_hide_vote_reveal_rank(browser, room, artifacts):
    server, store, code, _ = room
    a, b, c = (_phone(browser, server, code) for _ in range(3))
    _post(a, "Vision commune")
    _post(a, "Hors sujet")
    _post(b, "Une vision commune")
    _post(c, "Budget partagé")
    _post(c, "Des locaux")

    # The host sorts the board on the host page's panel: hides one card, groups two under a title
    host = _login(browser, server, f"host?session={code}", (1920, 1080))
    host.get_by_text("Trier le tableau").click()  # open the expander
    host.get_by_role("button", name="Actualiser").wait_for()
    _row(host, "Des locaux").wait_for()  # the panel has every card posted
    _row(host, "Hors sujet").get_by_role("button", name="Masquer").click()
    _row(host, "Hors sujet").get_by_role("button", name="Remettre au tableau").wait_for()
    tick(host, [_row(host, "Vision commune"), _row(host, "Une vision commune")])
    title = host.get_by_label("Titre du regroupement")
    title.wait_for()
    assert title.input_value() == "Vision commune"  # prefilled from the first ticked card
    host.get_by_role("button", name="Regrouper sous ce titre", exact=True).click()
    host.get_by_text("Vision commune ×2").wait_for()
    host.screenshot(path=str(artifacts / "votes-host-sorted.png"))
    board = _stored_board(store, code)
    assert [(g.title, sorted(m.text for m in g.members)) for g in board.groups.values()] == [
        ("Vision commune", ["Une vision commune", "Vision commune"])
    ]
    assert [card.text for card in board.hidden] == ["Hors sujet"]

    # The remote: add the board's vote step (3 votes, one per card: the defaults), guide the room to it
    remote = _login(browser, server, f"remote?session={code}", (PHONE["width"], PHONE["height"]))
    remote.get_by_role("heading", name="Étape 0 sur 1").wait_for()
    remote.get_by_role("button", name="Ajouter l'étape de vote").click()
    remote.get_by_text("Étape de vote ajoutée").wait_for()
    _until(
        lambda: store.get_session(code).agenda.votes == (VoteStep("keep_throw", 3, False),), "the vote step"
    )
    remote.get_by_role("heading", name="Étape 0 sur 2").wait_for()
    remote.get_by_role("button", name="Passer en mode guidé").click()
    _until(lambda: store.get_session(code).agenda.mode == "guided", "guided mode")
    remote.get_by_role("button", name="Suivant").click()
    remote.get_by_role("heading", name="Étape 1 sur 2").wait_for()
    remote.get_by_role("button", name="Suivant").click()
    remote.get_by_role("heading", name="Étape 2 sur 2").wait_for()
    _until(lambda: current_step(store.get_session(code)) == "vote:keep_throw", "the host on the vote step")

    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.set_default_timeout(30_000)
    projector.goto(screen_url(server.url, store.get_session(code)))
    projector.get_by_text("Vote en cours").wait_for(timeout=FOLLOW_MS)

    for phone in (a, b, c):  # guided: each phone follows the host to the vote step by itself
        phone.get_by_text("Il vous reste 3 votes").wait_for(timeout=FOLLOW_MS)
    expect(_card(a, "Vision commune ×2")).to_have_count(1)  # the group, once, with its count
    assert _card(a, "Hors sujet").count() == 0  # hidden: out of the vote
    assert _card(a, "Une vision commune").count() == 0  # inside the group, not on its own
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
    _until(lambda: _stored_board(store, code).total_votes == 6, "the 6 votes")
    projector.get_by_text("6 votes donnés · 3 personnes ont voté").wait_for(timeout=FOLLOW_MS)
    assert projector.get_by_text("Budget partagé").count() == 0  # hidden: nothing ranks yet

    remote.get_by_role("button", name="Afficher les résultats").click()
    _until(lambda: "vote:keep_throw" not in store.get_session(code).hidden_boards, "the reveal")

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
    ranked = [(r.entry.text, r.votes) for r in _stored_board(store, code).ranking()]
    assert ranked == [("Vision commune", 3), ("Budget partagé", 2), ("Des locaux", 1)]


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
