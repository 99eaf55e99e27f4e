"""What a participant can send, checked before anything is stored.

Pages and benchmarks call these functions, never the store directly, so every path into the store goes
through the same rules: the session must be open, values must belong to the instrument, cards have a
length and a count limit. A refused submission raises ``RejectedInput`` (or ``SessionError``) and
stores nothing. Text is kept as typed (accents, emoji, even ``<script>`` or ``=SUM()``): escaping and
formula neutralisation happen where text is written out (HTML, spreadsheets), not here, so nothing a
participant wrote is altered in the archive.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from partenariat_core.codes import is_valid_participant_id
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.instruments import Instrument, Scale
from partenariat_core.model import PROFILE, Event, Session
from partenariat_core.store.base import Store


def clean_card_text(raw: str) -> str:
    """Normalise to NFC, turn line breaks and tabs into spaces, drop invisible control characters.

    Zero-width joiners stay: emoji sequences (👩‍👩‍👧) are built with them.
    """
    kept = []
    for ch in unicodedata.normalize("NFC", raw or ""):
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch).startswith("C") and ch != "\u200d":
            continue
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def card_submission_id(session: str, participant: str, column: str, text: str) -> str:
    """Cards get an id made from their content, so a double tap or a resend of the same card by the
    same person is stored once (identical cards from *different* people are both kept)."""
    raw = "\x1f".join((session, participant, column, clean_card_text(text)))
    return "card-" + hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class ParticipantState:
    """What one participant has already sent: shown back on their phone after a reload."""

    sector: str | None = None
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # instrument → item → latest value
    cards: list[tuple[str, str, str]] = field(default_factory=list)  # (instrument, column, text)


def participant_state(events: Sequence[Event], participant: str) -> ParticipantState:
    sector, answers, cards = None, {}, []
    for e in sorted(
        (e for e in events if e.participant == participant), key=lambda e: (e.created_at, e.seq or 0)
    ):
        if e.instrument == PROFILE:
            sector = e.value or None
        elif e.text:
            cards.append((e.instrument, e.item, e.text))
        else:
            answers.setdefault(e.instrument, {})[e.item] = e.value
    return ParticipantState(sector, answers, cards)


def _check_open(session: Session | None, participant: str) -> Session:
    if session is None:
        raise SessionError("error.session_unknown", code="")
    if not session.is_open:
        raise SessionError("error.session_closed", code=session.code)
    if not is_valid_participant_id(participant):
        raise RejectedInput("error.participant")
    return session


def _check_instrument(session: Session, instrument: Instrument, kind: str) -> None:
    if instrument.kind != kind or instrument.id not in session.instruments:
        raise RejectedInput("error.instrument_not_in_session")


def submit_card(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    column: str,
    text: str,
    submission_id: str,
    *,
    max_length: int = 280,
    max_cards: int = 30,
    known: Sequence[Event] | None = None,
) -> bool:
    """Post one keep/throw card. Returns False when this submission was already stored.

    ``known``: the session's events as the caller already has them (the page's shared, incremental
    ``LiveSessions.events``), used for the per-participant limit and the double-tap check instead of
    reading every event of the session from the store on each card: with 300 phones that full read was
    a large part of a card's page run. The store's unique key still refuses a duplicate either way.
    """
    session = _check_open(session, participant)
    _check_instrument(session, instrument, "keep_throw")
    if column not in {c.id for c in instrument.preset(session.keep_throw_preset).columns}:
        raise RejectedInput("error.unknown_column")
    text = clean_card_text(text)
    if not text:
        raise RejectedInput("error.card_empty")
    if len(text) > max_length:
        raise RejectedInput("error.card_too_long", length=len(text), limit=max_length)
    events = store.read_events(session.code) if known is None else known
    mine = [e for e in events if e.participant == participant and e.instrument == instrument.id]
    if any(e.submission_id == submission_id for e in mine):
        return False  # a double tap: already stored, do not count it against the limit
    if len(mine) >= max_cards:
        raise RejectedInput("error.too_many_cards", limit=max_cards)
    event = Event(session.code, participant, submission_id, instrument.id, column, text=text)
    return store.append_events([event]) == 1


def _choice_events(
    session: Session,
    participant: str,
    instrument: Instrument,
    answers: Mapping[str, str | None],
    submission_id: str,
    items: set[str],
    allowed: set[str],
) -> list[Event]:
    """One event per answered item; unanswered items are skipped, anything unknown refuses it all."""
    events = []
    for item, value in answers.items():
        if value is None or value == "":
            continue
        if item not in items:
            raise RejectedInput("error.unknown_item", item=item)
        if value not in allowed:
            raise RejectedInput("error.bad_value", value=str(value)[:40])
        events.append(Event(session.code, participant, submission_id, instrument.id, item, value=value))
    if not events:
        raise RejectedInput("error.nothing_answered")
    return events


def submit_scale(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    answers: Mapping[str, str | None],
    submission_id: str,
) -> int:
    """Store a participant's answers to a conditions instrument; unanswered items are skipped.

    A later submission replaces earlier answers item by item (the latest event wins in scoring).
    Returns how many events were new (0 for a re-sent submission).
    """
    session = _check_open(session, participant)
    _check_instrument(session, instrument, "conditions")
    assert instrument.scale is not None
    items = {item.id for item in instrument.items}
    allowed = {*instrument.scale.values, Scale.DONT_KNOW}
    return store.append_events(
        _choice_events(session, participant, instrument, answers, submission_id, items, allowed)
    )


def submit_continuum(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    answers: Mapping[str, str | None],
    submission_id: str,
) -> int:
    """Store now/desired positions on the continuum (one event per question answered)."""
    session = _check_open(session, participant)
    _check_instrument(session, instrument, "continuum")
    questions = {q.id for q in instrument.questions}
    levels = {level.id for level in instrument.levels}
    return store.append_events(
        _choice_events(session, participant, instrument, answers, submission_id, questions, levels)
    )


def submit_sector(
    store: Store, session: Session | None, participant: str, sector: str, submission_id: str
) -> int:
    """Record (or change) which sector a participant comes from; only the session's sectors count."""
    session = _check_open(session, participant)
    if sector not in session.sectors:
        raise RejectedInput("error.bad_value", value=str(sector)[:40])
    return store.append_events(
        [Event(session.code, participant, submission_id, PROFILE, "sector", value=sector)]
    )
