"""Following linked worksheets while the server runs: new rows become answers on the board.

One :class:`SourceFollower` per server process (started with the runtime, ``runtime.py``), one
thread, whatever the number of screens: each linked worksheet is read once per interval, by the
server, never by a browser tab. A read is one Sheets API call:

- usually only the tail: the rows past the last one seen, plus the last few seen (``OVERLAP``) to
  check that nothing moved. If those few are not what they were (a sort, an edit or a deletion near
  the end), the whole worksheet is read at once instead;
- every ``full_every`` seconds the whole worksheet (a *reconciliation*), which catches what the tail
  cannot see: an edit or a deletion higher up.

Rows become events through the one-off import's own code (:func:`to_events`: content-based ids,
timestamps, the phone's participation rules, the answer mapping), appended idempotently, so a row
read twice is stored once. A response that is no longer in the sheet after a whole read (its row
deleted, or edited: an edited row has new content, so it is a new response) is *withdrawn*
(:func:`~partenariat_core.scoring.withdrawal`): the board stops counting it. A response that comes
back (an undone deletion) comes back under a new participant id (``<id>-1``), since a withdrawal is
final. A sorted sheet has the same responses, so nothing changes.

Quota: every call goes through the process's one :class:`Budget` for the service account (shared
with the Sheets store, ``pacing.shared_budget``); the interval stretches with the number of linked
worksheets so that together they stay within ``share`` reads a minute, and a 429 backs off.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from partenariat_core.config import Settings
from partenariat_core.errors import ConfigError, PartenariatError
from partenariat_core.forms_source.answer_mapping import UnreadValue, unread_values
from partenariat_core.forms_source.linked import LinkedSource, LinkFile, StateFile
from partenariat_core.forms_source.mapping import FormsMapping, MappingFile, suggest_mapping
from partenariat_core.forms_source.source import FormsSheet, FormsSource, Refusal, to_events
from partenariat_core.instruments import Instrument
from partenariat_core.instruments.session_copy import session_instruments
from partenariat_core.model import Event, utcnow
from partenariat_core.scoring.frame import withdrawal, withdrawn_participants
from partenariat_core.store.base import Store
from partenariat_core.store.sheets.client import (
    SheetsApi,
    Target,
    build_client,
    classify,
    resolve_credentials,
    secrets_credentials,
    spreadsheet_key,
)
from partenariat_core.store.sheets.layout import quote_title, rows_range
from partenariat_core.store.sheets.pacing import Backoff, Budget, shared_budget

log = logging.getLogger(__name__)

OVERLAP = 3  # rows already seen that a tail read reads again, to notice a sort or a deletion
SETUP_RETRY = 30.0  # a problem a person must fix (sharing, a renamed worksheet): retried this slowly


@dataclass(frozen=True)
class SourceStatus:
    """How one linked worksheet is followed, for the host page and the command line."""

    link: LinkedSource
    rows: int = 0  # responses seen in the worksheet at the last read
    reads: int = 0  # API calls made for it since the server started
    added: int = 0  # events it brought in since the server started
    withdrawn: int = 0  # responses taken back (rows deleted or edited)
    last_read: dt.datetime | None = None  # last successful read (UTC)
    next_read_in: float | None = None  # seconds; None while paused
    error_key: str = ""  # catalog key of the current problem, "" when none
    error_params: Mapping[str, Any] = field(default_factory=dict)
    error_kind: str = ""  # quota, transient, invalid, setup (as ``classify`` says)
    refused: tuple[Refusal, ...] = ()  # answers of the last read the rules refused
    unmapped: tuple[str, ...] = ()  # headers of the sheet that feed nothing


@dataclass
class _Follow:
    link: LinkedSource
    api: SheetsApi | None = None
    title: str | None = None  # known once the metadata was read
    time_zone: str = "UTC"
    locale: str = "fr_CA"
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] | None = None
    last_full: float = float("-inf")
    due: float = float("-inf")
    processed: int | None = None  # hash of what was last turned into events
    backoff: Backoff = field(default_factory=lambda: Backoff(2.0, 60.0))
    status: SourceStatus | None = None


def _pad(rows: Sequence[Sequence[Any]], width: int) -> tuple[tuple[str, ...], ...]:
    """Rows as the sheet has them: Google leaves trailing empty cells out, so pad to the header."""
    return tuple(tuple(str(c) for c in row[:width]) + ("",) * max(0, width - len(row)) for row in rows)


def _participant_of(withdrawn: set[str]) -> Callable[[str], str]:
    """A response's participant id: its content id, or ``<id>-<n>`` after ``n`` withdrawals."""

    def pick(base: str) -> str:
        n, pid = 0, base
        while pid in withdrawn:
            n += 1
            pid = f"{base}-{n}"
        return pid

    return pick


