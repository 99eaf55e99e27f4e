"""Sector breakdowns on screen: the dashboard and the export page draw them with this one function.

The core has already left out every sector smaller than the anonymity threshold
(``partenariat_core.breakdowns``); this only draws what is left and says how many people are not shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from partenariat_core import Event, SessionSummary, sector_tables
from ui.runtime import Context


def draw_sector_breakdown(
    ctx: Context, summary: SessionSummary, events: Sequence[Event] | None = None
) -> None:
    """Breakdowns of ``summary``'s session by sector; nothing when no sector question was asked.

    ``events`` are the session's events (for the continuum breakdown); by default the shared live read.
    """
    if not summary.session.sectors:
        return
    if events is None:
        events = ctx.rt.live.events(summary.session.code)
    threshold = ctx.rt.settings.anonymity_threshold
    tables = sector_tables(summary, events, ctx.rt.instruments, threshold, ctx.lang)
    st.subheader(ctx.t("sectors.title"))
    st.caption(ctx.t("sectors.rule", threshold=threshold))
    for i, table in enumerate(tables):
        st.markdown(f"**{table.title}**")
        if table.table.empty:
            st.info(ctx.t("sectors.none_shown"))
        else:
            st.dataframe(table.table, key=f"sectors_{summary.session.code}_{i}")
        if table.hidden_people:
            st.caption(table.note)
