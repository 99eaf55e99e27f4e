"""A small Streamlit client speaking the browser's websocket protocol, for load benchmarks.

A few real Chromium tabs cannot make 300 phones on a 2-core laptop, but the server does not care who
speaks its protocol: a tab is one websocket to ``/_stcore/stream`` (subprotocol ``streamlit``; the
browser adds an XSRF token and, on reconnect, its old session id as the 2nd and 3rd entries, see
``streamlit/web/server/starlette/starlette_websocket.py``). The tab sends ``BackMsg.rerun_script``
(a ``ClientState``: query string, page name or script hash, widget states, fragment id) and the server
streams ``ForwardMsg`` back: ``new_session``, ``delta`` (elements, with widget ids and form ids),
``page_info_changed`` (the URL's query string), ``auto_rerun`` (a fragment's ``run_every``), and
finally ``script_finished``. The time from sending a rerun to its ``script_finished`` is what a phone
waits for a page run, less the network.

What this client does not do, because the pages under test do not need it: media and file uploads,
``ref_hash`` message caching (it announces no cached hashes, so the server sends every message in full),
component iframes, reconnecting.

Usage (inside an asyncio program)::

    tab = StreamlitTab("ws://127.0.0.1:8501", page="", query="session=ABC234&p=...")
    await tab.connect()
    first = await tab.run()                       # the page as a phone opens it
    states = tab.form_states("continuum_continuum", {"level_continuum_now": 1})
    sent = await tab.run(states, fragment_id=tab.fragment_of("continuum_continuum"))  # a tap on Send
    await tab.close()
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

FINISHED = ForwardMsg.ScriptFinishedStatus
ALERT_FORMATS = {v: k.lower() for k, v in Alert.Format.items()}
WIDGET_KINDS = {
    "button",
    "button_group",
    "checkbox",
    "date_input",
    "multiselect",
    "number_input",
    "radio",
    "selectbox",
    "slider",
    "text_area",
    "text_input",
    "time_input",
    "toggle",
}


@dataclass
class Widget:
    """A widget as the server described it in a delta: enough to send a value back."""

    id: str
    kind: str
    form_id: str
    label: str
    options: list[str]
    default: Any
    fragment_id: str = ""  # set when the widget is drawn inside an st.fragment

    @property
    def key(self) -> str:
        """The user key (``key="..."``) Streamlit embeds at the end of the id: ``$$ID-<hash>-<key>``."""
        return self.id.split("-", 2)[2] if self.id.startswith("$$ID-") and self.id.count("-") >= 2 else ""

    @property
    def is_submitter(self) -> bool:
        return self.kind == "button" and "FormSubmitter:" in self.id


@dataclass
class RunResult:
    """One page run, from our rerun request to the server's final ``script_finished``."""

    seconds: float
    status: str  # a ScriptFinishedStatus name, "timeout" or "disconnected"
    deltas: int = 0
    early_reruns: int = 0  # st.rerun() inside the run, or a run stopped for the next one
    exceptions: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (error|warning|info|success, body)
    exec_seconds: float | None = None  # the script's own run time, when the server sends page_profile
    texts: list[str] = field(default_factory=list)  # markdown/text/html bodies, with ``keep_texts``

    @property
    def ok(self) -> bool:
        return (
            self.status.startswith("FINISHED")
            and self.status != "FINISHED_WITH_COMPILE_ERROR"
            and (not self.exceptions)
        )


@dataclass
class _PendingRun:
    started: float
    done: asyncio.Event = field(default_factory=asyncio.Event)
    result: RunResult | None = None
    deltas: int = 0
    early: int = 0
    exceptions: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str]] = field(default_factory=list)
    exec_seconds: float | None = None
    texts: list[str] = field(default_factory=list)


