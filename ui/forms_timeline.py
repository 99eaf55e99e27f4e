"""The phone form of a timeline (transitional results): add a significant event, see mine.

Like a card: one tap on the button stores one event through a callback, which empties the fields on
success (only a callback may) and keeps them after a refusal, to be corrected. The event's submission
id is made from its content, so a double tap or a resend of the same event by the same person is
stored once.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from partenariat_core import (
    Instrument,
    PartenariatError,
    ParticipantState,
    Session,
    clean_card_text,
    label,
    submit_timeline_event,
)
from ui.forms import _card_counter, _choice, show_outcome
from ui.literal import literal, markdown_safe
from ui.runtime import Context


def event_submission_id(session: str, participant: str, result: str, period: str, text: str) -> str:
    """The same event sent twice by the same person is one event; another person's is their own."""
    raw = "\x1f".join((session, participant, result, clean_card_text(period), clean_card_text(text)))
    return "event-" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def result_names(instrument: Instrument, lang: str) -> dict[str, str]:
    """Each result as the phone lists it: its domain's number, then its label (``2 · Plaidoyers``)."""
    return {
        result.id: f"{n} · {label(result.label, lang)}"
        for n, domain in enumerate(instrument.domains, start=1)
        for result in domain.results
    }


def _post_event(ctx: Context, code: str, pid: str, instrument: Instrument, fallback: Session) -> None:
    keys = {name: f"tl_{name}_{instrument.id}" for name in ("period", "text", "result")}
    period = str(st.session_state.get(keys["period"]) or "")
    text = str(st.session_state.get(keys["text"]) or "")
    result = str(st.session_state.get(keys["result"]) or "")
    session = ctx.rt.live.session(code) or fallback
    out = f"tl_out_{instrument.id}"
    try:
        stored = submit_timeline_event(
            ctx.rt.store,
            session,
            pid,
            instrument,
            result,
            period,
            text,
            event_submission_id(session.code, pid, result, period, text),
            max_length=ctx.rt.settings.card_max_length,
            max_events=ctx.rt.settings.max_cards,
            known=ctx.rt.live.events(session.code),
        )
    except PartenariatError as exc:
        st.session_state[out] = ("error", exc.message(ctx.lang))
        return
    ctx.rt.live.invalidate(session.code)
    st.session_state[keys["text"]] = ""  # the period stays: the next event is often from the same time
    st.session_state[out] = ("success", ctx.t("timeline.saved" if stored else "timeline.already"))


def timeline_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    names = result_names(instrument, ctx.lang)
    text_key = f"tl_text_{instrument.id}"
    with st.form(f"timeline_{instrument.id}"):
        st.markdown(markdown_safe(label(instrument.prompt, ctx.lang)))
        st.text_input(
            ctx.t("timeline.period"),
            key=f"tl_period_{instrument.id}",
            placeholder=ctx.t("timeline.period_help"),
        )
        st.text_area(ctx.t("timeline.text"), key=text_key, height=80)
        _card_counter(text_key, ctx.rt.settings.card_max_length)
        legend = " · ".join(
            f"{n} = {label(d.label, ctx.lang)}" for n, d in enumerate(instrument.domains, start=1)
        )
        st.selectbox(
            ctx.t("timeline.result"),
            list(names),
            index=None,
            format_func=names.get,
            placeholder=ctx.t("participate.choose"),
            key=_choice(f"tl_result_{instrument.id}", None, ctx.lang),
        )
        st.caption(markdown_safe(legend))
        st.form_submit_button(
            ctx.t("timeline.post"),
            type="primary",
            width="stretch",
            on_click=_post_event,
            args=(ctx, session.code, pid, instrument, session),
        )
    show_outcome(f"tl_out_{instrument.id}")
    mine = [
        e
        for e in ctx.rt.live.events(session.code)
        if e.participant == pid and e.instrument == instrument.id and e.text
    ]
    if mine:
        with st.expander(ctx.t("timeline.my_events", count=len(mine))):
            for event in mine:  # the participant's own words: literal text
                literal(
                    f"{event.value} — {names.get(event.item, event.item)} — {event.text}",
                    css_class="pl-literal pl-my-card",
                )
