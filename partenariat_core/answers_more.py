"""What a participant may send to a choice or an open question (issue 11.1), checked as every answer.

``participation.accept_events`` calls :func:`answer_check` for these two kinds, so a phone and any
later import obey the same rules. One submission is one event on item ``answer``:

- choice: ``value`` holds the ticked option ids, space-separated, in the file's order; a later
  submission replaces the earlier one (latest event wins), so a person is counted once per option;
- open: ``text`` holds the answer, cleaned like a card and at most the file's ``max_length``; a later
  answer replaces the earlier one, as the phone shows only one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from partenariat_core.errors import RejectedInput
from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session

if TYPE_CHECKING:  # the store package imports scoring, which imports this module
    from partenariat_core.store.base import Store

ANSWER = "answer"  # the one item of a choice or open question
MORE_KINDS = ("choice", "open")


def choice_value(instrument: Instrument, selected: Sequence[str]) -> str:
    """The stored form of ticked options: unique, in the file's order, so the same choice is the same
    value however it was ticked."""
    wanted = set(selected)
    return " ".join(o.id for o in instrument.options if o.id in wanted)


def _check_choice(instrument: Instrument, event: Event) -> Event:
    if event.item != ANSWER:
        raise RejectedInput("error.unknown_item", item=event.item[:40])
    picked = event.value.split()
    if not picked:
        raise RejectedInput("error.nothing_answered")
    known = {o.id for o in instrument.options}
    for value in picked:
        if value not in known:
            raise RejectedInput("error.bad_value", value=value[:40])
    if len(set(picked)) != len(picked):
        raise RejectedInput("error.bad_value", value=event.value[:40])
    if not instrument.multiple and len(picked) > 1:
        raise RejectedInput("error.choice_one_only")
    return replace(event, value=choice_value(instrument, picked), text="")


def _check_open(instrument: Instrument, event: Event) -> Event:
    from partenariat_core.participation import clean_card_text

    if event.item != ANSWER:
        raise RejectedInput("error.unknown_item", item=event.item[:40])
    text = clean_card_text(event.text)
    if not text:
        raise RejectedInput("error.open_empty")
    if len(text) > instrument.max_length:
        raise RejectedInput("error.open_too_long", length=len(text), limit=instrument.max_length)
    return replace(event, value="", text=text)


def answer_check(instrument: Instrument | None) -> Callable[[Instrument, Event], Event] | None:
    """The rule for one event of ``instrument`` when it is a choice or open question, else None."""
    if instrument is None:
        return None
    return {"choice": _check_choice, "open": _check_open}.get(instrument.kind)


def _store(
    store: Store, session: Session | None, participant: str, instrument: Instrument, event: Event
) -> int:
    from partenariat_core.participation import _check_instrument, accept_events
    from partenariat_core.participation import _check_open as check_open

    session = check_open(session, participant)
    _check_instrument(session, instrument, instrument.kind)
    return store.append_events(accept_events(session, instrument, [event]))


def submit_choice(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    selected: Sequence[str],
    submission_id: str,
) -> int:
    """Store a participant's option(s) for a choice question; returns how many events were new (0 for
    a resend). Nothing ticked, an unknown option, or two options on a single-answer question: refused."""
    code = session.code if session is not None else ""
    event = Event(code, participant, submission_id, instrument.id, ANSWER, value=" ".join(selected))
    if instrument.kind != "choice":
        raise RejectedInput("error.instrument_not_in_session")
    return _store(store, session, participant, instrument, event)


def submit_open(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    text: str,
    submission_id: str,
) -> int:
    """Store a participant's answer to an open question (it replaces their earlier one)."""
    code = session.code if session is not None else ""
    event = Event(code, participant, submission_id, instrument.id, ANSWER, text=text)
    if instrument.kind != "open":
        raise RejectedInput("error.instrument_not_in_session")
    return _store(store, session, participant, instrument, event)
