"""What a participant can send, checked before anything is stored.

Pages and benchmarks call these functions, never the store directly, and the Google Forms import
calls their common check, :func:`accept_events`, so every path into the store goes through the same
rules: the session must be open, values must belong to the instrument, cards have a length and a
count limit. A refused submission raises ``RejectedInput`` (or ``SessionError``) and stores nothing.
Text is kept as typed (accents, emoji, even ``<script>`` or ``=SUM()``): escaping and formula
neutralisation happen where text is written out (HTML, spreadsheets), not here, so nothing a
participant wrote is altered in the archive.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from partenariat_core.agenda import step_locked, vote_step_id
from partenariat_core.answers_more import answer_check
from partenariat_core.codes import is_valid_participant_id
from partenariat_core.errors import RejectedInput, SessionError
from partenariat_core.instruments import Instrument, Scale
from partenariat_core.model import PROFILE, Event, Session, utcnow
from partenariat_core.scoring.frame import CURATION_INSTRUMENTS
from partenariat_core.store.base import Store

if TYPE_CHECKING:
    from partenariat_core.curation import VoteRules
    from partenariat_core.scoring.curated import CuratedBoard, CuratedCard


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
    sector: str | None = None
    answers: dict[str, dict[str, str]] = {}
    cards: list[tuple[str, str, str]] = []
    for e in sorted(
        (e for e in events if e.participant == participant and e.instrument not in CURATION_INSTRUMENTS),
        key=lambda e: (e.created_at, e.seq or 0),
    ):
        if e.instrument == PROFILE:
            sector = e.value or None
        elif e.text:
            cards.append((e.instrument, e.item, e.text))
        else:
            answers.setdefault(e.instrument, {})[e.item] = e.value
    return ParticipantState(sector, answers, cards)


def open_session(session: Session | None) -> Session:
    """``session`` if it accepts answers; ``SessionError`` when it is missing or closed."""
    if session is None:
        raise SessionError("error.session_unknown", code="")
    if not session.is_open:
        raise SessionError("error.session_closed", code=session.code)
    return session


def _check_open(session: Session | None, participant: str) -> Session:
    session = open_session(session)
    if not is_valid_participant_id(participant):
        raise RejectedInput("error.participant")
    return session


def _check_instrument(session: Session, instrument: Instrument, kind: str) -> None:
    if instrument.kind != kind or instrument.id not in session.instruments:
        raise RejectedInput("error.instrument_not_in_session")


def _allowed(session: Session, instrument: Instrument | None) -> tuple[set[str], set[str]]:
    """(items, values) an answer to ``instrument`` may have; ``None`` is the sector question."""
    if instrument is None or instrument.id == PROFILE:
        return {"sector"}, set(session.sectors)
    if instrument.kind == "keep_throw":
        return {c.id for c in instrument.preset(session.keep_throw_preset).columns}, set()
    if instrument.kind == "conditions" and instrument.scale is not None:
        dont_know = {Scale.DONT_KNOW} if instrument.scale.offer_dont_know else set()
        return {item.id for item in instrument.items}, {*instrument.scale.values, *dont_know}
    if instrument.kind == "continuum":
        return {q.id for q in instrument.questions}, {level.id for level in instrument.levels}
    return set(), set()


def accept_events(
    session: Session | None,
    instrument: Instrument | None,
    events: Sequence[Event],
    *,
    known: Sequence[Event] = (),
    max_length: int = 280,
    max_cards: int = 30,
) -> list[Event]:
    """The one rule check every answer passes before it is stored, whichever way it came in.

    The phone's ``submit_*`` functions and the Google Forms import both call it, so a card pasted
    into a form obeys the same length and count limits as one typed on a phone, and a closed session
    refuses both. Rules: the session exists and is open; each event belongs to it and to
    ``instrument`` (``None``: the sector question), which the session uses; the participant id is
    well formed; the item is one of the instrument's and the value one it allows (the session's
    sectors for the sector question); a card's text, cleaned by :func:`clean_card_text`, is neither
    empty nor longer than ``max_length``, and a participant has at most ``max_cards`` cards.

    ``known``: events already stored (the session's, or at least this participant's). An event whose
    key is among them is a resend: left out of the result, neither an error nor counted again.
    Returns the events as they may be stored (card text cleaned); raises ``SessionError`` or
    ``RejectedInput`` for the first one that breaks a rule. Stores nothing itself.
    """
    session = open_session(session)
    instrument_id = PROFILE if instrument is None else instrument.id
    if instrument_id != PROFILE and instrument_id not in session.instruments:
        raise RejectedInput("error.instrument_not_in_session")
    if instrument_id != PROFILE and step_locked(session, instrument_id, utcnow()):
        raise SessionError("agenda.step_locked")  # the host locked it, or its timer ran out
    is_card = instrument is not None and instrument.kind == "keep_throw"
    more = answer_check(instrument)  # choice and open questions (issue 11.1)
    items, values = _allowed(session, instrument)
    seen = {e.key for e in known}
    cards: dict[str, int] = {}
    accepted: list[Event] = []
    for event in events:
        if event.session != session.code or event.instrument != instrument_id:
            raise RejectedInput("error.instrument_not_in_session")
        if not is_valid_participant_id(event.participant):
            raise RejectedInput("error.participant")
        if more is not None and instrument is not None:
            event = more(instrument, event)
        elif is_card:
            if event.item not in items:
                raise RejectedInput("error.unknown_column")
            text = clean_card_text(event.text)
            if not text:
                raise RejectedInput("error.card_empty")
            if len(text) > max_length:
                raise RejectedInput("error.card_too_long", length=len(text), limit=max_length)
            event = replace(event, value="", text=text)
        else:
            if event.item not in items:
                raise RejectedInput("error.unknown_item", item=event.item)
            if event.value not in values:
                raise RejectedInput("error.bad_value", value=str(event.value)[:40])
        if event.key in seen:
            continue  # already stored: a double tap or a second import, not counted against a limit
        if is_card:
            if event.participant not in cards:
                cards[event.participant] = sum(
                    1 for e in known if e.participant == event.participant and e.instrument == instrument_id
                )
            if cards[event.participant] >= max_cards:
                raise RejectedInput("error.too_many_cards", limit=max_cards)
            cards[event.participant] += 1
        seen.add(event.key)
        accepted.append(event)
    return accepted


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
    event = Event(session.code, participant, submission_id, instrument.id, column, text=text)
    # The rules that need no store read first, then the ones that need this person's cards.
    accept_events(session, instrument, [event], max_length=max_length, max_cards=max_cards)
    events = store.read_events(session.code) if known is None else known
    accepted = accept_events(
        session, instrument, [event], known=events, max_length=max_length, max_cards=max_cards
    )
    if not accepted:
        return False  # a double tap: already stored, do not count it against the limit
    return store.append_events(accepted) == 1


def _answer_events(
    session: Session,
    participant: str,
    instrument: Instrument,
    answers: Mapping[str, str | None],
    submission_id: str,
) -> list[Event]:
    """One event per answered item; unanswered items are skipped (at least one must be answered)."""
    events = [
        Event(session.code, participant, submission_id, instrument.id, item, value=value)
        for item, value in answers.items()
        if value is not None and value != ""
    ]
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
    Returns how many events were new (0 for a re-sent submission). Anything unknown refuses it all.
    """
    session = _check_open(session, participant)
    _check_instrument(session, instrument, "conditions")
    events = _answer_events(session, participant, instrument, answers, submission_id)
    return store.append_events(accept_events(session, instrument, events))


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
    events = _answer_events(session, participant, instrument, answers, submission_id)
    return store.append_events(accept_events(session, instrument, events))


