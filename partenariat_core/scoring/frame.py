"""Events as a pandas table, the "latest answer wins" rule, and withdrawn responses.

Scoring works on a DataFrame rather than on Event objects: every aggregation below is then one
vectorised group-by, which keeps a 10k-event session well under the projector's refresh budget
(see ``bench/bench_scoring.py``).

Events are append-only, so a response that leaves its source (a row deleted from a linked sheet,
or edited: the edited row is a new response, see ``forms_source.follower``) is taken back by one
more event, a *withdrawal* (instrument :data:`WITHDRAWN`): every event of a withdrawn participant
counts for nothing, on every board, from the moment the withdrawal is stored. A response that
comes back later comes back under a new participant id, so a withdrawal is never undone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from partenariat_core.model import PROFILE, Event

WITHDRAWN = "_withdrawn"  # the instrument of a withdrawal event; never an instrument file's id
WITHDRAWN_ITEM = "response"
# The board's curation (``scoring.curated``): reserved like WITHDRAWN, and left out of events_frame so
# no other board, score or raw table counts a vote or a host's action as an answer.
MODERATION = "_moderation"
CARD_EDIT = "_card_edit"
GROUP = "_group"
GROUP_MEMBER = "_group_member"
VOTE = "_vote"
SUGGESTION_REJECTED = "_suggestion_rejected"
CURATION_INSTRUMENTS: frozenset[str] = frozenset(
    {MODERATION, CARD_EDIT, GROUP, GROUP_MEMBER, VOTE, SUGGESTION_REJECTED}
)


def withdrawal(session: str, participant: str, created_at: dt.datetime) -> Event:
    """The event that takes back every answer of ``participant`` (one per participant: idempotent)."""
    return Event(
        session, participant, f"withdrawn-{participant}", WITHDRAWN, WITHDRAWN_ITEM, "", "", created_at
    )


def withdrawn_participants(events: Sequence[Event]) -> set[str]:
    """Participants whose answers were taken back."""
    return {e.participant for e in events if e.instrument == WITHDRAWN}


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
    """One row per event that counts, in arrival order: withdrawn participants' events and the
    withdrawals themselves are left out, so no board has to know about them, and so are the
    curation events (votes, moderation, groups, a participant's edits: ``scoring.curated`` reads
    them from the events)."""
    gone = withdrawn_participants(events)
    if gone:
        events = [e for e in events if e.participant not in gone]
    if any(e.instrument in CURATION_INSTRUMENTS for e in events):
        events = [e for e in events if e.instrument not in CURATION_INSTRUMENTS]
    if not events:
        return pd.DataFrame([], columns=COLUMNS)
    # built column by column (a little faster than from row tuples), and not sorted again when the
    # events already come in order, which is what a store returns
    frame = pd.DataFrame(
        {
            "seq": np.array([i if e.seq is None else e.seq for i, e in enumerate(events)], dtype="int64"),
            "session": [e.session for e in events],
            "participant": [e.participant for e in events],
            "submission_id": [e.submission_id for e in events],
            "instrument": [e.instrument for e in events],
            "item": [e.item for e in events],
            "value": [e.value for e in events],
            "text": [e.text for e in events],
            "created_at": [e.created_at for e in events],
        },
        columns=COLUMNS,
    )
    if _in_order(frame):
        return frame
    return frame.sort_values(["created_at", "seq"], kind="stable", ignore_index=True)


def _in_order(frame: pd.DataFrame) -> bool:
    """Already sorted by (created_at, seq)? Then sorting would change nothing."""
    if frame["created_at"].dtype.kind != "M" or frame["seq"].dtype.kind != "i":
        return False
    when = frame["created_at"].array.asi8  # int64 instants: comparing Timestamps one by one is slow
    seq = frame["seq"].to_numpy()
    later, same = when[1:] > when[:-1], when[1:] == when[:-1]
    return bool(np.all(later | (same & (seq[1:] >= seq[:-1]))))


def is_latest(rows: pd.DataFrame) -> pd.Series:
    """True on each row that is its participant's latest event for its (instrument, item).

    The rule behind every score, and the ``current`` column of raw exports: one place says it.
    """
    return ~rows.duplicated(["participant", "instrument", "item"], keep="last")


def latest_answers(frame: pd.DataFrame, instrument: str) -> pd.DataFrame:
    """Each participant's current answer to each item of ``instrument``: their latest event.

    A participant who changes a score replaces it; they never get a second vote.
    """
    rows = frame[frame["instrument"] == instrument]
    return rows[is_latest(rows)].reset_index(drop=True)


def participant_sectors(frame: pd.DataFrame) -> pd.Series:
    """participant → sector id (latest answer to the profile question); absent when not given."""
    answers = latest_answers(frame, PROFILE)
    answers = answers[(answers["item"] == "sector") & (answers["value"] != "")]
    return answers.set_index("participant")["value"]


def participant_count(frame: pd.DataFrame) -> int:
    """People who answered anything beyond the sector question."""
    return int(frame.loc[frame["instrument"] != PROFILE, "participant"].nunique())