class SourceFollower:
    """Reads every linked worksheet of ``links``, paced, and appends what is new to ``store``.

    ``api_for(spreadsheet_key)`` gives the :class:`SheetsApi` to read one spreadsheet with (its calls
    recorded in ``budget``). ``on_change(session)`` is called after new events were stored (the
    runtime passes ``LiveSessions.invalidate``, so projectors see them at their next refresh).
    ``step()`` does one turn (tests call it with a manual clock); ``start()`` runs turns in a thread.
    """

    def __init__(
        self,
        store: Store,
        instruments: Mapping[str, Instrument],
        links: LinkFile,
        state: StateFile,
        api_for: Callable[[str], SheetsApi],
        budget: Budget,
        *,
        interval: float = 5.0,
        full_every: float = 30.0,
        share: int = 24,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], dt.datetime] = utcnow,
        on_change: Callable[[str], None] | None = None,
        max_length: int = 280,
        max_cards: int = 30,
        poll: float = 1.0,
    ) -> None:
        self.store = store
        self.instruments = instruments
        self.links = links
        self.state_file = state
        self.api_for = api_for
        self.budget = budget
        self.interval = interval
        self.full_every = full_every
        self.share = max(1, share)
        self.clock = clock
        self.wall = wall
        self.on_change = on_change or (lambda code: None)
        self.max_length = max_length
        self.max_cards = max_cards
        self.poll = poll
        # the follower's own share of the account's reads (the shared budget holds the whole of it)
        self._own = Budget(self.share, clock)
        self._follows: dict[str, _Follow] = {}
        self._version: tuple[int, int] | None = None
        self._produced = state.load()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # pacing ---------------------------------------------------------------------------------------
    def period(self) -> float:
        """Seconds between two reads of one worksheet: ``interval``, stretched so that all linked
        worksheets together make at most ``share`` reads a minute."""
        active = sum(1 for f in self._follows.values() if not f.link.paused)
        return max(self.interval, 60.0 * active / self.share)

    # links ----------------------------------------------------------------------------------------
    def reload(self, force: bool = False) -> None:
        """Pick up links made, paused or removed since (by a page or the command line)."""
        version = self.links.version()
        if not force and version == self._version:
            return
        try:
            links = {link.id: link for link in self.links.load()}
        except PartenariatError as exc:
            log.warning("linked sources file unreadable: %s", exc.message("en"))
            return
        self._version = version
        with self._lock:
            for gone in set(self._follows) - set(links):
                del self._follows[gone]
            for lid, link in links.items():
                follow = self._follows.get(lid)
                if follow is None:
                    self._follows[lid] = _Follow(link)
                elif follow.link != link:
                    resumed = follow.link.paused and not link.paused
                    mapping_changed = follow.link.mapping != link.mapping
                    follow.link = link
                    if mapping_changed:
                        follow.processed = None  # same rows, new meaning: turn them into events again
                    if resumed or mapping_changed:
                        follow.due = float("-inf")

    # one turn -------------------------------------------------------------------------------------
    def step(self) -> int:
        """Read every worksheet that is due (as far as the budget allows); returns the API calls made."""
        self.reload()
        calls = 0
        with self._lock:
            follows = sorted(self._follows.values(), key=lambda f: f.due)
        for follow in follows:
            now = self.clock()
            if follow.link.paused or follow.due > now:
                continue
            wait = max(self.budget.wait("read"), self._own.wait("read"))
            if wait > 0:
                follow.due = now + wait
                continue
            made = self._turn(follow, now)
            for _ in range(made):
                self._own.record("read")
            calls += made
        return calls

    def next_due(self) -> float:
        with self._lock:
            dues = [f.due for f in self._follows.values() if not f.link.paused]
        return min(dues, default=self.clock() + self.poll)

    def _api(self, follow: _Follow) -> SheetsApi:
        if follow.api is None:
            follow.api = self.api_for(follow.link.spreadsheet)
        return follow.api

    def _turn(self, follow: _Follow, now: float) -> int:
        """Read one worksheet once (a failure is kept in its status, never raised)."""
        calls = 0
        api: SheetsApi | None = None
        try:
            api = self._api(follow)
            if follow.title is None:
                calls += 1
                meta = api.metadata()
                titles = [s["properties"]["title"] for s in meta.get("sheets", [])]
                wanted = follow.link.worksheet or (titles[0] if titles else "")
                if wanted not in titles:
                    raise ConfigError("forms.worksheet_gone", worksheet=wanted, found=", ".join(titles))
                props = meta.get("properties", {})
                follow.title = wanted
                follow.time_zone = props.get("timeZone") or "UTC"
                follow.locale = props.get("locale") or "fr_CA"
            full = follow.rows is None or not follow.headers or now - follow.last_full >= self.full_every
            rows = follow.rows
            if not full and rows is not None and follow.headers:
                start = max(0, len(rows) - OVERLAP)
                calls += 1
                # open-ended rows, up to the header's last column (a column added later, as Forms
                # does for a new question, is seen at the next whole read)
                values = api.get(rows_range(follow.title, start + 2, len(follow.headers)))
                fresh = _pad(values, len(follow.headers))
                seen = rows[start:]
                if fresh[: len(seen)] == seen:
                    rows = rows + fresh[len(seen) :]
                else:
                    full = True  # moved or removed near the end: the tail cannot be trusted
            if full:
                calls += 1
                values = api.get(quote_title(follow.title))
                follow.headers = tuple(str(h).strip() for h in values[0]) if values else ()
                rows = _pad(values[1:], len(follow.headers))
                follow.last_full = now
            follow.rows = rows
            result = self._process(follow, full)
        except Exception as exc:  # every failure becomes a status line, the thread goes on
            self._failed(follow, exc, api, now, calls)
            return calls
        follow.backoff.reset()
        follow.due = now + self.period()
        old = follow.status or SourceStatus(follow.link)
        follow.status = replace(
            old,
            link=follow.link,
            rows=len([r for r in rows or () if any(c.strip() for c in r)]),
            reads=old.reads + calls,
            added=old.added + result[0],
            withdrawn=old.withdrawn + result[1],
            last_read=self.wall(),
            error_key=result[2],
            error_params=result[3],
            error_kind="setup" if result[2] else "",
            refused=result[4] if result[5] else old.refused,
            unmapped=result[6] if result[5] else old.unmapped,
        )
        return calls

    def _failed(self, follow: _Follow, exc: Exception, api: SheetsApi | None, now: float, calls: int) -> None:
        target = api.target if api is not None else Target(follow.link.spreadsheet)
        failure = classify(exc, target)
        if failure.kind == "invalid":
            follow.title = None  # a 400 on a range: most likely the worksheet was renamed; look again
        if failure.kind in ("quota", "transient", "invalid"):
            delay = follow.backoff.next_delay()
        else:
            delay = SETUP_RETRY
        follow.due = now + max(delay, self.period() if failure.kind == "quota" else 0.0)
        old = follow.status or SourceStatus(follow.link)
        follow.status = replace(
            old,
            link=follow.link,
            reads=old.reads + calls,
            error_key=failure.error.key,
            error_params=dict(failure.error.params),
            error_kind=failure.kind,
        )

    def _process(
        self, follow: _Follow, full: bool
    ) -> tuple[int, int, str, dict[str, Any], tuple[Refusal, ...], bool, tuple[str, ...]]:
        """Turn the cached rows into events and withdrawals; returns (events added, withdrawn,
        problem key, its params, refusals, whether this was computed now, unmapped headers)."""
        rows = follow.rows or ()
        fingerprint = hash((follow.headers, rows, full))
        if fingerprint == follow.processed and not full:
            return 0, 0, "", {}, (), False, ()
        link = follow.link
        code = link.session
        session = self.store.get_session(code)
        if session is None:
            return 0, 0, "error.session_unknown", {"code": code}, (), True, ()
        if not session.is_open:
            follow.processed = None  # read again once it is reopened
            return 0, 0, "forms.session_closed", {"code": code}, (), True, ()
        if not follow.headers:
            follow.processed = fingerprint
            return 0, 0, "forms.empty", {"worksheet": follow.title or ""}, (), True, ()
        known = self.store.read_events(code)
        used = session_instruments(session, known, self.instruments)  # its copies, as its phones
        withdrawn = withdrawn_participants(known)
        participant_of = _participant_of(withdrawn)
        sheet = FormsSheet(follow.title or "", follow.headers, rows, follow.time_zone, follow.locale)
        mapping = replace(link.mapping, worksheet=follow.title or link.worksheet)
        try:
            found = to_events(
                sheet,
                mapping,
                session,
                used,
                known=known,
                max_length=self.max_length,
                max_cards=self.max_cards,
                participant_of=participant_of,
            )
        except PartenariatError as exc:
            follow.processed = None
            return 0, 0, exc.key, dict(exc.params), (), True, ()
        present = {participant_of(base) for base in found.responses}
        stored = {e.participant for e in known}
        mine = set(self._produced.get(link.id, set()))
        taken_back: list[Event] = []
        if full:
            gone = sorted(p for p in mine if p not in present and p in stored and p not in withdrawn)
            taken_back = [withdrawal(code, p, self.wall()) for p in gone]
        new = list(found.events) + taken_back
        added = self.store.append_events(new) if new else 0
        claimed = (mine | (present & (stored | {e.participant for e in found.events}))) - {
            e.participant for e in taken_back
        }
        if claimed != self._produced.get(link.id, set()):
            self._produced[link.id] = claimed
            self.state_file.save(self._produced)
        follow.processed = fingerprint
        if added:
            self.on_change(code)
        stamp = mapping.timestamp_column
        unmapped = tuple(mapping.unmapped) + tuple(
            h for h in follow.headers if h and h != stamp and mapping.column(h) is None
        )
        return added - len(taken_back), len(taken_back), "", {}, found.refused, True, unmapped

    # for people -----------------------------------------------------------------------------------
    def statuses(self, session: str | None = None) -> list[SourceStatus]:
        """Every link's status (of one session when given), in the order they were linked."""
        self.reload()
        now = self.clock()
        with self._lock:
            follows = list(self._follows.values())
        result = []
        for follow in follows:
            if session is not None and follow.link.session != session:
                continue
            status = follow.status or SourceStatus(follow.link)
            next_in = None if follow.link.paused else max(0.0, follow.due - now) if follow.due > now else 0.0
            result.append(replace(status, link=follow.link, next_read_in=next_in))
        return result

    def read_now(self) -> None:
        """Make every link due now (a host's "read now"; the budget still decides)."""
        with self._lock:
            for follow in self._follows.values():
                follow.due = float("-inf")
        self.wake()

    # thread ---------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="linked-sources", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:  # never let the follower die: log, and try again at the next turn
                log.exception("linked sources: a turn failed")
            delay = min(max(0.05, self.next_due() - self.clock()), self.poll)
            self._wake.wait(delay)
            self._wake.clear()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


