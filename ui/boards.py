"""Drawing the three boards from a ``SessionSummary``. No computing: the summary has it all."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TypeVar

import plotly.graph_objects as go
import streamlit as st

from partenariat_core import (
    Card,
    CardGroup,
    ConditionsScores,
    Instrument,
    SessionSummary,
    conditions_distribution,
    conditions_radar,
    continuum_bars,
    label,
    t_count,
    vote_step_id,
)
from ui import boards_timeline
from ui.boards_more import MORE_DRAW
from ui.runtime import Context
from ui.shared_drawing import made_once

T = TypeVar("T")

CHART_CONFIG = {"displaylogo": False, "responsive": True}
WEAKEST_SHOWN = 3


def once_per_summary(summary: SessionSummary, key: str, lang: str, build: Callable[[], T]) -> T:
    """Build each chart (or other drawn piece) once per summary and language, for every screen and
    every refresh tick (``ui.shared_drawing``)."""
    return made_once(summary, (key, lang), build)


def _chart(slot: object, figure: go.Figure, key: str) -> None:
    """Our own styling (large type for projectors), not Streamlit's theme, which would override it."""
    slot.plotly_chart(figure, config=CHART_CONFIG, theme=None, key=key)  # type: ignore[attr-defined]


def hidden_notice(ctx: Context) -> None:
    st.html(f"<div class='pl-hidden'>{html.escape(ctx.t('board.hidden'))}</div>")


def _card_html(card: Card) -> str:
    """One card; a group the host made is one card with its count (×N), its members a click away."""
    if not card.members:
        return f"<div class='pl-card'>{html.escape(card.text)}</div>"
    members = "".join(f"<li>{html.escape(m.text)}</li>" for m in card.members)
    return (
        f"<details class='pl-card pl-group'><summary>{html.escape(card.text)} "
        f"<b class='pl-times'>×{card.count}</b></summary><ul>{members}</ul></details>"
    )


