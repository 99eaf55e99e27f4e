""":class:`FakeSheetsServer`: lifecycle, data seeding, stats, and the path of one request.

One request goes through, in order: fault plan (delay, outage, injected error or drop), bearer
token check (401), route lookup (404), quota (429), then the endpoint. Everything after the fault
plan runs under the server's single lock, which is what makes each append atomic; only injected
delays wait outside it, so a slow request never holds up the others.
"""

from __future__ import annotations

import ipaddress
import re
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .api import SheetsApi
from .cells import parse_input
from .errors import ApiError, encode_json
from .faults import FaultPlan
from .httpd import LoopbackHTTPServer, Reply
from .quota import QuotaTracker, describe
from .routing import Query, Route, match_route, request_kind
from .state import Box, Sheet, Spreadsheet
from .values import write_block

USER_HEADER = "X-Fake-Sheets-User"
_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
Headers = Mapping[str, str]


@dataclass
class _Stats:
    requests: int = 0
    reads: int = 0
    writes: int = 0
    rejected_429: int = 0
    dropped_connections: int = 0
    by_route: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)


class FakeSheetsServer:
    """A fake Google Sheets API v4 on 127.0.0.1, driven from Python.

    Attributes meant to be set by tests: ``clock`` (callable returning seconds, used by quotas and
    timed outages), ``require_token`` (``True``: any bearer token; a string: that token),
    ``quota`` (``per_user``, ``per_project``, ``enabled``) and ``faults`` (a :class:`FaultPlan`).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quota_per_user: int = 60,
        quota_per_project: int = 300,
        log_requests: bool = False,
    ) -> None:
        if not ipaddress.ip_address(host).is_loopback:
            raise ValueError(f"the fake Sheets server only listens on loopback, not {host!r}")
        self.lock = threading.RLock()
        self.clock: Callable[[], float] = time.monotonic
        self.require_token: bool | str = False
        self.log_requests = log_requests
        self.quota = QuotaTracker(per_user=quota_per_user, per_project=quota_per_project)
        self.faults = FaultPlan(self.lock, lambda: self.clock())
        self._api = SheetsApi()
        self._stats = _Stats()
        self._address = (host, port)
        self._httpd: LoopbackHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeSheetsServer:
        """Bind (port 0 = a free port) and serve from a daemon thread; returns ``self``."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = LoopbackHTTPServer(self._address, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},  # how fast stop() is noticed
            name=f"fake-sheets-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and free the port; returns within a second."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=1.0)
        self._httpd = self._thread = None

    def __enter__(self) -> FakeSheetsServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port (only meaningful once started)."""
        if self._httpd is None:
            raise RuntimeError("the fake Sheets server is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``: what replaces ``https://sheets.googleapis.com``."""
        return f"http://{self._address[0]}:{self.port}"

    # -- data, from Python (no quota, no faults) -----------------------------------------------

    def create_spreadsheet(
        self,
        key: str,
        title: str = "Untitled spreadsheet",
        sheets: tuple[str, ...] | list[str] = ("Sheet1",),
        *,
        shared: bool = True,
        rows: int = 1000,
        cols: int = 26,
    ) -> None:
        """Create an empty spreadsheet; ``shared=False`` makes every API call on it a 403."""
        if not _KEY.match(key):
            raise ValueError(f"spreadsheet keys are letters, digits, '-' and '_': {key!r}")
        if not sheets:
            raise ValueError("a spreadsheet has at least one sheet")
        tabs = [Sheet(i, t, i, row_count=rows, column_count=cols) for i, t in enumerate(sheets)]
        with self.lock:
            if key in self._api.spreadsheets:
                raise ValueError(f"spreadsheet {key!r} already exists")
            self._api.spreadsheets[key] = Spreadsheet(key, title, tabs, shared=shared)

    def set_shared(self, key: str, shared: bool) -> None:
        """Share or unshare a spreadsheet with the app's account."""
        with self.lock:
            self._book(key).shared = shared

    def metadata(self, key: str) -> dict[str, Any]:
        """What ``GET /v4/spreadsheets/{key}`` would return, without counting a request."""
        with self.lock:
            return self._book(key).metadata()

    def metadata_owner(self, key: str) -> str:
        """The account the fake treats as the caller: editor of every protected range it adds."""
        with self.lock:
            return self._book(key).owner_email

    def values(self, key: str, sheet: str) -> list[list[str]]:
        """A sheet's cells as formatted strings, trailing blanks trimmed (assertions' view)."""
        with self.lock:
            tab = self._tab(key, sheet)
            return tab.read(Box(1, 1, tab.row_count, tab.column_count), "FORMATTED_VALUE")

    def set_values(
        self, key: str, sheet: str, rows: list[list[Any]], *, value_input_option: str = "RAW"
    ) -> None:
        """Write ``rows`` from A1 (grid grows as needed); for seeding a sheet before a test."""
        for row in rows:
            for value in row:
                parse_input(value, value_input_option)  # validate before touching anything
        with self.lock:
            write_block(self._tab(key, sheet), 1, 1, rows, value_input_option, skip_null=True)

    def stats(self) -> dict[str, Any]:
        """Counters since start (or :meth:`reset_stats`), for assertions and benchmarks."""
        with self.lock:
            now = self.clock()
            s = self._stats
            return {
                "requests": s.requests,
                "reads": s.reads,
                "writes": s.writes,
                "rejected_429": s.rejected_429,
                "faults_injected": self.faults.injected,
                "dropped_connections": s.dropped_connections,
                "by_route": dict(s.by_route),
                "by_status": dict(s.by_status),
                "peak_reads_per_minute": self.quota.peaks["read"],
                "peak_writes_per_minute": self.quota.peaks["write"],
                "peak_per_user": {u: dict(p) for u, p in self.quota.user_peaks.items()},
                "reads_in_window": self.quota.in_window("read", now),
                "writes_in_window": self.quota.in_window("write", now),
                "quota": describe(self.quota),
            }

    def reset_stats(self) -> None:
        """Zero the counters and the quota windows (limits and faults stay)."""
        with self.lock:
            self._stats = _Stats()
            self.quota.reset()
            self.faults.injected = 0

    # -- request path --------------------------------------------------------------------------

    def process(self, method: str, path: str, headers: Headers, body: bytes) -> Reply | None:
        """Answer one HTTP request; None means "close the connection without a reply"."""
        parts = urlsplit(path)
        route = match_route(method, parts.path)
        decision = self.faults.decide(route.kind if route else request_kind(method))
        if decision.delay > 0:
            self._stopping.wait(decision.delay)
        with self.lock:
            self._stats.requests += 1
        if decision.action == "drop":
            return self._drop()
        if decision.action == "error":
            return self._error(ApiError(decision.status, html=decision.html))
        query = parse_qs(parts.query, keep_blank_values=True)
        reply = self._answer(route, method, query, headers, body)
        if decision.action == "lose_reply":
            return self._drop()
        return reply

    def _answer(
        self,
        route: Route | None,
        method: str,
        query: dict[str, list[str]],
        headers: Headers,
        body: bytes,
    ) -> Reply:
        with self.lock:
            try:
                self._authenticate(headers)
                if route is None:
                    raise ApiError(404, f"Method not found: {method}.")
                self._admit(route.kind, _user_of(headers))
                self._stats.by_route[route.name] += 1
                payload = self._api.handle(route, Query(query), body)
            except ApiError as exc:
                return self._error(exc)
            except Exception as exc:  # a bug in the fake: say so loudly, like a 500 would
                traceback.print_exc(file=sys.stderr)
                return self._error(ApiError(500, f"Internal error in the fake server: {exc!r}"))
            self._stats.by_status[200] += 1
            return Reply(200, encode_json(payload))

    def _authenticate(self, headers: Headers) -> None:
        if not self.require_token:
            return
        token = _bearer(headers)
        if token is None:
            raise ApiError(401)
        if isinstance(self.require_token, str) and token != self.require_token:
            raise ApiError(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, "
                "login cookie or other valid authentication credential.",
            )

    def _admit(self, kind: str, user: str) -> None:
        try:
            self.quota.admit(kind, user, self.clock())
        except ApiError:
            self._stats.rejected_429 += 1
            raise
        if kind == "read":
            self._stats.reads += 1
        else:
            self._stats.writes += 1

    def _error(self, exc: ApiError) -> Reply:
        body, content_type = exc.body()
        with self.lock:
            self._stats.by_status[exc.code] += 1
        return Reply(exc.code, body, content_type)

    def _drop(self) -> None:
        with self.lock:
            self._stats.dropped_connections += 1
        return None

    def _book(self, key: str) -> Spreadsheet:
        book = self._api.spreadsheets.get(key)
        if book is None:
            raise KeyError(f"no spreadsheet {key!r}")
        return book

    def _tab(self, key: str, title: str) -> Sheet:
        sheet = self._book(key).sheet_by_title(title)
        if sheet is None:
            raise KeyError(f"no sheet {title!r} in spreadsheet {key!r}")
        return sheet


def _bearer(headers: Headers) -> str | None:
    value = headers.get("Authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def _user_of(headers: Headers) -> str:
    """Quota user: the bearer token, else the ``X-Fake-Sheets-User`` header, else one default."""
    token = _bearer(headers)
    if token is not None:
        return f"bearer:{token}"
    return headers.get(USER_HEADER) or "anonymous"
