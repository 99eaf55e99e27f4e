"""The host's control for a board's dot vote (issue 10.4): add the vote step with its rules, change
them, or remove it. Drawn by the remote (``pages/remote.py``) under the step controls.

The vote step comes right after its board in the agenda and starts with its results hidden; the host
reveals them with the step's own "show results" (the remote's reveal button on that step). Every
action is applied compare-and-set to the session as stored now (``sessions.add_vote_step``).
"""

from __future__ import annotations

import streamlit as st

from partenariat_core import (
    JOIN_STEP,
    VOTES_MAX,
    PartenariatError,
    Session,
    VoteRules,
    add_vote_step,
    remove_vote_step,
    t_count,
    vote_board,
)
from ui.runtime import Context

_DONE = "vote_setup_done"


def step_label(ctx: Context, step: str, session: Session) -> str:
    """A step's name for the host: a vote step is "Vote : <its board>"."""
    if step == JOIN_STEP:
        return ctx.t("agenda.join")
    board = vote_board(step)
    instrument = ctx.rt.instruments.get(board or step)
    if instrument is None:
        return step
    heading = instrument.heading(session.keep_throw_preset, ctx.lang)
    return ctx.t("votes.step_title", board=heading) if board else heading


def _apply(ctx: Context, code: str, board: str, action: str) -> None:
    """A button's callback: add / change / remove, then say it (or why it was refused)."""
    try:
        if action == "remove":
            remove_vote_step(ctx.rt.store, code, board)
        else:
            per_person = int(st.session_state.get(f"vote_n_{board}") or 0)
            several = bool(st.session_state.get(f"vote_several_{board}"))
            add_vote_step(
                ctx.rt.store, code, board, VoteRules(per_person, several), instruments=ctx.rt.instruments
            )
    except PartenariatError as exc:
        st.session_state[_DONE] = ("error", exc.message(ctx.lang))
        return
    ctx.rt.live.invalidate(code)
    done = {"add": "votes.added", "update": "votes.updated", "remove": "votes.removed"}[action]
    st.session_state[_DONE] = ("success", ctx.t(done))


def draw_vote_setup(ctx: Context, code: str) -> None:
    """One block per keep/throw board of the session: its vote step's rules and buttons."""
    session = ctx.rt.store.get_session(code)
    if session is None:
        return
    boards = [
        i
        for i in session.instruments
        if (ins := ctx.rt.instruments.get(i)) is not None and ins.kind == "keep_throw"
    ]
    if not boards:
        return
    st.divider()
    st.markdown(f"**{ctx.t('votes.setup_title')}**")
    st.caption(ctx.t("votes.setup_help"))
    if result := st.session_state.pop(_DONE, None):
        kind, message = result
        (st.error if kind == "error" else st.success)(message)
    for board in boards:
        step = session.agenda.vote(board)
        instrument = ctx.rt.instruments[board]
        with st.container(border=True, key=f"pl_vote_setup_{board}"):
            if len(boards) > 1:
                st.markdown(instrument.heading(session.keep_throw_preset, ctx.lang))
            if step is not None:
                rules = step.rules()
                key = "votes.rules_several" if rules.several_per_card else "votes.rules_one"
                st.markdown(f"✅ {t_count(key, rules.per_person, ctx.lang)}")
            st.number_input(
                ctx.t("votes.per_person"),
                min_value=1,
                max_value=VOTES_MAX,
                value=step.per_person if step is not None else VoteRules().per_person,
                step=1,
                key=f"vote_n_{board}",
            )
            st.toggle(
                ctx.t("votes.several"),
                value=step.several_per_card if step is not None else False,
                key=f"vote_several_{board}",
            )
            with st.container(horizontal=True):
                if step is None:
                    st.button(
                        ctx.t("votes.add_step"),
                        icon=":material/how_to_vote:",
                        type="primary",
                        width="stretch",
                        key=f"vote_add_step_{board}",
                        on_click=_apply,
                        args=(ctx, code, board, "add"),
                    )
                else:
                    st.button(
                        ctx.t("votes.update_step"),
                        width="stretch",
                        key=f"vote_update_step_{board}",
                        on_click=_apply,
                        args=(ctx, code, board, "update"),
                    )
                    st.button(
                        ctx.t("votes.remove_step"),
                        icon=":material/delete:",
                        width="stretch",
                        key=f"vote_remove_step_{board}",
                        on_click=_apply,
                        args=(ctx, code, board, "remove"),
                    )
