"""Staying under the Sheets quota, and backing off when we did not.

Google allows about 60 read requests and 60 write requests per minute per user, and a service
account is one user: every room, screen and phone of the app shares those 120 calls. ``Budget``
counts our own calls in a sliding minute, so the writer and the reader plan ahead instead of
discovering the limit through 429s. ``Backoff`` spaces retries after a failure: exponential, capped
(a workshop cannot wait minutes), with jitter so that several app processes hitting the same outage
do not retry in lockstep.
"""

from __future__ import annotations

import random
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW = 60.0


class Budget:
    """Calls of each kind (``read``/``write``) made in the last minute, against a per-minute limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float], window: float = WINDOW) -> None:
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._calls: dict[str, deque[float]] = {"read": deque(), "write": deque()}
        self._lock = threading.Lock()

    def record(self, kind: str) -> None:
        with self._lock:
            self._calls[kind].append(self.clock())

    def used(self, kind: str) -> int:
        with self._lock:
            return len(self._expire(kind))

    def wait(self, kind: str) -> float:
        """Seconds until one more call of ``kind`` fits in the minute (0 when it fits now)."""
        with self._lock:
            calls = self._expire(kind)
            if len(calls) < self.per_minute:
                return 0.0
            return max(0.0, calls[len(calls) - self.per_minute] + self.window - self.clock())

    def _expire(self, kind: str) -> deque[float]:
        calls = self._calls[kind]
        edge = self.clock() - self.window
        while calls and calls[0] <= edge:
            calls.popleft()
        return calls


_SHARED: weakref.WeakValueDictionary[tuple[str, Callable[[], float]], Budget] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


def account_of(email: str | None, api_url: str) -> str:
    """Who Google counts a call against: the service account, or (no credentials: the fake server)
    the one anonymous user of that API address."""
    return email or f"anonymous@{api_url.rstrip('/')}"


def shared_budget(
    email: str | None, api_url: str, per_minute: int, clock: Callable[[], float] = time.monotonic
) -> Budget:
    """The one :class:`Budget` of this process for the account ``email`` at ``api_url`` (see
    :func:`account_of`).

    Google's quota is per user, so the Sheets store and every linked-sheet reader of one service
    account must count their calls together: each asks here instead of making its own. A caller
    with its own clock (a test) gets a budget of its own. The smallest ``per_minute`` asked wins.
    Kept only while someone holds it (weak references), so a closed store frees its count.
    """
    account = account_of(email, api_url)
    with _SHARED_LOCK:
        budget = _SHARED.get((account, clock))
        if budget is None:
            budget = Budget(per_minute, clock)
            _SHARED[(account, clock)] = budget
        budget.per_minute = min(budget.per_minute, per_minute)
        return budget


@dataclass
class Backoff:
    """Delay before the n-th retry: ``base * 2**(n-1)``, capped, with "equal jitter" (half fixed,
    half random), so a retry is never immediate yet never synchronised with other processes."""

    base: float
    cap: float
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self) -> float:
        self.failures += 1
        ceiling = min(self.cap, self.base * 2 ** min(self.failures - 1, 30))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.failures = 0


@dataclass
class AdaptiveInterval:
    """The shared read's period: the configured one, doubled after each 429 (up to ``longest``) and
    eased back by a quarter after each success, so reads settle just under what the quota allows."""

    shortest: float
    longest: float
    current: float = 0.0

    def __post_init__(self) -> None:
        self.current = self.current or self.shortest

    def throttled(self) -> None:
        self.current = min(self.longest, self.current * 2)

    def succeeded(self) -> None:
        self.current = max(self.shortest, self.current * 0.75)
