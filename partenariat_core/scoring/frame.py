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
import weakref
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
# A session's copy of an activity's definition (issue 11.3, ``instruments.session_copy``): stored as an
# event of the host, never an answer.
DEFINITION = "_definition"
NOT_ANSWERS: frozenset[str] = CURATION_INSTRUMENTS | {DEFINITION}


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


def raw_frame(events: Sequence[Event], start: int = 0) -> pd.DataFrame:
    """Every event as one row (``COLUMNS``), in the given order, none left out: what a store's
    columnar read (``read_frame``) gives without building ``Event`` objects. An event without a
    ``seq`` gets its position (plus ``start``), as ``events_frame`` always did."""
    if not events:
        return empty_frame()
    # built column by column: a little faster than from row tuples
    return pd.DataFrame(
        {
            "seq": np.array(
                [start + i if e.seq is None else e.seq for i, e in enumerate(events)], dtype="int64"
            ),
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


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame([], columns=COLUMNS)


def frame_from_columns(columns: Sequence[Sequence[object]], created_at: Sequence[object]) -> pd.DataFrame:
    """The raw frame from a store's columns: ``seq`` then the seven text fields of ``COLUMNS`` in
    order, and ``created_at`` as ISO 8601 strings or as datetimes.

    Equal to ``raw_frame`` of the same events (the contract suite checks it on every backend): the
    instants are parsed in one vectorised call when they share one UTC offset; a column mixing offsets
    (a sheet edited by hand in another time zone) keeps Python datetimes, as ``raw_frame`` does."""
    seq, *texts = columns
    if not len(seq):
        return empty_frame()
    data: dict[str, object] = {"seq": np.asarray(seq, dtype="int64")}
    for name, values in zip(COLUMNS[1:-1], texts, strict=True):
        data[name] = list(values) if not isinstance(values, list) else values
    data["created_at"] = _instants(created_at)
    return pd.DataFrame(data, columns=COLUMNS)


def _instants(values: Sequence[object]) -> object:
    """ISO 8601 strings parsed at once, to microseconds like Python datetimes; several UTC offsets
    in one column (pandas refuses to mix them) or datetimes already: Python datetimes."""
    if isinstance(values[0], str):
        try:
            return pd.to_datetime(pd.Series(values, dtype="str"), format="ISO8601").dt.as_unit("us").array
        except (ValueError, TypeError):
            return [dt.datetime.fromisoformat(v) for v in values]  # type: ignore[arg-type]
    return list(values)


def counting_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``raw`` that count (see ``events_frame``), sorted as ``events_frame`` sorts."""
    instrument = raw["instrument"]
    withdrawals = instrument == WITHDRAWN
    if withdrawals.any():
        gone = raw.loc[withdrawals, "participant"].unique()
        raw = raw[~raw["participant"].isin(gone)]
        instrument = raw["instrument"]
    curation = instrument.isin(list(NOT_ANSWERS))
    if curation.any():
        raw = raw[~curation]
    if len(raw) == 0:
        return empty_frame()
    if raw.index[-1] != len(raw) - 1:
        raw = raw.reset_index(drop=True)
    if _in_order(raw):
        return raw
    return raw.sort_values(["created_at", "seq"], kind="stable", ignore_index=True)


def events_of(raw: pd.DataFrame) -> list[Event]:
    """``Event`` objects back from rows of a raw frame (for the few the curation rules read)."""
    return [
        Event(session, participant, submission, instrument, item, value, text, when.to_pydatetime(), seq=seq)
        if isinstance(when, pd.Timestamp)
        else Event(session, participant, submission, instrument, item, value, text, when, seq=seq)
        for seq, session, participant, submission, instrument, item, value, text, when in zip(
            *(raw[c].tolist() if c != "created_at" else list(raw[c]) for c in COLUMNS), strict=True
        )
    ]


def events_frame(events: Sequence[Event]) -> pd.DataFrame:
    """One row per event that counts, in arrival order: withdrawn participants' events and the
    withdrawals themselves are left out, so no board has to know about them, and so are the
    curation events (votes, moderation, groups, a participant's edits: ``scoring.curated`` reads
    them from the events)."""
    gone = withdrawn_participants(events)
    if gone:
        events = [e for e in events if e.participant not in gone]
    if any(e.instrument in NOT_ANSWERS for e in events):
        events = [e for e in events if e.instrument not in NOT_ANSWERS]
    if not events:
        return empty_frame()
    frame = raw_frame(events)
    # not sorted again when the events already come in order, which is what a store returns
    if _in_order(frame):
        return frame
    return frame.sort_values(["created_at", "seq"], kind="stable", ignore_index=True)


def read_frame(store: object, session: str, since: int = 0) -> pd.DataFrame:
    """The session's events with ``seq > since`` as a raw frame, straight from the store's columns
    when it can (``read_frame`` on SQLite and PostgreSQL: no ``Event`` objects made), else from
    ``read_events``. At a million events that is most of the cost of scoring a session."""
    columnar = getattr(store, "read_frame", None)
    if columnar is not None:
        return columnar(session, since)
    return raw_frame(store.read_events(session, since))  # type: ignore[attr-defined]


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

    A participant who changes a score replaces it; they never get a second vote. The boards of one
    summary ask this of the same frame four times or more: the latest rows of the whole frame are
    found once and kept as long as the frame lives (``is_latest`` groups by instrument too, so
    filtering them by instrument gives the same rows). Frames are never changed in place here.
    """
    latest = _latest_rows(frame)
    return latest[latest["instrument"] == instrument].reset_index(drop=True)


_LATEST: dict[int, tuple[weakref.ref[pd.DataFrame], pd.DataFrame]] = {}


def _latest_rows(frame: pd.DataFrame) -> pd.DataFrame:
    key = id(frame)
    hit = _LATEST.get(key)
    if hit is not None and hit[0]() is frame:
        return hit[1]
    latest = frame[is_latest(frame)]

    def forget(_gone: object) -> None:
        _LATEST.pop(key, None)

    _LATEST[key] = (weakref.ref(frame, forget), latest)
    return latest


def participant_sectors(frame: pd.DataFrame) -> pd.Series:
    """participant → sector id (latest answer to the profile question); absent when not given."""
    answers = latest_answers(frame, PROFILE)
    answers = answers[(answers["item"] == "sector") & (answers["value"] != "")]
    return answers.set_index("participant")["value"]


def participant_count(frame: pd.DataFrame) -> int:
    """People who answered anything beyond the sector question."""
    return int(frame.loc[frame["instrument"] != PROFILE, "participant"].nunique())
