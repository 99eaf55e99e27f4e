"""The participant's forms, one per instrument kind.

Each form is an ``st.form``: one tap on "Send" is one rerun and one submission. What the participant
already sent is read back from the store and pre-selected, so a reload or a reconnect never shows an
empty form over answers that are in fact saved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import streamlit as st

from partenariat_core import (
    Instrument,
    PartenariatError,
    ParticipantState,
    Scale,
    Session,
    card_submission_id,
    clean_card_text,
    edit_card,
    label,
    new_submission_id,
    own_cards,
    session_instruments,
    submit_card,
    submit_continuum,
    submit_scale,
    submit_sector,
    t_count,
    withdraw_card,
)
from ui.forms_more import MORE_FORMS
from ui.literal import literal, markdown_safe
from ui.runtime import Context


def _submission_id(form: str) -> str:
    """One id per form until it is stored: a resend of the same attempt is recognised by the store."""
    return st.session_state.setdefault(f"sid:{form}", new_submission_id())


def _send(ctx: Context, session: Session, form: str, submit: Callable[[str], object]) -> bool:
    """Store one submission under this form's id, then say it is saved, or why it is not.

    The id is dropped only once stored, so the next change of answers is a new submission. Returns
    whether it was stored."""
    try:
        submit(_submission_id(form))
    except PartenariatError as exc:
        st.error(markdown_safe(exc.message(ctx.lang)))
        return False
    st.session_state.pop(f"sid:{form}", None)
    ctx.rt.live.invalidate(session.code)
    _confirm(ctx.t("participate.saved"))
    return True


# Each form is a fragment: its confirmation stays on screen until that form runs again, so after
# sending three forms, three "saved" piled up, the old ones under forms the participant had left. Each
# confirmation carries a number that grows with every confirmation in this tab; the script hides every
# older one (fixed code, no participant text).
CONFIRM_SCRIPT = r"""<script>
(() => {
  const boxes = [...document.querySelectorAll("[class*='st-key-pl_done_']")];
  const number = (el) => Number(([...el.classList].find((c) => c.startsWith("st-key-pl_done_")) || "")
    .replace("st-key-pl_done_", "")) || 0;
  const newest = Math.max(0, ...boxes.map(number));
  for (const box of boxes) box.style.display = number(box) < newest ? "none" : "";
})();
</script>"""


def _confirm(message: str) -> None:
    """A success message that replaces the previous one shown by any other form of this page."""
    n = st.session_state["pl_done"] = st.session_state.get("pl_done", 0) + 1
    with st.container(key=f"pl_done_{n}"):
        st.success(message, icon="✅")
        st.html(CONFIRM_SCRIPT, unsafe_allow_javascript=True)


def show_outcome(slot: str) -> None:
    """Show what a form's callback kept in ``st.session_state[slot]`` for this run, once: a refusal
    (its text may quote what was typed: shown literally) or the confirmation."""
    outcome = st.session_state.pop(slot, None)
    if outcome is None:
        return
    kind, message = outcome
    if kind == "error":
        st.error(markdown_safe(message))
    else:
        _confirm(message)


def _index(options: list[str], current: str | None) -> int | None:
    return options.index(current) if current in options else None


_DRAWN_IN = "pl_choice_lang"  # choice widget key -> the language it was last drawn in


def _choice(key: str, saved: str | None, lang: str) -> str:
    """Prepare a choice widget's value before it is drawn, and return its key.

    The browser keeps a radio's choice as the option's *label*: after a language switch the old label
    matches no new option, so every radio showed blank while the server still held the old value (and
    a "blank" Send said saved). So, the first time a choice is drawn in a language, its value is set
    again through the Session State API, which makes the browser redraw it in the new language. A
    widget not in the state yet (first run, or not drawn in the last run) starts from what this person
    sent (``saved``)."""
    drawn = st.session_state.setdefault(_DRAWN_IN, {})
    if key not in st.session_state:
        if saved is not None:
            st.session_state[key] = saved
    elif drawn.get(key) != lang:
        st.session_state[key] = st.session_state[key]
    drawn[key] = lang
    return key


def sector_form(ctx: Context, session: Session, pid: str, state: ParticipantState) -> None:
    profile = session_instruments(session, ctx.rt.live.events(session.code), ctx.rt.instruments)["profile"]
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


# The card's counter, counted in the browser as ``partenariat_core.clean_card_text`` counts on the
# server: NFC, whitespace runs as one space, control characters dropped (not the zero-width joiner
# of emoji sequences), code points, not UTF-16 units (Streamlit's own ``max_chars`` counter counts a
# 😀 as 2, and its limit silently drops a paste longer than the limit). Each page run draws the
# server's count; the browser then recounts on every keystroke or paste, and once more a moment after
# each run (not at once: right after a card is posted, the field still holds the old text for a few
# milliseconds before Streamlit empties it, and counting it then showed the old count).
COUNTER_SCRIPT = r"""<script>
(() => {
  if (!window.plCounter) {
    const space = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u;
    const control = /\p{C}/u;
    const length = (raw) => {
      const kept = [];
      for (const ch of (raw || "").normalize("NFC")) {
        if (space.test(ch)) kept.push(" ");
        else if (!control.test(ch) || ch === "\u200d") kept.push(ch);
      }
      return [...kept.join("").split(" ").filter(Boolean).join(" ")].length;
    };
    window.plCounter = () => {
      for (const counter of document.querySelectorAll(".pl-counter[data-for]")) {
        const field = document.querySelector(`.st-key-${counter.dataset.for} textarea`);
        if (!field) continue;
        const n = length(field.value), limit = Number(counter.dataset.limit);
        const shown = `${n} / ${limit}`;
        if (counter.textContent !== shown) counter.textContent = shown;
        counter.classList.toggle("pl-over", n > limit);
      }
    };
    document.addEventListener("input", window.plCounter, true);
  }
  setTimeout(window.plCounter, 800);
})();
</script>"""


def _card_counter(key: str, limit: int) -> None:
    """``N / limit`` under the card field: the server's count of what is in it now (kept after a refused
    card), then kept up to date in the browser by ``COUNTER_SCRIPT`` (fixed code, no participant text)."""
    count = len(clean_card_text(str(st.session_state.get(key) or "")))
    over = " pl-over" if count > limit else ""
    # A new ``data-run`` on every run makes the browser redraw it (an unchanged body is not redrawn, and
    # would keep the count typed before a posted card beside the emptied field).
    run = st.session_state[f"counter_run:{key}"] = st.session_state.get(f"counter_run:{key}", 0) + 1
    st.html(
        f'<div class="pl-counter{over}" data-for="{key}" data-limit="{limit}" data-run="{run}">'
        f"{count} / {limit}</div>{COUNTER_SCRIPT}",
        unsafe_allow_javascript=True,
    )


def _post_card(ctx: Context, code: str, pid: str, instrument: Instrument, fallback: Session) -> None:
    """The card form's callback, run before the page: it stores the card, and on success empties the
    field (which only a callback may do). A refused card stays in the field, to be shortened."""
    text_key, result_key = f"text_{instrument.id}", f"card_result_{instrument.id}"
    text = str(st.session_state.get(text_key) or "")
    column = st.session_state.get(f"col_{instrument.id}")
    session = ctx.rt.live.session(code) or fallback  # read now: it may have closed since the form ran
    limit = ctx.rt.settings.card_max_length
    try:
        stored = submit_card(
            ctx.rt.store,
            session,
            pid,
            instrument,
            column,
            text,
            card_submission_id(session.code, pid, str(column), text),
            max_length=limit,
            max_cards=ctx.rt.settings.max_cards,
            known=ctx.rt.live.events(session.code),  # not a full store read per card
        )
    except PartenariatError as exc:
        st.session_state[result_key] = ("error", exc.message(ctx.lang))
        return
    ctx.rt.live.invalidate(session.code)
    st.session_state[text_key] = ""
    st.session_state[result_key] = (
        "success",
        ctx.t("participate.card_saved" if stored else "participate.card_already"),
    )


def keep_throw_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    preset = instrument.preset(session.keep_throw_preset)
    names = {c.id: label(c.label, ctx.lang) for c in preset.columns}
    limit = ctx.rt.settings.card_max_length
    text_key = f"text_{instrument.id}"
    with st.form(f"card_{instrument.id}"):
        st.markdown(label(instrument.prompt, ctx.lang))
        column_key = _choice(f"col_{instrument.id}", None, ctx.lang)
        st.radio(ctx.t("participate.column"), list(names), format_func=names.get, key=column_key)
        # No ``max_chars``: it would drop a longer paste without a word. The core refuses it instead,
        # with the length, and the text stays here to be shortened.
        st.text_area(ctx.t("participate.card"), key=text_key, height=100)
        _card_counter(text_key, limit)
        st.form_submit_button(
            ctx.t("participate.post_card"),
            type="primary",
            width="stretch",
            on_click=_post_card,
            args=(ctx, session.code, pid, instrument, session),
        )
    result = st.session_state.pop(f"card_result_{instrument.id}", None)
    if result is not None:
        kind, message = result
        if kind == "error":
            st.error(markdown_safe(message))
        else:
            _confirm(message)
    my_cards(ctx, session, pid, instrument, names)


# "Mes cartes": a participant's own cards, each with edit and withdraw (issue 10.2). The cards are the
# room's curated board (``SessionSummary.curated``): the latest text, withdrawn ones gone, a hidden or
# waiting one said so. Each action is a callback (run before the fragment, so its result is drawn at
# once) under a submission id kept until stored, as the forms above do; the core refuses a locked
# step or a closed session in words.
_EDITING, _WITHDRAWING, _MINE_RESULT = "pl_editing", "pl_withdrawing", "pl_mine_result"


def _card_key(card_id: str) -> str:
    return hashlib.sha256(card_id.encode()).hexdigest()[:12]


def _mine_action(ctx: Context, code: str, pid: str, instrument: Instrument, card: str, kind: str) -> None:
    """Edit (the text in the edit field) or withdraw one of my cards, and say how it went."""
    key = _card_key(card)
    session = ctx.rt.live.session(code)
    form = f"{kind}:{card}"
    try:
        if kind == "edit":
            text = str(st.session_state.get(f"edit_text_{key}") or "")
            edit_card(
                ctx.rt.store,
                session,
                pid,
                instrument,
                card,
                text,
                _submission_id(form),
                max_length=ctx.rt.settings.card_max_length,
                known=ctx.rt.live.events(code),
            )
        else:
            withdraw_card(
                ctx.rt.store,
                session,
                pid,
                instrument,
                card,
                _submission_id(form),
                known=ctx.rt.live.events(code),
            )
    except PartenariatError as exc:
        st.session_state[_MINE_RESULT] = ("error", exc.message(ctx.lang))
        return
    st.session_state.pop(f"sid:{form}", None)
    st.session_state.pop(_EDITING, None)
    st.session_state.pop(_WITHDRAWING, None)
    ctx.rt.live.invalidate(code)
    st.session_state[_MINE_RESULT] = (
        "success",
        ctx.t("votes.card_edited" if kind == "edit" else "votes.card_withdrawn"),
    )


def _set(name: str, value: str | None) -> None:
    st.session_state.pop(_MINE_RESULT, None)
    if value is None:
        st.session_state.pop(name, None)
    else:
        st.session_state[name] = value


def my_cards(ctx: Context, session: Session, pid: str, instrument: Instrument, names: dict[str, str]) -> None:
    cards = own_cards(ctx.rt.live.events(session.code), session, instrument, pid)
    result = st.session_state.pop(_MINE_RESULT, None)
    if result is not None:
        kind, message = result
        if kind == "error":
            st.error(markdown_safe(message))
        else:
            _confirm(message)
    if not cards:
        return
    editing, withdrawing = st.session_state.get(_EDITING), st.session_state.get(_WITHDRAWING)
    args = (ctx, session.code, pid, instrument)
    with st.expander(ctx.t("participate.my_cards", count=len(cards)), expanded=bool(editing or withdrawing)):
        for card in cards:
            key = _card_key(card.id)
            # A card is the participant's own words: literal text, never Markdown or HTML.
            literal(f"{names.get(card.column, card.column)} — {card.text}", css_class="pl-literal pl-my-card")
            if card.state in ("hidden", "pending"):
                st.caption(ctx.t(f"votes.card_state_{card.state}"))
            if editing == card.id:
                with st.form(f"edit_{key}"):
                    st.text_area(ctx.t("votes.new_text"), value=card.text, key=f"edit_text_{key}", height=90)
                    with st.container(horizontal=True):
                        st.form_submit_button(
                            ctx.t("votes.save"),
                            type="primary",
                            width="stretch",
                            on_click=_mine_action,
                            args=(*args, card.id, "edit"),
                        )
                        st.form_submit_button(
                            ctx.t("votes.cancel"), width="stretch", on_click=_set, args=(_EDITING, None)
                        )
            elif withdrawing == card.id:
                with st.container(horizontal=True):
                    st.button(
                        ctx.t("votes.withdraw_confirm"),
                        key=f"withdraw_yes_{key}",
                        type="primary",
                        width="stretch",
                        on_click=_mine_action,
                        args=(*args, card.id, "withdraw"),
                    )
                    st.button(
                        ctx.t("votes.cancel"),
                        key=f"withdraw_no_{key}",
                        width="stretch",
                        on_click=_set,
                        args=(_WITHDRAWING, None),
                    )
            else:
                with st.container(horizontal=True):
                    st.button(
                        ctx.t("votes.edit"),
                        key=f"edit_{key}_btn",
                        icon=":material/edit:",
                        width="stretch",
                        on_click=_set,
                        args=(_EDITING, card.id),
                    )
                    st.button(
                        ctx.t("votes.withdraw"),
                        key=f"withdraw_{key}",
                        icon=":material/delete:",
                        width="stretch",
                        on_click=_set,
                        args=(_WITHDRAWING, card.id),
                    )


def conditions_form(
    ctx: Context, session: Session, pid: str, instrument: Instrument, state: ParticipantState
) -> None:
    assert instrument.scale is not None
    options = [*instrument.scale.values, *([Scale.DONT_KNOW] if instrument.scale.offer_dont_know else [])]
    names = {level.value: label(level.label, ctx.lang) for level in instrument.scale.levels}
    names[Scale.DONT_KNOW] = label(instrument.scale.dont_know, ctx.lang)
    current = state.answers.get(instrument.id, {})
    answers: dict[str, str | None] = {}
    with st.form(f"scale_{instrument.id}"):
        st.markdown(label(instrument.prompt, ctx.lang))
        for condition in instrument.conditions:
            st.markdown(f"#### {condition.id} · {label(condition.label, ctx.lang)}")
            if condition.definition:  # the activity's one-line description (six key activities)
                st.caption(markdown_safe(label(condition.definition, ctx.lang)))
            for item in instrument.items_of(condition.id):
                answers[item.id] = st.radio(
                    label(item.text, ctx.lang),
                    options,
                    index=None,  # the value is in the state (``_choice``): what was sent, or none
                    format_func=names.get,
                    key=_choice(f"item_{instrument.id}_{item.id}", current.get(item.id), ctx.lang),
                )
        sent = st.form_submit_button(ctx.t("participate.send"), type="primary", width="stretch")
    if sent:
        saved = _send(
            ctx,
            session,
            f"scale_{instrument.id}",
            lambda sid: submit_scale(ctx.rt.store, session, pid, instrument, answers, sid),
        )
        left = sum(1 for value in answers.values() if value is None)
        if saved and left:  # a partial answer is kept; say what is left, so nobody thinks it is done
            st.info(t_count("participate.items_left", left, ctx.lang), icon=":material/pending:")


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
                index=None,  # the value is in the state (``_choice``): what was sent, or none
                format_func=names.get,
                captions=captions,
                key=_choice(f"level_{instrument.id}_{question.id}", current.get(question.id), ctx.lang),
            )
        sent = st.form_submit_button(ctx.t("participate.send"), type="primary", width="stretch")
    if sent:
        _send(
            ctx,
            session,
            f"continuum_{instrument.id}",
            lambda sid: submit_continuum(ctx.rt.store, session, pid, instrument, answers, sid),
        )


def _field_form(kind: str) -> Callable[..., None]:
    """The forms of the field's kinds live in ``ui/forms_<kind>.py`` and use this module's helpers,
    so they are imported on first use rather than here (no import cycle)."""

    def draw(*args: object) -> None:
        import importlib

        getattr(importlib.import_module(f"ui.forms_{kind}"), f"{kind}_form")(*args)

    return draw


FORMS = {
    "keep_throw": keep_throw_form,
    "conditions": conditions_form,
    "continuum": continuum_form,
    **MORE_FORMS,
}
FORMS.update(
    timeline=_field_form("timeline"), grid=_field_form("grid")
)  # ui/forms_timeline.py, forms_grid.py
