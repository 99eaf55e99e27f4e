"""Scoring: pure functions from events to tables (pandas), one module per board."""

from partenariat_core.scoring.board import Board, Card, is_card, keep_throw_board, participant_cards
from partenariat_core.scoring.conditions import ConditionsScores, score_conditions
from partenariat_core.scoring.continuum import ContinuumResult, score_continuum
from partenariat_core.scoring.frame import (
    WITHDRAWN,
    events_frame,
    is_latest,
    latest_answers,
    participant_count,
    participant_sectors,
    raw_frame,
    read_frame,
    withdrawal,
    withdrawn_participants,
)
from partenariat_core.scoring.sectors import (
    UNKNOWN_SECTOR,
    SectorBreakdown,
    conditions_by_sector,
    continuum_by_sector,
)
from partenariat_core.scoring.summary import SessionSummary, is_current, summarize, summarize_frame

__all__ = [
    "UNKNOWN_SECTOR",
    "WITHDRAWN",
    "Board",
    "Card",
    "ConditionsScores",
    "ContinuumResult",
    "SectorBreakdown",
    "SessionSummary",
    "conditions_by_sector",
    "continuum_by_sector",
    "events_frame",
    "is_card",
    "is_current",
    "is_latest",
    "keep_throw_board",
    "latest_answers",
    "participant_cards",
    "participant_count",
    "participant_sectors",
    "raw_frame",
    "read_frame",
    "score_conditions",
    "score_continuum",
    "summarize",
    "summarize_frame",
    "withdrawal",
    "withdrawn_participants",
]
