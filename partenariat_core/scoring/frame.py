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
            "session": text_column([e.session for e in events]),
            "participant": text_column([e.participant for e in events]),
            "submission_id": text_column([e.submission_id for e in events]),
            "instrument": text_column([e.instrument for e in events]),
            "item": text_column([e.item for e in events]),
            "value": text_column([e.value for e in events]),
            "text": text_column([e.text for e in events]),
            "created_at": [e.created_at for e in events],
        },
        columns=COLUMNS,
    )


# The dtype pandas gives a column of Python strings (pandas 3: "str", stored by pyarrow).
_TEXT = pd.Series(["x"]).dtype


def text_column(values: list[object]) -> object:
    """A column of texts as pandas would make it from the list (same dtype, same values, a missing
    one as NaN), five times faster when pandas stores texts with pyarrow: one ``pa.array`` call
    instead of pandas' own inference over every value (at a million rows, ~0.1 s per column). A
    list that is not all texts is left to pandas."""
    if getattr(_TEXT, "storage", None) == "pyarrow":
        import pyarrow as pa

        try:
            array = pa.chunked_array([pa.array(values, type=pa.large_string())])
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return values
        if array.null_count == len(values):
            return values  # nothing but missing values: pandas makes that an object column
        return pd.arrays.ArrowStringArray(array, dtype=_TEXT)
    return values


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
        data[name] = text_column(list(values) if not isinstance(values, list) else values)
    data["created_at"] = _instants(created_at)
    return pd.DataFrame(data, columns=COLUMNS)


def _instants(values: Sequence[object]) -> object:
    """ISO 8601 strings parsed at once, to microseconds like Python datetimes; several UTC offsets
    in one column (pandas refuses to mix them) or datetimes already: Python datetimes."""
    if isinstance(values[0], str):
        utc = _utc_instants(values)
        if utc is not None:
            return utc
        try:
            texts = text_column(list(values))
            return pd.to_datetime(pd.Series(texts, dtype="str"), format="ISO8601").dt.as_unit("us").array
        except (ValueError, TypeError):
            return [dt.datetime.fromisoformat(v) for v in values]  # type: ignore[arg-type]
    return list(values)


_UTC = pd.Series(pd.to_datetime(["2026-01-01T00:00:00+00:00"], format="ISO8601")).dt.as_unit("us").dtype


def _utc_instants(values: Sequence[object]) -> object | None:
    """What ``pd.to_datetime(..., format="ISO8601")`` gives when every instant is written in UTC
    (``+00:00``, as the stores write them), parsed by pyarrow's cast: four times faster (a million
    instants: 0.07 s instead of 0.3 s). ``None`` when not every value ends so or pyarrow cannot
    parse one exactly to the microsecond: the caller then parses as before."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pandas 3 stores texts with pyarrow
        return None
    try:
        texts = pa.array(values, type=pa.large_string())
        if not pc.all(pc.ends_with(texts, "+00:00")).as_py() or texts.null_count:
            return None
        instants = pc.cast(texts, pa.timestamp("us", tz="UTC"))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return pd.Series(instants.to_pandas(), dtype=_UTC).array


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
    return frame.take(answer_rows(frame, instrument)).reset_index(drop=True)


def answer_rows(frame: pd.DataFrame, instrument: str) -> np.ndarray:
    """Positions of the rows ``latest_answers`` returns, in order: the boards read the columns they
    need at these positions (``column_codes``) rather than taking a copy of every column."""
    memo = _memo(frame)
    key = f"rows:{instrument}"
    hit = memo.get(key)
    if hit is None:
        codes, uniques = column_codes(frame, "instrument")
        hit = memo[key] = np.flatnonzero(latest_mask(frame) & (codes == _code_of(uniques, instrument)))
    return hit  # type: ignore[return-value]


def answer_codes(frame: pd.DataFrame, instrument: str, column: str) -> tuple[np.ndarray, list[object]]:
    """``column`` of the latest answers to ``instrument`` as codes into the column's distinct values
    (``column_codes``): ``latest_answers(frame, instrument)[column]`` without building that frame."""
    codes, uniques = column_codes(frame, column)
    return codes[answer_rows(frame, instrument)], uniques


# Per frame, while it lives: what the boards of one summary would otherwise each compute again (the
# integer codes of a column, the latest rows). Keyed by ``id`` with a weak reference that checks the
# frame is still the same object, and dropped with it.
_MEMO: dict[int, tuple[weakref.ref[pd.DataFrame], dict[str, object]]] = {}


def _memo(frame: pd.DataFrame) -> dict[str, object]:
    key = id(frame)
    hit = _MEMO.get(key)
    if hit is not None and hit[0]() is frame:
        return hit[1]
    memo: dict[str, object] = {}

    def forget(_gone: object) -> None:
        _MEMO.pop(key, None)

    _MEMO[key] = (weakref.ref(frame, forget), memo)
    return memo


def release(frame: pd.DataFrame) -> None:
    """Drop what was kept for ``frame`` (``_memo``) before the frame itself goes: a summary does once
    it is made, since a frame kept alive elsewhere (``live.Snapshot.frame``) would keep some 40 bytes
    of codes per row with it."""
    _MEMO.pop(id(frame), None)


def column_codes(frame: pd.DataFrame, column: str) -> tuple[np.ndarray, list[object]]:
    """``column`` as integer codes into its distinct values (first seen first; a missing value is a
    value of its own, as ``duplicated`` counts it). One hashing pass, done once per frame: every
    board then filters and counts with integer arrays instead of comparing strings again."""
    memo = _memo(frame)
    hit = memo.get(column)
    if hit is None:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
        hit = memo[column] = (np.asarray(codes, dtype="int64"), list(uniques))
    return hit  # type: ignore[return-value]


def _code_of(uniques: list[object], value: str) -> int:
    """The code of ``value`` among a column's distinct values; -1 (matching no row) when absent."""
    try:
        return uniques.index(value)
    except ValueError:
        return -1


