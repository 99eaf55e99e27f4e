"""Phones in guided mode: show what the host's agenda says, and follow it without a reload.

``pages/participate.py`` draws the activities of ``view_now`` (every activity in free mode, the
current step only in guided mode, or "wait for the host"), then calls ``follow_host``: a small
fragment that reruns every refresh interval, compares what the host's agenda says now with what this
phone drew, and reruns the page only when it changed. So a phone follows "next" within the refresh
interval, and between changes a tick costs one cached session read, not a redraw of the forms. What
the participant sent is in the store and shown back by the forms, so moving between steps loses
nothing that was sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable

import streamlit as st

from partenariat_core import GUIDED_MODE, PhoneView, Session, participant_state, phone_view, utcnow
from ui import push, votes
from ui.runtime import Context

_DRAWN = "pl_guided_view"
FREE_MODE_CHECK_SECONDS = 10  # free mode only waits for a switch to guided: checked less often
# Phones never check more often than this, whatever the projectors' refresh: a room has hundreds of
# phones and a few screens, so a 1 s screen refresh on every phone would be 300 page runs a second.
PHONE_CHECK_SECONDS = 3


def _key(view: PhoneView) -> tuple[object, ...]:
    return (view.waiting, view.activities, tuple(sorted(view.locked)))


def view_now(ctx: Context, session: Session, pid: str) -> PhoneView:
    """What this phone shows now, remembered so ``follow_host`` can tell when the host moved."""
    current = ctx.rt.live.session(session.code) or session
    answered = False
    if current.agenda.mode == GUIDED_MODE and current.sectors:
        answered = participant_state(ctx.rt.live.events(current.code), pid).sector is not None
    view = phone_view(current, utcnow(), sector_answered=answered)
    st.session_state[_DRAWN] = _key(view)
    return view


def wait_notice(ctx: Context) -> None:
    st.info(ctx.t("agenda.wait"), icon=":material/hourglass_top:")


def locked_notice(ctx: Context) -> None:
    st.warning(ctx.t("agenda.step_locked"), icon=":material/lock:")


def phone_check_seconds(refresh_seconds: float, mode: str) -> float:
    """How often a phone asks whether the host moved: the screens' refresh, but never below
    ``PHONE_CHECK_SECONDS``, and ``FREE_MODE_CHECK_SECONDS`` outside guided mode."""
    seconds = max(refresh_seconds, PHONE_CHECK_SECONDS)
    return seconds if mode == GUIDED_MODE else max(seconds, FREE_MODE_CHECK_SECONDS)


def follow_host(ctx: Context, session: Session, pid: str, also: Callable[[], bool] | None = None) -> None:
    """Rerun the page when the host's agenda shows this phone something else than it drew, or when
    ``also()`` says what it drew is out of date (a vote form's board the host sorted meanwhile). One
    timer per phone: each timed fragment is a run of the server for every phone in the room.

    When the server can push (``ui/push.py``), the phone is told instead: what its drawing depends
    on (the view of the host's agenda, and the boards its vote forms drew) is worked out once per
    look for all the phones of the session, and only phones for which it changed are rerun. Polling
    cost ~1.5 ms of server CPU per check, every 3 s per phone in guided mode: a room of 1,000 phones
    kept half a core busy doing nothing (bench/RESULTS.md). The timer is then a safety net."""
    live = ctx.rt.live
    code = session.code
    current = live.session(code) or session
    boards = tuple(sorted(st.session_state.get(votes.DRAWN_BOARDS) or {}))

    def now_drawn() -> Hashable:
        latest = live.session(code) or session
        return _key(phone_view(latest, utcnow(), sector_answered=True)), votes.boards_now(live, code, boards)

    pushed = push.can_push()
    polled = phone_check_seconds(ctx.rt.settings.refresh_seconds, current.agenda.mode)
    seconds = push.PHONE_SAFETY_SECONDS if pushed else polled

    @st.fragment(run_every=dt.timedelta(seconds=seconds))
    def watch() -> None:
        if pushed:  # registered before the check below: a change in between is seen by one or the other
            push.watch_this_phone(live, code, ("phone", code, boards), now_drawn)
        latest = live.session(code) or session
        view = phone_view(latest, utcnow(), sector_answered=True)
        if _key(view) != st.session_state.get(_DRAWN) or (also is not None and also()):
            st.rerun()

    watch()