class StreamlitTab:
    """One browser tab: one websocket, one server session, one page run at a time."""

    def __init__(
        self,
        base_url: str,
        *,
        page: str = "",
        query: str = "",
        timeout: float = 30.0,
        keep_texts: bool = False,
    ) -> None:
        self.url = base_url.rstrip("/") + "/_stcore/stream"
        self.keep_texts = keep_texts  # collect what markdown/text/html elements say (submit → visible)
        self.page_name = page  # the URL path, as the browser sends it before it knows the script hash
        self.query = query
        self.timeout = timeout
        self.page_script_hash = ""
        self.widgets: dict[str, Widget] = {}
        self.auto_rerun: dict[str, float] = {}  # fragment id → interval (s), from st.fragment(run_every)
        self.closed_reason: str | None = None
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: _PendingRun | None = None
        self._turn = asyncio.Lock()  # one run at a time: a timer's rerun waits for a submit, and back
        # runs the server started without being asked (a pushed screen, ui/push.py): what they drew
        self.unasked_runs = 0
        self.unasked_texts: list[str] = []

    async def connect(self) -> None:
        # No keepalive pings: browsers send none, and a busy server's late pong must not count as a drop.
        self._ws = await asyncio.wait_for(
            connect(self.url, subprotocols=["streamlit"], max_size=None, ping_interval=None),  # type: ignore[list-item]
            self.timeout,
        )
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(TimeoutError, WebSocketException, OSError):
                await asyncio.wait_for(self._ws.close(), 5)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def run(
        self, widget_states: Iterable[WidgetState] = (), *, fragment_id: str = "", auto: bool = False
    ) -> RunResult:
        """Ask for a rerun, as the browser does on load, on a form submit or on a fragment's timer."""
        async with self._turn:
            return await self._run(widget_states, fragment_id, auto)

    async def _run(self, widget_states: Iterable[WidgetState], fragment_id: str, auto: bool) -> RunResult:
        if self._ws is None or self.closed_reason:
            return RunResult(0.0, "disconnected")
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            state.page_name = self.page_name
        state.widget_states.widgets.extend(widget_states)
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = auto
        pending = self._pending = _PendingRun(time.perf_counter())
        try:
            await self._ws.send(msg.SerializeToString())
            await asyncio.wait_for(pending.done.wait(), self.timeout)
        except TimeoutError:
            pending.result = self._result(pending, "timeout")
        except ConnectionClosed as exc:
            self.closed_reason = f"closed on send: {exc}"
            pending.result = self._result(pending, "disconnected")
        finally:
            self._pending = None
        assert pending.result is not None
        return pending.result

    async def timed_runs(self, stop: asyncio.Event) -> AsyncIterator[RunResult]:
        """The page's live fragment (its first ``run_every`` one) rerun on its timer, as the browser
        does, until ``stop`` is set: each run's result. A late run delays the next tick, as the
        browser's timer does."""
        fragment, interval = next(iter(self.auto_rerun.items()))
        next_tick = time.perf_counter() + interval
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, next_tick - time.perf_counter()))
            if stop.is_set():
                return
            yield await self.run(fragment_id=fragment, auto=True)
            next_tick = max(next_tick + interval, time.perf_counter())

    def find(
        self, *, form_id: str | None = None, key: str | None = None, kind: str | None = None
    ) -> list[Widget]:
        return [
            w
            for w in self.widgets.values()
            if (form_id is None or w.form_id == form_id)
            and (key is None or w.key == key)
            and (kind is None or w.kind == kind)
        ]

    def form_states(self, form_id: str, values: Mapping[str, Any]) -> list[WidgetState]:
        """What the browser sends when the form's submit button is tapped: every widget of the form
        (``values`` by widget key, else its default) plus the submit button's trigger."""
        widgets = self.find(form_id=form_id)
        if not any(w.is_submitter for w in widgets):
            raise LookupError(f"no form {form_id!r} on the page (forms: {sorted(self.forms())})")
        states = []
        for w in widgets:
            if w.is_submitter:
                states.append(WidgetState(id=w.id, trigger_value=True))
            elif w.kind != "button":
                value = values.get(w.key, w.default)
                if value is not None:
                    states.append(encode(w, value))
        return states

    def fragment_of(self, form_id: str) -> str:
        """The fragment a form is drawn in ("" if none): the browser reruns only that fragment on submit."""
        return next((w.fragment_id for w in self.find(form_id=form_id) if w.is_submitter), "")

    def forms(self) -> set[str]:
        return {w.form_id for w in self.widgets.values() if w.form_id}

    # reading ---------------------------------------------------------------------------------------
    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for raw in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)  # type: ignore[arg-type]
                self._handle(msg)
        except ConnectionClosed as exc:
            self.closed_reason = f"closed: {exc}"
        except Exception as exc:  # a broken message must end this tab, visibly, not the benchmark
            self.closed_reason = f"{type(exc).__name__}: {exc}"
        finally:
            self.closed_reason = self.closed_reason or "closed by server"
            if self._pending is not None and not self._pending.done.is_set():
                self._pending.result = self._result(self._pending, "disconnected")
                self._pending.done.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        run = self._pending
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_script_hash = msg.navigation.page_script_hash  # st.navigation: the page, not app.py
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "page_profile" and run is not None:
            # only sent with browser.gatherUsageStats on: the server's own measure of the script run
            run.exec_seconds = (run.exec_seconds or 0.0) + msg.page_profile.exec_time / 1e6
        elif kind == "auto_rerun":
            self.auto_rerun[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "delta":
            self._delta(msg, run)
        elif kind == "script_finished" and run is None:
            self.unasked_runs += 1
        elif kind == "script_finished" and run is not None:
            status = FINISHED.Name(msg.script_finished)
            if msg.script_finished == FINISHED.FINISHED_EARLY_FOR_RERUN:
                run.early += 1  # another run follows: keep waiting for it
            else:
                run.result = self._result(run, status)
                run.done.set()

    def _delta(self, msg: ForwardMsg, run: _PendingRun | None) -> None:
        if run is not None:
            run.deltas += 1
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        etype = element.WhichOneof("type")
        if etype == "exception" and run is not None:
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif etype == "alert" and run is not None:
            run.alerts.append((ALERT_FORMATS.get(element.alert.format, "?"), element.alert.body[:300]))
        elif etype in ("markdown", "text", "html") and run is not None and self.keep_texts:
            run.texts.append(getattr(element, etype).body)
        elif etype in ("markdown", "text", "html") and run is None:
            self.unasked_texts.append(getattr(element, etype).body)
        elif etype in WIDGET_KINDS:
            proto = getattr(element, etype)
            options = [getattr(o, "content", o) for o in getattr(proto, "options", [])]
            default = getattr(proto, "default", None)
            if etype in ("radio", "selectbox") and proto.HasField("default"):
                default = options[proto.default] if 0 <= proto.default < len(options) else None
            elif etype in ("radio", "selectbox"):
                default = None
            elif etype == "button_group":
                default = [options[i] for i in proto.default if 0 <= i < len(options)]
            self.widgets[proto.id] = Widget(
                proto.id, etype, proto.form_id, proto.label, options, default, msg.delta.fragment_id
            )

    def _result(self, run: _PendingRun, status: str) -> RunResult:
        return RunResult(
            time.perf_counter() - run.started,
            status,
            run.deltas,
            run.early,
            run.exceptions,
            run.alerts,
            run.exec_seconds,
            run.texts,
        )


def encode(widget: Widget, value: Any) -> WidgetState:
    """A widget value as the browser serialises it (Streamlit 1.67: options travel as their labels)."""
    state = WidgetState(id=widget.id)
    if widget.kind in ("radio", "selectbox"):
        state.string_value = widget.options[value] if isinstance(value, int) else str(value)
    elif widget.kind in ("text_input", "text_area"):
        state.string_value = str(value)
    elif widget.kind in ("checkbox", "toggle"):
        state.bool_value = bool(value)
    elif widget.kind in ("button_group", "multiselect"):
        state.string_array_value.data.extend(str(v) for v in value)
    elif widget.kind == "number_input":
        state.double_value = float(value)
    else:
        raise ValueError(f"no encoding for a {widget.kind} widget in this client")
    return state
