"""Fault injection: the ways Google and the network fail, switched on and off from a test.

Every method is thread-safe (it takes the server's lock) and takes effect on the next request.
``only="read"``/``"write"`` restricts a fault to GETs or to POST/PUTs, which matters because
gspread reads metadata before it writes.

* ``fail_next(n, status=500)``: the next ``n`` requests get that error (``html=True`` for the HTML
  pages Google's front end sends on 502s, on which gspread's ``APIError.code`` is ``-1``).
* ``drop_next(n)``: close the connection without a reply, before doing anything;
  ``requests`` raises ``ConnectionError``.
* ``lose_reply_next(n)``: do the work (the append is stored), then close the connection without a
  reply: the "written, but the client thinks it failed" case that idempotent writes must survive.
* ``outage(seconds)`` / ``outage_start()`` / ``outage_end()``: every request fails, with 503 or
  (``mode="drop"``) by dropping the connection. ``outage(seconds)`` ends by the server's clock.
* ``delay(seconds, n=None)``: hold each request (the next ``n``, or all until ``clear()``) before
  handling it, to trigger client timeouts. The request is still carried out after the delay, as a
  slow Google would, so a timed-out write may still land.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

_KINDS = (None, "read", "write")


@dataclass
class _OneShot:
    action: str  # "error", "drop" or "lose_reply"
    remaining: int
    only: str | None
    status: int = 500
    html: bool = False


@dataclass(frozen=True)
class Decision:
    """What to do to one request: wait, then nothing / fail / drop / lose the reply."""

    delay: float = 0.0
    action: str = "none"  # "none", "error", "drop" or "lose_reply"
    status: int = 500
    html: bool = False


class FaultPlan:
    """Pending faults; :meth:`decide` is called once per request by the server."""

    def __init__(self, lock: threading.RLock, clock: Callable[[], float]) -> None:
        self._lock = lock
        self._clock = clock
        self._one_shots: list[_OneShot] = []
        self._outage_mode: str | None = None
        self._outage_until: float | None = None
        self._delay = 0.0
        self._delay_remaining: int | None = None
        self._delay_only: str | None = None
        self.injected = 0

    def fail_next(
        self, n: int = 1, status: int = 500, *, only: str | None = None, html: bool = False
    ) -> None:
        """The next ``n`` matching requests fail with ``status`` and a Google-shaped body."""
        self._queue(_OneShot("error", n, _check_only(only), status, html))

    def drop_next(self, n: int = 1, *, only: str | None = None) -> None:
        """The next ``n`` matching requests get their connection closed, unprocessed."""
        self._queue(_OneShot("drop", n, _check_only(only)))

    def lose_reply_next(self, n: int = 1, *, only: str | None = "write") -> None:
        """The next ``n`` matching requests are carried out, then the reply is never sent."""
        self._queue(_OneShot("lose_reply", n, _check_only(only)))

    def outage(self, seconds: float, *, mode: str = "503") -> None:
        """Everything fails for ``seconds`` of the server's clock."""
        with self._lock:
            self._outage_mode = _check_mode(mode)
            self._outage_until = self._clock() + seconds

    def outage_start(self, *, mode: str = "503") -> None:
        """Everything fails until :meth:`outage_end`; ``mode="drop"`` drops every connection."""
        with self._lock:
            self._outage_mode = _check_mode(mode)
            self._outage_until = None

    def outage_end(self) -> None:
        """End an outage early (or at all, for :meth:`outage_start`)."""
        with self._lock:
            self._outage_mode = None
            self._outage_until = None

    def delay(self, seconds: float, n: int | None = None, *, only: str | None = None) -> None:
        """Hold the next ``n`` matching requests (all, if ``n`` is None) for ``seconds``."""
        with self._lock:
            self._delay = seconds
            self._delay_remaining = n
            self._delay_only = _check_only(only)

    def clear(self) -> None:
        """Remove every pending fault, outage and delay."""
        with self._lock:
            self._one_shots.clear()
            self._outage_mode = None
            self._outage_until = None
            self._delay = 0.0
            self._delay_remaining = None

    def decide(self, kind: str) -> Decision:
        """Consume and return the fault for one request of ``kind`` (``read``/``write``)."""
        with self._lock:
            delay = self._take_delay(kind)
            if self._in_outage():
                self.injected += 1
                action = "drop" if self._outage_mode == "drop" else "error"
                return Decision(delay, action, 503)
            for shot in self._one_shots:
                if shot.only in (None, kind):
                    shot.remaining -= 1
                    if shot.remaining <= 0:
                        self._one_shots.remove(shot)
                    self.injected += 1
                    return Decision(delay, shot.action, shot.status, shot.html)
            return Decision(delay)

    def _queue(self, shot: _OneShot) -> None:
        if shot.remaining > 0:
            with self._lock:
                self._one_shots.append(shot)

    def _in_outage(self) -> bool:
        if self._outage_mode is None:
            return False
        if self._outage_until is not None and self._clock() >= self._outage_until:
            self._outage_mode = None
            self._outage_until = None
            return False
        return True

    def _take_delay(self, kind: str) -> float:
        if self._delay <= 0 or self._delay_only not in (None, kind):
            return 0.0
        if self._delay_remaining is not None:
            self._delay_remaining -= 1
            if self._delay_remaining <= 0:
                delay, self._delay = self._delay, 0.0
                self._delay_remaining = None
                return delay
        return self._delay


def _check_only(only: str | None) -> str | None:
    if only not in _KINDS:
        raise ValueError(f"only must be None, 'read' or 'write', not {only!r}")
    return only


def _check_mode(mode: str) -> str:
    if mode not in ("503", "drop"):
        raise ValueError(f"mode must be '503' or 'drop', not {mode!r}")
    return mode
