"""The host's remote, made for a phone in the hand: move through the agenda, open or close answers,
show results, run a timer, switch free / guided, and hand out the projector's screen link.

Every control is a button saying what it will do, applied compare-and-set to the session as it is
stored now (``partenariat_core.sessions``), so the remote, the host page and a second host tab never
undo each other, and a toggle can never drift from the stored state.
"""

import datetime as dt
from collections.abc import Callable

import streamlit as st

from partenariat_core import (
    FREE_MODE,
    GUIDED_MODE,
    JOIN_STEP,
    PartenariatError,
    Session,
    agenda_steps,
    current_index,
    ensure_screen_key,
    move_step,
    remaining_seconds,
    renew_screen_key,
    screen_url,
    set_agenda_mode,
    set_board_hidden,
    set_step_locked,
    start_step_countdown,
    step_locked,
    stop_step_countdown,
    utcnow,
)
from ui.curate import draw_remote_curate
from ui.literal import literal
from ui.nav import host_page
from ui.pickers import pick_session
from ui.vote_setup import draw_vote_setup, step_label

DURATIONS = (1, 2, 3, 5)

ctx = host_page("remote.nav")
sessions = ctx.rt.store.list_sessions()
if not sessions:
    st.info(ctx.t("dashboard.no_session"))
    st.stop()
code = pick_session(ctx, sessions, "remote.pick").code
try:
    first = ensure_screen_key(ctx.rt.store, code)  # the stored state, not the list's copy
except PartenariatError as exc:
    st.error(exc.message(ctx.lang))
    st.stop()


def act(change: Callable[[], Session]) -> None:
    """Apply one host action, then redraw from the store (or say why it was refused)."""
    try:
        change()
    except PartenariatError as exc:
        st.session_state["remote_error"] = exc.message(ctx.lang)
    ctx.rt.live.invalidate(code)
    st.rerun()


def step_name(step: str, session: Session) -> str:
    if step == JOIN_STEP:
        return ctx.t("agenda.join")
    instrument = ctx.rt.instruments.get(step)
    return (
        instrument.heading(session.keep_throw_preset, ctx.lang)
        if instrument
        else step_label(ctx, step, session)
    )


@st.fragment(run_every=dt.timedelta(seconds=ctx.rt.settings.panel_refresh_seconds))
def controls() -> None:
    """Redrawn every refresh interval, so the timer counts down and a step its timer locked says so."""
    session = ctx.rt.store.get_session(code) or first
    all_steps = agenda_steps(session)
    index = current_index(session)
    step = all_steps[index]
    now = utcnow()
    literal(session.title, css_class="pl-r-title")
    name = step_name(step, session)
    st.markdown(f"### {ctx.t('remote.step', n=index, total=len(all_steps) - 1, name=name)}")
    if message := st.session_state.pop("remote_error", None):
        st.error(message)
    if st.session_state.pop("remote_renewed", False):
        st.success(ctx.t("remote.renewed"))

    with st.container(horizontal=True):
        if st.button(
            ctx.t("remote.prev"), icon=":material/skip_previous:", disabled=index == 0, width="stretch"
        ):
            act(lambda: move_step(ctx.rt.store, code, -1))
        if st.button(
            ctx.t("remote.next"),
            icon=":material/skip_next:",
            type="primary",
            disabled=index == len(all_steps) - 1,
            width="stretch",
        ):
            act(lambda: move_step(ctx.rt.store, code, 1))

    if step == JOIN_STEP:
        st.caption(ctx.t("remote.join_note"))
    else:
        locked = step_locked(session, step, now)
        hidden = step in session.hidden_boards
        st.markdown(
            f"**{ctx.t('remote.state_locked' if locked else 'remote.state_open')}** · "
            f"**{ctx.t('remote.state_hidden' if hidden else 'remote.state_shown')}**"
        )
        with st.container(horizontal=True):
            if st.button(
                ctx.t("remote.unlock" if locked else "remote.lock"),
                icon=":material/lock_open:" if locked else ":material/lock:",
                width="stretch",
                disabled=not session.is_open,
            ):
                act(lambda: set_step_locked(ctx.rt.store, code, step, not locked))
            if st.button(
                ctx.t("remote.reveal" if hidden else "remote.hide"),
                icon=":material/visibility:" if hidden else ":material/visibility_off:",
                width="stretch",
            ):
                act(lambda: set_board_hidden(ctx.rt.store, session, step, hidden=not hidden))

        st.markdown(f"#### {ctx.t('remote.countdown')}")
        left = remaining_seconds(session, step, now)
        if left is not None:
            minutes, seconds = divmod(left, 60)
            st.markdown(
                ctx.t("remote.remaining", time=f"{minutes}:{seconds:02d}")
                if left
                else ctx.t("remote.time_up")
            )
        choice = st.segmented_control(
            ctx.t("remote.countdown"),
            [*DURATIONS, 0],
            default=DURATIONS[0],
            format_func=lambda m: ctx.t("remote.minutes", count=m) if m else ctx.t("remote.custom"),
            key="remote_duration",
            label_visibility="collapsed",
        )
        minutes = choice or 0
        if choice == 0:
            minutes = st.number_input(
                ctx.t("remote.custom_minutes"), min_value=1, max_value=180, value=10, step=1
            )
        lock_at_zero = st.checkbox(ctx.t("remote.lock_at_zero"), key="remote_lock_at_zero")
        with st.container(horizontal=True):
            if st.button(
                ctx.t("remote.start"), icon=":material/timer:", width="stretch", disabled=not minutes
            ):
                act(
                    lambda: start_step_countdown(
                        ctx.rt.store, code, step, int(minutes) * 60, lock_at_zero=lock_at_zero
                    )
                )
            if st.button(
                ctx.t("remote.stop"), icon=":material/timer_off:", width="stretch", disabled=left is None
            ):
                act(lambda: stop_step_countdown(ctx.rt.store, code))

    st.divider()
    mode = session.agenda.mode
    st.markdown(f"**{ctx.t('remote.mode', mode=ctx.t('agenda.' + mode))}**")
    st.caption(ctx.t("remote.mode_help"))
    if st.button(ctx.t("remote.to_free" if mode == GUIDED_MODE else "remote.to_guided"), width="stretch"):
        act(lambda: set_agenda_mode(ctx.rt.store, code, FREE_MODE if mode == GUIDED_MODE else GUIDED_MODE))

    st.divider()
    st.markdown(f"**{ctx.t('remote.screen_link')}**")
    link = screen_url(ctx.rt.settings.public_url, session)
    st.code(link, language=None, wrap_lines=True)
    st.caption(ctx.t("remote.screen_help"))
    st.link_button(ctx.t("remote.open_screen"), link, icon=":material/tv:", width="stretch")
    if st.button(ctx.t("remote.renew"), icon=":material/key:", width="stretch"):
        st.session_state["remote_renewed"] = True
        act(lambda: renew_screen_key(ctx.rt.store, code))


controls()
draw_vote_setup(ctx, code)  # a board's dot-vote step: add it with its rules, change or remove it
draw_remote_curate(ctx, code, ctx.rt.settings.panel_refresh_seconds)  # hide / show and approve cards
