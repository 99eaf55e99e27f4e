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
    new_submission_id,
    qr_png,
    set_open,
)
from ui.curate import draw_curate_panel
from ui.manage import draw_delete_panel, draw_manage_panel
from ui.nav import follow_session, host_page
from ui.pickers import pick_session
from ui.sync_panel import draw_sync_panel

CREATED = "host_created"  # the code just created, for the message after the rerun
CLEAR_TITLE = "host_clear_title"

ctx = host_page("nav.host")
instruments = ctx.rt.instruments
choosable = [i for i, ins in instruments.items() if ins.kind != "profile"]
board = instruments["keep_throw"]
sectors = instruments["profile"].sectors

st.title(ctx.t("host.title"))
if created_code := st.session_state.pop(CREATED, None):  # drawn at the top: the join panel follows
    st.success(ctx.t("host.created", code=created_code))
join_panel = st.container()  # the session being worked on, right under the title (drawn below)
new_tab, sessions_tab = st.tabs([ctx.t("host.new"), ctx.t("host.sessions")])

if st.session_state.pop(CLEAR_TITLE, False):
    # Set through the state API, before the field exists: the browser keeps what it shows otherwise.
    # The other choices stay: the next session is usually set up like this one.
    st.session_state["new_title"] = ""
with new_tab, st.form("new_session"):
    title = st.text_input(ctx.t("host.session_title"), max_chars=120, key="new_title")
    left, right = st.columns(2)
    date = left.date_input(ctx.t("host.date"), value=dt.date.today(), format="YYYY-MM-DD", key="new_date")
    language = right.radio(
        ctx.t("host.language"),
        ["fr", "en"],
        horizontal=True,
        format_func=LANGUAGE_NAMES.get,
        key="new_language",
    )
    chosen = st.multiselect(
        ctx.t("host.instruments"),
        choosable,
        default=["keep_throw", "conditions", "continuum"],
        format_func=lambda i: label(instruments[i].title, ctx.lang),
        key="new_instruments",
    )
    preset = st.selectbox(
        ctx.t("host.preset"),
        [p.id for p in board.presets],
        format_func=lambda p: label(board.preset(p).label, ctx.lang),
        key="new_preset",
    )
    asked = st.multiselect(
        ctx.t("host.sectors"),
        [s.id for s in sectors],
        default=[s.id for s in sectors],
        format_func=lambda s: next(label(c.label, ctx.lang) for c in sectors if c.id == s),
        help=ctx.t("host.sectors_help"),
        key="new_sectors",
    )
    if st.form_submit_button(ctx.t("host.create"), type="primary"):
        # A double click sends the same form twice (the second often after the page was cleared): the
        # same filled-in form from this tab is one session, so the second send opens the first's.
        # Streamlit may interrupt the first run when the second click arrives, before anything of it
        # is remembered: the request (this tab's token and the form) makes the creation idempotent.
        tab = st.session_state.setdefault("host_tab_token", new_submission_id())
        request = repr((tab, title, date, language, chosen, preset, asked))
        try:
            code = create_session(
                ctx.rt.store,
                instruments,
                title,
                date=date,
                language=language,
                instrument_ids=chosen,
                keep_throw_preset=preset,
                sectors=asked,
                request=request,
            ).code
        except PartenariatError as exc:
            st.error(exc.message(ctx.lang))
        else:
            follow_session(code)  # the menu, the join panel and every host page follow it
            st.session_state[CREATED] = code
            st.session_state[CLEAR_TITLE] = True  # a blank title for the next session (next run)
            st.rerun()

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
    with join_panel:
        session = pick_session(ctx, sessions, "host.current")
        code = session.code
        url = join_url(ctx.rt.settings.public_url, session.code, session.language)
        qr_col, code_col = st.columns([1, 1])
        qr_col.image(qr_png(url), caption=ctx.t("host.scan"), width="stretch")
        code_col.markdown(f"### {ctx.t('host.join_at')}")
        code_col.html(
            f"<div class='pl-code'>{html.escape(session.code)}</div>"
            f"<div class='pl-url'>{html.escape(url)}</div>"
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
        draw_curate_panel(ctx, session)  # hide, approve, group the cards (a fragment of its own)
        draw_manage_panel(ctx, session)
        draw_delete_panel(ctx, session)

draw_sync_panel(ctx)
