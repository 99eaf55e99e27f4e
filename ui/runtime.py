"""Start-up shared by every page.

Every page begins with ``ctx = bootstrap(...)``. With ``st.navigation`` and files under ``pages/``,
Streamlit 1.67 runs a deep-linked page (``/dashboard?session=...``) on a fresh server *without*
``app.py`` until someone opens ``/`` (streamlit#9624). So nothing a page needs may depend on the router
having run: ``bootstrap`` is idempotent and sets up everything itself.
"""

from __future__ import annotations

import functools
import gc
import sys
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from partenariat_core import (
    PartenariatError,
    Runtime,
    StoreUnavailable,
    normalize_language,
    shared_runtime,
    t,
)
from ui import push
from ui.errors import show_store_problem
from ui.literal import markdown_safe

STYLE = Path(__file__).with_name("style.css")


@dataclass(frozen=True)
class Context:
    """What a page run needs: the shared runtime and this tab's language."""

    rt: Runtime
    lang: str

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)


def get_runtime() -> Runtime:
    """The process's one runtime (``partenariat_core.runtime``), never ``st.cache_resource``: any
    websocket client can clear that cache. ``serve.py`` builds it before the server listens; this
    builds it at the first page run when the app was started with plain ``streamlit run``."""
    runtime = shared_runtime()
    _freeze_startup_objects()
    return runtime


# Python's default (700, 10, 10) ran a young collection at every phone join or so and a full one every
# ~85 joins, and a full one walks every tab's session objects: ~85 ms holding the GIL with a few hundred
# phones connected. 600 joins spent 0.81 s in the collector with the default, 0.26 s with these (a young
# collection every ~15 joins, a full one every ~1,500; bench/RESULTS.md). Cycles are still collected,
# only less often, so memory stays bounded.
GC_THRESHOLDS = (10_000, 10, 10)


@functools.cache
def _freeze_startup_objects() -> None:
    """Once per process. Everything loaded at start (streamlit, pandas, plotly, instruments) lives as long
    as the process: frozen, Python's full collections no longer walk it under load (they took half as
    long in bench/bench_server.py with 300 phones; see bench/RESULTS.md). Then fewer collections
    (``GC_THRESHOLDS``): with hundreds of tabs, each full one is a pause of every page run."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@functools.cache
def _style_tag() -> str:
    """The app's style sheet as one ``<style>`` element, read from disk once per process (every page run
    of every tab draws it; the file only changes with a new release, which restarts the server)."""
    return f"<style>{STYLE.read_text(encoding='utf-8')}</style>"


@functools.cache
def _report_start_failure(problem: str) -> None:
    """Say it on the console too, once per problem, where the person who started the server looks."""
    print(t("app.start_failed", "en", problem=problem), file=sys.stderr, flush=True)


def current_language(default: str = "fr") -> str:
    return normalize_language(st.query_params.get("lang") or default)


def bootstrap(
    title_key: str, *, layout: str = "centered", sidebar: str = "auto", check_store: bool = True
) -> Context:
    """Page config, runtime and language, for a page that may run with or without ``app.py``."""
    asked = st.query_params.get("lang")  # read once: each st.query_params access takes the state's lock
    lang = normalize_language(asked or "fr")
    st.set_page_config(
        page_title=f"{t(title_key, lang)} · Partenariat Live",
        page_icon="🤝",
        layout=layout,  # type: ignore[arg-type]
        initial_sidebar_state=sidebar,  # type: ignore[arg-type]
    )
    st.html(_style_tag())
    push.page_started()
    try:
        rt = get_runtime()
    except PartenariatError as exc:  # only under plain `streamlit run`: serve.py refuses to start
        _report_start_failure(exc.message("en"))
        st.error(markdown_safe(t("app.start_failed", lang, problem=exc.message(lang))))
        st.stop()
    if asked is None:  # no ?lang= at all: the server's language (an empty one stays French)
        lang = normalize_language(rt.settings.language)
    ctx = Context(rt, lang)
    if check_store:
        stop_if_store_unavailable(ctx, host=False)
    return ctx


def stop_if_store_unavailable(ctx: Context, *, host: bool) -> None:
    """One key lookup (well under a millisecond on SQLite, the local outbox on Sheets) before the page
    draws anything: a store that fails is then said in the catalog's words, whichever way the page
    was reached. ``app.py`` guards what fails later in a page run, fragments guard themselves
    (``ui.errors``), and ``client.showErrorDetails = "none"`` hides whatever slips through. A page
    reached by a deep link on a fresh server, or under AppTest, runs without ``app.py``
    (streamlit#9624), so this cannot be left to the router."""
    try:
        ctx.rt.store.get_session("")
    except StoreUnavailable as exc:
        show_store_problem(exc, ctx.lang, host=host)  # host: only past the passcode (paths, causes)
        st.stop()
