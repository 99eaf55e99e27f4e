"""Fitting a keep/throw board on the projector (partenariat_core.screen_layout), hand-computed.

Reference numbers: the board area is 1080 - 2*24 - 150 - 56 - 12 = 814 px high. A one-line card at
font f is 1.2f (line) + 2*0.25f (padding) + 4 (borders) + 0.25f (gap) = 1.95f + 4 px high: 50.8 px at
24 px (16 fit: 812.8), 39.1 px at 18 px (20 fit: 782; 21 would need 821.1).
"""

from __future__ import annotations

from partenariat_core.screen_layout import (
    BOARD_H,
    ShownCard,
    _lines,
    board_layout,
    card_height,
    count_ticks,
    merge_identical,
    page_at,
    subcolumn_width,
)


def cards(n: int) -> list[str]:
    return [f"card {i}" for i in range(n)]


def flat(layout, column: int = 0) -> list[str]:
    return [c.text for page in layout.pages for sub in page[column] for c in sub]


def test_the_reference_board_height():
    assert BOARD_H == 814


def test_identical_cards_are_shown_once_with_their_number():
    merged = merge_identical(["Vision commune", "Autre", "vision  commune ", "VISION COMMUNE"])
    assert merged == [ShownCard("Vision commune", 3), ShownCard("Autre", 1)]


def test_words_wrap_greedily_and_long_words_break():
    assert _lines("aaa bbb cc", 7) == 2  # "aaa bbb" / "cc"
    assert _lines("aaa bbb cc", 10) == 1
    assert _lines("abcdefghij", 4) == 3  # "abcd" / "efgh" / "ij"
    assert _lines("", 5) == 1


def test_card_height():
    # width 400 at 20 px: 400 - 2*10 - 4 = 376 px of text, 37 characters of 10 px a line
    assert card_height(ShownCard("x" * 37), 20, 400) == 1 * 24 + 10 + 4 + 5
    assert card_height(ShownCard("x" * 38), 20, 400) == 2 * 24 + 10 + 4 + 5
    # the ×N badge takes room too: " ×2" makes 37 characters into 40
    assert card_height(ShownCard("x" * 37, 2), 20, 400) == 2 * 24 + 10 + 4 + 5


def test_a_small_board_keeps_big_text_in_one_column():
    layout = board_layout({"keep": ["Le plaisir", "Ouverture"], "throw": []})
    assert (layout.font_px, layout.subcolumns, layout.page_count, layout.cards) == (24, 1, 1, 2)
    assert [[list(sub) for sub in column] for column in layout.pages[0]] == [
        [[ShownCard("Le plaisir"), ShownCard("Ouverture")]],
        [[]],
    ]


def test_up_to_40_cards_the_text_stays_at_24_px_and_flows_into_sub_columns():
    layout = board_layout({"keep": cards(30)})
    assert (layout.font_px, layout.subcolumns, layout.page_count) == (24, 2, 1)
    assert [len(sub) for sub in layout.pages[0][0]] == [16, 14]
    assert flat(layout) == cards(30)  # arrival order kept


def test_past_40_cards_the_text_shrinks_to_18_px_then_flows_into_sub_columns():
    # 41 one-line cards: 16, 17, 18 or 20 a column at 24, 22, 20, 18 px; 40 in two sub-columns
    layout = board_layout({"keep": cards(41)})
    assert (layout.font_px, layout.subcolumns, layout.page_count) == (18, 3, 1)
    assert [len(sub) for sub in layout.pages[0][0]] == [20, 20, 1]


def test_a_board_too_big_for_one_screen_pages_by_itself():
    layout = board_layout({"keep": cards(200)})
    assert (layout.font_px, layout.subcolumns, layout.page_count) == (18, 4, 3)  # 80 + 80 + 40
    assert [sum(len(sub) for sub in page[0]) for page in layout.pages] == [80, 80, 40]
    assert flat(layout) == cards(200)  # every card once, in order
    assert [page_at(3, t) for t in (0, 9.9, 10, 25, 30)] == [0, 0, 1, 2, 0]
    assert page_at(1, 12345) == 0


def test_150_cards_in_two_columns_page_and_lose_none():
    keep, throw = [f"garder {i} " * 3 for i in range(80)], [f"jeter {i} " * 3 for i in range(70)]
    layout = board_layout({"keep": keep, "throw": throw})
    assert layout.font_px == 18
    assert layout.page_count > 1
    assert flat(layout, 0) == keep
    assert flat(layout, 1) == throw
    for column, width in enumerate(layout.widths):
        for page in layout.pages:
            subs = page[column]
            assert len(subs) <= layout.splits[column]
            inner = subcolumn_width(width, layout.splits[column])
            assert all(sum(card_height(c, 18, inner) for c in sub) <= BOARD_H for sub in subs)


def test_count_axes_have_whole_number_ticks():
    assert count_ticks(0) == [0, 1]
    assert count_ticks(5) == [0, 1, 2, 3, 4, 5]
    assert count_ticks(6) == [0, 2, 4, 6]
    assert count_ticks(13) == [0, 5, 10, 15]
    assert count_ticks(120) == [0, 50, 100, 150]
