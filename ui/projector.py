"""The projector screen's drawing: one step of the agenda as one block of HTML.

Everything is sized on a 1920 × 1080 reference canvas whose unit ``--u`` scales with the window
(``partenariat_core.screen_layout``), so the same HTML fits 1920 × 1080 and 1280 × 720 with nothing to
scroll. These functions only build text (no Streamlit call), so the benchmark can time a refresh and
a test can read what a step shows; ``pages/screen.py`` hands the result to ``st.html``.

Charts are drawn in HTML too, not Plotly: a projector needs one chart that fills the wall with large
labels and whole-number axes, and a Plotly figure has a fixed pixel height the server cannot know.
Text people wrote is escaped, always.
"""

from __future__ import annotations

import base64
import functools
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from partenariat_core import (
    JOIN_STEP,
    SECONDS_PER_PAGE,
    Board,
    BoardLayout,
    CardGroup,
    Instrument,
    ScreenView,
    SessionSummary,
    ShownCard,
    board_layout,
    count_ticks,
    label,
    page_at,
    qr_png,
    t_count,
    vote_board,
)
from ui.shared_drawing import made_once

Translate = Callable[..., str]

# Scale colours: strong, moderate, weak, then "don't know" in a grey no scale colour resembles.
SCALE_COLOURS = ("#1b7f3b", "#f0b400", "#d1452a", "#8c8c8c", "#5b3f99")
DONT_KNOW_COLOUR = "#9aa0a6"
# A four-level scale (the six key activities: fully … not at all) runs strong to weak too: its last
# level would otherwise get the grey of "don't know".
SCALE_COLOURS_4 = ("#1b7f3b", "#7cb342", "#f0b400", "#d1452a")
NOW_COLOUR, DESIRED_COLOUR = "#1f4e9c", "#e4572e"


@dataclass(frozen=True)
class Screen:
    """What one refresh of one projector draws from: the summary, the step and the room's address."""

    summary: SessionSummary
    view: ScreenView
    instruments: dict[str, Instrument]
    join_url: str
    lang: str
    t: Translate
    now_seconds: float  # wall clock, for the page of a rotating board


def next_redraw(view: ScreenView, now_seconds: float) -> float:
    """When a step's drawing changes with no answer nor host action: its countdown's next second
    while a timer runs, else a rotating board's next page (every screen turns its pages on the same
    wall-clock boundaries, ``page_at``)."""
    next_page = (math.floor(now_seconds / SECONDS_PER_PAGE) + 1) * SECONDS_PER_PAGE
    if view.remaining is not None and view.remaining > 0:
        return min(now_seconds + 1.0, next_page)
    return next_page


def e(text: object) -> str:
    return html.escape(str(text))


@functools.lru_cache(maxsize=64)
def qr_data_uri(url: str) -> str:
    """The join QR as a PNG data URI, made once per address (every step and every screen reuse it)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url, scale=10)).decode("ascii")


def short_address(url: str) -> str:
    """What people type: the host and port, without ``http://`` and the query."""
    parts = urlsplit(url)
    return (parts.netloc or url) + (parts.path.rstrip("/") if parts.path not in ("", "/") else "")


def people(count: int, lang: str) -> str:
    return t_count("screen.people", count, lang)


def clock_text(t: Translate, remaining: int | None) -> str:
    if remaining is None:
        return ""
    if remaining == 0:
        return f"<span class='pl-s-timer up'>{e(t('screen.time_up'))}</span>"
    minutes, seconds = divmod(remaining, 60)
    return f"<span class='pl-s-timer'>⏱ {minutes}:{seconds:02d}</span>"


def step_title(screen: Screen) -> str:
    step = screen.view.step
    if step == JOIN_STEP:
        return screen.t("agenda.join")
    board = vote_board(step)
    ident = board or step
    instrument = screen.summary.instruments.get(ident) or screen.instruments.get(ident)  # its own copy
    if instrument is None:
        return step
    heading = instrument.heading(screen.summary.session.keep_throw_preset, screen.lang)
    return screen.t("votes.step_title", board=heading) if board else heading


def header(screen: Screen, extra: str = "") -> str:
    """Title, step, counters and the small join banner, on every step but the join step."""
    view, t = screen.view, screen.t
    badges = []
    if view.locked:
        badges.append(f"<span class='pl-s-badge'>{e(t('screen.locked'))}</span>")
    badges.append(extra)
    step = t("screen.step", n=view.index, total=view.total - 1)
    count = people(screen.summary.participants, screen.lang)
    return (
        "<div class='pl-s-head'><div class='pl-s-titles'>"
        f"<div class='pl-s-title'>{e(screen.summary.session.title)}</div>"
        f"<div class='pl-s-step'>{e(step)} · <b>{e(step_title(screen))}</b> {''.join(badges)}</div>"
        f"<div class='pl-s-meta'><span class='pl-s-people'>{e(count)}</span>"
        f" {clock_text(t, view.remaining)}</div></div>"
        f"<div class='pl-s-join'><img class='pl-s-qr' alt='QR' src='{qr_data_uri(screen.join_url)}'>"
        f"<div><div class='pl-s-joinat'>{e(t('screen.join_at'))}</div>"
        f"<div class='pl-s-addr'>{e(short_address(screen.join_url))}</div>"
        f"<div class='pl-s-code'>{e(screen.summary.session.code)}</div></div></div></div>"
    )


