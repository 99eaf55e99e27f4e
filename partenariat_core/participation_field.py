"""What a participant can send to the field's instruments: timeline events and grid cells.

The same rules as ``participation`` (open session, the instrument in the session, a step the host has
not locked, a well-formed participant id), plus each kind's own: a timeline event names one of the
file's transitional results, has a period and a text within their limits, and a participant has at
most ``max_events``; a grid cell names a column of the file and an actor, with a text within the limit.
Texts are cleaned like cards (``clean_card_text``) and otherwise kept as typed. A resend of the same
submission id stores nothing and is not an error: nothing is lost or counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from partenariat_core.agenda import step_locked
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.instruments import Instrument
from partenariat_core.instruments.fieldkinds import GRID_ROW_ITEM
from partenariat_core.model import Event, Session, utcnow
from partenariat_core.participation import _check_instrument, _check_open, clean_card_text
from partenariat_core.store.base import Store

PERIOD_MAX = 40  # "printemps 2021", "2019-2021", "15 mars 2022": a period is short
ACTOR_MAX = 80


def _checked(session: Session | None, participant: str, instrument: Instrument, kind: str) -> Session:
    session = _check_open(session, participant)
    _check_instrument(session, instrument, kind)
    if step_locked(session, instrument.id, utcnow()):
        raise SessionError("agenda.step_locked")
    return session


def _text(raw: str, limit: int, empty_key: str) -> str:
    text = clean_card_text(raw)
    if not text:
        raise RejectedInput(empty_key)
    if len(text) > limit:
        raise RejectedInput("timeline.err_too_long", length=len(text), limit=limit)
    return text


def _store_once(store: Store, event: Event, known: Sequence[Event]) -> bool:
    if any(e.key == event.key and e.session == event.session for e in known):
        return False  # a resend of this very submission
    return store.append_events([event]) == 1


def submit_timeline_event(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    result: str,
    period: str,
    text: str,
    submission_id: str,
    *,
    max_length: int = 280,
    max_events: int = 30,
    known: Sequence[Event] | None = None,
) -> bool:
    """Add one significant event to a timeline. Returns False when this submission was already stored.

    ``known``: the session's events as the caller has them (the page's ``LiveSessions.events``), for
    the per-participant limit and the resend check without a full store read."""
    session = _checked(session, participant, instrument, "timeline")
    if instrument.domain_of(result) is None:
        raise RejectedInput("timeline.err_result")
    period = _text(period, PERIOD_MAX, "timeline.err_period")
    text = _text(text, max_length, "timeline.err_text")
    events = store.read_events(session.code) if known is None else known
    event = Event(session.code, participant, submission_id, instrument.id, result, period, text)
    if any(e.key == event.key for e in events):
        return False
    mine = sum(1 for e in events if e.participant == participant and e.instrument == instrument.id)
    if mine >= max_events:
        raise RejectedInput("timeline.err_too_many", limit=max_events)
    return _store_once(store, event, events)


def submit_grid_actor(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    name: str,
    submission_id: str,
    *,
    known: Sequence[Event] | None = None,
) -> bool:
    """Add an actor (a row) to a grid; a name already there (``scoring.grid.actor_key``) adds no row."""
    session = _checked(session, participant, instrument, "grid")
    name = _text(name, ACTOR_MAX, "grid.err_actor")
    events = store.read_events(session.code) if known is None else known
    event = Event(session.code, participant, submission_id, instrument.id, GRID_ROW_ITEM, name)
    return _store_once(store, event, events)


def submit_grid_cell(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    actor: str,
    column: str,
    text: str,
    submission_id: str,
    *,
    max_length: int = 280,
    known: Sequence[Event] | None = None,
) -> bool:
    """Write one cell of a grid (the latest text per actor and column is shown; its author is kept)."""
    session = _checked(session, participant, instrument, "grid")
    if column not in {c.id for c in instrument.columns}:
        raise RejectedInput("error.unknown_column")
    actor = _text(actor, ACTOR_MAX, "grid.err_actor")
    text = _text(text, max_length, "grid.err_text")
    events = store.read_events(session.code) if known is None else known
    event = Event(session.code, participant, submission_id, instrument.id, column, actor, text)
    return _store_once(store, event, events)