def submit_sector(
    store: Store, session: Session | None, participant: str, sector: str, submission_id: str
) -> int:
    """Record (or change) which sector a participant comes from; only the session's sectors count."""
    session = _check_open(session, participant)
    event = Event(session.code, participant, submission_id, PROFILE, "sector", value=sector)
    return store.append_events(accept_events(session, None, [event]))


# A participant's own cards and dot votes (issue 10). The board they act on is the curated one
# (``scoring.curated``), read from the events the caller already has (``LiveSessions.events``) or,
# without them, from the store; the rules for the new text are the card rules of ``accept_events``.


def _board_for(
    store: Store, session: Session, instrument: Instrument, known: Sequence[Event] | None
) -> tuple[CuratedBoard, Sequence[Event]]:
    from partenariat_core.scoring.curated import curated_board
    from partenariat_core.scoring.frame import events_frame

    events = store.read_events(session.code) if known is None else known
    return curated_board(events_frame(events), instrument, session, events), events


def own_cards(
    events: Sequence[Event], session: Session, instrument: Instrument, participant: str
) -> list[CuratedCard]:
    """A participant's cards on ``instrument`` as the room's board has them now (latest text, hidden
    or waiting said, withdrawn ones left out), oldest first: their phone's "Mes cartes".

    Built from this person's cards and the curation events that touch them only, not the whole
    board: the card form draws it on every run, and rescoring the session there cost every phone's
    post a full ``summarize`` in a busy room."""
    from partenariat_core.scoring.curated import (
        CARD_EDIT,
        MODERATION,
        WITHDRAWN,
        card_id,
        curated_board,
        curation_events,
    )
    from partenariat_core.scoring.frame import events_frame

    mine = [e for e in events if e.participant == participant and e.instrument == instrument.id and e.text]
    if not mine:
        return []
    ids = {card_id(instrument.id, e.item, e.submission_id) for e in mine}
    touching = [
        e
        for e in events
        if (e.instrument in (MODERATION, CARD_EDIT) and e.item in ids)
        or (e.instrument == WITHDRAWN and e.participant == participant)
    ]
    frame = events_frame([*mine, *touching])
    board = curated_board(frame, instrument, session, curation=curation_events(touching))
    return board.cards_of(participant)


