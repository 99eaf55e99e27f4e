"""The dashboard boards of the field's instruments: the timeline of transitional results (a bar chart
of the counts per result, coloured by domain, then the events in timeline order) and the grid of a
controversy portrait (a table). No computing: the summary has it all."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from partenariat_core import Instrument, SessionSummary, grid_table, label, t_count
from ui.projector_timeline import DOMAIN_COLOURS, domain_colour
from ui.runtime import Context


def counts_figure(summary: SessionSummary, instrument: Instrument, lang: str) -> go.Figure:
    """One horizontal bar per transitional result, in the file's order from the top, one colour per
    domain (the legend names the domains)."""
    result = summary.timeline[instrument.id]
    figure = go.Figure()
    for n, domain in enumerate(instrument.domains):
        figure.add_bar(
            orientation="h",
            name=label(domain.label, lang),
            y=[label(r.label, lang) for r in domain.results],
            x=[result.per_result.get(r.id, 0) for r in domain.results],
            marker_color=DOMAIN_COLOURS[n % len(DOMAIN_COLOURS)],
            text=[result.per_result.get(r.id, 0) for r in domain.results],
            textposition="outside",
        )
    figure.update_layout(
        height=120 + 34 * len(instrument.results()),
        margin={"l": 10, "r": 30, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.08, "x": 0},
        font={"size": 16},
        xaxis={"dtick": 1, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "automargin": True},
        plot_bgcolor="#fff",
    )
    return figure


def timeline(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    result = summary.timeline[instrument.id]
    st.subheader(label(instrument.title, ctx.lang))
    st.markdown(f"**{ctx.t('timeline.counts_title')}** · {t_count('timeline.total', result.total, ctx.lang)}")
    st.plotly_chart(
        counts_figure(summary, instrument, ctx.lang),
        config={"displaylogo": False, "responsive": True},
        theme=None,
        key=f"tl_counts_{instrument.id}",
    )
    if not result.total:
        st.html(f"<p>{html.escape(ctx.t('timeline.no_events'))}</p>")
        return
    names = {r.id: label(r.label, ctx.lang) for r in instrument.results()}
    rows = "".join(
        f"<div class='pl-card' style='border-left:8px solid {domain_colour(instrument, entry.domain)}'>"
        f"<b>{html.escape(entry.period)}</b> · <i>{html.escape(names.get(entry.result, entry.result))}</i>"
        f"<br>{html.escape(entry.text)}</div>"
        for entry in result.entries
    )
    st.html(f"<div class='pl-timeline'>{rows}</div>")
    st.caption(ctx.t("timeline.order_note"))


def grid(ctx: Context, summary: SessionSummary, instrument: Instrument) -> None:
    result = summary.grid[instrument.id]
    st.subheader(label(instrument.title, ctx.lang))
    if not result.rows:
        st.html(f"<p>{html.escape(ctx.t('grid.no_actors'))}</p>")
        return
    # a dataframe shows every text literally, never as Markdown or HTML
    st.dataframe(grid_table(result, instrument, ctx.lang), hide_index=True, width="stretch")
