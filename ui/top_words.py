"""The "Top words" view of a keep/throw board: each column as a word cloud of its most used words.

Counting is the core's (``top_words``: visible cards only, once per card, stop words out). Drawing is
the ``wordcloud`` package's: the image is made here on the server, so the words reach the browser as
pixels and nothing a participant typed can act as markup; the words are also in the image's ``alt``
text, escaped. The font is DejaVu Sans Bold, shipped inside matplotlib (a dependency of wordcloud),
so accents render the same on every machine; tokens are runs of letters, so an emoji never reaches
the font (and a glyph it lacked would draw as a box, not fail). Images are cached by their words
and size: a projector refreshing every few seconds redraws only when a card changes the counts.

Two places show it:

- the host dashboard (``dashboard_words``): a toggle *Mots fréquents* above the boards (on from the
  start with ``?words=1`` in the link, for a kiosk screen); the same toggle shows each open question
  (``kind = "open"``) as the top words of its answers, counted by the same ``top_words``;
- the projector screen (``words_step_html``): the screen link with ``&view=words`` shows every
  keep/throw step as word clouds instead of cards; the other steps, and a board whose results are
  hidden, show as usual. A host who wants both opens two screen links.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import streamlit as st

from partenariat_core import (
    JOIN_STEP,
    TOP_WORDS,
    CuratedBoard,
    Instrument,
    SessionSummary,
    WordCount,
    board_top_words,
    label,
    top_words,
)
from ui.literal import markdown_safe
from ui.projector import Screen, Translate, header, step_html
from ui.runtime import Context

CLOUD_WORDS = 30  # a cloud holds more words than a table, the smaller ones at the edges
# Okabe–Ito's darker colours: legible on white, told apart with the common colour-vision deficiencies
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#1f1f1f", "#005a8c", "#a04000")

# The projector's reference canvas (partenariat_core.screen_layout, ui/style.css): 1920 × 1080 with
# 24 px padding, a 150 px header, then each column's 56 px title and 12 px gap.
CANVAS_W, PAD, HEADER_H, COLUMN_HEAD_H, GAP = 1920, 24, 150, 56, 24
CLOUD_H = 1080 - 2 * PAD - HEADER_H - COLUMN_HEAD_H - 12


_WORDS: OrderedDict[tuple[int, str, int], tuple[CuratedBoard, list[WordCount]]] = OrderedDict()
_WORDS_LOCK = threading.Lock()
_WORDS_KEPT = 64


def column_words(board: CuratedBoard, column: str, limit: int = CLOUD_WORDS) -> list[WordCount]:
    """``board_top_words``, computed once per board object: ``LiveSessions`` hands every screen the
    same summary until an answer arrives, so twenty projectors refreshing every few seconds count a
    3,000-card board's words once, not twenty times per tick (``bench/bench_top_words.py``). The
    board is kept alongside, so its ``id`` cannot be reused by another object while cached."""
    slot = (id(board), column, limit)
    with _WORDS_LOCK:
        hit = _WORDS.get(slot)
        if hit is not None and hit[0] is board:
            _WORDS.move_to_end(slot)
            return hit[1]
    words = board_top_words(board, column, limit)
    with _WORDS_LOCK:
        _WORDS[slot] = (board, words)
        while len(_WORDS) > _WORDS_KEPT:
            _WORDS.popitem(last=False)
    return words


@functools.lru_cache(maxsize=64)
@functools.lru_cache(maxsize=64)
def answer_words(texts: tuple[str, ...], limit: int = CLOUD_WORDS) -> list[WordCount]:
    """``top_words`` of an open question's answers, once per set of answers: the dashboard redraws
    every refresh, the answers change only when someone sends one."""
    return top_words(texts, limit)


def cloud_png(words: tuple[tuple[str, int], ...], width: int, height: int) -> bytes:
    """A word cloud of ``(word, count)`` pairs as a PNG of ``width`` × ``height`` pixels.

    Horizontal words only (read from the back of a room), the most used the largest, the same
    layout for the same words (a fixed random state), each word coloured by its rank."""
    # imported here: matplotlib and wordcloud take about a second to import, which a screen or a
    # dashboard with the view off should not pay
    import matplotlib
    from wordcloud import WordCloud

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"
    rank = {word: i for i, (word, _) in enumerate(words)}

    def colour(word: str, **_: object) -> str:
        return COLOURS[rank.get(word, 0) % len(COLOURS)]

    cloud = WordCloud(
        width=width,
        height=height,
        font_path=str(font),
        background_color="white",
        prefer_horizontal=1.0,
        max_words=len(words),
        random_state=7,
        relative_scaling=1.0,
        min_font_size=12,
        margin=8,
        color_func=colour,
    )
    cloud.generate_from_frequencies(dict(words))
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def cloud_data_uri(words: list[WordCount], width: int, height: int) -> str:
    pairs = tuple((w.word, w.count) for w in words)
    return "data:image/png;base64," + base64.b64encode(cloud_png(pairs, width, height)).decode("ascii")


def alt_text(words: list[WordCount], t: Translate) -> str:
    """What a screen reader (and a test) reads instead of the image: the words and their counts."""
    return t("words.cloud_alt", words=", ".join(f"{w.word} ({w.count})" for w in words))


def _column_names(summary: SessionSummary, instrument: Instrument, lang: str) -> dict[str, str]:
    return {c.id: label(c.label, lang) for c in instrument.preset(summary.session.keep_throw_preset).columns}


def _columns(summary: SessionSummary, board: CuratedBoard) -> list[str]:
    """The board's columns in the room board's order (preset's first, then any kept from another)."""
    room = summary.boards.get(board.instrument)
    return list(room.columns) if room is not None else list(board.columns)


# the projector --------------------------------------------------------------------------------------
def words_body(screen: Screen, instrument: Instrument) -> str:
    """The columns side by side, each its title, its number of cards and its word cloud."""
    board = screen.summary.curated[instrument.id]
    columns = _columns(screen.summary, board)
    names = _column_names(screen.summary, instrument, screen.lang)
    width = (CANVAS_W - 2 * PAD - GAP * (len(columns) - 1)) // max(1, len(columns))
    sections = []
    for column in columns:
        cards = sum(1 for c in board.cards.values() if c.column == column and c.visible)
        words = column_words(board, column)
        if not cards:
            body = f"<div class='pl-s-empty'>{html.escape(screen.t('board.no_cards'))}</div>"
        elif not words:
            body = f"<div class='pl-s-empty'>{html.escape(screen.t('words.no_words'))}</div>"
        else:
            body = (
                f"<img class='pl-s-cloud' alt='{html.escape(alt_text(words, screen.t))}'"
                f" src='{cloud_data_uri(words, width, CLOUD_H)}' style='display:block;"
                f"margin-top:calc(var(--u)*12);width:calc(var(--u)*{width});"
                f"height:calc(var(--u)*{CLOUD_H})'>"
            )
        sections.append(
            f"<section class='pl-s-col {html.escape(column)}' style='width:calc(var(--u)*{width})'>"
            f"<h3>{html.escape(names.get(column, column))} <span>({cards})</span></h3>{body}</section>"
        )
    return f"<div class='pl-s-board' style='--f:24'>{''.join(sections)}</div>"


def words_step_html(screen: Screen) -> str:
    """The screen with ``&view=words``: a revealed keep/throw step as word clouds, any other step
    exactly as ``step_html`` draws it."""
    step = screen.view.step
    instrument = None if step == JOIN_STEP else screen.instruments.get(step)
    if (
        instrument is None
        or instrument.kind != "keep_throw"
        or not screen.view.revealed
        or instrument.id not in screen.summary.curated
    ):
        return step_html(screen)
    badge = f"<span class='pl-s-badge'>{html.escape(screen.t('words.title'))}</span>"
    return (
        f"<div class='pl-screen'>{header(screen, badge)}"
        f"<main class='pl-s-body'>{words_body(screen, instrument)}</main></div>"
    )


# the host dashboard ---------------------------------------------------------------------------------
def _words_table(slot: Any, ctx: Context, words: list[WordCount], count_key: str, key: str) -> None:
    """A cloud of ``words`` and the table of the first ``TOP_WORDS`` with their counts."""
    slot.image(cloud_png(tuple((w.word, w.count) for w in words), 900, 560), width="stretch")
    shown = words[:TOP_WORDS]
    slot.dataframe(
        {ctx.t("words.col_word"): [w.word for w in shown], ctx.t(count_key): [w.count for w in shown]},
        hide_index=True,
        key=key,
    )


def open_question_words(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    """An open question's answers as one word cloud and its top words (each person's latest answer,
    a word counted once per answer). Hidden results stay hidden."""
    code = summary.session.code
    st.subheader(markdown_safe(ctx.t("words.heading", board=label(instrument.title, ctx.lang))))
    if instrument.id in summary.session.hidden_boards:
        st.html(f"<div class='pl-hidden'>{html.escape(ctx.t('board.hidden'))}</div>")
        return
    words = answer_words(tuple(card.text for card in summary.answers.get(instrument.id, ())))
    if not words:
        st.caption(ctx.t("words.no_words"))
        return
    _words_table(st, ctx, words, "words.col_answers", f"top_words_{code}_{instrument.id}")
    st.caption(ctx.t("words.open_rule"))


def dashboard_words(ctx: Context, summary: SessionSummary) -> None:
    """A toggle; when on, each keep/throw board of the session as word clouds with the top words'
    counts, and each open question as the top words of its answers. A board whose results the host
    hides stays hidden here too."""
    code = summary.session.code
    start = st.query_params.get("words") == "1"
    if not st.toggle(ctx.t("words.toggle"), value=start, key=f"top_words_{code}", help=ctx.t("words.rule")):
        return
    for ident in summary.session.instruments:
        board = summary.curated.get(ident)
        instrument = summary.instruments.get(ident) or ctx.rt.instruments.get(ident)
        if instrument is not None and instrument.kind == "open" and ident in summary.answers:
            open_question_words(ctx, summary, instrument)
            continue
        if board is None or instrument is None:
            continue
        heading = instrument.heading(summary.session.keep_throw_preset, ctx.lang)
        st.subheader(markdown_safe(ctx.t("words.heading", board=heading)))
        if ident in summary.session.hidden_boards:
            st.html(f"<div class='pl-hidden'>{html.escape(ctx.t('board.hidden'))}</div>")
            continue
        columns = _columns(summary, board)
        names = _column_names(summary, instrument, ctx.lang)
        for slot, column in zip(st.columns(max(1, len(columns))), columns, strict=False):
            words = column_words(board, column)
            slot.markdown(f"**{markdown_safe(names.get(column, column))}**")
            if not words:
                slot.caption(ctx.t("words.no_words"))
                continue
            _words_table(slot, ctx, words, "words.col_cards", f"top_words_{code}_{ident}_{column}")
    st.caption(ctx.t("words.rule"))
