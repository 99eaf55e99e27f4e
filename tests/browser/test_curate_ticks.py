"""Ticking cards on the host's sort panel as a host does: several taps in a row, each aimed at where
the card is on screen, without waiting for the panel to redraw between them.

Each tick reruns the panel. On main's code the first tick made the "N cartes cochées" block appear
above the columns and pushed every row down by ~335 px: the next tap, aimed at the next card, landed
on whatever had moved under it (the ticked-cards block, another card's box), so a tick was lost or a
card unticked ("Clicking the checkbox did not change its state" in CI). Clicks sent to the inputs
themselves (``el.click()``, wherever they are drawn) were all kept, loaded or not: Streamlit's widget
state did not lose them, the layout did. The taps here are mouse clicks at the positions the rows had
before the first tap, as a finger lands, in a few bounded rounds.
Screenshots of the panel before and after the taps (1920 × 1080, tablet 1024 × 768) go to
test-artifacts/.
"""

from __future__ import annotations

import pytest
from live_server import PASSCODE, start_server, stop_server
from playwright.sync_api import expect

from partenariat_core import create_session, load_instruments
from partenariat_core.participation import submit_card
from partenariat_core.scoring.curated import MODERATION
from partenariat_core.store import SQLiteStore

pytestmark = pytest.mark.browser
ROUNDS = 3  # each on a fresh page (nothing ticked), each ticking four cards in a row
PACE_MS = 150  # between two taps: a host ticking about six cards a second
CARDS = [  # distinct texts: no suggested group above the columns
    ("keep", "Le plaisir de travailler ensemble"),
    ("keep", "Vision commune"),
    ("keep", "Des rencontres régulières"),
    ("keep", "Un budget partagé"),
    ("keep", "La confiance entre partenaires"),
    ("throw", "Travail en silo"),
    ("throw", "Les réunions trop longues"),
]
TICKED = [text for _, text in CARDS[:4]]


@pytest.fixture(scope="module")
def panel_room(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ticks")
    store = SQLiteStore(folder / "partenariat.db")
    instruments = load_instruments()
    session = create_session(store, instruments, "Atelier à cocher", instrument_ids=("keep_throw",))
    for n, (column, text) in enumerate(CARDS):
        submit_card(store, session, f"participant{n:03d}", instruments["keep_throw"], column, text, f"s{n}")
    server = start_server(folder)
    yield server, store, session.code
    stop_server(server)


def _open_panel(browser, server, code: str, size: tuple[int, int]):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.set_default_timeout(30_000)
    page.goto(f"{server.url}/host?session={code}")
    page.get_by_label("Code d'animation").fill(PASSCODE)
    page.get_by_role("button", name="Entrer").click()
    page.get_by_text("Trier le tableau").click()  # open the expander
    page.get_by_role("button", name="Actualiser").wait_for()
    for text in TICKED:
        _box(page, text).wait_for()
    for text in (TICKED[0], TICKED[-1]):  # the four rows on screen, ready to tap (scrolled if need be)
        _row(page, text).scroll_into_view_if_needed()
    return page


def _row(page, text: str):
    return page.locator("div[class*='st-key-cur_row_']").filter(has=page.get_by_text(text, exact=True))


def _box(page, text: str):
    return _row(page, text).get_by_role("checkbox")


def _aim(page, text: str) -> tuple[float, float]:
    """Where a finger lands to tick ``text``: the middle of the box drawn beside the card's text."""
    box = _row(page, text).locator("[data-testid='stCheckbox'] label").bounding_box()
    assert box is not None
    return box["x"] + 8, box["y"] + box["height"] / 2


def _rows_top(page) -> list[float]:
    return [_row(page, text).bounding_box()["y"] for text in TICKED]


@pytest.mark.parametrize("size", [(1920, 1080), (1024, 768)], ids=["1920x1080", "tablet-1024x768"])
def test_quick_ticks_are_all_kept_and_the_rows_stay_put(browser, panel_room, artifacts, size):
    server, store, code = panel_room
    name = f"{size[0]}x{size[1]}"
    for round_ in range(ROUNDS):
        page = _open_panel(browser, server, code, size)
        before = _rows_top(page)
        aims = [_aim(page, text) for text in TICKED]
        assert all(0 < y < size[1] for _, y in aims), (aims, size)  # every row on screen before the taps
        if round_ == 0:
            page.screenshot(path=str(artifacts / f"curate-ticks-before-{name}.png"))
        for x, y in aims:
            page.mouse.click(x, y)
            page.wait_for_timeout(PACE_MS)  # pacing the taps, not waiting for anything
        expect(page.get_by_text("4 cartes cochées")).to_be_visible(timeout=15_000)
        for text in TICKED:
            expect(_box(page, text)).to_be_checked()
        after = _rows_top(page)
        moved = [round(a - b) for a, b in zip(after, before, strict=True)]
        assert moved == [0, 0, 0, 0], (before, after)  # the rows stayed under the host's finger
        if round_ == 0:
            page.screenshot(path=str(artifacts / f"curate-ticks-after-{name}.png"))
        page.close()
    assert not [e for e in store.read_events(code) if e.instrument == MODERATION]  # no stray "Masquer"
