"""The "Top words" view: on the projector screen with ``&view=words``, and the dashboard's toggle.

The counts themselves are the core's (tests/test_top_words.py, by hand); here: the view draws the
visible cards' words as an image with the words in its escaped alt text, a hidden card's words stay
out, a hidden board stays hidden, the other steps are unchanged, and a word typed as markup is never
markup.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re

from apptest_support import login, open_app, rendered, store_of
from PIL import Image
from test_room_pages import boards, open_screen

from partenariat_core import DEMO_CODE, board_top_words, set_board_hidden
from partenariat_core.model import Event
from partenariat_core.runtime import shared_runtime
from partenariat_core.scoring.curated import HIDDEN, HOST, MODERATION, card_id
from partenariat_core.sessions import go_to_step

CLOUD = re.compile(r"<img class='pl-s-cloud' alt='([^']*)' src='data:image/png;base64,([A-Za-z0-9+/=]+)'")


def _post(store, person: str, column: str, text: str, n: int) -> str:
    """A card posted straight into the store; returns its card id."""
    submission = f"words-{n}"
    store.append_events(
        [Event(DEMO_CODE, person, submission, "keep_throw", column, "", text, dt.datetime.now(dt.UTC))]
    )
    return card_id("keep_throw", column, submission)


def test_view_words_draws_each_column_as_a_cloud_of_the_visible_cards(app_env):
    at, store, _ = open_screen(app_env, view="words")
    (board,) = boards(at)
    assert "pl-s-joinstep" in board  # the join step is unchanged
    # three people write a word inside markup; three cards the host hides would top the list too
    for n in range(3):
        _post(store, f"p-words-{n}", "throw", "<b>Zèbre</b>", n)
        hidden = _post(store, f"p-hide-{n}", "throw", "Zygomatique", 10 + n)
        store.append_events(
            [
                Event(
                    DEMO_CODE,
                    HOST,
                    f"words-hide-{n}",
                    MODERATION,
                    hidden,
                    HIDDEN,
                    "",
                    dt.datetime.now(dt.UTC),
                )
            ]
        )
    go_to_step(store, DEMO_CODE, 1)
    shared_runtime().live.invalidate(DEMO_CODE)
    at.run()
    (board,) = boards(at)
    assert "Mots fréquents" in board and "pl-s-card" not in board  # clouds instead of cards
    clouds = CLOUD.findall(board)
    assert len(clouds) == 2  # keep and throw
    for _, data in clouds:  # (1920 - 2 × 24 - 24) / 2 wide, 1080 - 48 - 150 - 56 - 12 high
        assert Image.open(io.BytesIO(base64.b64decode(data))).size == (924, 814)
    alts = [html.unescape(alt) for alt, _ in clouds]
    summary = shared_runtime().live.summary(DEMO_CODE)
    curated = summary.curated["keep_throw"]
    expected = [
        "Nuage de mots : " + ", ".join(f"{w.word} ({w.count})" for w in board_top_words(curated, c, 30))
        for c in ("keep", "throw")
    ]
    assert alts == expected
    assert alts[1].startswith("Nuage de mots : Zèbre (3), ")  # 3 cards; "b" (one letter) is no word
    assert " b (" not in alts[1]
    assert "Zygomatique" not in board  # the hidden card's words are out
    assert "<b>Zèbre" not in board and "&lt;b&gt;" not in board  # no typed markup, not even escaped
    assert "(39)" not in board and board.count("<h3>") == 2


def test_view_words_keeps_a_hidden_board_hidden_and_other_steps_as_usual(app_env):
    at, store, session = open_screen(app_env, view="words", step="1", lang="en")
    (board,) = boards(at)
    assert "Top words" in board and "Word cloud: " in board
    set_board_hidden(store, store.get_session(DEMO_CODE), "keep_throw", hidden=True)
    shared_runtime().live.invalidate(DEMO_CODE)
    at.run()
    (board,) = boards(at)
    assert "Word cloud" not in board and "Results hidden" in board
    again = open_app(
        "pages/screen.py", session=DEMO_CODE, key=session.agenda.screen_key, step="4", view="words"
    )
    (board,) = boards(again)
    assert "pl-s-vbar" in board and "Nuage" not in board  # the continuum step, drawn as always


def test_the_dashboard_toggle_shows_clouds_and_the_top_words(app_env):
    at = login(open_app("pages/dashboard.py", session=DEMO_CODE))
    toggle = at.toggle(key=f"top_words_{DEMO_CODE}")
    assert toggle.value is False and len(at.get("image")) == 0
    toggle.set_value(True).run()
    assert not at.exception
    assert len(at.get("image")) == 2  # one cloud per column
    heads = [rendered(h.value) for h in at.subheader if "Mots" in h.value]
    assert heads == ["Mots fréquents — Qu'est-ce qu'on garde / Qu'est-ce qu'on jette"]  # shown literally
    summary = shared_runtime().live.summary(DEMO_CODE)
    curated = summary.curated["keep_throw"]
    tables = at.dataframe
    assert len(tables) == 2
    keep = tables[0].value
    top = board_top_words(curated, "keep", 15)
    assert list(keep.columns) == ["Mot", "Cartes qui l'emploient"]
    assert keep["Mot"].tolist() == [w.word for w in top]
    assert keep["Cartes qui l'emploient"].tolist() == [w.count for w in top]
    at.toggle(key=f"reveal_{DEMO_CODE}_keep_throw").set_value(False).run()  # the host hides the board
    assert store_of(app_env).get_session(DEMO_CODE).hidden_boards == ("vote:keep_throw", "keep_throw")
    assert len(at.get("image")) == 0 and len(at.dataframe) == 0  # hidden results stay hidden


def test_words_on_the_dashboard_start_on_from_the_link(app_env):
    at = login(open_app("pages/dashboard.py", session=DEMO_CODE, words="1", lang="en"))
    assert at.toggle(key=f"top_words_{DEMO_CODE}").value is True
    assert [d.value.columns.tolist() for d in at.dataframe][:1] == [["Word", "Cards using it"]]
