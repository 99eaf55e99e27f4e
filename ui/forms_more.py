"""The phone forms of the choice and open kinds (issue 11.1), registered in ``ui.forms.FORMS``.

Same rules as the other forms: one tap on Send is one submission, what was sent is read back and
pre-selected, and the core (``partenariat_core.answers_more``) checks everything before storing.
"""

from __future__ import annotations

import streamlit as st

from partenariat_core import (
    CHOICE_ANSWER,
    Instrument,
    ParticipantState,
    Session,
    label,
    submit_choice,
    submit_open,
)
from ui.literal import literal, markdown_safe
from ui.runtime import Context


def choice_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    from ui.forms import _choice, _send  # ui.forms registers this module: imported when drawn

    names = {o.id: label(o.label, ctx.lang) for o in instrument.options}
    saved = state.answers.get(instrument.id, {}).get(CHOICE_ANSWER, "").split()
    question = markdown_safe(label(instrument.prompt, ctx.lang))
    with st.form(f"choice_{instrument.id}"):
        if instrument.multiple:
            st.markdown(f"**{question}**")
            st.caption(ctx.t("kinds.pick_many"))
            picked = [
                option
                for option in names
                if st.checkbox(
                    markdown_safe(names[option]),
                    key=_choice(
                        f"opt_{instrument.id}_{option}", option in saved if saved else None, ctx.lang
                    ),
                )
            ]
        else:
            one = st.radio(
                question,
                list(names),
                index=None,
                format_func=lambda o: markdown_safe(names[o]),
                key=_choice(f"pick_{instrument.id}", saved[0] if saved else None, ctx.lang),
                captions=None,
            )
            picked = [one] if one else []
        sent = st.form_submit_button(ctx.t("participate.send"), type="primary", width="stretch")
    if sent and not picked:
        st.warning(ctx.t("error.nothing_answered"))
    elif sent:
        _send(
            ctx,
            session,
            f"choice_{instrument.id}",
            lambda sid: submit_choice(ctx.rt.store, session, pid, instrument, picked, sid),
        )


def open_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    from ui.forms import _card_counter, _send

    mine = [text for ident, _item, text in state.cards if ident == instrument.id]
    key = f"open_{instrument.id}"
    with st.form(f"open_form_{instrument.id}"):
        st.markdown(f"**{markdown_safe(label(instrument.prompt, ctx.lang))}**")
        text = st.text_area(ctx.t("kinds.your_answer"), key=key, height=90)
        _card_counter(key, instrument.max_length)
        sent = st.form_submit_button(ctx.t("participate.send"), type="primary", width="stretch")
    if sent and _send(
        ctx,
        session,
        f"open_{instrument.id}",
        lambda sid: submit_open(ctx.rt.store, session, pid, instrument, text or "", sid),
    ):
        mine.append(" ".join((text or "").split()))
    if mine:
        literal(ctx.t("kinds.sent_answer", text=mine[-1]), css_class="pl-literal pl-my-card")


MORE_FORMS = {"choice": choice_form, "open": open_form}
