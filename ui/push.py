"""Projector screens told about a change instead of polling for one (issue 15.2).

A screen's fragment used to rerun on a timer whether or not anything changed: ~3–5 ms of server CPU a
refresh (Streamlit reruns the fragment and sends its elements again; a fragment run that draws nothing
clears what it drew, so the rerun cannot be skipped). Here each screen registers, from inside its
fragment, what it drew: the session, the snapshot serial, and when its drawing changes by itself (a
countdown's next second, a rotating board's next page). One thread per process looks every
``CHECK_SECONDS`` at the shared ``LiveSessions`` snapshot of each watched session (a data-version check:
~15 µs on SQLite, a dictionary look-up fed by LISTEN/NOTIFY on PostgreSQL) and asks Streamlit to rerun
the fragment of the screens whose drawing is out of date, and only those. An idle screen then costs
one safety rerun every ``SAFETY_SECONDS``; a new card reaches it within ~``CHECK_SECONDS`` plus one
drawing.

Streamlit has no public API for a server-side rerun of a session's fragment, so this uses what its file
watcher uses (``AppSession.request_rerun``), reached through the runtime's session manager, and the
fragment id from its script-run context: private parts of streamlit 1.67 (the pin is ``<2``).
``available()`` checks them before a page relies on them; without them, or under AppTest (no runtime),
the page keeps its timer at the refresh interval as before.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from partenariat_core import LiveSessions

log = logging.getLogger("partenariat_live")

CHECK_SECONDS = 0.1  # how often the process looks for changes (one data-version check per session)
SAFETY_SECONDS = 10.0  # a screen still reruns this often by itself, in case a request was dropped
# At most four pushed redraws a second per screen while answers pour in; a page whose redraw costs more
# (the host dashboard: ~5 ms, three charts) passes its refresh interval instead, so that a busy room
# costs it no more than polling did.
MIN_GAP_SECONDS = 0.25
LOST_SECONDS = 2.0  # a request not followed by a run within this is sent again
# A closed tab's watcher would otherwise stay until its screen is next due, which for a dashboard is
# the next answer in its session, and its session's LiveSessions with it: a look this often drops them.
SWEEP_SECONDS = 30.0
# Phones follow the host the same way (``ui/guided.follow_host``): a pushed phone whose step changed
# reruns its whole page. When the host moves a room of 1,000 phones at once, asking them all in the
# same tenth of a second would start 1,000 page runs together on one GIL; at most this many phones are
# asked at a time, the next ones as those runs end (a phone's run ends by registering again).
MAX_PHONES_IN_FLIGHT = 16
PHONE_SAFETY_SECONDS = 30.0  # a pushed phone's own timer: only a net for a request lost on the way


_NOTHING = object()  # a group never settled


@dataclass
class Watcher:
    """One screen or phone (one browser tab's Streamlit session) and what it last drew."""

    code: str
    fragment_id: str
    page_script_hash: str
    query_string: str
    drawn: Hashable  # what the drawing was made from: a screen's LiveSessions snapshot serial
    drawn_at: float  # wall-clock time of that drawing
    wake_at: float | None  # wall-clock time at which the drawing changes by itself, if it does
    min_gap: float = MIN_GAP_SECONDS  # seconds between two pushed drawings at the least
    requested_at: float = float("-inf")  # when a rerun was last asked for; a run starts a new Watcher
    leaving: bool = False  # its tab started a full page run: it registers again by its end, or it left
    # A phone: what its drawing depends on is not the snapshot serial (every answer moves that) but
    # ``current()``, shared by every watcher of the same ``group`` (asked once per look for them all).
    group: Hashable = None
    current: Callable[[], Hashable] | None = None

    @property
    def key(self) -> Hashable:
        return self.code if self.group is None else self.group


def due(
    watchers: Iterable[tuple[str, Watcher]], now_drawn: Mapping[Hashable, Hashable], now: float
) -> list[str]:
    """The tabs to rerun: drawn from something older than what their group shows now (a screen: the
    snapshot serial of its session), or past the moment their drawing changes by itself; not while a
    request is on its way, nor twice within ``min_gap`` of a drawing (while answers pour in, every
    look would find a change). Screens first, then phones (see ``MAX_PHONES_IN_FLIGHT``)."""
    out = []
    for session_id, w in watchers:
        stale = now_drawn.get(w.key, w.drawn) != w.drawn or (w.wake_at is not None and now >= w.wake_at)
        in_flight = now - w.requested_at < LOST_SECONDS
        if stale and not in_flight and now - w.drawn_at >= w.min_gap:
            out.append(session_id)
    return out


class ScreenPush:
    """The process's screens and the thread that reruns them on a change."""

    def __init__(
        self,
        request: Callable[[str, Watcher], bool],
        clock: Callable[[], float] = time.time,
        connected: Callable[[str], bool] = lambda _session_id: True,
    ) -> None:
        self._request = request  # asks Streamlit for a rerun; False when the session is gone
        self._connected = connected  # whether Streamlit still knows a session
        self._clock = clock
        self._swept_at = clock()
        self._watchers: dict[str, Watcher] = {}
        # Watchers by what they depend on (``Watcher.key``), and, for each such group, what all of
        # them were last seen to have drawn: a look then skips a settled group whose current value
        # has not moved, instead of comparing 1,000 phones one by one ten times a second (that loop
        # was 4.4 % of the server's time with 1,000 phones joining).
        self._groups: dict[Hashable, dict[str, Watcher]] = {}
        self._settled: dict[Hashable, Hashable] = {}
        self._changes: dict[Hashable, int] = {}  # per group, bumped by every watch or drop in it
        self._lives: dict[str, LiveSessions] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.pushed = 0  # reruns asked for, for tests and benchmarks

    def watch(self, session_id: str, live: LiveSessions, watcher: Watcher) -> None:
        """Called by a screen or phone at each run: what it drew now (a run also answers any request)."""
        with self._lock:
            self._drop(session_id)
            self._watchers[session_id] = watcher
            self._groups.setdefault(watcher.key, {})[session_id] = watcher
            self._changes[watcher.key] = self._changes.get(watcher.key, 0) + 1
            if watcher.wake_at is not None or self._settled.get(watcher.key, watcher.drawn) != watcher.drawn:
                self._settled.pop(watcher.key, None)
            self._lives[watcher.code] = live
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="screen-push", daemon=True)
                self._thread.start()

    def _drop(self, session_id: str) -> bool:
        """Under the lock: take a tab's watcher out of its group."""
        old = self._watchers.pop(session_id, None)
        if old is None:
            return False
        members = self._groups.get(old.key)
        if members is not None:
            members.pop(session_id, None)
            self._changes[old.key] = self._changes.get(old.key, 0) + 1
            if not members:
                del self._groups[old.key]
                self._settled.pop(old.key, None)
                self._changes.pop(old.key, None)
        return True

    def forget(self, session_id: str) -> None:
        with self._lock:
            if not self._drop(session_id):
                return
            codes = {w.code for w in self._watchers.values()}
            for code in set(self._lives) - codes:  # no screen left on that session
                del self._lives[code]

    def page_started(self, session_id: str) -> None:
        """A tab's full page run began. A screen's watcher goes: the page may be one it has left (the
        host goes from the dashboard to the remote in the same tab), whose fragment a push would ask
        for in vain. A phone's stays in flight until its run registers it again at the end, so that
        ``MAX_PHONES_IN_FLIGHT`` counts the phone pages being redrawn, not only the checks asked for:
        a host moving a room of 1,000 does not start 1,000 page runs (and threads) at once. A phone
        that does not register again within ``LOST_SECONDS`` has left the page and is forgotten."""
        with self._lock:
            watcher = self._watchers.get(session_id)
            if watcher is None:
                return
            if watcher.current is not None:
                watcher.requested_at = self._clock()
                watcher.leaving = True
                return
        self.forget(session_id)

    def watching(self) -> int:
        with self._lock:
            return len(self._watchers)

    def check(self) -> list[str]:
        """One look at every watched session; returns the tabs asked to rerun."""
        now = self._clock()
        if now - self._swept_at >= SWEEP_SECONDS:
            self._swept_at = now
            with self._lock:
                tabs = list(self._watchers)
            for session_id in tabs:
                if not self._connected(session_id):
                    self.forget(session_id)
        with self._lock:
            heads = [(key, next(iter(members.values()))) for key, members in self._groups.items()]
            lives = dict(self._lives)
        now_drawn: dict[Hashable, Hashable] = {}
        for key, head in heads:
            if head.current is not None:
                now_drawn[key] = head.current()
            elif (live := lives.get(head.code)) is not None:
                now_drawn[key] = live.snapshot(head.code).serial
        with self._lock:
            unsettled = [
                (key, self._changes.get(key), list(self._groups[key].items()))
                for key, _ in heads
                if key in self._groups and self._settled.get(key, _NOTHING) != now_drawn.get(key, _NOTHING)
            ]
        watchers: list[tuple[str, Watcher]] = []
        for key, change, members in unsettled:
            left = {sid for sid, w in members if w.leaving and now - w.requested_at >= LOST_SECONDS}
            for session_id in left:  # their page run began and never registered again: they left it
                self.forget(session_id)
            members = [(sid, w) for sid, w in members if sid not in left]
            watchers += members
            value = now_drawn.get(key, _NOTHING)
            if value is not _NOTHING and all(w.drawn == value and w.wake_at is None for _, w in members):
                with self._lock:
                    if not left and self._changes.get(key) == change:  # nobody came or went meanwhile
                        self._settled[key] = value  # nothing to do until that value moves
        by_id = dict(watchers)
        phones_free = MAX_PHONES_IN_FLIGHT - sum(
            1 for _, w in watchers if w.current is not None and now - w.requested_at < LOST_SECONDS
        )
        asked = []
        for session_id in sorted(due(watchers, now_drawn, now), key=lambda s: by_id[s].current is not None):
            watcher = by_id[session_id]
            if watcher.current is not None:
                if phones_free <= 0:
                    continue  # asked at a later look, once some of those runs have ended
                phones_free -= 1
            if self._request(session_id, watcher):
                watcher.requested_at = now
                self.pushed += 1
                asked.append(session_id)
            else:
                self.forget(session_id)  # the tab closed
        return asked

    def _loop(self) -> None:
        while not self._stop.wait(CHECK_SECONDS):
            try:
                self.check()
            except Exception:  # a store hiccup must not end the thread: the next look retries
                log.exception("screen push: check failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)


def _app_session(session_id: str) -> Any:
    """Streamlit's ``AppSession`` of a connected tab, or ``None`` once it closed (private API)."""
    from streamlit.runtime import get_instance

    info = get_instance()._session_mgr.get_active_session_info(session_id)
    return info.session if info is not None else None


def _streamlit_request(session_id: str, watcher: Watcher) -> bool:
    """Ask Streamlit to rerun one session's fragment, on its event loop, as a browser's timer would."""
    from streamlit.proto.ClientState_pb2 import ClientState

    session = _app_session(session_id)
    if session is None:
        return False
    state = ClientState(
        fragment_id=watcher.fragment_id,
        page_script_hash=watcher.page_script_hash,
        query_string=watcher.query_string,
        is_auto_rerun=True,  # a fragment gone meanwhile is skipped quietly
    )
    session._event_loop.call_soon_threadsafe(session.request_rerun, state)
    return True


@functools.cache
def shared() -> ScreenPush:
    """The process's one ``ScreenPush`` (its thread starts with the first screen)."""
    return ScreenPush(_streamlit_request, connected=lambda session_id: _app_session(session_id) is not None)


def _server_session() -> Any:
    """This tab's ``AppSession`` when a Streamlit server runs it and its private parts are where
    streamlit 1.67 keeps them; else ``None`` (AppTest, a bare script, another Streamlit)."""
    try:
        from streamlit.runtime import Runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not Runtime.exists():
            return None
        session = _app_session(ctx.session_id)
        ok = session is not None and hasattr(session, "_event_loop") and hasattr(session, "request_rerun")
        return session if ok else None
    except (ImportError, AttributeError, RuntimeError):
        return None


def can_push() -> bool:
    """Whether this tab's screen can be told about changes: the page then sets its fragment's timer to
    ``SAFETY_SECONDS`` instead of the refresh interval."""
    return _server_session() is not None


def current_run() -> tuple[str, str, str, str] | None:
    """(session id, fragment id, page hash, query string) of the fragment running now, or ``None``."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

        ctx = get_script_run_ctx()
        fragment_id = ThreadState.get().fragment_id
        if ctx is None or not fragment_id or _server_session() is None:
            return None
        return ctx.session_id, fragment_id, ctx.page_script_hash, ctx.query_string
    except (ImportError, AttributeError, RuntimeError):
        return None


def page_started() -> None:
    """A tab's full page run (``ScreenPush.page_started``)."""
    if not shared.cache_info().currsize:  # nothing watched yet in this process: nothing to do
        return
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
    except ImportError:
        return
    if ctx is not None:
        shared().page_started(ctx.session_id)


def watch_this_screen(
    live: LiveSessions, code: str, serial: int, wake_at: float | None, min_gap: float = MIN_GAP_SECONDS
) -> None:
    """From inside a screen's fragment, after drawing from snapshot ``serial``: rerun me on a change.

    The rerun carries no widget states: Streamlit then keeps each widget's last value from the
    browser, as for a timer's rerun (a stored browser state could replay a button's click)."""
    run = current_run()
    if run is None:
        return
    session_id, fragment_id, page, query = run
    watcher = Watcher(code, fragment_id, page, query, serial, time.time(), wake_at, min_gap)
    shared().watch(session_id, live, watcher)


def watch_this_phone(live: LiveSessions, code: str, group: Hashable, current: Callable[[], Hashable]) -> bool:
    """From inside a phone's host-check fragment: rerun me when ``current()`` (the same for every phone
    of ``group``) no longer gives what it gives now. Returns False when the page must keep polling.

    ``current`` is asked here, before the caller compares what it drew, so a change in between is
    seen by one or the other; and a phone pushed in vain registers what it was asked about, so two
    ways of telling a change apart can never push it again and again."""
    run = current_run()
    if run is None:
        return False
    session_id, fragment_id, page, query = run
    drawn = current()
    watcher = Watcher(code, fragment_id, page, query, drawn, time.time(), None, group=group, current=current)
    shared().watch(session_id, live, watcher)
    return True
