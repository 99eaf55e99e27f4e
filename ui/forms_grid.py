"""The phone form of a grid (portrait of a controversy): add an actor, fill one cell, see the grid.

A table adds an actor by name (the same name twice makes one row), then picks an actor and a column
and writes a short text; the grid shows the latest text of each cell. Both buttons store through a
callback that empties the field on success and keeps it after a refusal.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from partenariat_core import (
    GridResult,
    Instrument,
    PartenariatError,
    ParticipantState,
    Session,
    actor_key,
    label,
    new_submission_id,
    submit_grid_actor,
    submit_grid_cell,
    t_count,
)
from ui.forms import _card_counter, _choice, show_outcome
from ui.literal import literal, markdown_safe
from ui.runtime import Context


def _grid_now(ctx: Context, code: str, instrument: Instrument) -> GridResult:
    summary = ctx.rt.live.summary(code)  # computed once per new answer, shared by every phone
    if summary is not None and instrument.id in summary.grid:
        return summary.grid[instrument.id]
    return GridResult((), tuple(c.id for c in instrument.columns))


def _outcome(key: str, result: tuple[str, str]) -> None:
    st.session_state[key] = result


def _add_actor(ctx: Context, code: str, pid: str, instrument: Instrument, fallback: Session) -> None:
    name_key, out = f"gr_name_{instrument.id}", f"gr_out_{instrument.id}"
    name = str(st.session_state.get(name_key) or "")
    session = ctx.rt.live.session(code) or fallback
    sid = (
        "actor-" + hashlib.sha256("\x1f".join((session.code, pid, actor_key(name))).encode()).hexdigest()[:32]
    )
    try:
        stored = submit_grid_actor(
            ctx.rt.store, session, pid, instrument, name, sid, known=ctx.rt.live.events(session.code)
        )
    except PartenariatError as exc:
        _outcome(out, ("error", exc.message(ctx.lang)))
        return
    ctx.rt.live.invalidate(session.code)
    st.session_state[name_key] = ""
    st.session_state[f"gr_actor_{instrument.id}"] = " ".join(name.split())  # fill this one next
    _outcome(out, ("success", ctx.t("grid.actor_added" if stored else "grid.actor_already")))


def _save_cell(ctx: Context, code: str, pid: str, instrument: Instrument, fallback: Session) -> None:
    text_key, out = f"gr_text_{instrument.id}", f"gr_out_{instrument.id}"
    actor = str(st.session_state.get(f"gr_actor_{instrument.id}") or "")
    column = str(st.session_state.get(f"gr_col_{instrument.id}") or "")
    session = ctx.rt.live.session(code) or fallback
    sid_key = f"sid:grid_{instrument.id}"  # one id per attempt until stored: a resend is stored once
    sid = st.session_state.setdefault(sid_key, new_submission_id())
    try:
        stored = submit_grid_cell(
            ctx.rt.store,
            session,
            pid,
            instrument,
            actor,
            column,
            str(st.session_state.get(text_key) or ""),
            sid,
            max_length=ctx.rt.settings.card_max_length,
            known=ctx.rt.live.events(session.code),
        )
    except PartenariatError as exc:
        _outcome(out, ("error", exc.message(ctx.lang)))
        return
    st.session_state.pop(sid_key, None)
    ctx.rt.live.invalidate(session.code)
    st.session_state[text_key] = ""
    _outcome(out, ("success", ctx.t("grid.cell_saved" if stored else "timeline.already")))


def grid_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    grid = _grid_now(ctx, session.code, instrument)
    columns = {c.id: label(c.label, ctx.lang) for c in instrument.columns}
    st.markdown(markdown_safe(label(instrument.prompt, ctx.lang)))
    with st.form(f"grid_actor_{instrument.id}"):
        # no ``max_chars``: it would cut a longer paste without a word; the core says the length instead
        st.text_input(ctx.t("grid.new_actor"), key=f"gr_name_{instrument.id}")
        st.form_submit_button(
            ctx.t("grid.add_actor"),
            width="stretch",
            on_click=_add_actor,
            args=(ctx, session.code, pid, instrument, session),
        )
    actors = [row.name for row in grid.rows]
    if not actors:
        st.info(ctx.t("grid.no_actors"))
    else:
        actor_widget = f"gr_actor_{instrument.id}"
        if st.session_state.get(actor_widget) not in (None, *actors):
            st.session_state.pop(actor_widget)  # an actor name typed here that the grid spells otherwise
        with st.form(f"grid_cell_{instrument.id}"):
            st.selectbox(
                label(instrument.row_label, ctx.lang),
                actors,
                index=None,
                format_func=markdown_safe,
                placeholder=ctx.t("participate.choose"),
                key=actor_widget,
            )
            st.radio(
                ctx.t("grid.column"),
                list(columns),
                format_func=columns.get,
                key=_choice(f"gr_col_{instrument.id}", None, ctx.lang),
            )
            text_key = f"gr_text_{instrument.id}"
            st.text_area(ctx.t("grid.cell"), key=text_key, height=80)
            _card_counter(text_key, ctx.rt.settings.card_max_length)
            st.form_submit_button(
                ctx.t("grid.save_cell"),
                type="primary",
                width="stretch",
                on_click=_save_cell,
                args=(ctx, session.code, pid, instrument, session),
            )
    show_outcome(f"gr_out_{instrument.id}")
    if grid.rows:
        with st.expander(t_count("grid.grid_now", len(grid.rows), ctx.lang)):
            for row in grid.rows:  # the grid as it stands: what tables wrote, literally
                literal(row.name, css_class="pl-literal pl-grid-actor")
                for column, name in columns.items():
                    cell = row.cells.get(column)
                    if cell is not None:
                        literal(f"{name} — {cell.text}", css_class="pl-literal pl-my-card")