def join_step(screen: Screen) -> str:
    """The first step: the QR code, the address and the code, as large as the wall allows."""
    t = screen.t
    count = people(screen.summary.participants, screen.lang)
    return (
        "<div class='pl-screen pl-s-joinstep'>"
        f"<div class='pl-s-title'>{e(screen.summary.session.title)}</div>"
        "<div class='pl-s-joinbody'>"
        f"<img class='pl-s-bigqr' alt='QR' src='{qr_data_uri(screen.join_url)}'>"
        f"<div class='pl-s-joininfo'><div class='pl-s-joinat'>{e(t('screen.join_at'))}</div>"
        f"<div class='pl-s-addr big'>{e(short_address(screen.join_url))}</div>"
        f"<div class='pl-s-joinat'>{e(t('screen.code'))}</div>"
        f"<div class='pl-s-code big'>{e(screen.summary.session.code)}</div>"
        f"<div class='pl-s-meta'>{e(count)}</div></div></div></div>"
    )


def room_layout(board: Board) -> BoardLayout:
    """The layout of a keep / throw board (``board_layout``), made once per board
    (``ui.shared_drawing``): every screen of a session draws from the same summary until an answer
    arrives, and turns its pages every ten seconds, so each screen and each page reuses it. Laid out
    from each card's text and count (``Board.shown``), so the room's cards are not made; a group is
    one card ×N, like identical cards."""
    return made_once(board, "layout", lambda: board_layout({c: board.shown(c) for c in board.columns}))


