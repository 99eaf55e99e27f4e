"""The projector lays a keep / throw board out from each card's text and count, makes only the cards
of the page it shows, and lays out each board once (every screen, every page turn reuses it), and
draws exactly what it drew when it made every card first (the old path, kept below as reference)."""

from __future__ import annotations

import gc
import math
import random

from partenariat_core import agenda, summarize, t
from partenariat_core.model import Session
from partenariat_core.scoring.board import Cards
from partenariat_core.scoring.curated import GROUP, GROUP_MEMBER, HOST, card_id
from partenariat_core.screen_layout import (
    BOARD_H,
    ShownCard,
    _candidates,
    _most,
    board_layout,
    card_height,
    column_widths,
    merge_identical,
    page_at,
    subcolumn_width,
)
from ui import projector, shared_drawing
from ui.projector import Screen, step_html

WORDS = ("partenariat", "action", "territoire", "vision", "commune", "collaboration", "citoyen", "projet")


def old_board_layout(columns, height=BOARD_H):
    """``board_layout`` as it was: a ShownCard for every card, each fallback paged to the end."""

    def paginate(cards, font_px, width, subcolumns):
        pages = [[[]]]
        used = 0.0
        for card in cards:
            size = card_height(card, font_px, width)
            if used + size > height and pages[-1][-1]:
                if len(pages[-1]) < subcolumns:
                    pages[-1].append([])
                else:
                    pages.append([[]])
                used = 0.0
            pages[-1][-1].append(card)
            used += size
        return pages

    merged = [merge_identical(texts) for texts in columns.values()]
    widths = column_widths(merged)
    layout, font, subs = [], 24, 1
    for font, subs in _candidates(sum(len(c) for c in merged), max(widths)):
        layout = [
            paginate(cards, font, subcolumn_width(w, min(subs, _most(w))), min(subs, _most(w)))
            for cards, w in zip(merged, widths, strict=True)
        ]
        if all(len(pages) == 1 for pages in layout):
            break
    count = max(len(pages) for pages in layout)
    pages = [[(col[p] if p < len(col) else [[]]) for col in layout] for p in range(count)]
    splits = tuple(min(subs, _most(w)) for w in widths)
    return font, subs, widths, splits, pages


def old_keep_throw_body(screen, instrument):
    """``ui.projector.keep_throw_body`` before: every card made, then laid out, on every draw."""
    e = projector.e
    board = screen.summary.boards[instrument.id]
    font, _, widths, splits, pages = old_board_layout(
        {c: [ShownCard(card.text, card.count) for card in cards] for c, cards in board.columns.items()}
    )
    page = page_at(len(pages), screen.now_seconds)
    names = {
        c.id: c.label[screen.lang]
        for c in instrument.preset(screen.summary.session.keep_throw_preset).columns
    }
    columns = []
    for index, (column, cards) in enumerate(board.columns.items()):
        subs = pages[page][index]
        body = "".join(
            "<div class='pl-s-sub'>"
            + "".join(
                f"<div class='pl-s-card'>{e(card.text)}"
                + (f" <b class='pl-s-times'>×{card.count}</b>" if card.count > 1 else "")
                + "</div>"
                for card in sub
            )
            + "</div>"
            for sub in subs
        )
        if not cards:
            body = f"<div class='pl-s-empty'>{e(screen.t('board.no_cards'))}</div>"
        columns.append(
            f"<section class='pl-s-col {e(column)}' style='width:calc(var(--u)*{widths[index]:.1f})'>"
            f"<h3>{e(names.get(column, column))} <span>({board.counts[column]})</span></h3>"
            f"<div class='pl-s-subs' style='--n:{splits[index]}'>{body}</div></section>"
        )
    indicator = ""
    if len(pages) > 1:
        where = screen.t("screen.page", page=page + 1, pages=len(pages))
        indicator = f"<span class='pl-s-badge page'>{e(where)}</span>"
    return f"<div class='pl-s-board' style='--f:{font}'>{''.join(columns)}</div>", indicator


def big_board(make_event, instruments, cards: int = 700, columns=("keep", "throw")):
    """A session on its board step: ``cards`` cards of random words (so some identical ones) in
    ``columns``, a long one, and a group of three the host made."""
    rng = random.Random(cards)
    events = [
        make_event(
            f"p{i % 60}",
            "keep_throw",
            columns[i % len(columns)],
            text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9))),
        )
        for i in range(cards)
    ]
    events.append(make_event("p1", "keep_throw", "keep", text="x" * 300))
    group = make_event(HOST, GROUP, "g1", "keep_throw", text="Ensemble, autrement")
    members = [
        make_event(HOST, GROUP_MEMBER, card_id("keep_throw", "keep", e.submission_id), "g1")
        for e in events[0:6:2]
    ]
    session = agenda.go_to(Session("TEST23", "Atelier", instruments=("keep_throw",)), 1)
    return session, summarize(session, [*events, group, *members], instruments)


