"""Everything a dashboard shows for one session, computed in one call.

Pages call ``summarize`` once per refresh (behind a short shared cache) and only draw the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session
from partenariat_core.scoring.board import Board, Card, is_card
from partenariat_core.scoring.conditions import ConditionsScores, score_conditions
from partenariat_core.scoring.continuum import ContinuumResult, score_continuum
from partenariat_core.scoring.curated import CuratedBoard, curated_board, curation_events
from partenariat_core.scoring.frame import (
    CURATION_INSTRUMENTS,
    WITHDRAWN,
    counting_frame,
    events_frame,
    events_of,
    is_latest,
    participant_count,
)
from partenariat_core.scoring.sectors import SectorBreakdown, conditions_by_sector


@dataclass(frozen=True)
class SessionSummary:
    session: Session
    participants: int
    events: int
    last_seq: int
    boards: dict[str, Board]  # instrument id → board, for keep/throw instruments
    conditions: dict[str, ConditionsScores]
    continuum: dict[str, ContinuumResult]
    conditions_by_sector: dict[str, SectorBreakdown]
    # instrument id → the board after moderation, edits, groups and votes (``boards`` shows its
    # visible cards one by one, with their current text)
    curated: dict[str, CuratedBoard] = field(default_factory=dict)


def summarize(
    session: Session,
    events: Sequence[Event],
    instruments: Mapping[str, Instrument],
    threshold: int = 3,
) -> SessionSummary:
    return _summary(
        session,
        events_frame(events),
        curation_events(events),
        # from the events, not the frame: a withdrawal (left out of the frame) is still the latest
        max((i if e.seq is None else e.seq for i, e in enumerate(events)), default=0),
        instruments,
        threshold,
    )


def summarize_frame(
    session: Session,
    raw: pd.DataFrame,
    instruments: Mapping[str, Instrument],
    threshold: int = 3,
) -> SessionSummary:
    """``summarize`` from a raw frame (``scoring.frame.read_frame``: every event, straight from the
    store's columns), so a large session is scored without making an ``Event`` per row. Equal to
    ``summarize`` of the same events (tests/test_scoring.py)."""
    curation = raw["instrument"].isin([*CURATION_INSTRUMENTS, WITHDRAWN])
    picked = events_of(raw[curation]) if curation.any() else []
    return _summary(
        session,
        counting_frame(raw),
        sorted(picked, key=lambda e: (e.created_at, e.seq)),  # as ``curation_events`` orders them
        int(raw["seq"].max()) if len(raw) else 0,
        instruments,
        threshold,
    )


def _summary(
    session: Session,
    frame: pd.DataFrame,
    curation: Sequence[Event],
    last_seq: int,
    instruments: Mapping[str, Instrument],
    threshold: int,
) -> SessionSummary:
    boards, conditions, continuum, by_sector, curated = {}, {}, {}, {}, {}
    for instrument_id in session.instruments:
        instrument = instruments.get(instrument_id)
        if instrument is None:
            continue  # an instrument file removed since: its events stay stored, just not shown
        if instrument.kind == "keep_throw":
            curated[instrument_id] = curated_board(frame, instrument, session, curation=curation)
            boards[instrument_id] = room_board(curated[instrument_id], instrument, session.keep_throw_preset)
        elif instrument.kind == "conditions":
            conditions[instrument_id] = score_conditions(frame, instrument)
            by_sector[instrument_id] = conditions_by_sector(frame, instrument, threshold)
        elif instrument.kind == "continuum":
            continuum[instrument_id] = score_continuum(frame, instrument)
    return SessionSummary(
        session=session,
        participants=participant_count(frame),
        events=len(frame),
        last_seq=last_seq,
        boards=boards,
        conditions=conditions,
        continuum=continuum,
        conditions_by_sector=by_sector,
        curated=curated,
    )


def room_board(curated: CuratedBoard, instrument: Instrument, preset: str | None) -> Board:
    """The cards the room sees, one by one with their current text, preset columns first: hidden,
    pending and withdrawn cards are out (the host's view lists them from ``curated``). A column
    the preset no longer lists keeps its cards after the preset's own, as ``keep_throw_board`` does."""
    columns: dict[str, list[Card]] = {c.id: [] for c in instrument.preset(preset).columns}
    for column in curated.columns:
        columns.setdefault(column, [])
    for card in curated.cards.values():
        if card.visible:
            columns[card.column].append(Card(card.text, card.participant, card.seq))
    return Board(columns)


def is_current(frame: pd.DataFrame, instruments: Mapping[str, Instrument]) -> pd.Series:
    """True on each event that counts today, by the rules the scores above use.

    On a keep/throw board every card is its own answer (``is_card``); for any other item a
    participant's latest event replaces their earlier ones (``is_latest``). So a pivot table over the
    rows marked here gives the dashboard's figures, and a changed answer is never counted twice. An
    instrument this app no longer knows is read from its events: cards are the only events with text.
    """
    current = is_latest(frame)
    for ident in pd.unique(frame["instrument"]):
        rows = frame["instrument"] == ident
        instrument = instruments.get(ident)
        if instrument is None:
            board = bool((frame.loc[rows, "text"] != "").any())
        else:
            board = instrument.kind == "keep_throw"
        if board:
            current = current.where(~rows, is_card(frame, ident))
    return current
