"""Participant page, phone first: join by QR link or code, then answer each activity."""

import streamlit as st

from partenariat_core import (
    PartenariatError,
    find_session,
    is_valid_participant_id,
    new_participant_id,
    participant_state,
    session_instruments,
    vote_board,
)
from ui import guided, votes
from ui.errors import store_guard
from ui.forms import FORMS, sector_form
from ui.literal import markdown_safe
from ui.nav import language_switch
from ui.runtime import bootstrap

ctx = bootstrap("nav.participate", sidebar="collapsed")
language_switch(ctx, st)


def join_form(message: str | None = None) -> None:
    st.title(ctx.t("join.title"))
    if message:
        st.error(markdown_safe(message))  # it may quote the code as typed: shown literally
    with st.form("join"):
        code = st.text_input(ctx.t("join.code"), max_chars=20, placeholder="ABC234", key="join_code")
        sent = st.form_submit_button(ctx.t("join.button"), type="primary", width="stretch")
    if sent:
        try:
            session = find_session(ctx.rt.store, code)
        except PartenariatError as exc:
            st.error(markdown_safe(exc.message(ctx.lang)))
        else:
            st.query_params["session"] = session.code
            st.rerun()
    st.stop()


raw_code = st.query_params.get("session")
if not raw_code:
    join_form()
# A phone already in the session (its token in the URL) keeps its page when the host closes it: the
# forms stay, with what was typed, and a Send says the session is closed. A new visitor is refused.
token = st.query_params.get("p")
joined = is_valid_participant_id(token)
try:
    session = find_session(ctx.rt.store, raw_code, must_be_open=not joined)
except PartenariatError as exc:
    st.query_params.pop("session", None)
    join_form(exc.message(ctx.lang))
if raw_code != session.code:
    st.query_params["session"] = session.code  # " gar dez " → GARDEZ, so the URL is shareable

if not joined:
    token = new_participant_id()
    st.query_params["p"] = token  # in the URL: survives a reload or a phone reconnect
# The token grants access to this person's answers, so only its pseudonym is stored and exported.
pid = ctx.rt.pseudonyms.of(token)


def activity_body(instrument_id: str | None, locked: bool = False) -> None:
    """One activity's form (``None``: the sector; ``vote:<board>``: the board's dot vote), drawn in a
    fragment (:func:`activity`). Its Send (or a vote's tap) reruns only
    that fragment, not the whole page: with 300 phones answering, that cut the p95 page run from ~5 s
    to ~0.7 s (bench/RESULTS.md). So the session (still open?) and what this person already sent are
    read here, on each run."""
    with store_guard(ctx.lang):
        current = ctx.rt.live.session(session.code) or session
        events = ctx.rt.live.events(current.code)
        used = session_instruments(current, events, ctx.rt.instruments)  # its own copies first
        if instrument_id is not None and (board := vote_board(instrument_id)):
            votes.vote_form(ctx, current, pid, used[board], locked=locked)
            return
        state = participant_state(events, pid)
        if instrument_id is None:
            sector_form(ctx, current, pid, state)
        else:
            instrument = used[instrument_id]
            FORMS[instrument.kind](ctx, current, pid, instrument, state)


activity = st.fragment(activity_body)


st.title(markdown_safe(session.title))  # typed by a host: literal text, never Markdown
st.caption(ctx.t("participate.intro", code=session.code))
if not (ctx.rt.live.session(session.code) or session).is_open:
    st.warning(ctx.t("error.session_closed", code=session.code), icon=":material/lock:")
view = guided.view_now(ctx, session, pid)  # free mode: every activity; guided: the host's step
if view.sector:
    activity(None)
if view.waiting:
    guided.wait_notice(ctx)
used = session_instruments(session, ctx.rt.live.events(session.code), ctx.rt.instruments)  # its own copies
for step in view.activities:
    board = vote_board(step)  # a vote step: the dot vote on that board, drawn under it
    instrument = used.get(board or step)
    if instrument is None or instrument.kind not in FORMS or (board and instrument.kind != "keep_throw"):
        continue
    title = instrument.heading(session.keep_throw_preset, ctx.lang)
    st.header(votes.heading(ctx, session, instrument) if board else title, divider="gray")
    if step in view.locked:
        guided.locked_notice(ctx)
    activity(step, step in view.locked)
# One timer: the host's agenda, and a vote form's board the host sorted meanwhile (ui/votes.py)
guided.follow_host(ctx, session, pid, also=lambda: votes.board_changed(ctx, session.code))
st.caption(ctx.t("participate.footer"))