def screen_at(session, summary, instruments, now_seconds: float, lang: str = "fr") -> Screen:
    view = agenda.screen_view(session, session.created_at)
    return Screen(
        summary,
        view,
        instruments,
        "http://127.0.0.1:8501/?session=TEST23",
        lang,
        lambda key, **p: t(key, lang, **p),
        now_seconds,
    )


def made(cards: Cards) -> int:
    return sum(card is not None for card in cards._made or ())


def test_the_drawn_pages_equal_the_old_paths(make_event, instruments):
    session, summary = big_board(make_event, instruments)
    instrument = instruments["keep_throw"]
    board = summary.boards["keep_throw"]
    pages = len(
        old_board_layout({c: [ShownCard(x.text, x.count) for x in v] for c, v in board.columns.items()})[4]
    )
    assert pages >= 3  # several pages to compare
    for lang in ("fr", "en"):
        seen = set()
        fresh = summarize(session, [], instruments) if lang == "en" else None  # an empty board too
        for page in range(pages + 1):  # and back to the first
            screen = screen_at(session, summary, instruments, page * 10.0 + 3, lang)
            old_body, old_badge = old_keep_throw_body(screen, instrument)
            assert projector.keep_throw_body(screen, instrument) == (old_body, old_badge)
            assert f"<main class='pl-s-body'>{old_body}</main>" in step_html(screen)
            seen.add(old_body)
        if fresh is not None:
            empty = screen_at(session, fresh, instruments, 0.0, lang)
            assert projector.keep_throw_body(empty, instrument) == old_keep_throw_body(empty, instrument)
        assert len(seen) == pages  # each page its own cards
        assert "×3" in "".join(seen) and "Ensemble, autrement" in "".join(seen)


def test_a_board_that_fits_one_screen_is_drawn_as_before(make_event, instruments):
    for cards in (0, 1, 12, 41, 90):
        session, summary = big_board(make_event, instruments, cards, columns=("keep", "throw", "other"))
        screen = screen_at(session, summary, instruments, 5.0)
        instrument = instruments["keep_throw"]
        assert projector.keep_throw_body(screen, instrument) == old_keep_throw_body(screen, instrument)


def test_only_the_cards_of_the_page_shown_are_made(make_event, instruments):
    session, summary = big_board(make_event, instruments)
    columns = summary.boards["keep_throw"].columns
    assert all(isinstance(cards, Cards) and made(cards) == 0 for cards in columns.values())
    step_html(screen_at(session, summary, instruments, 13.0))
    # Building the page shows its cards; none is made of the room's cards (the layout reads their
    # texts and counts): before, every card of the board was made to lay it out.
    assert sum(made(cards) for cards in columns.values()) == 0
    layout = projector.room_layout(summary.boards["keep_throw"])
    shown = layout.page(page_at(layout.page_count, 13.0))
    assert 0 < sum(len(sub) for column in shown for sub in column) < layout.cards / 2


def test_each_board_is_laid_out_once_and_forgotten_with_it(make_event, instruments):
    session, summary = big_board(make_event, instruments, 200)
    board = summary.boards["keep_throw"]
    first = projector.room_layout(board)
    for now in (0.0, 10.0, 20.0):
        step_html(screen_at(session, summary, instruments, now))
    assert projector.room_layout(board) is first
    again = summarize(session, [], instruments)  # a new summary: a new board, its own layout
    assert projector.room_layout(again.boards["keep_throw"]) is not first
    key = (id(board), "layout")
    assert key in shared_drawing._PIECES
    del summary, board, first
    gc.collect()
    assert key not in shared_drawing._PIECES


def test_the_layout_equals_the_old_one_on_many_boards():
    rng = random.Random(7)
    for n in range(60):
        columns = {
            f"c{c}": [
                " ".join(rng.choice([*WORDS, "x" * rng.randint(20, 90)]) for _ in range(rng.randint(1, 14)))
                if rng.random() < 0.9
                else ShownCard(rng.choice(WORDS), rng.randint(2, 9))
                for _ in range(rng.choice((0, 1, 5, 16, 17, 40, 41, 80, 150, 400)))
            ]
            for c in range(1 + n % 5)
        }
        new = board_layout(columns)
        font, subs, widths, splits, pages = old_board_layout(columns)
        assert (new.font_px, new.subcolumns, list(new.widths), new.splits) == (font, subs, widths, splits)
        assert [[[list(sub) for sub in column] for column in page] for page in new.pages] == pages
        assert [new.page(p) for p in range(new.page_count)] == list(new.pages)


def test_the_core_reads_texts_and_counts_without_making_cards(make_event, instruments):
    _, summary = big_board(make_event, instruments, 30)
    board = summary.boards["keep_throw"]
    shown = {column: board.shown(column) for column in board.columns}
    assert all(made(cards) == 0 for cards in board.columns.values())
    assert shown == {c: [(card.text, card.count) for card in cards] for c, cards in board.columns.items()}
    assert ("Ensemble, autrement", 3) in shown["keep"]
    assert math.isclose(sum(n for pairs in shown.values() for _, n in pairs), board.total)
