"""Shared, incremental reads for live boards.

A room may have a projector, a host laptop and a few curious phones all watching one session, each
rerunning every few seconds. Reading the whole session from the store for each of them would cost one
read per screen per tick (and on Google Sheets, quota). ``LiveSessions`` is one object per app
process: per session it keeps the events read so far, reads only newer ones (``since`` the last
``seq``) at most once per ``ttl`` seconds whatever the number of callers, and scores them at most once
per change. A local write calls ``invalidate`` so its author sees it at once. A store with a
``data_version(session)`` (SQLite: two index look-ups; PostgreSQL: a counter fed by LISTEN/NOTIFY)
is asked first, and nothing is read when nothing changed: an idle projector then costs one cheap
check per refresh.

What a caller gets is an immutable ``Snapshot``, swapped in whole when a read brings something new:

- readers never wait on a writer: while one caller reads the store, everyone else is handed the
  snapshot already there (at most ``ttl`` plus one read old). Only the very first read of a session
  makes others wait, since there is nothing to hand them. Profiled at 70 joins per second, a third of
  the script threads' time went to waiting on the one lock the old design took 8 times per page run.
- a summary belongs to the snapshot it was computed from, so a board is never drawn from older events
  than the ones already read (the old cache handed back a summary younger than its ttl even when newer
  events had arrived: 7–10 % of refreshes after a new answer drew the previous board).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session
from partenariat_core.scoring import SessionSummary, raw_frame, summarize_frame
from partenariat_core.store.base import Store

# The kept frame grows by one piece per summary of new events; past this many pieces it is made
# again from the events in one piece (each piece is a chunk of every column, which costs each board
# a little; one rebuild is the cost of one summary before frames were kept).
REBUILD_AFTER = 64


@dataclass(frozen=True)
class Snapshot:
    """One session as last read: never changed once made, so it is shared without a lock."""

    session: Session | None
    events: tuple[Event, ...] = ()
    last_seq: int = 0
    serial: int = 0  # one more for each snapshot of the session: which of two is the newer


@dataclass(frozen=True)
class _Frame:
    """``raw_frame`` of a snapshot's first ``len(frame)`` events, kept between summaries and grown by
    the rows of newer events rather than made again from every event at each change (at 100k events
    that was most of a re-score). Grown in ``summary`` under its lock, never in a read: a phone's page
    run that happens to do the read does not pay for it. ``last``: the last event it holds, to check
    that a newer snapshot extends the same events (a Sheets rewrite makes new ones); ``pieces``:
    growths since it was made whole."""

    frame: pd.DataFrame
    last: Event | None
    pieces: int = 0


@dataclass
class _Entry:
    read_lock: threading.Lock = field(default_factory=threading.Lock)  # one store read at a time
    summary_lock: threading.Lock = field(default_factory=threading.Lock)  # one summarize at a time
    snapshot: Snapshot | None = None
    read_at: float = float("-inf")
    token: Hashable | None = None  # the store's data version the snapshot was read at
    rewrites: int = 0  # the store's count of edits to past events the snapshot has seen
    summary: tuple[Snapshot, SessionSummary] | None = None  # the summary and what it was made from
    frame: _Frame | None = None  # the frame the last summary was made from (``_Frame``)


class LiveSessions:
    def __init__(
        self,
        store: Store,
        instruments: Mapping[str, Instrument],
        *,
        ttl: float = 2.0,
        threshold: int = 3,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.instruments = instruments
        self.ttl = ttl
        self.threshold = threshold
        self.clock = clock
        self.reads = 0  # store round trips, for benchmarks and the host's sync panel
        self.checks = 0  # "anything new?" answered "no" by the store's data version, without a read
        self.summaries = 0  # how many times a session was scored, for benchmarks and tests
        self._entries: dict[str, _Entry] = {}
        self._guard = threading.Lock()

    def _entry(self, code: str) -> _Entry:
        entry = self._entries.get(code)  # a dict read is atomic: no lock on the hot path
        if entry is None:
            with self._guard:
                entry = self._entries.setdefault(code, _Entry())
        return entry

    def snapshot(self, code: str) -> Snapshot:
        """The session and its events, at most ``ttl`` seconds old (a little more while a read runs)."""
        entry = self._entry(code)
        current = entry.snapshot
        if current is not None and self.clock() - entry.read_at < self.ttl:
            return current
        if current is not None:
            if not entry.read_lock.acquire(blocking=False):
                return current  # someone is reading right now: their result is seconds away
        else:
            entry.read_lock.acquire()  # nothing to hand out yet: wait for the first read
        try:
            return self._read(code, entry)
        finally:
            entry.read_lock.release()

    def _read(self, code: str, entry: _Entry) -> Snapshot:
        """With ``read_lock`` held: read what is new since the snapshot, and swap in a new one."""
        current = entry.snapshot
        if current is not None and self.clock() - entry.read_at < self.ttl:
            return current  # another caller read while we waited for the lock
        version_of = getattr(self.store, "data_version", None)  # SQLite and PostgreSQL have one
        token = version_of(code) if version_of is not None else None  # taken before reading
        if current is not None and token is not None and token == entry.token:
            self.checks += 1
            entry.read_at = self.clock()
            return current  # nothing changed: no read, and the summary stays the one already made
        entry.token = token
        rewrites_of = getattr(self.store, "rewrite_generation", None)  # Sheets: a person's hand edits
        if rewrites_of is not None:
            rewrites = rewrites_of(code)
            if rewrites != entry.rewrites:
                entry.rewrites, current = rewrites, None  # past events changed: read from the start
        session = self.store.get_session(code)
        since = current.last_seq if current is not None else 0
        new = self.store.read_events(code, since=since) if session else []
        self.reads += 1
        if current is None or new or session != current.session:
            events = (*current.events, *new) if current is not None else tuple(new)
            last = max((e.seq or 0 for e in new), default=since)
            serial = entry.snapshot.serial + 1 if entry.snapshot is not None else 1
            current = Snapshot(session, events, last, serial)
            entry.snapshot = current
        entry.read_at = self.clock()
        return current

    def session(self, code: str) -> Session | None:
        return self.snapshot(code).session

    def events(self, code: str) -> tuple[Event, ...]:
        """The session's events in arrival order; a tuple, shared with every caller, never copied."""
        return self.snapshot(code).events

    def summary(self, code: str) -> SessionSummary | None:
        """The session's boards, computed once per snapshot; ``None`` if no such session."""
        entry = self._entry(code)
        snap = self.snapshot(code)
        if snap.session is None:
            return None
        made = entry.summary
        if made is not None and made[0] is snap:
            return made[1]
        with entry.summary_lock:  # other screens wait here and reuse the result
            made = entry.summary
            if made is not None and made[0] is snap:
                return made[1]
            if made is not None and made[0].serial > snap.serial:
                return made[1]  # a newer snapshot was scored meanwhile: never go back in time
            entry.frame = kept = _grown(entry.frame, snap.events)
            # equal to ``summarize(session, list(events))`` (tests/test_columnar.py), from the frame kept
            summary = summarize_frame(snap.session, kept.frame, self.instruments, self.threshold)
            self.summaries += 1
            entry.summary = (snap, summary)
            return summary

    def invalidate(self, code: str) -> None:
        """Make the next call read the store again (after a write made by this process)."""
        self._entry(code).read_at = float("-inf")


def _grown(kept: _Frame | None, events: tuple[Event, ...]) -> _Frame:
    """``raw_frame(events)``: the kept frame with the rows of the events after it appended, or made
    whole from ``events`` when there is none yet, when ``events`` do not extend the ones it holds,
    after ``REBUILD_AFTER`` growths, or when the new rows' column types differ (the first events of
    a session that had none; an instant with another UTC offset, kept as a Python datetime as
    ``raw_frame`` does)."""
    done = len(kept.frame) if kept is not None else 0
    if kept is None or done > len(events) or (done and events[done - 1] is not kept.last):
        return _Frame(raw_frame(events), events[-1] if events else None)
    if done == len(events):
        return kept
    added = raw_frame(events[done:], start=done)  # an event without seq gets its position
    if kept.pieces >= REBUILD_AFTER or done == 0 or not added.dtypes.equals(kept.frame.dtypes):
        return _Frame(raw_frame(events), events[-1])
    return _Frame(pd.concat([kept.frame, added], ignore_index=True), events[-1], kept.pieces + 1)
