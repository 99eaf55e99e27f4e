"""Start-up shared by every page.

Every page begins with ``ctx = bootstrap(...)``. With ``st.navigation`` and files under ``pages/``,
Streamlit 1.67 runs a deep-linked page (``/dashboard?session=...``) on a fresh server *without*
``app.py`` until someone opens ``/`` (streamlit#9624). So nothing a page needs may depend on the router
having run: ``bootstrap`` is idempotent and sets up everything itself.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from partenariat_core import (
    LiveSessions,
    PartenariatError,
    Settings,
    Store,
    ensure_demo,
    load_instruments,
    load_settings,
    normalize_language,
    open_store,
    resolve_host_passcode,
    t,
)
from partenariat_core.instruments import Instrument

STYLE = Path(__file__).with_name("style.css")


@dataclass(frozen=True)
class Runtime:
    """One per server process, shared by every browser tab."""

    settings: Settings
    store: Store
    instruments: dict[str, Instrument]
    live: LiveSessions
    passcode: str


@dataclass(frozen=True)
class Context:
    """What a page run needs: the shared runtime and this tab's language."""

    rt: Runtime
    lang: str

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)


@st.cache_resource(show_spinner=False)
def _runtime() -> Runtime:
    """Built once per process. A failure (broken config, bad instrument file) is not cached, so fixing
    the file and reloading the page is enough."""
    settings = load_settings()
    extra = [settings.instruments_dir] if settings.instruments_dir else []
    instruments = load_instruments(*extra)
    store = open_store(settings)
    if settings.demo:
        ensure_demo(store, instruments)
    passcode, where = resolve_host_passcode(settings.host_passcode, settings.data_dir)
    if where is not None:
        print(f"\n  Partenariat Live host passcode: {passcode}\n  (kept in {where})\n", flush=True)
    live = LiveSessions(store, instruments, ttl=1.0, threshold=settings.anonymity_threshold)
    _freeze_startup_objects()
    return Runtime(settings, store, instruments, live, passcode)


@functools.cache
def _freeze_startup_objects() -> None:
    """Once per process. Everything loaded at start (streamlit, pandas, plotly, instruments) lives as long
    as the process: frozen, Python's full collections no longer walk it under load (they took half as
    long in bench/bench_server.py with 300 phones; see bench/RESULTS.md)."""
    gc.collect()
    gc.freeze()


def current_language(default: str = "fr") -> str:
    return normalize_language(st.query_params.get("lang") or default)


def bootstrap(title_key: str, *, layout: str = "centered", sidebar: str = "auto") -> Context:
    """Page config, runtime and language, for a page that may run with or without ``app.py``."""
    lang = current_language()
    st.set_page_config(
        page_title=f"{t(title_key, lang)} · Partenariat Live",
        page_icon="🤝",
        layout=layout,  # type: ignore[arg-type]
        initial_sidebar_state=sidebar,  # type: ignore[arg-type]
    )
    st.html(f"<style>{STYLE.read_text(encoding='utf-8')}</style>")
    try:
        rt = _runtime()
    except PartenariatError as exc:
        st.error(t("app.start_failed", lang, problem=exc.message(lang)))
        st.stop()
    if "lang" not in st.query_params:
        lang = current_language(rt.settings.language)
    return Context(rt, lang)
