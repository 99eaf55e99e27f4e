"""The background worker: the only code that talks to Google, on its own daemon thread.

Pages never wait for the network: they write to and read from the local outbox, and this worker
keeps the outbox and the sheet in step, one API call per step, in this order of priority:

1. **connect** (spreadsheet metadata; create the worksheets in a blank spreadsheet; header rows);
2. **write**: pending session rows (appended: a session's rows are never rewritten in place), else
   the oldest sendable answers in ONE ``values.append`` (RAW, INSERT_ROWS), paced to stay within
   the write budget;
3. **read**: the shared incremental read (``values.batchGet`` of the new responses rows, plus the
   sessions worksheet when due), every ``read_seconds`` while someone watches or a write's fate is
   unknown, slower after 429s; every ``reconcile_seconds`` that read is a full one, so cells a
   person edited and rows a person deleted are followed.

Exactly once. Every answer carries its key (session, submission id, instrument, item) into its row.
Before a batch leaves, the outbox records it as *sent* (``outbox.sends``), durably. A batch whose
request failed in a way that may have landed (a timeout, a lost reply, a 5xx, a crash of this
process) is not sent again until a read of the sheet that started after its ``check_after`` time
did not find its keys; meanwhile the other answers keep being sent. After a timeout that time is
``settle_seconds`` later (Google may still be running the request); after a lost reply or a 5xx it
is at once. A copy that lands later still (Google held the request longer than that) is found by
the next full read and its extra row deleted.

Failures back off exponentially (capped, jittered) and are kept for :class:`SyncStatus`, in words a
host can act on. Nothing is ever dropped: a failed batch stays pending until the sheet has it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from partenariat_core.errors import ConfigError, PartenariatError
from partenariat_core.i18n import t
from partenariat_core.model import SESSION_FIELDS, utcnow
from partenariat_core.store.sheets.client import Failure, SheetsApi, classify
from partenariat_core.store.sheets.layout import (
    HEADERS,
    PROTECTION,
    RESPONSES,
    SESSION_FIELDS_V0,
    SESSIONS,
    WORKSHEETS,
    Header,
    col_letter,
    default_header,
    event_from_row,
    event_key,
    quote_title,
    rows_range,
)
from partenariat_core.store.sheets.mirror import FULL_WIDTH, ResponsesMirror, parse_sessions, sessions_range
from partenariat_core.store.sheets.outbox import Outbox, WriterLock
from partenariat_core.store.sheets.pacing import AdaptiveInterval, Backoff, Budget

log = logging.getLogger(__name__)

# how long after a batch was sent a second time the writer keeps reading the sheet for a late copy of
# the first send (and remembers its keys, to delete that copy)
LATE_COPY_SECONDS = 600.0


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
    settle_seconds: float | None = None  # after a timeout, wait this long before a resend (None: timeout)
    reconcile_seconds: float = 60.0  # a full read of the responses at least this often (edits, deletions)
    local_timeout: float = 10.0  # the outbox's SQLite busy timeout
    protect: bool = True  # ask for a warning-only protection of the app's columns

    @property
    def settle(self) -> float:
        return self.timeout if self.settle_seconds is None else self.settle_seconds

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
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.api = api
        self.wall = wall  # sends are dated in wall time: the next process must read them
        self.outbox = outbox
        self.options = options
        self.budget = budget
        self.clock = clock
        self.connected = False
        self.missing: tuple[str, ...] = ()
        self.mirror = ResponsesMirror(default_header(RESPONSES))
        self.sessions_header = default_header(SESSIONS)
        self.sessions_read_from = float("-inf")  # start time of the latest read of the sessions sheet
        self.sessions_asked = 0.0  # a read of the sessions sheet starting after this is wanted
        self.checked_at = float("-inf")  # wall time at which the latest complete read started
        self.reconciled_at = float("-inf")  # clock time of the latest full read of the responses
        self.sheet_ids: dict[str, int] = {}
        self.resent: set[tuple[str, str, str, str]] = set()  # keys sent twice: a late copy may land
        self.to_delete: list[tuple[int, tuple[str, str, str, str]]] = []  # (row, key) of extra copies
        self.to_delete_at = float("-inf")
        self.resent_at = float("-inf")  # clock time of the latest batch sent a second time
        self.sessions_unsure_at = float("-inf")  # a session append that may have landed failed then
        self._unrecorded: list[int] = []  # in the sheet (the append said so), not yet marked locally
        self.demand_at = float("-inf")
        self.due = {"connect": 0.0, "write": 0.0, "read": 0.0}
        self.interval = AdaptiveInterval(options.read_seconds, options.longest_read_seconds)
        self.backoff = {
            k: Backoff(options.backoff_base, options.backoff_cap) for k in ("connect", "write", "read")
        }
        self.counters = {
            "appends": 0,
            "rows_written": 0,
            "reads": 0,
            "verifications": 0,
            "failures": 0,
            "full_reads": 0,
            "dropped": 0,
            "edited": 0,
            "duplicates_deleted": 0,
            "session_appends": 0,
        }
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
        """Stop the thread. The writer lock is released only once the thread has really stopped:
        if it is still inside an API call when ``timeout`` runs out, the thread releases it when that
        call returns, so a new worker on the same outbox cannot send the same rows meanwhile."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout if timeout is not None else self.options.timeout + 2)
            if thread.is_alive():
                return  # _run releases the lock on its way out
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
        try:
            while not self._stop.is_set():
                try:
                    delay = self.step()
                except Exception:  # a bug must not stop the sync for the rest of the workshop
                    log.exception("Sheets sync step failed")
                    delay = 1.0
                if delay > 0:
                    self._wake.wait(min(delay, 1.0))
                    self._wake.clear()
        finally:
            self.writer_lock.release()

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
        if self._unrecorded:  # the sheet has these rows: record it locally before anything else
            if now < self.due["write"]:
                return self.due["write"] - now
            self._attempt("write", self._record_unrecorded)
            return 0.0
        if (self.to_delete or self._has_writes()) and self.writer_lock.acquire():
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
            now - self.demand_at <= self.options.demand_seconds
            or self._sessions_asked()
            or self.mirror.full
            or self.outbox.in_flight() > 0  # only a read tells whether those rows landed
            or now - self.resent_at <= LATE_COPY_SECONDS  # a batch sent twice: watch for a late copy
        )

    def _sessions_asked(self) -> bool:
        return self.sessions_asked >= self.sessions_read_from

    def _has_writes(self) -> bool:
        return bool(self.outbox.pending(1, self.checked_at)) or bool(self.outbox.pending_sessions())

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
            self.due["read"] = min(self.due["read"], now)  # look for it in the sheet soon
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
        self.sheet_ids = {
            s["properties"]["title"]: int(s["properties"].get("sheetId", 0)) for s in meta.get("sheets", [])
        }
        missing = [w for w in WORKSHEETS if w not in grids]
        if missing and self.options.create_in_blank and self._blank(grids):
            reply = self.api.add_sheets(missing, columns=FULL_WIDTH)
            grids.update({w: {"rowCount": 1000, "columnCount": FULL_WIDTH} for w in missing})
            for added in reply.get("replies", []):
                props = added.get("addSheet", {}).get("properties", {})
                self.sheet_ids[props.get("title", "")] = int(props.get("sheetId", 0))
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
        found_headers = {}
        for title in WORKSHEETS:
            if title in blank:
                continue
            found = Header.parse(headers[title][0])
            lacking = found.missing(HEADERS[title] if title == RESPONSES else SESSION_FIELDS_V0)
            if lacking:
                raise ConfigError("sheets.bad_header", worksheet=title, columns=", ".join(lacking))
            found_headers[title] = found
        if blank:
            self.api.update_rows([(rows_range(w, 1, len(HEADERS[w]), 1), [list(HEADERS[w])]) for w in blank])
            found_headers.update({w: default_header(w) for w in blank})
        sessions_header = found_headers[SESSIONS]
        if sessions_header.missing(SESSION_FIELDS):  # a sheet made before sessions had a version
            sessions_header = self._add_session_columns(sessions_header, width)
        self.sessions_header = sessions_header
        if self.options.protect:
            self._protect(meta, found_headers[RESPONSES])
        self.connected = True
        self._take_sessions(sessions_rows if SESSIONS not in blank else [], started=started)
        self._take_responses(responses_rows if RESPONSES not in blank else [], full=True)

    def _add_session_columns(self, header: Header, width: int) -> Header:
        """Write the header of the columns a sheet from an older release lacks (``version``), after
        its last column; its rows read as version 0 until they are written again."""
        lacking = header.missing(SESSION_FIELDS)
        names = [*header.names, *lacking]
        first = header.width + 1
        if len(names) > width:
            raise ConfigError("sheets.bad_header", worksheet=SESSIONS, columns=", ".join(lacking))
        a1 = f"{quote_title(SESSIONS)}!{col_letter(first)}1:{col_letter(len(names))}1"
        self.api.update_rows([(a1, [list(lacking)])])
        return Header.parse(names)

    def _protect(self, meta: Mapping[str, Any], responses: Header) -> None:
        """Ask Google to warn a person before they change the app's columns (warning only: nobody is
        blocked, the app's own writes included). Once per spreadsheet; a refusal is not fatal."""
        have = {
            s["properties"]["title"]
            for s in meta.get("sheets", [])
            for r in s.get("protectedRanges", [])
            if r.get("description") == PROTECTION
        }
        sessions_header = self.sessions_header
        wanted = [
            (title, header)
            for title, header in ((RESPONSES, responses), (SESSIONS, sessions_header))
            if title not in have and title in self.sheet_ids
        ]
        if not wanted:
            return
        try:
            self.api.protect_columns(
                [
                    (self.sheet_ids[title], [header.index[f] for f in HEADERS[title] if f in header.index])
                    for title, header in wanted
                ],
                PROTECTION,
            )
        except Exception as exc:  # an older API, a fake without it: the app works unprotected
            log.warning("Sheets: could not protect the app's columns: %s", exc)

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
        """The shared read: new responses rows (all of them now and then), plus the sessions
        worksheet when due."""
        now, wall = self.clock(), self.wall()
        if now - self.reconciled_at >= self.options.reconcile_seconds:
            self.mirror.reset()  # this read is the periodic full one
        with_sessions = (
            self._sessions_asked() or now - self.sessions_read_from >= self.options.sessions_seconds
        )
        full = self.mirror.full
        if self.outbox.in_flight():
            self.counters["verifications"] += 1
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
        self.checked_at = max(self.checked_at, wall)  # what is still in flight was not there at ``wall``
        self.read_done_from = now  # last: a waiting ``refresh`` must see what this read learned

    def _take_responses(self, rows: list[list[Any]], *, full: bool) -> bool:
        events = self.mirror.take(rows)
        if events is None:
            return False
        self.outbox.learn(events)
        if full:
            self.counters["full_reads"] += 1
            self.reconciled_at = self.clock()
            if self.mirror.header_ok:  # never judge rows by a header a person broke
                dropped, edited = self.outbox.reconcile(events)
                self.counters["dropped"] += dropped
                self.counters["edited"] += edited
            self._find_extra_copies()
        elif self.resent and any(event_key(e) in self.resent for e in events):
            self.mirror.reset()  # a key we sent twice arrived: the next, full, read looks for copies
        return True

    def _find_extra_copies(self) -> None:
        """After a full read: rows holding a key this outbox sent more than once, beyond its first."""
        self.resent = self.outbox.resent_keys(since=self.wall() - LATE_COPY_SECONDS)
        seen: set[tuple[str, str, str, str]] = set()
        extra = []
        for number, event in self.mirror.numbered:
            key = event_key(event)
            if key in self.resent:
                if key in seen:
                    extra.append((number, key))
                seen.add(key)
        self.to_delete, self.to_delete_at = extra, self.clock()

    def _take_sessions(self, rows: list[list[Any]], started: float) -> None:
        if rows:
            found = Header.parse(rows[0])
            if not found.missing(SESSION_FIELDS):  # columns moved by a person: follow them
                self.sessions_header = found
            elif not found.missing(SESSION_FIELDS_V0):  # "version" gone: connect again puts it back
                self.sessions_header = found
                self.connected = False
                self.due["connect"] = self.clock()
        sessions = parse_sessions(rows, self.sessions_header) if rows else []
        deleted = parse_sessions(rows, self.sessions_header, tombstones=True) if rows else []
        self.outbox.learn_sessions(sessions, deleted)
        self.sessions_read_from = started

    # writes ----------------------------------------------------------------------------------------
    def write(self) -> None:
        """One write call: extra copies to delete (rare), else session rows (rare, small), else one
        batch of answers."""
        now = self.clock()
        self.due["write"] = now + self.options.write_gap
        if self.to_delete:
            if now - self.to_delete_at <= max(2.0, 2 * self.options.read_seconds):
                self._delete_extra_copies()
                return
            self.to_delete = []  # found too long ago: rows may have moved; the next full read finds them
            self.mirror.reset()
        pending = self.outbox.pending_sessions()
        if pending and self.sessions_read_from > self.sessions_unsure_at:
            self._write_sessions(pending)
            return
        if pending:  # the last session append may have landed: a read of the sessions sheet first
            self.sessions_asked = max(self.sessions_asked, now)
        batch = self.outbox.pending(self.options.batch_size, self.checked_at)
        if not batch:
            return
        seqs = [e.seq for e in batch if e.seq is not None]
        sent_at = self.wall()
        # if this process dies with the request in flight, the next one waits this long before
        # looking for the rows and sending them again
        self.outbox.mark_sending(seqs, sent_at, sent_at + self.options.timeout + self.options.settle)
        self.resent = self.outbox.resent_keys(since=sent_at - LATE_COPY_SECONDS)  # a second send
        if any(event_key(e) in self.resent for e in batch):
            self.resent_at = now  # keep reading a while: the first send may still land
        rows = [self.mirror.header.row(e.to_record()) for e in batch]
        try:
            self.api.append(rows_range(RESPONSES, 1, self.mirror.header.width), rows)
        except Exception as exc:
            failure = classify(exc, self.api.target, self.api.timeout)
            if failure.maybe_written:
                settle = self.options.settle if failure.settle > 0 else 0.0
                self.outbox.check_after(seqs, self.wall() + settle)
            else:
                self.outbox.not_sent(seqs)
            raise
        self.counters["appends"] += 1
        self.counters["rows_written"] += len(rows)
        self._unrecorded = seqs
        self._record_unrecorded()

    def _record_unrecorded(self) -> None:
        """Mark rows the sheet acknowledged; if the outbox fails here, they stay in memory (and
        recorded as sent on disk) and this is retried before anything else is sent."""
        self.outbox.mark_synced(self._unrecorded)
        self._unrecorded = []

    def _write_sessions(self, pending: list[Any]) -> None:
        """Append one row per changed session. Rows are never rewritten in place (a person may have
        sorted the worksheet since we last read it): the row with the highest ``version`` of a code
        is the session, so writing the same row twice is harmless."""
        header = self.sessions_header
        try:
            self.api.append(rows_range(SESSIONS, 1, header.width), [header.row(p.record()) for p in pending])
        except Exception as exc:
            if classify(exc, self.api.target, self.api.timeout).maybe_written:
                self.sessions_unsure_at = self.clock()
                self.sessions_asked = self.sessions_unsure_at
            raise
        self.counters["session_appends"] += 1
        for p in pending:
            self.outbox.mark_session_synced(p.session.code, p.version)

    def _delete_extra_copies(self) -> None:
        """Delete the rows found holding a second copy of an answer, then read everything again.

        Row numbers come from a read, and a person may have sorted the sheet since: each row is read
        again just before, and deleted only if it still holds the key expected (bottom first, so the
        other numbers stay right)."""
        found, self.to_delete = dict(self.to_delete), []
        sheet_id = self.sheet_ids.get(RESPONSES)
        if sheet_id is None or not found:
            return
        self.mirror.reset()
        numbers = sorted(found, reverse=True)
        width = self.mirror.header.width
        current = self.api.batch_get([rows_range(RESPONSES, n, width, n) for n in numbers])
        rows = []
        for number, cells in zip(numbers, current, strict=True):
            event = event_from_row(self.mirror.header, cells[0]) if cells else None
            if event is not None and event_key(event) == found[number]:
                rows.append(number)
        if rows:
            self.api.delete_rows(sheet_id, rows)
            self.counters["duplicates_deleted"] += len(rows)

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
