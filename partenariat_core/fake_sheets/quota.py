"""Per-minute quotas like the Sheets API's: reads and writes apart, per user and per project.

Google documents 60 requests per minute per user and 300 per minute per project, for reads and for
writes separately, and answers 429 RESOURCE_EXHAUSTED beyond. A service account is one user, so an
app writing through one account gets 60 writes a minute in total: the number the app must live with.

The window slides: a request at ``t`` stops counting at ``t + 60``. Time comes from the caller
(the server's injectable clock), so a test can move a minute forward without sleeping.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError

WINDOW_SECONDS = 60.0
_METRIC = {"read": "Read requests", "write": "Write requests"}
_LIMIT_NAME = {"read": "ReadRequestsPer", "write": "WriteRequestsPer"}


@dataclass
class QuotaTracker:
    """Sliding-window counters; ``admit`` raises the 429 Google would send."""

    per_user: int = 60
    per_project: int = 300
    enabled: bool = True
    window: float = WINDOW_SECONDS
    _by_user: dict[tuple[str, str], deque[float]] = field(default_factory=dict)
    _by_kind: dict[str, deque[float]] = field(default_factory=dict)
    peaks: dict[str, int] = field(default_factory=lambda: {"read": 0, "write": 0})
    user_peaks: dict[str, dict[str, int]] = field(default_factory=dict)

    def admit(self, kind: str, user: str, now: float) -> None:
        """Count one request of ``kind`` (``read``/``write``) by ``user``, or raise a 429.

        A refused request does not count, so a client that backs off gets through when the oldest
        request of the window expires, as it does with Google.
        """
        user_window = self._by_user.setdefault((kind, user), deque())
        project_window = self._by_kind.setdefault(kind, deque())
        self._expire(user_window, now)
        self._expire(project_window, now)
        if self.enabled:
            if len(user_window) >= self.per_user:
                raise quota_error(kind, "user")
            if len(project_window) >= self.per_project:
                raise quota_error(kind, "project")
        user_window.append(now)
        project_window.append(now)
        self.peaks[kind] = max(self.peaks.get(kind, 0), len(project_window))
        mine = self.user_peaks.setdefault(user, {"read": 0, "write": 0})
        mine[kind] = max(mine.get(kind, 0), len(user_window))

    def in_window(self, kind: str, now: float) -> int:
        """Requests of ``kind`` counted in the current window, all users together."""
        window = self._by_kind.get(kind, deque())
        self._expire(window, now)
        return len(window)

    def reset(self) -> None:
        """Forget every counted request and peak (limits and ``enabled`` stay)."""
        self._by_user.clear()
        self._by_kind.clear()
        self.peaks = {"read": 0, "write": 0}
        self.user_peaks.clear()

    def _expire(self, window: deque[float], now: float) -> None:
        while window and window[0] <= now - self.window:
            window.popleft()


def quota_error(kind: str, scope: str) -> ApiError:
    """The 429 body Google sends, including the ErrorInfo detail clients may log."""
    per = "minute per user" if scope == "user" else "minute"
    limit = f"{_LIMIT_NAME[kind]}MinutePer{'User' if scope == 'user' else 'Project'}"
    message = (
        f"Quota exceeded for quota metric '{_METRIC[kind]}' and limit "
        f"'{_METRIC[kind]} per {per}' of service 'sheets.googleapis.com' "
        "for consumer 'project_number:000000000000'."
    )
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "service": "sheets.googleapis.com",
                "consumer": "projects/000000000000",
                "quota_metric": f"sheets.googleapis.com/{kind}_requests",
                "quota_limit": limit,
            },
        }
    ]
    return ApiError(429, message, details=details)


def describe(tracker: QuotaTracker) -> dict[str, Any]:
    """Limits as plain data, for ``stats()``."""
    return {
        "enabled": tracker.enabled,
        "per_user_per_minute": tracker.per_user,
        "per_project_per_minute": tracker.per_project,
    }


class ManualClock:
    """A clock that moves only when told: set as ``server.clock`` so a test lets a quota minute or an
    outage pass without sleeping."""

    def __init__(self, start: float = 10_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
