"""Shared, incremental reads for live boards.

A room may have a projector, a host laptop and a few curious phones all watching one session, each
rerunning every few seconds. Reading the whole session from the store for each of them would cost one
read per screen per tick (and on Google Sheets, quota). ``LiveSessions`` is one object per app
process: per session it keeps the events read so far, reads only newer ones (``since`` the last
``seq``) at most once per ``ttl`` seconds whatever the number of callers, and recomputes the summary
only when something changed, and then at most once per ``ttl`` (unless the session itself changed,
e.g. a board was revealed). A local write calls ``invalidate`` so its author sees it at once.

The summary (pandas, ~0.1 s) is computed outside the lock that guards reads: a phone's page run, which
only needs ``events``, never waits behind a projector's scoring (measured in ``bench/RESULTS.md``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from partenariat_core.instruments import Instrument
from partenariat_core.model import Event, Session
from partenariat_core.scoring import SessionSummary, summarize
from partenariat_core.store.base import Store


@dataclass
class _Entry:
    lock: threading.Lock = field(default_factory=threading.Lock)  # reads and the event list
    summary_lock: threading.Lock = field(default_factory=threading.Lock)  # one summarize at a time
    session: Session | None = None
    events: list[Event] = field(default_factory=list)
    last_seq: int = 0
    read_at: float = float("-inf")
    summary: SessionSummary | None = None
    summary_of: tuple[Session | None, int] = (None, -1)  # (session, last_seq) the summary was made from
    summarized_at: float = float("-inf")


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
        self._entries: dict[str, _Entry] = {}
        self._guard = threading.Lock()

    def _entry(self, code: str) -> _Entry:
        with self._guard:
            return self._entries.setdefault(code, _Entry())

    def _refresh(self, code: str, entry: _Entry) -> None:
        """Called with ``entry.lock`` held: one caller reads, the others wait and reuse its result."""
        if self.clock() - entry.read_at < self.ttl:
            return
        session = self.store.get_session(code)
        new = self.store.read_events(code, since=entry.last_seq) if session else []
        self.reads += 1
        entry.read_at = self.clock()
        if new or session != entry.session:
            entry.session = session
            entry.events.extend(new)
            entry.last_seq = max((e.seq or 0 for e in new), default=entry.last_seq)

    def session(self, code: str) -> Session | None:
        entry = self._entry(code)
        with entry.lock:
            self._refresh(code, entry)
            return entry.session

    def events(self, code: str) -> list[Event]:
        """A copy of the session's events, at most ``ttl`` seconds old."""
        entry = self._entry(code)
        with entry.lock:
            self._refresh(code, entry)
            return list(entry.events)

    def summary(self, code: str) -> SessionSummary | None:
        """The session's boards, recomputed only when new events arrived; ``None`` if no such session."""
        entry = self._entry(code)
        with entry.lock:
            self._refresh(code, entry)
            session, last_seq = entry.session, entry.last_seq
            events = list(entry.events) if session is not None else []
        if session is None:
            return None
        with entry.summary_lock:  # other screens wait here and reuse the result
            made_from, current = entry.summary_of, entry.summary
            if current is not None and made_from[0] == session:
                fresh = self.clock() - entry.summarized_at < self.ttl
                if made_from[1] >= last_seq or fresh:
                    return current
            summary = summarize(session, events, self.instruments, self.threshold)
            entry.summary, entry.summary_of, entry.summarized_at = summary, (session, last_seq), self.clock()
            return summary

    def invalidate(self, code: str) -> None:
        """Make the next call read the store again (after a write made by this process)."""
        entry = self._entry(code)
        with entry.lock:
            entry.read_at = float("-inf")
