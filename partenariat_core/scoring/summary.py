"""Everything a dashboard shows for one session, computed in one call.

Pages call ``summarize`` once per refresh (behind a short shared cache) and only draw the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session
from partenariat_core.scoring.board import Board, Card, Cards, is_card
from partenariat_core.scoring.choice import ChoiceResult, open_answers, score_choice
from partenariat_core.scoring.conditions import ConditionsScores, score_conditions
from partenariat_core.scoring.continuum import ContinuumResult, score_continuum
from partenariat_core.scoring.curated import (
    CardGroup,
    CuratedBoard,
    CuratedCard,
    curated_board,
    curation_events,
)
from partenariat_core.scoring.frame import (
    CURATION_INSTRUMENTS,
    DEFINITION,
    WITHDRAWN,
    counting_frame,
    events_frame,
    events_of,
    is_latest,
    participant_count,
    release,
)
from partenariat_core.scoring.grid import GridResult, grid_current, score_grid
from partenariat_core.scoring.sectors import SectorBreakdown, conditions_by_sector
from partenariat_core.scoring.timeline import TimelineResult, score_timeline


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
    # instrument id → the board after moderation, edits, groups and votes (``boards`` is what the
    # room sees of it: visible cards with their current text, a group as one entry with its members)
    curated: dict[str, CuratedBoard] = field(default_factory=dict)
    timeline: dict[str, TimelineResult] = field(default_factory=dict)  # timeline instruments
    grid: dict[str, GridResult] = field(default_factory=dict)  # grid instruments
    # choice and open questions (issue 11.1): counts per option; each person's latest answer
    choices: dict[str, ChoiceResult] = field(default_factory=dict)
    answers: dict[str, tuple[Card, ...]] = field(default_factory=dict)
    # the activities as this session uses them (its stored copies first): boards draw with these
    instruments: dict[str, Instrument] = field(default_factory=dict)


def summarize(
    session: Session,
    events: Sequence[Event],
    instruments: Mapping[str, Instrument],
    threshold: int = 3,
) -> SessionSummary:
    from partenariat_core.instruments.session_copy import session_instruments  # imports scoring

    return _summary(
        session,
        events_frame(events),
        curation_events(events),
        # from the events, not the frame: a withdrawal (left out of the frame) is still the latest
        max((i if e.seq is None else e.seq for i, e in enumerate(events)), default=0),
        session_instruments(session, events, instruments),  # its own copies first
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
    from partenariat_core.instruments.session_copy import session_instruments  # imports scoring

    # the few events the rules read as objects: curation, withdrawals, the session's own definitions
    curation = raw["instrument"].isin([*CURATION_INSTRUMENTS, WITHDRAWN, DEFINITION])
    picked = events_of(raw[curation]) if curation.any() else []
    return _summary(
        session,
        counting_frame(raw),
        sorted(
            (e for e in picked if e.instrument != DEFINITION), key=lambda e: (e.created_at, e.seq)
        ),  # as ``curation_events`` orders them
        int(raw["seq"].max()) if len(raw) else 0,
        session_instruments(session, picked, instruments),  # its own copies first
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
    try:
        return _boards(session, frame, curation, last_seq, instruments, threshold)
    finally:
        release(frame)  # the codes found for this summary's boards go with it


def _boards(
    session: Session,
    frame: pd.DataFrame,
    curation: Sequence[Event],
    last_seq: int,
    instruments: Mapping[str, Instrument],
    threshold: int,
) -> SessionSummary:
    boards, conditions, continuum, by_sector, curated = {}, {}, {}, {}, {}
    timeline: dict[str, TimelineResult] = {}
    grid: dict[str, GridResult] = {}
    choices: dict[str, ChoiceResult] = {}
    answers: dict[str, tuple[Card, ...]] = {}
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
        elif instrument.kind == "timeline":
            timeline[instrument_id] = score_timeline(frame, instrument)
        elif instrument.kind == "grid":
            grid[instrument_id] = score_grid(frame, instrument)
        elif instrument.kind == "choice":
            choices[instrument_id] = score_choice(frame, instrument)
        elif instrument.kind == "open":
            answers[instrument_id] = open_answers(frame, instrument)
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
        timeline=timeline,
        grid=grid,
        choices=choices,
        answers=answers,
        instruments={i: instruments[i] for i in (*session.instruments, "profile") if i in instruments},
    )


def room_board(curated: CuratedBoard, instrument: Instrument, preset: str | None) -> Board:
    """What the room sees, preset columns first: each visible card with its current text, and each
    group as one entry (its title, its visible members, so ×N) where its oldest member stood. Hidden,
    pending and withdrawn cards are out (the host's view lists them from ``curated``). A column the
    preset no longer lists keeps its cards after the preset's own, as ``keep_throw_board`` does."""
    preset_columns = [c.id for c in instrument.preset(preset).columns]
    extra: dict[str, int] = {}  # a group stands for its members: count them
    for group in curated.groups.values():
        extra[group.column] = extra.get(group.column, 0) + group.count - 1
    return Board(
        {
            column: Cards(entries, _room_card, len(entries) + extra.get(column, 0), _room_shown)
            for column, entries in {
                **{column: [] for column in preset_columns},
                **curated.columns,
            }.items()
        }
    )


def _room_card(entry: CuratedCard | CardGroup) -> Card:
    """The room's card for a curated entry: a card with its current text, or a group as one card."""
    if isinstance(entry, CardGroup):
        members = tuple(Card(m.text, m.participant, m.seq, (), m.id) for m in entry.members)
        return Card(entry.title, "", entry.seq, members, entry.id)
    return Card(entry.text, entry.participant, entry.seq, (), entry.id)


def _room_shown(entry: CuratedCard | CardGroup) -> tuple[str, int]:
    """(text, count) of the card ``_room_card`` makes of ``entry``, without making it."""
    if isinstance(entry, CardGroup):
        return entry.title, len(entry.members) or 1
    return entry.text, 1


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
            board = instrument.kind in ("keep_throw", "timeline")  # each card, each event counts
        if instrument is not None and instrument.kind == "grid":
            current = current.where(~rows, grid_current(frame, ident))
        elif board:
            current = current.where(~rows, is_card(frame, ident))
    return current
