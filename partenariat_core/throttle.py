"""Slowing down guesses of the host passcode.

Without a limit, one websocket guessed 21 passcodes a second and eight guessed 113. ``GuessThrottle``
counts the failed attempts of each browser session and of each client address: the first few are free
(a host mistyping), then each failure imposes a wait that doubles, up to a cap. While a wait runs, the
page refuses to check any passcode at all, so a guess made then tells nothing. Both counts matter: a
script opening a new browser session for every guess is still one address, and many addresses behind
one proxy are still told apart by their sessions.

Pure logic with an injectable clock, so the delays are tested by hand; the page only calls it. It logs
each failure (the address and the counts, never the text that was tried).

Where the counts live is a ``FailureCounts``: this process's memory by default (one SQLite or Sheets
deployment is one process), or a table every replica shares on PostgreSQL
(``store.postgres.PostgresFailureCounts``, with ``time.time`` as the clock since the replicas share no
monotonic clock), so N processes behind a proxy allow one address no more guesses than one process.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

FREE_FAILURES = 3
FIRST_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 300.0
FORGET_AFTER_SECONDS = 3600.0
MAX_TRACKED = 10_000


Key = tuple[str, str]  # ("session", name) or ("address", address)


@dataclass
class _Record:
    failures: int
    last_failure: float


class FailureCounts(Protocol):
    """Where a ``GuessThrottle`` keeps its counts: each call is atomic for its keys."""

    def add(self, keys: Sequence[Key], now: float, forget_after: float, max_tracked: int) -> list[int]:
        """One more failure for each key at ``now`` (a count idle for ``forget_after`` starts again at
        one); returns the new counts. Keeps at most ``max_tracked`` keys, the least recent go first."""

    def get(self, keys: Sequence[Key]) -> list[tuple[int, float] | None]:
        """(failures, last failure) of each key, ``None`` when not counted."""

    def clear(self, keys: Sequence[Key]) -> None:
        """Forget these keys."""


class MemoryFailureCounts:
    """The counts in this process's memory, oldest first. Safe to share between threads."""

    def __init__(self) -> None:
        self._records: OrderedDict[Key, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, keys: Sequence[Key], now: float, forget_after: float, max_tracked: int) -> list[int]:
        with self._lock:
            while self._records:  # drop the counts with no failure for forget_after (oldest first)
                key, record = next(iter(self._records.items()))
                if now - record.last_failure < forget_after:
                    break
                del self._records[key]
            counts = []
            for key in keys:
                record = self._records.pop(key) if key in self._records else _Record(0, now)
                record.failures += 1
                record.last_failure = now
                self._records[key] = record  # now the most recent
                counts.append(record.failures)
            while len(self._records) > max_tracked:
                self._records.popitem(last=False)
            return counts

    def get(self, keys: Sequence[Key]) -> list[tuple[int, float] | None]:
        with self._lock:
            found = [self._records.get(key) for key in keys]
        return [(r.failures, r.last_failure) if r is not None else None for r in found]

    def clear(self, keys: Sequence[Key]) -> None:
        with self._lock:
            for key in keys:
                self._records.pop(key, None)


class GuessThrottle:
    """Failed attempts per browser session and per client address, and the wait they impose.

    After ``free_failures`` consecutive failures of one session or one address, the next failure makes it
    wait ``first_delay`` seconds, the one after twice that, and so on up to ``max_delay``. A success
    forgets both counts; a count with no failure for ``forget_after`` seconds is forgotten too. At most
    ``max_tracked`` counts are kept (the least recently failed go first), so a flood of addresses cannot
    fill the memory. Safe to share between the threads of every browser session.
    """

    def __init__(
        self,
        *,
        free_failures: int = FREE_FAILURES,
        first_delay: float = FIRST_DELAY_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
        forget_after: float = FORGET_AFTER_SECONDS,
        max_tracked: int = MAX_TRACKED,
        clock: Callable[[], float] = time.monotonic,
        counts: FailureCounts | None = None,
    ) -> None:
        if forget_after < max_delay:
            raise ValueError("forget_after must be at least max_delay")
        self.free_failures = free_failures
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.max_tracked = max_tracked
        self._clock = clock
        self.counts: FailureCounts = counts if counts is not None else MemoryFailureCounts()

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after ``failures`` consecutive failed attempts."""
        if failures <= self.free_failures:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** (failures - self.free_failures - 1))

    def retry_after(self, session: str, address: str) -> int:
        """Whole seconds (rounded up) before this session at this address may try again; 0: now."""
        return self._wait(self.counts.get(self._keys(session, address)), self._clock())

    def failed(self, session: str, address: str) -> int:
        """Count one wrong passcode; the wait it imposes, in whole seconds (0 while still free)."""
        now = self._clock()
        keys = self._keys(session, address)
        counts = self.counts.add(keys, now, self.forget_after, self.max_tracked)
        wait = self._wait([(n, now) for n in counts], now)
        log.warning(
            "Wrong host passcode from address %s: failure %d from this address, %d in this browser "
            "session; next attempt allowed in %d s",
            address,
            counts[1],
            counts[0],
            wait,
        )
        return wait

    def succeeded(self, session: str, address: str) -> None:
        """The right passcode: whoever is at this address knows it, so both counts start over."""
        self.counts.clear(self._keys(session, address))

    def failures(self, session: str, address: str) -> tuple[int, int]:
        """(failures of the session, failures of the address) currently counted."""
        found = self.counts.get(self._keys(session, address))
        return found[0][0] if found[0] else 0, found[1][0] if found[1] else 0

    @staticmethod
    def _keys(session: str, address: str) -> tuple[Key, Key]:
        return ("session", session), ("address", address)

    def _wait(self, records: Sequence[tuple[int, float] | None], now: float) -> int:
        waits = [0.0]
        for record in records:
            if record is not None:
                failures, last_failure = record
                waits.append(last_failure + self.delay_after(failures) - now)
        return max(0, math.ceil(max(waits)))