def keep_throw(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    board = summary.boards[instrument.id]
    preset = instrument.preset(summary.session.keep_throw_preset)
    names = {c.id: label(c.label, ctx.lang) for c in preset.columns}
    st.subheader(instrument.heading(summary.session.keep_throw_preset, ctx.lang))
    columns = st.columns(max(1, len(board.columns)))
    for slot, (column, cards) in zip(columns, board.columns.items(), strict=True):
        title = html.escape(names.get(column, column))
        count = html.escape(ctx.t("board.cards", count=board.counts[column]))
        body = "".join(_card_html(card) for card in cards)
        if not cards:
            body = f"<p>{html.escape(ctx.t('board.no_cards'))}</p>"
        slot.html(
            f"<div class='pl-column {html.escape(column)}'><h3>{title} "
            f"<span class='pl-count'>({count})</span></h3>{body}</div>"
        )


def conditions(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    scores = summary.conditions[instrument.id]
    st.subheader(label(instrument.title, ctx.lang))
    left, right = st.columns(2)
    radar = once_per_summary(
        summary, f"radar_{instrument.id}", ctx.lang, lambda: conditions_radar(scores, instrument, ctx.lang)
    )
    spread = once_per_summary(
        summary,
        f"dist_{instrument.id}",
        ctx.lang,
        lambda: conditions_distribution(scores, instrument, ctx.lang),
    )
    _chart(left, radar, f"radar_{instrument.id}")
    _chart(right, spread, f"dist_{instrument.id}")
    weakest = once_per_summary(
        summary, f"weak_{instrument.id}", ctx.lang, lambda: _weakest(ctx, scores, instrument)
    )
    if weakest:
        st.markdown(weakest)
    if instrument.score_note:
        st.caption(label(instrument.score_note, ctx.lang))


def _weakest(ctx: Context, scores: ConditionsScores, instrument: Instrument) -> str:
    """The line naming the weakest items ("" if none scored): a pandas selection, so made once per
    summary like the charts, not on every refresh of every screen."""
    weakest = scores.items.dropna(subset=["mean"]).head(WEAKEST_SHOWN)
    if not len(weakest):
        return ""
    texts = {item.id: label(item.text, ctx.lang) for item in instrument.items}
    items = " · ".join(
        ctx.t("board.weak_item", condition=condition, text=texts[item], mean=mean)
        for item, condition, mean in weakest[["condition", "mean"]].itertuples()
    )
    return ctx.t("board.weakest", items=items)


def continuum(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    result = summary.continuum[instrument.id]
    st.subheader(label(instrument.title, ctx.lang))
    bars = once_per_summary(
        summary, f"cont_{instrument.id}", ctx.lang, lambda: continuum_bars(result, instrument, ctx.lang)
    )
    _chart(st, bars, f"cont_{instrument.id}")
    moves = ctx.t(
        "board.moves", up=result.moving_up, same=result.staying, down=result.moving_down, n=result.n_pairs
    )
    steps = " · ".join(
        t_count("board.shift_step", abs(step), ctx.lang, step=step, people=n)
        for step, n in result.shifts.items()
    )
    st.html(f"<p class='pl-big'>{html.escape(moves)}</p>")
    if steps:
        st.html(f"<p class='pl-big'>{html.escape(ctx.t('board.shifts', detail=steps))}</p>")


def vote_ranking(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    """The board's dot-vote results (issue 10.4), once the host revealed them: every entry with votes,
    ranked (ties share a rank), a group with its count (×N). Hidden: only that the vote is running."""
    step = vote_step_id(instrument.id)
    curated = summary.curated.get(instrument.id)
    if summary.session.agenda.vote(instrument.id) is None or curated is None:
        return
    title = ctx.t("votes.step_title", board=instrument.heading(summary.session.keep_throw_preset, ctx.lang))
    st.subheader(title)
    if step in summary.session.hidden_boards:
        tally = " · ".join(
            (
                t_count("votes.cast", curated.total_votes, ctx.lang),
                t_count("votes.voters", curated.voters, ctx.lang),
            )
        )
        notice = html.escape(ctx.t("votes.ranking_hidden"))
        st.html(f"<div class='pl-hidden'>{notice}<br>{html.escape(tally)}</div>")
        return
    ranking = curated.ranking()
    if not ranking:
        st.html(f"<p class='pl-big'>{html.escape(ctx.t('curation.no_votes'))}</p>")
        return
    rows = "".join(
        f"<tr><td><b>{r.rank}</b></td><td>{html.escape(r.entry.text)}"
        + (f" <b>×{r.entry.count}</b>" if isinstance(r.entry, CardGroup) else "")
        + f"</td><td><b>{r.votes}</b></td></tr>"
        for r in ranking
    )
    head = "".join(
        f"<th>{html.escape(ctx.t(k))}</th>"
        for k in ("curation.col_rank", "curation.col_text", "curation.col_votes")
    )
    st.html(
        f"<table class='pl-vote-ranking pl-big'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


DRAW = {"keep_throw": keep_throw, "conditions": conditions, "continuum": continuum, **MORE_DRAW}
DRAW.update(timeline=boards_timeline.timeline, grid=boards_timeline.grid)  # ui/boards_timeline.py


def all_boards(ctx: Context, summary: SessionSummary) -> None:
    """Each enabled instrument's board, or a placeholder when the host keeps it hidden."""
    for instrument_id in summary.session.instruments:
        instrument = summary.instruments.get(instrument_id) or ctx.rt.instruments.get(instrument_id)
        if instrument is None or instrument.kind not in DRAW:
            continue
        if instrument_id in summary.session.hidden_boards:
            st.subheader(label(instrument.title, ctx.lang))
            hidden_notice(ctx)
        else:
            DRAW[instrument.kind](ctx, summary, instrument)
        if instrument.kind == "keep_throw":
            vote_ranking(ctx, summary, instrument)  # nothing when the board has no vote step
        st.divider()