def subcolumns_html(subs: Sequence[Sequence[ShownCard]]) -> str:
    """One column's sub-columns of a laid-out page, each card with its ×N when it stands for more."""
    return "".join(
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


def page_badge(screen: Screen, page: int, pages: int) -> str:
    """ "page 2/3" in the header of a board that turns its pages; nothing on a board of one page."""
    if pages <= 1:
        return ""
    return f"<span class='pl-s-badge page'>{e(screen.t('screen.page', page=page + 1, pages=pages))}</span>"


def keep_throw_body(screen: Screen, instrument: Instrument) -> tuple[str, str]:
    """(the board, the page indicator): columns side by side as ``board_layout`` decided."""
    board = screen.summary.boards[instrument.id]
    layout = room_layout(board)
    page = page_at(layout.page_count, screen.now_seconds)
    shown = layout.page(page)  # the cards of this page only are made
    names = {
        c.id: label(c.label, screen.lang)
        for c in instrument.preset(screen.summary.session.keep_throw_preset).columns
    }
    columns = []
    for index, (column, cards) in enumerate(board.columns.items()):
        body = subcolumns_html(shown[index])
        if not cards:
            body = f"<div class='pl-s-empty'>{e(screen.t('board.no_cards'))}</div>"
        columns.append(
            f"<section class='pl-s-col {e(column)}' style='width:calc(var(--u)*{layout.widths[index]:.1f})'>"
            f"<h3>{e(names.get(column, column))} <span>({board.counts[column]})</span></h3>"
            f"<div class='pl-s-subs' style='--n:{layout.splits[index]}'>{body}</div></section>"
        )
    return (
        f"<div class='pl-s-board' style='--f:{layout.font_px}'>{''.join(columns)}</div>",
        page_badge(screen, page, layout.page_count),
    )


def _axis(ticks: list[int], vertical: bool = False) -> str:
    top = ticks[-1]
    marks = "".join(
        f"<span style='{'bottom' if vertical else 'left'}:{100 * tick / top:.2f}%'>{tick}</span>"
        for tick in ticks
    )
    return f"<div class='pl-s-axis{' v' if vertical else ''}'>{marks}</div>"


def _no_answers(t: Translate) -> str:
    return f"<div class='pl-s-noanswer'>{e(t('screen.no_answers'))}</div>"


def conditions_body(screen: Screen, instrument: Instrument) -> str:
    """One horizontal bar per condition: how many people said strong, moderate, weak or don't know."""
    assert instrument.scale is not None
    table = screen.summary.conditions[instrument.id].conditions
    values = list(instrument.scale.values)
    names = [label(level.label, screen.lang) for level in instrument.scale.levels]
    names.append(label(instrument.scale.dont_know, screen.lang))
    colours = [*(SCALE_COLOURS_4 if len(values) == 4 else SCALE_COLOURS)[: len(values)], DONT_KNOW_COLOUR]
    rows = []
    totals = []
    for condition in instrument.conditions:
        counts = [
            int(table.at[condition.id, f"count_{v}"]) if condition.id in table.index else 0 for v in values
        ]
        counts.append(int(table.at[condition.id, "dont_know"]) if condition.id in table.index else 0)
        totals.append(sum(counts))
        rows.append((condition, counts))
    if not any(totals):
        return _no_answers(screen.t)
    ticks = count_ticks(max(totals))
    legend = "".join(
        f"<span><i style='background:{colour}'></i>{e(name)}</span>"
        for name, colour in zip(names, colours, strict=True)
    )
    bars = []
    for condition, counts in rows:
        text = label(condition.short, screen.lang) or label(condition.label, screen.lang)
        segments = "".join(
            f"<div class='pl-s-seg' style='width:{100 * n / ticks[-1]:.2f}%;background:{colour}'>{n}</div>"
            for n, colour in zip(counts, colours, strict=True)
            if n
        )
        bars.append(
            f"<div class='pl-s-hrow'><div class='pl-s-hlabel'><b>{e(condition.id)}</b> {e(text)}</div>"
            f"<div class='pl-s-hbar'>{segments}</div></div>"
        )
    return (
        f"<div class='pl-s-chart'><div class='pl-s-legend'>{legend}</div>{''.join(bars)}"
        f"<div class='pl-s-hrow'><div class='pl-s-hlabel'></div>{_axis(ticks)}</div></div>"
    )


def continuum_body(screen: Screen, instrument: Instrument) -> str:
    """Per level of the continuum, two bars: where people see the partnership now, and where it
    should be; whole-number counts on a whole-number axis."""
    result = screen.summary.continuum[instrument.id]
    counts = result.counts
    questions = [q.id for q in instrument.questions]
    colours = [NOW_COLOUR, DESIRED_COLOUR, *SCALE_COLOURS][: len(questions)]
    largest = int(counts.to_numpy().max()) if counts.size else 0
    if largest == 0:
        return _no_answers(screen.t)
    ticks = count_ticks(largest)
    legend = "".join(
        f"<span><i style='background:{colour}'></i>{e(label(q.label, screen.lang))}</span>"
        for q, colour in zip(instrument.questions, colours, strict=True)
    )
    groups = []
    for level in instrument.levels:
        bars = "".join(
            f"<div class='pl-s-vbar' style='height:{100 * int(counts.at[level.id, q]) / ticks[-1]:.2f}%;"
            f"background:{colour}'><span>{int(counts.at[level.id, q])}</span></div>"
            for q, colour in zip(questions, colours, strict=True)
        )
        groups.append(
            f"<div class='pl-s-vgroup'><div class='pl-s-vbars'>{bars}</div>"
            f"<div class='pl-s-vlabel'>{e(label(level.label, screen.lang))}</div></div>"
        )
    moves = screen.t(
        "board.moves", up=result.moving_up, same=result.staying, down=result.moving_down, n=result.n_pairs
    )
    return (
        f"<div class='pl-s-chart'><div class='pl-s-legend'>{legend}</div>"
        f"<div class='pl-s-vchart'>{_axis(ticks, vertical=True)}"
        f"<div class='pl-s-vgroups'>{''.join(groups)}</div></div>"
        f"<div class='pl-s-moves'>{e(moves)}</div></div>"
    )


# The vote step (issue 10.4). Its own style block, so the ranked list's sizes live beside the numbers
# they were measured with: a row is at most two lines of 28 px text (longer text is cut with "…"), so
# the header (150), the title row and ten rows and the "+ N others" line fit the 1080 px canvas
# (measured in tests/browser/test_votes_flow.py).
VOTE_TOP = 10
VOTE_CSS = """<style>
.pl-s-vote { height: 100%; display: flex; flex-direction: column; gap: calc(var(--u) * 8);
  padding-top: calc(var(--u) * 8); }
.pl-s-vote.wait { align-items: center; justify-content: center; gap: calc(var(--u) * 32); }
.pl-s-vote .big { font-size: calc(var(--u) * 96); font-weight: 800; color: #1f4e9c; }
.pl-s-vote .tally { font-size: calc(var(--u) * 48); font-weight: 700; color: #333; }
.pl-s-vrow { display: grid; grid-template-columns: calc(var(--u) * 90) 1fr calc(var(--u) * 420);
  align-items: center; gap: calc(var(--u) * 20); min-height: 0; flex: none;
  height: calc(var(--u) * 72); padding: 0 calc(var(--u) * 16); border-radius: calc(var(--u) * 10);
  background: #f2f5fa; }
.pl-s-vrow.first { background: #fff4cc; }
.pl-s-vrank { font-size: calc(var(--u) * 44); font-weight: 800; text-align: center; }
.pl-s-vtext { font-size: calc(var(--u) * 28); line-height: 1.2; overflow: hidden; display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow-wrap: anywhere; }
.pl-s-vtext .pl-s-times { color: #1f4e9c; }
.pl-s-vcount { display: flex; align-items: center; gap: calc(var(--u) * 12); }
.pl-s-vbar2 { height: calc(var(--u) * 28); background: #1f4e9c; border-radius: calc(var(--u) * 6); }
.pl-s-vnum { font-size: calc(var(--u) * 40); font-weight: 800; white-space: nowrap; }
.pl-s-vmore { font-size: calc(var(--u) * 28); color: #444; padding-left: calc(var(--u) * 16); flex: none; }
</style>"""


def vote_body(screen: Screen, board: str) -> str:
    """Hidden: "vote in progress" with the votes cast and how many people voted, nothing that ranks.
    Revealed: the top ``VOTE_TOP`` entries by votes (rank, text, ×N for a group, votes), and how many
    more have votes, so the list always fits the screen."""
    curated = screen.summary.curated.get(board)
    if curated is None:
        return _no_answers(screen.t)
    t, lang = screen.t, screen.lang
    if not screen.view.revealed:
        cast = t_count("votes.cast", curated.total_votes, lang)
        voters = t_count("votes.voters", curated.voters, lang)
        return (
            f"{VOTE_CSS}<div class='pl-s-vote wait'><div class='big'>{e(t('votes.in_progress'))}</div>"
            f"<div class='tally'>{e(cast)} · {e(voters)}</div></div>"
        )
    ranking = curated.ranking()
    if not ranking:
        return f"{VOTE_CSS}<div class='pl-s-noanswer'>{e(t('curation.no_votes'))}</div>"
    shown, more = ranking[:VOTE_TOP], len(ranking) - VOTE_TOP
    top = shown[0].votes
    rows = []
    for ranked in shown:
        entry = ranked.entry
        times = f" <b class='pl-s-times'>×{entry.count}</b>" if isinstance(entry, CardGroup) else ""
        rows.append(
            f"<div class='pl-s-vrow{' first' if ranked.rank == 1 else ''}'>"
            f"<div class='pl-s-vrank'>{ranked.rank}</div>"
            f"<div class='pl-s-vtext'>{e(entry.text)}{times}</div>"
            f"<div class='pl-s-vcount'><div class='pl-s-vbar2' style='width:{70 * ranked.votes / top:.1f}%'>"
            f"</div><span class='pl-s-vnum'>{ranked.votes}</span></div></div>"
        )
    if more > 0:
        rows.append(f"<div class='pl-s-vmore'>{e(t_count('votes.others', more, lang))}</div>")
    return f"{VOTE_CSS}<div class='pl-s-vote'>{''.join(rows)}</div>"


def step_html(screen: Screen) -> str:
    """The whole screen for the step in ``screen.view``."""
    if screen.view.step == JOIN_STEP:
        return join_step(screen)
    board = vote_board(screen.view.step)
    if board is not None:  # a vote step: hidden or not is vote_body's to say (no ranking leaks)
        body = vote_body(screen, board)
        return f"<div class='pl-screen'>{header(screen)}<main class='pl-s-body'>{body}</main></div>"
    instrument = screen.summary.instruments.get(screen.view.step) or screen.instruments.get(screen.view.step)
    extra, body = "", ""
    if instrument is None:
        body = _no_answers(screen.t)
    elif not screen.view.revealed:
        body = f"<div class='pl-s-hidden'>{e(screen.t('board.hidden'))}</div>"
    elif instrument.kind == "keep_throw" and instrument.id in screen.summary.boards:
        body, extra = keep_throw_body(screen, instrument)
    elif instrument.kind == "conditions" and instrument.id in screen.summary.conditions:
        body = conditions_body(screen, instrument)
    elif instrument.kind == "continuum" and instrument.id in screen.summary.continuum:
        body = continuum_body(screen, instrument)
    elif instrument.kind in ("timeline", "grid"):  # ui/projector_timeline.py
        body, extra = __import__("ui.projector_timeline", fromlist=["field_body"]).field_body(
            screen, instrument
        )
    elif instrument.kind in ("choice", "open"):  # issue 11.1
        from ui.projector_more import more_body

        body, extra = more_body(screen, instrument)
    else:
        body = _no_answers(screen.t)
    return f"<div class='pl-screen'>{header(screen, extra)}<main class='pl-s-body'>{body}</main></div>"
