"""The participant's forms, one per instrument kind.

Each form is an ``st.form``: one tap on "Send" is one rerun and one submission. What the participant
already sent is read back from the store and pre-selected, so a reload or a reconnect never shows an
empty form over answers that are in fact saved.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from partenariat_core import (
    PartenariatError,
    ParticipantState,
    Scale,
    Session,
    card_submission_id,
    label,
    new_submission_id,
    submit_card,
    submit_continuum,
    submit_scale,
    submit_sector,
)
from partenariat_core.instruments import Instrument
from ui.runtime import Context


def _submission_id(form: str) -> str:
    """One id per form until it is stored: a resend of the same attempt is recognised by the store."""
    return st.session_state.setdefault(f"sid:{form}", new_submission_id())


def _send(ctx: Context, session: Session, form: str, submit: Callable[[str], object]) -> None:
    """Store one submission under this form's id, then say it is saved, or why it is not.

    The id is dropped only once stored, so the next change of answers is a new submission."""
    try:
        submit(_submission_id(form))
    except PartenariatError as exc:
        st.error(exc.message(ctx.lang))
        return
    st.session_state.pop(f"sid:{form}", None)
    ctx.rt.live.invalidate(session.code)
    st.success(ctx.t("participate.saved"), icon="✅")


def _index(options: list[str], current: str | None) -> int | None:
    return options.index(current) if current in options else None


def sector_form(ctx: Context, session: Session, pid: str, state: ParticipantState) -> None:
    profile = ctx.rt.instruments["profile"]
    names = {c.id: label(c.label, ctx.lang) for c in profile.sectors}
    options = list(session.sectors)
    with st.form("sector"):
        st.markdown(f"**{label(profile.prompt, ctx.lang)}**")
        choice = st.selectbox(
            label(profile.title, ctx.lang),
            options,
            index=_index(options, state.sector),
            format_func=lambda s: names.get(s, s),
            placeholder=ctx.t("participate.choose"),
        )
        sent = st.form_submit_button(ctx.t("participate.send"), width="stretch")
    if sent and choice is None:
        st.warning(ctx.t("error.nothing_answered"))
    elif sent:
        _send(ctx, session, "sector", lambda sid: submit_sector(ctx.rt.store, session, pid, choice, sid))


def keep_throw_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    preset = instrument.preset(session.keep_throw_preset)
    names = {c.id: label(c.label, ctx.lang) for c in preset.columns}
    limit = ctx.rt.settings.card_max_length
    with st.form(f"card_{instrument.id}", clear_on_submit=True):
        st.markdown(label(instrument.prompt, ctx.lang))
        column = st.radio(
            ctx.t("participate.column"), list(names), format_func=names.get, key=f"col_{instrument.id}"
        )
        text = st.text_area(
            ctx.t("participate.card"), max_chars=limit, key=f"text_{instrument.id}", height=100
        )
        sent = st.form_submit_button(ctx.t("participate.post_card"), type="primary", width="stretch")
    if sent:
        try:
            sid = card_submission_id(session.code, pid, column, text)
            stored = submit_card(
                ctx.rt.store,
                session,
                pid,
                instrument,
                column,
                text,
                sid,
                max_length=limit,
                max_cards=ctx.rt.settings.max_cards,
                known=ctx.rt.live.events(session.code),  # not a full store read per card
            )
            ctx.rt.live.invalidate(session.code)
            st.success(ctx.t("participate.card_saved" if stored else "participate.card_already"), icon="✅")
        except PartenariatError as exc:
            st.error(exc.message(ctx.lang))
    mine = [(c, txt) for i, c, txt in state.cards if i == instrument.id]
    if mine:
        with st.expander(ctx.t("participate.my_cards", count=len(mine))):
            for column_id, card in mine:
                st.markdown(f"- **{names.get(column_id, column_id)}** — {card}".replace("<", "&lt;"))


def conditions_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    assert instrument.scale is not None
    options = [*instrument.scale.values, Scale.DONT_KNOW]
    names = {level.value: label(level.label, ctx.lang) for level in instrument.scale.levels}
    names[Scale.DONT_KNOW] = label(instrument.scale.dont_know, ctx.lang)
    current = state.answers.get(instrument.id, {})
    answers: dict[str, str | None] = {}
    with st.form(f"scale_{instrument.id}"):
        st.markdown(label(instrument.prompt, ctx.lang))
        for condition in instrument.conditions:
            st.markdown(f"#### {condition.id} · {label(condition.label, ctx.lang)}")
            for item in instrument.items_of(condition.id):
                answers[item.id] = st.radio(
                    label(item.text, ctx.lang),
                    options,
                    index=_index(options, current.get(item.id)),
                    format_func=names.get,
                    key=f"item_{instrument.id}_{item.id}",
                )
        sent = st.form_submit_button(ctx.t("participate.send"), type="primary", width="stretch")
    if sent:
        _send(
            ctx,
            session,
            f"scale_{instrument.id}",
            lambda sid: submit_scale(ctx.rt.store, session, pid, instrument, answers, sid),
        )


def continuum_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    options = [level.id for level in instrument.levels]
    names = {level.id: label(level.label, ctx.lang) for level in instrument.levels}
    captions = [label(level.definition, ctx.lang) for level in instrument.levels]
    current = state.answers.get(instrument.id, {})
    answers: dict[str, str | None] = {}
    with st.form(f"continuum_{instrument.id}"):
        st.markdown(label(instrument.prompt, ctx.lang))
        for question in instrument.questions:
            answers[question.id] = st.radio(
                label(question.label, ctx.lang),
                options,
                index=_index(options, current.get(question.id)),
                format_func=names.get,
                captions=captions,
                key=f"level_{instrument.id}_{question.id}",
            )
        sent = st.form_submit_button(ctx.t("participate.send"), type="primary", width="stretch")
    if sent:
        _send(
            ctx,
            session,
            f"continuum_{instrument.id}",
            lambda sid: submit_continuum(ctx.rt.store, session, pid, instrument, answers, sid),
        )


FORMS = {"keep_throw": keep_throw_form, "conditions": conditions_form, "continuum": continuum_form}