def positions(codes: np.ndarray, uniques: list[object], wanted: Sequence[str]) -> np.ndarray:
    """For each coded row, the position of its value in ``wanted`` (-1 when not there): what
    ``pd.Index(wanted).get_indexer(values)`` gives, from codes, through a table as long as the
    column's distinct values."""
    where = {value: i for i, value in enumerate(wanted)}
    table = np.array([where.get(value, -1) for value in uniques], dtype="int64")  # type: ignore[call-overload]
    return table[codes] if len(table) else np.full(len(codes), -1, dtype="int64")


def latest_mask(frame: pd.DataFrame) -> np.ndarray:
    """``is_latest(frame)`` as a boolean array, computed once per frame from the columns' codes:
    the (participant, instrument, item) of each row made one integer, then its last occurrence."""
    memo = _memo(frame)
    hit = memo.get("latest")
    if hit is None:
        participant = column_codes(frame, "participant")[0]
        instrument, instruments = column_codes(frame, "instrument")
        item, items = column_codes(frame, "item")
        # two steps, each re-coded, so the combined key never outgrows int64 whatever the sizes
        pair, _ = pd.factorize(participant * max(1, len(instruments)) + instrument)
        key = pair.astype("int64") * max(1, len(items)) + item
        hit = memo["latest"] = ~pd.Series(key).duplicated(keep="last").to_numpy()
    return hit  # type: ignore[return-value]


def sector_codes(frame: pd.DataFrame) -> np.ndarray:
    """For each participant code (``column_codes(frame, "participant")``), the code of their sector
    in the ``value`` column (their latest non-empty answer to the profile question), -1 when not
    given: ``participant_sectors`` as an array, for the breakdowns."""
    memo = _memo(frame)
    hit = memo.get("sectors")
    if hit is None:
        people = column_codes(frame, "participant")[1]
        who = answer_codes(frame, PROFILE, "participant")[0]
        item, items = answer_codes(frame, PROFILE, "item")
        value, values = answer_codes(frame, PROFILE, "value")
        given = (item == _code_of(items, "sector")) & (value != _code_of(values, ""))
        hit = np.full(len(people), -1, dtype="int64")
        hit[who[given]] = value[given]  # latest answers: one per participant and item
        memo["sectors"] = hit
    return hit  # type: ignore[return-value]


def participant_sectors(frame: pd.DataFrame) -> pd.Series:
    """participant → sector id (latest answer to the profile question); absent when not given."""
    answers = latest_answers(frame, PROFILE)
    answers = answers[(answers["item"] == "sector") & (answers["value"] != "")]
    return answers.set_index("participant")["value"]


def participant_count(frame: pd.DataFrame) -> int:
    """People who answered anything beyond the sector question."""
    if len(frame) == 0:
        return 0
    instrument, instruments = column_codes(frame, "instrument")
    participant, people = column_codes(frame, "participant")
    seen = np.zeros(len(people), dtype=bool)
    seen[participant[instrument != _code_of(instruments, PROFILE)]] = True
    missing = [i for i, who in enumerate(people) if not isinstance(who, str)]  # nunique skips NaN
    seen[missing] = False
    return int(seen.sum())
