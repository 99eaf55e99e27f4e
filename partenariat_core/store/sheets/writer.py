"""The background worker: the only code that talks to Google, on its own daemon thread.

Pages never wait for the network: they write to and read from the local outbox, and this worker
keeps the outbox and the sheet in step, one API call per step, in this order of priority:

1. **connect** (spreadsheet metadata; create the worksheets in a blank spreadsheet; header rows);
2. **verify**, after a write that failed in a way that may have landed (lost reply, timeout, 5xx):
   read the sheet before writing anything else, so rows already there are not written twice;
3. **write**: pending session rows, else the oldest pending answers in ONE ``values.append``
   (RAW, INSERT_ROWS), paced to stay within the write budget;
4. **read**: the shared incremental read (``values.batchGet`` of the new responses rows, plus the
   sessions worksheet when due), every ``read_seconds`` while someone watches, slower after 429s.

Failures back off exponentially (capped, jittered) and are kept for :class:`SyncStatus`, in words a
host can act on. Nothing is ever dropped: a failed batch stays pending until the sheet has it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from partenariat_core.errors import ConfigError, PartenariatError
from partenariat_core.i18n import t
from partenariat_core.model import SESSION_FIELDS, utcnow
from partenariat_core.store.sheets.client import Failure, SheetsApi, classify
from partenariat_core.store.sheets.layout import (
    HEADERS,
    RESPONSES,
    SESSIONS,
    WORKSHEETS,
    Header,
    default_header,
    event_key,
    first_row_of,
    rows_range,
)
from partenariat_core.store.sheets.mirror import FULL_WIDTH, ResponsesMirror, parse_sessions, sessions_range
from partenariat_core.store.sheets.outbox import Outbox, WriterLock
from partenariat_core.store.sheets.pacing import AdaptiveInterval, Backoff, Budget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SheetsOptions:
    """Timings and limits; the defaults suit Google, tests shrink them."""

    read_seconds: float = 2.0  # shortest period of the shared read
    longest_read_seconds: float = 30.0  # the period never grows past this, even under 429s
    sessions_seconds: float = 30.0  # how often the sessions worksheet is read again
    flush_seconds: float = 1.0  # shortest gap between two writes
    quota_per_minute: int = 60  # Google's limit per user, for reads and for writes
    quota_share: float = 0.9  # what the app plans to use of it, leaving room for clock skew
    batch_size: int = 500  # rows per append at most
    timeout: float = 10.0  # one API call
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    demand_seconds: float = 30.0  # keep reading this long after the last page asked for answers
    create_in_blank: bool = True  # add our worksheets to a spreadsheet that holds nothing yet

    @property
    def budget_per_minute(self) -> int:
        return max(1, int(self.quota_per_minute * self.quota_share))

    @property
    def write_gap(self) -> float:
        return max(self.flush_seconds, 60.0 / self.budget_per_minute)


@dataclass(frozen=True)
class SyncStatus:
    """What the host page shows: is everything in the sheet, when did it last work, what is wrong."""

    pending_events: int
    pending_sessions: int
    connected: bool
    last_sync: dt.datetime | None  # last successful exchange with the API
    error_key: str | None  # catalog key of the current problem, ``None`` when all is well
    error_params: dict[str, Any] = field(default_factory=dict)
    error_since: dt.datetime | None = None
    missing_worksheets: tuple[str, ...] = ()
    reads_last_minute: int = 0
    writes_last_minute: int = 0
    read_seconds: float = 0.0

    @property
    def pending(self) -> int:
        return self.pending_events + self.pending_sessions

    def error_message(self, lang: str = "fr") -> str | None:
        return t(self.error_key, lang, **self.error_params) if self.error_key else None


class SyncWorker:
    def __init__(
        self,
        api: SheetsApi,
        outbox: Outbox,
        options: SheetsOptions,
        budget: Budget,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.outbox = outbox
        self.options = options
        self.budget = budget
        self.clock = clock
        self.connected = False
        self.missing: tuple[str, ...] = ()
        self.mirror = ResponsesMirror(default_header(RESPONSES))
        self.sessions_header = default_header(SESSIONS)
        self.session_rows: dict[str, int] = {}
        self.sessions_read_from = float("-inf")  # start time of the latest read of the sessions sheet
        self.sessions_asked = 0.0  # a read of the sessions sheet starting after this is wanted
        self.pruned = False  # the first full read after start drops rows a person deleted
        self.needs_verify = False
        self.verify_after = 0.0
        self.demand_at = float("-inf")
        self.due = {"connect": 0.0, "write": 0.0, "read": 0.0}
        self.interval = AdaptiveInterval(options.read_seconds, options.longest_read_seconds)
        self.backoff = {
            k: Backoff(options.backoff_base, options.backoff_cap) for k in ("connect", "write", "read")
        }
        self.counters = {"appends": 0, "rows_written": 0, "reads": 0, "verifications": 0, "failures": 0}
        self.read_done_from = float("-inf")  # start time of the latest successful read
        self._last_ok: dt.datetime | None = None
        self._error: PartenariatError | None = None
        self._error_since: dt.datetime | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._reconnect = threading.Event()  # set from a page thread: check the spreadsheet again now
        self.writer_lock = WriterLock(outbox.path)
        self._thread: threading.Thread | None = None

    # lifecycle ----------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sheets-sync", daemon=True)
            self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout if timeout is not None else self.options.timeout + 2)
            self._thread = None
        self.writer_lock.release()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        self._wake.set()

    def note_demand(self) -> None:
        """A page asked for answers: keep the shared read going (wake it if it was idle)."""
        now = self.clock()
        idle = now - self.demand_at > self.options.demand_seconds
        self.demand_at = now
        if idle:
            self._wake.set()

    def request_read(self) -> float:
        """Read the sheet (responses and sessions) as soon as the budget allows; returns the time
        of the request, to compare with ``read_done_from``."""
        now = self.clock()
        self.sessions_asked = now
        self.demand_at = now
        self.due["read"] = min(self.due["read"], now)
        self._wake.set()
        return now

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                delay = self.step()
            except Exception:  # a bug must not stop the sync for the rest of the workshop
                log.exception("Sheets sync step failed")
                delay = 1.0
            if delay > 0:
                self._wake.wait(min(delay, 1.0))
                self._wake.clear()

    # one step -------------------------------------------------------------------------------------
    def step(self) -> float:
        """Do the most urgent due call, if any; return how long to wait before the next step."""
        now = self.clock()
        if self._reconnect.is_set():
            self._reconnect.clear()
            self.connected = False
            self.due["connect"] = now
            self.backoff["connect"].reset()
        if not self.connected:
            if now < self.due["connect"]:
                return self.due["connect"] - now
            self._attempt("connect", self.connect)
            return 0.0
        waits: list[float] = []
        if self.needs_verify:
            due = max(self.verify_after, self.due["read"], now + self.budget.wait("read"))
            if due <= now:
                self.counters["verifications"] += 1
                self._attempt("read", self.read)
                return 0.0
            waits.append(due - now)
        elif self._has_writes() and self.writer_lock.acquire():
            due = max(self.due["write"], now + self.budget.wait("write"))
            if due <= now:
                self._attempt("write", self.write)
                return 0.0
            waits.append(due - now)
        if self._wants_read(now):
            due = max(self.due["read"], now + self.budget.wait("read"))
            if due <= now:
                self._attempt("read", self.read)
                return 0.0
            waits.append(due - now)
        return min(waits, default=1.0)

    def _wants_read(self, now: float) -> bool:
        return (
            now - self.demand_at <= self.options.demand_seconds or self._sessions_asked() or self.mirror.full
        )

    def _sessions_asked(self) -> bool:
        return self.sessions_asked >= self.sessions_read_from

    def _has_writes(self) -> bool:
        return self.outbox.pending_count() > 0 or bool(self.outbox.pending_sessions())

    def _attempt(self, what: str, action: Callable[[], None]) -> None:
        try:
            action()
        except Exception as exc:  # every failure is classified, reported and retried
            failure = classify(exc, self.api.target, self.api.timeout)
            self._failed(what, failure)
        else:
            self.backoff[what].reset()
            self._succeeded()

    def _failed(self, what: str, failure: Failure) -> None:
        now = self.clock()
        self.counters["failures"] += 1
        self._set_error(failure.error)
        delay = self.backoff[what].next_delay()
        if failure.kind == "quota" and what == "read":
            self.interval.throttled()
            delay = max(delay, self.interval.current)
        if failure.kind == "invalid":  # a range no longer valid: check the spreadsheet again
            self.connected = False
            self.mirror.reset()
        if what == "write" and failure.maybe_written:
            self.needs_verify = True
            self.verify_after = now + failure.settle
        if what == "connect":
            self.due["connect"] = now + delay
        else:
            self.due[what] = now + delay
        log.info("Sheets %s failed (%s): %s", what, failure.kind, failure.error)

    def _succeeded(self) -> None:
        with self._lock:
            self._last_ok = utcnow()
            if self.connected and not self.missing:
                self._error, self._error_since = None, None

    def _set_error(self, error: PartenariatError) -> None:
        with self._lock:
            if self._error is None or self._error.key != error.key:
                self._error_since = utcnow()
            self._error = error

    # connect ----------------------------------------------------------------------------------------
    def connect(self) -> None:
        """Check the spreadsheet and its worksheets, write missing header rows, then read it all."""
        started = self.clock()
        meta = self.api.metadata()
        grids = {
            s["properties"]["title"]: s["properties"].get("gridProperties", {})
            for s in meta.get("sheets", [])
        }
        missing = [w for w in WORKSHEETS if w not in grids]
        if missing and self.options.create_in_blank and self._blank(grids):
            self.api.add_sheets(missing, columns=FULL_WIDTH)
            grids.update({w: {"rowCount": 1000, "columnCount": FULL_WIDTH} for w in missing})
            missing = []
        self.missing = tuple(missing)
        if missing:
            raise ConfigError(
                "sheets.missing_worksheets", names=", ".join(missing), spreadsheet=self.api.target.key
            )
        self.mirror = ResponsesMirror(default_header(RESPONSES), max_columns=_cols(grids[RESPONSES]))
        width = _cols(grids[SESSIONS])
        responses_rows, sessions_rows = self.api.batch_get([self.mirror.next_range(), sessions_range(width)])
        headers = {RESPONSES: responses_rows[:1], SESSIONS: sessions_rows[:1]}
        blank = [w for w in WORKSHEETS if not headers[w] or not any(str(c).strip() for c in headers[w][0])]
        for title in WORKSHEETS:
            if title in blank:
                continue
            found = Header.parse(headers[title][0])
            lacking = found.missing(HEADERS[title])
            if lacking:
                raise ConfigError("sheets.bad_header", worksheet=title, columns=", ".join(lacking))
            if title == SESSIONS:
                self.sessions_header = found
        if blank:
            self.api.update_rows([(rows_range(w, 1, len(HEADERS[w]), 1), [list(HEADERS[w])]) for w in blank])
        self.connected = True
        self._take_sessions(sessions_rows if SESSIONS not in blank else [], started=started)
        self._take_responses(responses_rows if RESPONSES not in blank else [], full=True)

    def _blank(self, grids: dict[str, dict[str, Any]]) -> bool:
        """Whether every existing worksheet is empty (a spreadsheet made for us, not someone's data)."""
        titles = [t for t in grids if t not in WORKSHEETS]
        if not titles:
            return True
        ranges = [
            rows_range(t, 1, min(_cols(grids[t]), 5), min(int(grids[t].get("rowCount", 5)), 5))
            for t in titles
        ]
        return all(
            not any(any(str(c).strip() for c in row) for row in rows) for rows in self.api.batch_get(ranges)
        )

    def create_missing_worksheets(self) -> list[str]:
        """Add the worksheets the spreadsheet lacks (the host asked for it); returns their names."""
        meta = self.api.metadata()
        titles = {s["properties"]["title"] for s in meta.get("sheets", [])}
        missing = [w for w in WORKSHEETS if w not in titles]
        if missing:
            self.api.add_sheets(missing, columns=FULL_WIDTH)
        self.missing = ()
        # the worker (its own thread) checks the spreadsheet again at its next step, even if a check
        # that started before the worksheets existed is failing right now
        self._reconnect.set()
        self._wake.set()
        return missing

    # reads --------------------------------------------------------------------------------------------
    def read(self) -> None:
        """The shared read: new responses rows, plus the sessions worksheet when due."""
        now = self.clock()
        with_sessions = (
            self._sessions_asked()
            or self.needs_verify
            or now - self.sessions_read_from >= self.options.sessions_seconds
        )
        full = self.mirror.full
        ranges = [self.mirror.next_range()] + (
            [sessions_range(self.sessions_header.width)] if with_sessions else []
        )
        self.due["read"] = now + self.interval.current
        results = self.api.batch_get(ranges)
        self.counters["reads"] += 1
        self.interval.succeeded()
        if with_sessions:
            self._take_sessions(results[1], started=now)
        taken = self._take_responses(results[0], full=full)
        if not taken:
            self.due["read"] = now  # the sheet changed under the cursor: read it all, now
            return
        if now >= self.verify_after:  # a read that started before the settling time proves nothing
            self.needs_verify = False
        self.read_done_from = now  # last: a waiting ``refresh`` must see what this read learned

    def _take_responses(self, rows: list[list[Any]], *, full: bool) -> bool:
        events = self.mirror.take(rows)
        if events is None:
            return False
        self.outbox.learn(events)
        if full and not self.pruned:
            self.outbox.forget_synced_except({event_key(e) for e in events})
            self.pruned = True
        return True

    def _take_sessions(self, rows: list[list[Any]], started: float) -> None:
        if rows:
            found = Header.parse(rows[0])
            if not found.missing(SESSION_FIELDS):
                self.sessions_header = found
        sessions, where = parse_sessions(rows, self.sessions_header) if rows else ([], {})
        self.outbox.learn_sessions(sessions)
        self.session_rows = where
        self.sessions_read_from = started

    # writes ----------------------------------------------------------------------------------------
    def write(self) -> None:
        """One write call: session rows first (rare, small), else one batch of answers."""
        now = self.clock()
        self.due["write"] = now + self.options.write_gap
        pending = self.outbox.pending_sessions()
        if pending:
            self._write_sessions(pending)
            return
        batch = self.outbox.pending(self.options.batch_size)
        if not batch:
            return
        rows = [self.mirror.header.row(e.to_record()) for e in batch]
        self.api.append(rows_range(RESPONSES, 1, self.mirror.header.width), rows)
        self.outbox.mark_synced([e.seq for e in batch if e.seq is not None])
        self.counters["appends"] += 1
        self.counters["rows_written"] += len(rows)

    def _write_sessions(self, pending: list[Any]) -> None:
        header = self.sessions_header
        new = [p for p in pending if p.session.code not in self.session_rows]
        if new:
            reply = self.api.append(
                rows_range(SESSIONS, 1, header.width), [header.row(p.session.to_record()) for p in new]
            )
            first = first_row_of(reply.get("updates", {}).get("updatedRange", ""))
            for offset, p in enumerate(new):
                self.outbox.mark_session_synced(p.session.code, p.version)
                if first is not None:
                    self.session_rows[p.session.code] = first + offset
            return
        if self.clock() - self.sessions_read_from > max(5.0, 3 * self.options.write_gap):
            # rows may have moved (a person sorted the sheet): read them again before overwriting one
            self.sessions_asked = self.clock()
            self.due["read"] = 0.0
            self.due["write"] = self.clock() + self.options.flush_seconds
            return
        data = [
            (
                rows_range(
                    SESSIONS,
                    self.session_rows[p.session.code],
                    header.width,
                    self.session_rows[p.session.code],
                ),
                [header.row(p.session.to_record())],
            )
            for p in pending
        ]
        self.api.update_rows(data)
        for p in pending:
            self.outbox.mark_session_synced(p.session.code, p.version)

    # status --------------------------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        with self._lock:
            error, since, last_ok = self._error, self._error_since, self._last_ok
        return SyncStatus(
            pending_events=self.outbox.pending_count(),
            pending_sessions=len(self.outbox.pending_sessions()),
            connected=self.connected,
            last_sync=last_ok,
            error_key=error.key if error else None,
            error_params=dict(error.params) if error else {},
            error_since=since,
            missing_worksheets=self.missing,
            reads_last_minute=self.budget.used("read"),
            writes_last_minute=self.budget.used("write"),
            read_seconds=self.interval.current,
        )

    def connect_now(self) -> Failure | None:
        """One synchronous connection attempt (at start-up), reporting what went wrong, if anything."""
        try:
            self.connect()
        except Exception as exc:
            failure = classify(exc, self.api.target, self.api.timeout)
            self._failed("connect", failure)
            return failure
        self._succeeded()
        return None


def _cols(grid: dict[str, Any]) -> int:
    return int(grid.get("columnCount", FULL_WIDTH) or FULL_WIDTH)
