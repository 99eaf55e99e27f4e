"""How a keep/throw board fits a projector: font size, sub-columns, pages. Pure, so it is tested.

The projector page draws on a 1920 × 1080 reference canvas whose unit scales with the window
(``--u = min(100vw / 1920, 100vh / 1080)``), so one layout fits 1920 × 1080 and 1280 × 720 alike and
the decisions below depend only on the cards, never on the browser. Heights are estimated from the
text (words wrapped greedily at a conservative average character width), so the estimate errs on the
side of space left over; the browser test measures the real boxes.

The order of the fallbacks follows what a room needs (issue 9): every column side by side; up to 40
cards the text stays at 24 px and cards flow into sub-columns; past 40 the text shrinks first, to a
floor of 18 px, then flows into sub-columns; and when even that is too much the board pages by
itself, with a visible "page 2/3". Identical cards from several people are shown once, with ×N.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# The reference canvas, in 1080p pixels (the page's CSS uses the same numbers).
CANVAS_W, CANVAS_H = 1920, 1080
PAD = 24  # around the canvas
HEADER_H = 150  # title, step and counters on the left, the join banner (QR, address, code) on the right
COLUMN_HEAD_H = 56  # a column's title and count
COLUMN_GAP = 24
SUBCOLUMN_GAP = 12
BOARD_W = CANVAS_W - 2 * PAD
BOARD_H = CANVAS_H - 2 * PAD - HEADER_H - COLUMN_HEAD_H - 12

BIG_FONT, FLOOR_FONT = 24, 18
FONTS_PAST_LIMIT = (24, 22, 20, 18)
BIG_TEXT_UP_TO = 40  # cards shown at 24 px at least
MIN_SUBCOLUMN_W = 230
CHAR_EM = 0.5  # average character width over font size (the app font, Source Sans, is ~0.46)
LINE = 1.2  # line height over font size
PAD_X, PAD_Y, GAP_Y = 0.5, 0.25, 0.25  # card padding and spacing, over font size
BORDER = 2
SECONDS_PER_PAGE = 10
CARD_OVERHEAD_CHARS = 24  # a card's padding and gap, counted as text when sharing out the width
MIN_SHARE = 0.5


@dataclass(frozen=True)
class ShownCard:
    """One card as shown: identical cards (case and spaces aside) once, with their number."""

    text: str
    count: int = 1


Pair = tuple[str, int]  # a card as laid out: its text and how many it stands for (×N)
Span = tuple[int, int]  # the cards ``start:end`` of a column's merged list, in one sub-column


@dataclass(frozen=True)
class BoardLayout:
    """``pages[p][c][s]``: the cards of page ``p``, column ``c``, sub-column ``s``.

    The layout keeps each column's merged cards as (text, count) pairs and each sub-column as a span
    of them; :meth:`page` makes the ``ShownCard`` of one page only (a screen draws one page of a board
    that may hold 200,000 cards), ``pages`` makes them all."""

    font_px: int
    subcolumns: int
    widths: tuple[float, ...]  # each column's width, in reference pixels
    splits: tuple[int, ...]  # each column's number of sub-columns (a narrow one may take fewer)
    cards: int  # cards shown (after merging identical ones)
    merged: tuple[tuple[Pair, ...], ...] = field(repr=False)  # each column's cards, merged
    spans: tuple[tuple[tuple[Span, ...], ...], ...] = field(repr=False)  # [column][page][sub]

    @property
    def page_count(self) -> int:
        return max((len(column) for column in self.spans), default=1)

    def page(self, page: int) -> tuple[tuple[tuple[ShownCard, ...], ...], ...]:
        """``pages[page]``, made alone: a column with fewer pages shows one empty sub-column."""
        if not 0 <= page < self.page_count:
            raise IndexError(page)
        if not self.spans:  # no column at all: one empty column
            return (((),),)
        return tuple(
            tuple(tuple(ShownCard(*cards[i]) for i in range(*span)) for span in column[page])
            if page < len(column)
            else ((),)
            for cards, column in zip(self.merged, self.spans, strict=True)
        )

    @property
    def pages(self) -> tuple[tuple[tuple[tuple[ShownCard, ...], ...], ...], ...]:
        return tuple(self.page(p) for p in range(self.page_count))


def _merge(texts: Sequence[str | ShownCard | Pair]) -> list[Pair]:
    """``merge_identical`` as (text, count) pairs: the layout makes no ``ShownCard`` of its own.
    Two dicts of strings and ints rather than one of lists: on a board of 200,000 cards, objects the
    garbage collector tracks cost more in its passes than the merging itself."""
    first: dict[str, str] = {}
    counts: dict[str, int] = {}
    for item in texts:
        if isinstance(item, str):
            text, n = item, 1
        elif isinstance(item, ShownCard):
            text, n = item.text, item.count
        else:
            text, n = item
        key = " ".join(text.casefold().split())
        if key in counts:
            counts[key] += n
        else:
            first[key] = text
            counts[key] = n
    return list(zip(first.values(), counts.values(), strict=True))


def merge_identical(texts: Sequence[str | ShownCard | Pair]) -> list[ShownCard]:
    """First-seen order; "Vision commune" and "vision  commune " are one card ×2. A ``ShownCard``
    or a (text, count) pair (a group the host made, already ×N) adds its count to the card it merges
    with."""
    return [ShownCard(text, n) for text, n in _merge(texts)]


def _lines(text: str, per_line: int) -> int:
    """Greedy word wrap, long words broken (the CSS says ``overflow-wrap: anywhere``)."""
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        while size > per_line:  # a word longer than a line takes whole lines of its own
            if used:
                lines, used = lines + 1, 0
            lines += 1
            size -= per_line
        need = size if used == 0 else used + 1 + size
        if need <= per_line:
            used = need
        else:
            lines, used = lines + 1, size
    return lines


def _per_line(font_px: float, width: float) -> int:
    inner = width - 2 * PAD_X * font_px - 2 * BORDER
    return max(1, math.floor(inner / (CHAR_EM * font_px)))


def card_height(card: ShownCard, font_px: float, width: float) -> float:
    """Estimated height of one card (with the gap under it), in reference pixels."""
    text = card.text if card.count == 1 else f"{card.text} ×{card.count}"
    lines = _lines(text, _per_line(font_px, width))
    return lines * LINE * font_px + 2 * PAD_Y * font_px + 2 * BORDER + GAP_Y * font_px


def column_widths(merged: Sequence[Sequence[ShownCard | Pair]]) -> list[float]:
    """Each column's width, in proportion to how much it holds, never under half an equal share:
    a column of long cards gets the room it needs and a nearly empty one keeps a readable title."""
    n = max(1, len(merged))
    usable = BOARD_W - COLUMN_GAP * (n - 1)
    weights = [
        sum(len(c.text if isinstance(c, ShownCard) else c[0]) + CARD_OVERHEAD_CHARS for c in cards)
        for cards in merged
    ]
    if not sum(weights):
        return [usable / n] * n
    shares = [max(w / sum(weights), MIN_SHARE / n) for w in weights]
    return [usable * share / sum(shares) for share in shares]


def subcolumn_width(column: float, subcolumns: int) -> float:
    return (column - SUBCOLUMN_GAP * (subcolumns - 1)) / subcolumns


def _paginate(
    cards: Sequence[Pair], font_px: int, width: float, subcolumns: int, height: float, *, whole: bool = True
) -> list[list[Span]] | None:
    """Fill sub-column after sub-column, page after page, in arrival order: each page's sub-columns
    as spans of ``cards``. ``whole=False``: ``None`` as soon as a second page begins (a layout tried
    only to see whether it fits one screen need not page the rest)."""
    per_line = _per_line(font_px, width)
    pad, border, gap = 2 * PAD_Y * font_px, 2 * BORDER, GAP_Y * font_px
    pages: list[list[Span]] = [[]]
    start, used = 0, 0.0
    for index, (text, n) in enumerate(cards):
        # card_height, its terms added in the same order (the same float)
        size = _lines(text if n == 1 else f"{text} ×{n}", per_line) * LINE * font_px + pad + border + gap
        if used + size > height and index > start:
            pages[-1].append((start, index))
            if len(pages[-1]) == subcolumns:
                if not whole:
                    return None
                pages.append([])
            start, used = index, 0.0
        used += size
    pages[-1].append((start, len(cards)))
    return pages


def _most(width: float) -> int:
    """Most sub-columns a column of ``width`` takes, each at least ``MIN_SUBCOLUMN_W`` wide."""
    return max(1, min(4, math.floor((width + SUBCOLUMN_GAP) / (MIN_SUBCOLUMN_W + SUBCOLUMN_GAP))))


def _candidates(cards: int, widest: float) -> list[tuple[int, int]]:
    most = _most(widest)
    if cards <= BIG_TEXT_UP_TO:
        return [(BIG_FONT, s) for s in range(1, most + 1)]
    return [(f, 1) for f in FONTS_PAST_LIMIT] + [(FLOOR_FONT, s) for s in range(2, most + 1)]


def board_layout(
    columns: Mapping[str, Sequence[str | ShownCard | Pair]], *, height: float = BOARD_H
) -> BoardLayout:
    """The largest text and fewest sub-columns with which the whole board fits one screen, following
    the fallbacks of the module docstring; else the last of them, over as few pages as it takes.
    ``columns``: column id → card texts in arrival order (every column, empty ones too); a group of
    cards comes as one ``ShownCard`` or one (text, count) pair with its count.

    Only the last fallback is paged through to the end: an earlier one is dropped as soon as one
    column needs a second page."""
    merged = [_merge(texts) for texts in columns.values()]
    total = sum(len(cards) for cards in merged)
    widths = column_widths(merged)
    candidates = _candidates(total, max(widths))
    spans: list[list[list[Span]]] = []
    font, subs = BIG_FONT, 1
    for tried, (font, subs) in enumerate(candidates, start=1):
        whole = tried == len(candidates)
        spans = []
        for cards, w in zip(merged, widths, strict=True):
            split = min(subs, _most(w))
            pages = _paginate(cards, font, subcolumn_width(w, split), split, height, whole=whole)
            if pages is None:
                break
            spans.append(pages)
        else:
            if all(len(pages) == 1 for pages in spans):
                break
    splits = tuple(min(subs, _most(w)) for w in widths)
    return BoardLayout(
        font,
        subs,
        tuple(widths),
        splits,
        total,
        tuple(tuple(cards) for cards in merged),
        tuple(tuple(tuple(page) for page in column) for column in spans),
    )


def page_at(page_count: int, now_seconds: float, seconds_per_page: int = SECONDS_PER_PAGE) -> int:
    """Which page a rotating board shows now: every screen computes the same from the clock."""
    if page_count <= 1:
        return 0
    return int(now_seconds // seconds_per_page) % page_count


def count_ticks(largest: int, most: int = 6) -> list[int]:
    """Whole-number ticks from 0 past ``largest``, at most ``most`` of them, in steps of 1, 2, 5, 10…"""
    largest = max(1, int(largest))
    step = 1
    while math.ceil(largest / step) + 1 > most:
        for factor in (2, 2.5, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            step = int(step * factor)
            if math.ceil(largest / step) + 1 <= most:
                break
    top = math.ceil(largest / step) * step
    return list(range(0, top + 1, step))
