"""Projector dashboard: the three boards of one session, refreshing by themselves."""

import datetime as dt
import html

import streamlit as st

from partenariat_core import DEMO_CODE, set_board_hidden, t_count, vote_board
from ui import boards, push, top_words
from ui.errors import store_guard
from ui.literal import markdown_safe
from ui.nav import host_page
from ui.pickers import pick_session
from ui.sectors import draw_sector_breakdown

KIOSK_CSS = (
    "header, [data-testid='stSidebar'], [data-testid='stToolbar'], footer {display: none !important;}"
    " .block-container {padding-top: 1rem; max-width: 100%;}"
)

kiosk = st.query_params.get("kiosk") == "1"
show_sectors = st.query_params.get("sectors") == "1"
ctx = host_page("nav.dashboard", menu=not kiosk)
if kiosk:
    st.html(f"<style>{KIOSK_CSS}</style>")

sessions = ctx.rt.store.list_sessions()
if not sessions:
    st.info(ctx.t("dashboard.no_session"))
    st.stop()
code = pick_session(ctx, sessions, "dashboard.pick", default=DEMO_CODE, show=not kiosk).code

if not kiosk:
    with st.sidebar:
        st.markdown(f"**{ctx.t('dashboard.reveal')}**")
        session = ctx.rt.live.session(code)
        for instrument_id in session.instruments:
            instrument = ctx.rt.instruments.get(instrument_id)
            if instrument is None or instrument.kind == "profile":
                continue
            shown = st.toggle(
                ctx.t("dashboard.show_board", board=instrument.heading(session.keep_throw_preset, ctx.lang)),
                value=instrument_id not in session.hidden_boards,
                key=f"reveal_{code}_{instrument_id}",
            )
            if shown == (instrument_id in session.hidden_boards):
                set_board_hidden(ctx.rt.store, session, instrument_id, hidden=not shown)
                ctx.rt.live.invalidate(code)
                st.rerun()
        show_sectors = st.toggle(ctx.t("dashboard.show_sectors"), value=show_sectors, key="show_sectors")
        st.page_link(
            "pages/dashboard.py",
            label=ctx.t("dashboard.fullscreen"),
            icon=":material/fullscreen:",
            query_params={"session": code, "kiosk": "1", "lang": ctx.lang, "sectors": str(int(show_sectors))},
        )


# Told about new answers (ui/push.py) when the server allows it: the timer is then a safety net.
refresh = push.SAFETY_SECONDS if push.can_push() else ctx.rt.settings.refresh_seconds


@st.fragment(run_every=dt.timedelta(seconds=refresh))
def live_boards() -> None:
    with store_guard(ctx.lang, host=True):
        serial = ctx.rt.live.snapshot(code).serial  # before the summary: it can only be as new or newer
        draw_live_boards()
        # three charts to redraw: no more often than the refresh interval while answers pour in
        push.watch_this_screen(ctx.rt.live, code, serial, None, min_gap=ctx.rt.settings.refresh_seconds)


def draw_live_boards() -> None:
    summary = ctx.rt.live.summary(code)
    if summary is None:
        st.warning(ctx.t("error.session_unknown", code=code))
        return
    st.title(markdown_safe(summary.session.title))  # typed by a host: literal text, never Markdown
    st.markdown(
        f"<p class='pl-count'>{t_count('dashboard.participants', summary.participants, ctx.lang)}"
        f" · {html.escape(ctx.t('dashboard.join_code', code=code))}</p>",
        unsafe_allow_html=True,
    )
    top_words.dashboard_words(ctx, summary)  # the optional word clouds of each keep/throw board
    boards.all_boards(ctx, summary)
    if show_sectors:
        # a hidden vote step's ranking is not in any breakdown: only hidden activities hold it back
        if any(vote_board(b) is None for b in summary.session.hidden_boards):
            boards.hidden_notice(ctx)  # a breakdown would reveal what the host keeps hidden
        else:
            draw_sector_breakdown(ctx, summary)


live_boards()
