"""Everything one server process shares: settings, store, instruments, live reads, passcode.

Built once per process and never again, whatever clients send. It used to live in Streamlit's
``st.cache_resource``, which any websocket client can empty with a ``clear_cache`` message: each
rebuild left one more Sheets sync thread polling on its own quota (10 messages: 8 → 18 threads, reads
19 → 89 per minute). A plain process-wide holder is out of every client's reach; if a runtime is ever
replaced (``replace_shared_runtime``, for tests), the old one is closed first, so there is never more
than one store and one writer.

The command line builds its own with ``start_runtime`` (no live reads), from the same code.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from partenariat_core.config import Settings, load_settings
from partenariat_core.datadir import EDITOR_INSTRUMENTS, ensure_data_dir, ensure_private_folder
from partenariat_core.demo import ensure_demo
from partenariat_core.forms_source.follower import SourceFollower, follower_from_settings
from partenariat_core.i18n import t
from partenariat_core.instruments import Instrument
from partenariat_core.instruments.registry import InstrumentRegistry
from partenariat_core.live import LiveSessions
from partenariat_core.passcode import resolve_host_passcode
from partenariat_core.pseudonym import Pseudonyms
from partenariat_core.store import Store, open_store


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    store: Store
    # the activities offered, re-read when a file changes (the editor saves one, a replica too)
    registry: InstrumentRegistry
    live: LiveSessions
    passcode: str
    passcode_file: Path | None  # where a generated passcode is kept; None when configured
    pseudonyms: Pseudonyms
    # --- linked sources (issue 14): the server's reader of linked worksheets; None in the CLI ---
    follower: SourceFollower | None = None

    @property
    def instruments(self) -> dict[str, Instrument]:
        """The activities offered now: a snapshot, so one page run reads one consistent set."""
        return self.registry.current()

    @property
    def editor_dir(self) -> Path:
        """Where the activity editor saves (``<data dir>/instruments``, owner-only)."""
        return self.settings.data_dir / EDITOR_INSTRUMENTS

    def close(self) -> None:
        if self.follower is not None:  # linked sources: stop reading before the store closes
            self.follower.stop()
        self.store.close()


def start_runtime(settings: Settings | None = None, *, follow: bool = False) -> Runtime:
    """Check the settings and the data folder, load instruments, open the store (its background
    writer starts now), add the demo session. Raises ``PartenariatError`` with a message for people.
    ``follow``: also start reading the linked worksheets (the server does; the command line not)."""
    settings = settings or load_settings()
    ensure_data_dir(settings.data_dir)
    editor = ensure_private_folder(settings.data_dir, EDITOR_INSTRUMENTS)
    registry = InstrumentRegistry.load(extra=settings.instruments_dir, editor=editor)
    instruments = registry.current()
    passcode, where = resolve_host_passcode(settings.host_passcode, settings.data_dir)
    pseudonyms = Pseudonyms.in_data_dir(settings.data_dir)
    store = open_store(settings)
    try:
        if settings.demo:
            ensure_demo(store, instruments)
    except BaseException:
        store.close()
        raise
    # How stale a screen may be on a process that did not write the answer itself (its own writes
    # invalidate at once): with a data version (SQLite: two index look-ups, ~15 µs; PostgreSQL: a
    # counter fed by LISTEN/NOTIFY) asking often costs nothing, so a quarter of a second; Google
    # Sheets reads count against a quota, so a second.
    ttl = 0.25 if getattr(store, "data_version", None) is not None else 1.0
    live = LiveSessions(store, registry, ttl=ttl, threshold=settings.anonymity_threshold)
    # --- linked sources (issue 14): one follower per server, on the store's quota ---
    follower = None
    if follow:
        store_reads = 0 if settings.store != "sheets" else int(60 / max(1, settings.sheets_read_seconds))
        follower = follower_from_settings(
            settings, store, registry, on_change=live.invalidate, store_reads_per_minute=store_reads
        )
        follower.start()
    return Runtime(settings, store, registry, live, passcode, where, pseudonyms, follower)


def start_and_announce() -> Runtime:
    """``start_runtime`` plus, when the passcode was generated, the console line that tells the host
    (as Jupyter prints its token): what the server prints once, at start."""
    runtime = start_runtime(follow=True)
    if runtime.passcode_file is not None:
        lang = runtime.settings.language
        print(
            t("app.passcode_console", lang, passcode=runtime.passcode, file=runtime.passcode_file), flush=True
        )
    return runtime


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    runtime: Runtime | None = None


def _holder() -> _Slot:
    """The process-wide slot. Kept in ``sys.modules`` under a name no file has, so that even a
    developer's auto-reload of our modules (Streamlit's watcher re-imports changed files) finds the
    runtime already running instead of starting a second writer."""
    name = "_partenariat_live_runtime"
    holder = sys.modules.get(name)
    if holder is None:
        fresh = types.ModuleType(name)
        fresh.__dict__.update(slot=_Slot())
        holder = sys.modules.setdefault(name, fresh)
    slot: _Slot = holder.__dict__["slot"]
    return slot


def shared_runtime(build: Callable[[], Runtime] = start_and_announce) -> Runtime:
    """This process's runtime, built on first call. A failure is not kept: fixing the configuration
    and reloading the page is enough."""
    holder = _holder()
    runtime = holder.runtime
    if runtime is not None:
        return runtime
    with holder.lock:
        if holder.runtime is None:
            holder.runtime = build()
        return holder.runtime


def replace_shared_runtime(runtime: Runtime | None) -> None:
    """Swap the process's runtime (tests), closing the one it replaces first."""
    holder = _holder()
    with holder.lock:
        old, holder.runtime = holder.runtime, runtime
    if old is not None and old is not runtime:
        old.close()