# building from the settings -------------------------------------------------------------------------
@dataclass(frozen=True)
class SheetsAccess:
    """How this process reaches Sheets: API address and service account (shared by every link)."""

    api_url: str
    info: Mapping[str, Any] | None
    source: str
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> SheetsAccess:
        _, from_secrets = secrets_credentials(settings.secrets)
        file = settings.sheets_credentials_file
        info, source = resolve_credentials(file, from_secrets if file is None else None)
        return cls(settings.sheets_api_url, info, source, float(settings.sheets_timeout_seconds))

    @property
    def email(self) -> str | None:
        return str(self.info.get("client_email")) if self.info else None

    def budget(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> Budget:
        return shared_budget(self.email, self.api_url, per_minute, clock)

    def api_factory(self, budget: Budget) -> Callable[[str], SheetsApi]:
        def api_for(key: str) -> SheetsApi:
            client = build_client(self.api_url, self.info, self.source, self.timeout)
            return SheetsApi(client, Target(key, self.email), on_call=budget.record)

        return api_for


def follower_from_settings(
    settings: Settings,
    store: Store,
    instruments: Mapping[str, Instrument],
    *,
    on_change: Callable[[str], None] | None = None,
    store_reads_per_minute: int = 0,
) -> SourceFollower:
    """The server's follower. ``store_reads_per_minute``: what the Sheets store plans to read on
    the same account (0 for SQLite), left to it out of the per-minute budget."""
    per_minute = max(1, int(settings.sheets_quota_per_minute * 0.9))
    api_for: Callable[[str], SheetsApi]
    try:
        access = SheetsAccess.from_settings(settings)
    except PartenariatError as exc:  # a broken key file: each link says so, the server still starts
        problem = exc
        budget = shared_budget(None, settings.sheets_api_url, per_minute)

        def unavailable(key: str) -> SheetsApi:
            raise problem

        api_for = unavailable

    else:
        budget = access.budget(per_minute)
        api_for = access.api_factory(budget)
    share = max(6, per_minute - store_reads_per_minute)
    return SourceFollower(
        store,
        instruments,
        LinkFile.in_data_dir(settings.data_dir),
        StateFile.in_data_dir(settings.data_dir),
        api_for,
        budget,
        share=share,
        on_change=on_change,
        max_length=settings.card_max_length,
        max_cards=settings.max_cards,
    )


# linking --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinkResult:
    link: LinkedSource
    sheet: FormsSheet
    unmapped: tuple[str, ...]  # headers that feed nothing (named to the host)
    unread: tuple[UnreadValue, ...]  # answers the mapping cannot read yet
    created: bool  # False: an existing link's mapping was refreshed


def link_sheet(
    settings: Settings,
    store: Store,
    instruments: Mapping[str, Instrument],
    code: str,
    spreadsheet: str,
    worksheet: str = "",
    *,
    mapping: FormsMapping | None = None,
) -> LinkResult:
    """Link session ``code`` to a worksheet (the first one when ``worksheet`` is empty), with the
    automatic mapping (the host's earlier choices for this session kept), and save the link.

    Reads the worksheet once now, so a sheet that is not shared or a worksheet that does not exist
    is refused with its reason instead of being linked broken. ``mapping``: the host's own, from the
    page; otherwise the suggestion.
    """
    session = store.get_session(code)
    if session is None:
        raise ConfigError("error.session_unknown", code=code)
    instruments = session_instruments(session, store.read_events(session.code), instruments)
    key = spreadsheet_key(spreadsheet)
    source = FormsSource.from_settings(settings, key, worksheet)
    sheet = source.read()
    links = LinkFile.in_data_dir(settings.data_dir)
    existing = links.get(session.code, key, sheet.worksheet)
    saved = mapping or (existing.mapping if existing else None)
    if saved is None:
        saved = MappingFile.in_data_dir(settings.data_dir).load(session.code)
    chosen = suggest_mapping(
        sheet.headers, session, instruments, spreadsheet=key, worksheet=sheet.worksheet, saved=saved
    )
    if mapping is not None:
        chosen = replace(
            mapping,
            session=session.code,
            spreadsheet=key,
            worksheet=sheet.worksheet,
            timestamp_column=mapping.timestamp_column or chosen.timestamp_column,
        )
    if not chosen.timestamp_column:
        raise ConfigError("forms.no_timestamp_column")
    link = LinkedSource(chosen, paused=existing.paused if existing else False)
    links.save(link)
    unread = tuple(unread_values(sheet, chosen, session, instruments))
    return LinkResult(link, sheet, tuple(chosen.unmapped), unread, existing is None)