def _own_card(board: CuratedBoard, participant: str, card: str) -> None:
    from partenariat_core.scoring.curated import WITHDRAWN_CARD

    found = board.cards.get(card)
    if found is None:
        raise RejectedInput("curation.unknown_card")
    if found.participant != participant:
        raise RejectedInput("curation.not_your_card")
    if found.state == WITHDRAWN_CARD:
        raise RejectedInput("curation.card_withdrawn")


def _store_new(store: Store, event: Event, events: Sequence[Event]) -> bool:
    if any(e.key == event.key and e.session == event.session for e in events):
        return False  # a resend of this very submission: already stored
    return store.append_events([event]) == 1


def edit_card(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    card: str,
    text: str,
    submission_id: str,
    *,
    max_length: int = 280,
    known: Sequence[Event] | None = None,
) -> bool:
    """Give one of my cards a new text while the session is open; the board shows the latest text
    and the archive keeps every version. Returns False when this submission was already stored.

    ``card``: the card's id (``CuratedCard.id``). Refused: another person's card, a withdrawn one,
    and a text the card rules refuse (empty, too long), with the same messages as a new card."""
    from partenariat_core.scoring.curated import CARD_EDIT, EDIT, split_card_id

    session = _check_open(session, participant)
    _check_instrument(session, instrument, "keep_throw")
    board, events = _board_for(store, session, instrument, known)
    _own_card(board, participant, card)
    parts = split_card_id(card)
    assert parts is not None  # it is on the board, so it is a card id
    as_card = Event(session.code, participant, submission_id, instrument.id, parts[1], text=text)
    (clean,) = accept_events(session, instrument, [as_card], max_length=max_length)
    event = Event(session.code, participant, submission_id, CARD_EDIT, card, EDIT, clean.text)
    return _store_new(store, event, events)


def withdraw_card(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    card: str,
    submission_id: str,
    *,
    known: Sequence[Event] | None = None,
) -> bool:
    """Take back one of my cards while the session is open: it leaves the board, its votes count no
    more, and the archive keeps it with its state. Final: a withdrawn card cannot be edited again."""
    from partenariat_core.scoring.curated import CARD_EDIT, WITHDRAW

    session = _check_open(session, participant)
    _check_instrument(session, instrument, "keep_throw")
    if step_locked(session, instrument.id, utcnow()):
        raise SessionError("agenda.step_locked")  # as for a new card or an edit (``accept_events``)
    board, events = _board_for(store, session, instrument, known)
    _own_card(board, participant, card)
    event = Event(session.code, participant, submission_id, CARD_EDIT, card, WITHDRAW)
    return _store_new(store, event, events)


def submit_vote(
    store: Store,
    session: Session | None,
    participant: str,
    instrument: Instrument,
    target: str,
    count: int,
    submission_id: str,
    *,
    rules: VoteRules | None = None,
    known: Sequence[Event] | None = None,
    board: CuratedBoard | None = None,
) -> bool:
    """Set my dot votes on one card or group of the board to ``count`` (tap to add: one more than I
    have there, tap to take back: one less). Returns False when this submission was already stored.

    The latest count per participant and target wins, so a resent tap is stored once and a vote is
    never counted twice; the checks are ``curation.vote_event``'s (votes left, one per card unless
    the host allows several, a target on the room's board).

    When the host added a vote step on this board (``agenda.VoteStep``), its rules are the ones
    checked (unless ``rules`` is given) and a locked vote step refuses the tap (``agenda.step_locked``);
    the board's own lock does not stop its vote (writing closes, then voting opens).

    ``board``: the curated board the caller already has, made from ``known`` or from newer events
    (the page's shared ``SessionSummary.curated``), so a tap does not build it again from every event
    of the session; without it, it is built from ``known``."""
    from partenariat_core.curation import VoteRules, vote_event

    session = _check_open(session, participant)
    _check_instrument(session, instrument, "keep_throw")
    step = session.agenda.vote(instrument.id)
    if step is not None:
        if step_locked(session, vote_step_id(instrument.id), utcnow()):
            raise SessionError("agenda.step_locked")
        rules = rules or step.rules()
    if board is None or board.instrument != instrument.id:
        board, events = _board_for(store, session, instrument, known)
    else:
        events = store.read_events(session.code) if known is None else known
    if any(e.key == (submission_id, "_vote", target) for e in events):
        return False  # checked before the rules: the resend of an accepted tap is not refused
    event = vote_event(session, board, participant, target, count, submission_id, rules or VoteRules())
    return _store_new(store, event, events)
