"""Slowing down guesses of the host passcode.

Without a limit, one websocket guessed 21 passcodes a second and eight guessed 113. ``GuessThrottle``
counts the failed attempts of each browser session and of each client address: the first few are free
(a host mistyping), then each failure imposes a wait that doubles, up to a cap. While a wait runs, the
page refuses to check any passcode at all, so a guess made then tells nothing. Both counts matter: a
script opening a new browser session for every guess is still one address, and many addresses behind
one proxy are still told apart by their sessions.

Pure logic with an injectable clock, so the delays are tested by hand; the page only calls it. It logs
each failure (the address and the counts, never the text that was tried).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

FREE_FAILURES = 3
FIRST_DELAY_SECONDS = 2.0
MAX_DELAY_SECONDS = 300.0
FORGET_AFTER_SECONDS = 3600.0
MAX_TRACKED = 10_000


@dataclass
class _Record:
    failures: int
    last_failure: float


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
    ) -> None:
        if forget_after < max_delay:
            raise ValueError("forget_after must be at least max_delay")
        self.free_failures = free_failures
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.forget_after = forget_after
        self.max_tracked = max_tracked
        self._clock = clock
        self._records: OrderedDict[tuple[str, str], _Record] = OrderedDict()
        self._lock = threading.Lock()

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after ``failures`` consecutive failed attempts."""
        if failures <= self.free_failures:
            return 0.0
        return min(self.max_delay, self.first_delay * 2 ** (failures - self.free_failures - 1))

    def retry_after(self, session: str, address: str) -> int:
        """Whole seconds (rounded up) before this session at this address may try again; 0: now."""
        with self._lock:
            return self._wait(self._keys(session, address), self._clock())

    def failed(self, session: str, address: str) -> int:
        """Count one wrong passcode; the wait it imposes, in whole seconds (0 while still free)."""
        with self._lock:
            now = self._clock()
            self._forget_old(now)
            counts = []
            for key in self._keys(session, address):
                record = self._records.pop(key, None) or _Record(0, now)
                record.failures += 1
                record.last_failure = now
                self._records[key] = record  # now the most recent
                counts.append(record.failures)
            while len(self._records) > self.max_tracked:
                self._records.popitem(last=False)
            wait = self._wait(self._keys(session, address), now)
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
        with self._lock:
            for key in self._keys(session, address):
                self._records.pop(key, None)

    def failures(self, session: str, address: str) -> tuple[int, int]:
        """(failures of the session, failures of the address) currently counted."""
        with self._lock:
            found = [self._records.get(key) for key in self._keys(session, address)]
            return found[0].failures if found[0] else 0, found[1].failures if found[1] else 0

    @staticmethod
    def _keys(session: str, address: str) -> tuple[tuple[str, str], tuple[str, str]]:
        return ("session", session), ("address", address)

    def _wait(self, keys: tuple[tuple[str, str], ...], now: float) -> int:
        waits = [0.0]
        for key in keys:
            record = self._records.get(key)
            if record is not None:
                waits.append(record.last_failure + self.delay_after(record.failures) - now)
        return max(0, math.ceil(max(waits)))

    def _forget_old(self, now: float) -> None:
        """Drop the counts with no failure for ``forget_after`` seconds (the oldest come first)."""
        while self._records:
            key, record = next(iter(self._records.items()))
            if now - record.last_failure < self.forget_after:
                break
            del self._records[key]
