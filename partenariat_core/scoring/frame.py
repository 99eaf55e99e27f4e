"""Events as a pandas table, and the "latest answer wins" rule.

Scoring works on a DataFrame rather than on Event objects: every aggregation below is then one
vectorised group-by, which keeps a 10k-event session well under the projector's refresh budget
(see ``bench/bench_scoring.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from partenariat_core.model import PROFILE, Event

COLUMNS = [
    "seq",
    "session",
    "participant",
    "submission_id",
    "instrument",
    "item",
    "value",
    "text",
    "created_at",
]


def events_frame(events: Sequence[Event]) -> pd.DataFrame:
    """One row per event, in arrival order."""
    rows = [
        (
            e.seq if e.seq is not None else i,
            e.session,
            e.participant,
            e.submission_id,
            e.instrument,
            e.item,
            e.value,
            e.text,
            e.created_at,
        )
        for i, e in enumerate(events)
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["created_at", "seq"], kind="stable", ignore_index=True)


def latest_answers(frame: pd.DataFrame, instrument: str) -> pd.DataFrame:
    """Each participant's current answer to each item of ``instrument``: their latest event.

    A participant who changes a score replaces it; they never get a second vote.
    """
    rows = frame[frame["instrument"] == instrument]
    return rows.drop_duplicates(["participant", "item"], keep="last").reset_index(drop=True)


def participant_sectors(frame: pd.DataFrame) -> pd.Series:
    """participant → sector id (latest answer to the profile question); absent when not given."""
    answers = latest_answers(frame, PROFILE)
    answers = answers[(answers["item"] == "sector") & (answers["value"] != "")]
    return answers.set_index("participant")["value"]


def participant_count(frame: pd.DataFrame) -> int:
    """People who answered anything beyond the sector question."""
    return int(frame.loc[frame["instrument"] != PROFILE, "participant"].nunique())
