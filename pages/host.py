"""Host setup: create a session in a minute, show its join code and QR code, open or close it."""

import datetime as dt
import html

import streamlit as st

from partenariat_core import (
    LANGUAGE_NAMES,
    PartenariatError,
    create_session,
    join_url,
    label,
    qr_png,
    set_open,
)
from ui.manage import draw_manage_panel
from ui.nav import host_page
from ui.pickers import pick_session
from ui.sync_panel import draw_sync_panel

ctx = host_page("nav.host")
instruments = ctx.rt.instruments
choosable = [i for i, ins in instruments.items() if ins.kind != "profile"]
board = instruments["keep_throw"]
sectors = instruments["profile"].sectors

st.title(ctx.t("host.title"))
new_tab, sessions_tab = st.tabs([ctx.t("host.new"), ctx.t("host.sessions")])

with new_tab, st.form("new_session"):
    title = st.text_input(ctx.t("host.session_title"), max_chars=120, key="new_title")
    left, right = st.columns(2)
    date = left.date_input(ctx.t("host.date"), value=dt.date.today(), format="YYYY-MM-DD")
    language = right.radio(
        ctx.t("host.language"),
        ["fr", "en"],
        horizontal=True,
        format_func=LANGUAGE_NAMES.get,
    )
    chosen = st.multiselect(
        ctx.t("host.instruments"),
        choosable,
        default=["keep_throw", "conditions", "continuum"],
        format_func=lambda i: label(instruments[i].title, ctx.lang),
    )
    preset = st.selectbox(
        ctx.t("host.preset"),
        [p.id for p in board.presets],
        format_func=lambda p: label(board.preset(p).label, ctx.lang),
    )
    asked = st.multiselect(
        ctx.t("host.sectors"),
        [s.id for s in sectors],
        default=[s.id for s in sectors],
        format_func=lambda s: next(label(c.label, ctx.lang) for c in sectors if c.id == s),
        help=ctx.t("host.sectors_help"),
    )
    if st.form_submit_button(ctx.t("host.create"), type="primary"):
        try:
            created = create_session(
                ctx.rt.store,
                instruments,
                title,
                date=date,
                language=language,
                instrument_ids=chosen,
                keep_throw_preset=preset,
                sectors=asked,
            )
        except PartenariatError as exc:
            st.error(exc.message(ctx.lang))
        else:
            st.query_params["session"] = created.code
            st.success(ctx.t("host.created", code=created.code))

with sessions_tab:
    sessions = ctx.rt.store.list_sessions()
    if not sessions:
        st.info(ctx.t("dashboard.no_session"))
    else:
        st.dataframe(
            [
                {
                    ctx.t("host.col_code"): s.code,
                    ctx.t("host.col_title"): s.title,
                    ctx.t("host.col_date"): s.date.isoformat(),
                    ctx.t("host.col_state"): ctx.t("host.open" if s.is_open else "host.closed"),
                }
                for s in sessions
            ],
            hide_index=True,
            width="stretch",
        )

sessions = ctx.rt.store.list_sessions()
if sessions:
    st.divider()
    session = pick_session(ctx, sessions, "host.current")
    code = session.code
    url = join_url(ctx.rt.settings.public_url, session.code, session.language)
    qr_col, code_col = st.columns([1, 1])
    qr_col.image(qr_png(url), caption=ctx.t("host.scan"), width="stretch")
    code_col.markdown(f"### {ctx.t('host.join_at')}")
    code_col.html(
        f"<div class='pl-code'>{html.escape(session.code)}</div><div class='pl-url'>{html.escape(url)}</div>"
    )
    is_open = code_col.toggle(ctx.t("host.accepting"), value=session.is_open, key=f"open_{code}")
    if is_open != session.is_open:
        set_open(ctx.rt.store, session, is_open)
        ctx.rt.live.invalidate(code)
        st.rerun()
    code_col.page_link(
        "pages/dashboard.py",
        label=ctx.t("host.open_dashboard"),
        icon=":material/co_present:",
        query_params={"session": code, "lang": ctx.lang},
    )
    code_col.page_link(  # the agenda, the timer and the projector's screen link (no passcode on it)
        "pages/remote.py",
        label=ctx.t("remote.open_remote"),
        icon=":material/settings_remote:",
        query_params={"session": code, "lang": ctx.lang},
    )
    draw_manage_panel(ctx, session)

draw_sync_panel(ctx)
