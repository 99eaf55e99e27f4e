"""Comparing sessions side by side: overlaid wheel, differences, continuum, keep/throw cards."""

import html

import streamlit as st

from partenariat_core import (
    COMPARE_EXPORTERS,
    DEMO_CODE,
    PartenariatError,
    board_cards,
    comparison_figures,
    comparison_tables,
    label,
    load_comparison,
    normalize_code,
    session_label,
)
from ui.downloads import prepare_and_offer
from ui.literal import markdown_safe
from ui.nav import host_page

ctx = host_page("nav.compare")
st.title(ctx.t("compare.title"))

sessions = ctx.rt.store.list_sessions()
codes = [s.code for s in sessions]
if len(codes) < 2:
    st.info(ctx.t("compare.need_two"))
    st.stop()
titles = {s.code: f"{s.title} · {s.code} · {s.date.isoformat()}" for s in sessions}
first = normalize_code(st.query_params.get("session")) or DEMO_CODE
default = [first] if first in codes else []
default += [c for c in codes if c not in default][: 2 - len(default)]
picked = st.multiselect(
    ctx.t("compare.pick"), codes, default=default, format_func=titles.get, key="compare_pick"
)
st.caption(ctx.t("compare.baseline_help"))
if len(picked) < 2:
    st.info(ctx.t("compare.need_two"))
    st.stop()
try:
    comparison = load_comparison(
        ctx.rt.store, ctx.rt.instruments, picked, ctx.rt.settings.anonymity_threshold
    )
except PartenariatError as exc:
    st.error(markdown_safe(exc.message(ctx.lang)))
    st.stop()

tables = comparison_tables(comparison, ctx.lang)
st.dataframe(tables[0].frame, hide_index=True)
for i, (_, figure) in enumerate(comparison_figures(comparison, ctx.lang)):
    st.plotly_chart(figure, config={"displaylogo": False}, key=f"compare_chart_{i}")
for table in tables[1:]:
    st.markdown(f"#### {table.title}")
    st.dataframe(table.frame)

st.subheader(ctx.t("compare.cards_title"))
for slot, data in zip(st.columns(len(comparison.sessions)), comparison.sessions, strict=True):
    slot.markdown(f"**{session_label(data)}**")
    for instrument, column, cards in board_cards(data, ctx.lang):
        slot.markdown(f"*{label(instrument.title, ctx.lang)} — {column}* ({len(cards)})")
        body = "".join(f"<div class='pl-card'>{html.escape(card)}</div>" for card in cards)
        # never st.html(""): Streamlit raises on an empty body, which broke the whole page
        slot.html(body or f"<p class='pl-empty'>{html.escape(ctx.t('board.no_cards'))}</p>")

st.divider()
st.subheader(ctx.t("compare.export_title"))
for fmt, make in COMPARE_EXPORTERS.items():
    key = f"compare:{'-'.join(comparison.codes)}:{fmt}:{ctx.lang}"
    prepare_and_offer(ctx, key, ctx.t(f"export.format_{fmt}"), lambda make=make: make(comparison, ctx.lang))
