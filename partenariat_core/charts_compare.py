"""Figures comparing sessions: overlaid radars, per-condition differences, continuum side by side,
and the keep/throw boards' cards and votes.

Same visual language as ``charts.py`` (large type for a projector, colour-blind-safe palette); one
colour per session, kept across the three figures so a session is recognised at a glance.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from partenariat_core.charts import DESIRED_COLOUR, NOW_COLOUR, _layout, condition_names
from partenariat_core.compare import BOARD_FIGURES, Comparison, session_label
from partenariat_core.i18n import label, t

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
SESSION_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")


def session_colour(i: int) -> str:
    return SESSION_COLOURS[i % len(SESSION_COLOURS)]


def translucent(colour: str, alpha: float) -> str:
    """``#RRGGBB`` → ``rgba(r, g, b, alpha)``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {alpha})"


def radar_overlay(comparison: Comparison, ident: str, lang: str) -> go.Figure:
    """Each session's mean derived score per condition on one wheel; unscored conditions at the centre."""
    instrument = comparison.instruments[ident]
    assert instrument.scale is not None
    low = min(lv.score for lv in instrument.scale.levels)
    high = max(lv.score for lv in instrument.scale.levels)
    names = condition_names(instrument, lang)
    fig = go.Figure()
    for i, data in enumerate(comparison.sessions):
        code = data.session.code
        if code not in comparison.means[ident]:
            continue
        means = comparison.means[ident][code].to_list()
        values = [low if (m is None or math.isnan(m)) else round(float(m), 2) for m in means]
        fig.add_trace(
            go.Scatterpolar(
                r=[*values, values[0]],
                theta=[*names, names[0]],
                name=session_label(data),
                line={"color": session_colour(i), "width": 4},
                marker={"size": 10},
                fill="toself",
                fillcolor=translucent(session_colour(i), 0.12),  # lines stay solid, overlaps stay readable
            )
        )
    fig.update_layout(
        polar={
            "radialaxis": {"range": [low, high], "dtick": 1 if high - low <= 4 else None},
            "angularaxis": {"tickfont": {"size": 18}, "direction": "clockwise"},
        }
    )
    return _layout(fig, t("compare.radar_title", lang), height=600)


def differences_bars(comparison: Comparison, ident: str, lang: str) -> go.Figure:
    """Per condition, each session's mean minus the baseline's: right of zero is higher."""
    instrument = comparison.instruments[ident]
    names = condition_names(instrument, lang)
    table = comparison.differences[ident]
    fig = go.Figure()
    for i, data in enumerate(comparison.sessions):
        column = f"{data.session.code} − {comparison.baseline}"
        if column not in table:
            continue
        values = [None if math.isnan(v) else v for v in table[column].to_list()]
        fig.add_bar(
            y=names,
            x=values,
            orientation="h",
            name=column,
            marker_color=session_colour(i),
            text=[f"{v:+.2f}" if v is not None else "" for v in values],
            textposition="outside",
        )
    fig.add_vline(x=0, line_width=2, line_color="#444")
    fig.update_layout(
        barmode="group", yaxis={"autorange": "reversed"}, xaxis={"title": t("compare.difference_axis", lang)}
    )
    return _layout(fig, t("compare.differences_title", lang, baseline=comparison.baseline))


def continuum_side_by_side(comparison: Comparison, ident: str, lang: str) -> go.Figure:
    """One panel per session: percent of its respondents at each level, now and desired."""
    instrument = comparison.instruments[ident]
    questions = comparison.continuum[ident]
    present = [d for d in comparison.sessions if any(d.session.code in q for q in questions.values())]
    levels = [label(lv.label, lang) for lv in instrument.levels]
    titles = [session_label(d) for d in present]
    fig = make_subplots(rows=1, cols=max(1, len(present)), shared_yaxes=True, subplot_titles=titles)
    for col, data in enumerate(present, start=1):
        for q, colour in zip(instrument.questions, (NOW_COLOUR, DESIRED_COLOUR), strict=False):
            counts = questions[q.id][data.session.code]
            total = int(counts.sum())
            pct = [round(100 * int(c) / total, 1) if total else 0 for c in counts]
            fig.add_bar(
                x=levels,
                y=pct,
                name=label(q.label, lang),
                marker_color=colour,
                text=[str(int(c)) for c in counts],
                textposition="outside",
                showlegend=col == 1,
                legendgroup=q.id,
                row=1,
                col=col,
            )
    fig.update_yaxes(title_text=t("compare.percent_axis", lang), range=[0, 110], row=1, col=1)
    fig.update_layout(barmode="group")
    return _layout(fig, t("compare.continuum_title", lang), height=560)


def boards_bars(comparison: Comparison, ident: str, lang: str) -> go.Figure:
    """Per board figure (cards posted, on the board, hidden…, votes, voters), one bar per session."""
    stats = comparison.boards[ident]
    names = [t(f"compare.board_{name}", lang) for name in BOARD_FIGURES]
    fig = go.Figure()
    for i, data in enumerate(comparison.sessions):
        board = stats.get(data.session.code)
        if board is None:
            continue
        values = [getattr(board, name) for name in BOARD_FIGURES]
        fig.add_bar(
            y=names,
            x=values,
            orientation="h",  # long figure names read across, as the differences' conditions do
            name=session_label(data),
            marker_color=session_colour(i),
            text=[str(v) for v in values],
            textposition="outside",
        )
    fig.update_layout(
        barmode="group",
        yaxis={"autorange": "reversed"},
        xaxis={"title": t("compare.count_axis", lang), "rangemode": "tozero"},
    )
    return _layout(fig, t("compare.boards_chart_title", lang), height=620)


def comparison_figures(comparison: Comparison, lang: str) -> list[tuple[str, go.Figure]]:
    """(instrument id, figure) in display order."""
    out = []
    for ident in comparison.means:
        out.append((ident, radar_overlay(comparison, ident, lang)))
        out.append((ident, differences_bars(comparison, ident, lang)))
    for ident in comparison.continuum:
        out.append((ident, continuum_side_by_side(comparison, ident, lang)))
    for ident, stats in comparison.boards.items():
        if stats:
            out.append((ident, boards_bars(comparison, ident, lang)))
    return out
