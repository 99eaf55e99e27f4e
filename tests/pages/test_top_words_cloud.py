"""The word cloud image: accents and symbols its font may lack draw without failing, the size asked
for, and the top words counted once per board object (every screen shares one summary)."""

from __future__ import annotations

import io

from PIL import Image

from partenariat_core.model import Session
from partenariat_core.scoring import events_frame
from partenariat_core.scoring.curated import curated_board
from ui.top_words import cloud_png, column_words


def test_accents_emoji_and_other_scripts_draw_at_the_size_asked():
    words = (("santé", 5), ("Œuvre", 3), ("çà", 2), ("🎉", 2), ("合作", 1), ("ǅemal", 1), ("<b>", 1))
    png = cloud_png(words, 640, 360)
    image = Image.open(io.BytesIO(png))
    assert image.size == (640, 360)
    colours = image.convert("RGB").getcolors(640 * 360)
    assert colours is not None and len(colours) > 2  # words were drawn, not just the background


def test_top_words_are_counted_once_per_board_object(make_event):
    events = [make_event("p1", "keep_throw", "keep", text="Santé santé")]
    session = Session("TEST23", "Atelier", instruments=("keep_throw",))
    board = curated_board(events_frame(events), "keep_throw", session, events)
    first = column_words(board, "keep")
    assert [(w.word, w.count) for w in first] == [("Santé", 1)]  # a tie of spellings: the first seen
    assert column_words(board, "keep") is first  # the same board: no second count
    events.append(make_event("p2", "keep_throw", "keep", text="santé"))
    again = curated_board(events_frame(events), "keep_throw", session, events)
    assert [(w.word, w.count) for w in column_words(again, "keep")] == [("santé", 2)]
