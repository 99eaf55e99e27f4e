"""Pages, their groups, and the menu.

``app.py`` hands ``PAGES`` to ``st.navigation`` with a hidden built-in menu; we draw our own menu so
it looks the same whether or not the router ran (see ``ui.runtime``), shows host pages only to hosts,
and carries ``?session=`` and ``?lang=`` across pages (Streamlit drops query parameters otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from partenariat_core import LANGUAGE_NAMES
from ui.auth import require_host
from ui.runtime import Context, bootstrap, stop_if_store_unavailable


@dataclass(frozen=True)
class PageDef:
    path: str
    url: str  # equal to the file name, so folder mode and st.navigation agree on URLs
    title_key: str
    icon: str
    group: str  # "participant", "host" (in the host menu), or "screen" (the projector: no menu)


PAGES: tuple[PageDef, ...] = (
    PageDef("pages/participate.py", "participate", "nav.participate", ":material/smartphone:", "participant"),
    PageDef("pages/host.py", "host", "nav.host", ":material/build:", "host"),
    PageDef("pages/dashboard.py", "dashboard", "nav.dashboard", ":material/co_present:", "host"),
    PageDef("pages/export.py", "export", "nav.export", ":material/download:", "host"),
    PageDef("pages/compare.py", "compare", "nav.compare", ":material/compare_arrows:", "host"),
    PageDef("pages/forms_import.py", "forms_import", "nav.forms", ":material/dynamic_form:", "host"),
    PageDef("pages/remote.py", "remote", "remote.nav", ":material/settings_remote:", "host"),
    PageDef("pages/activities.py", "activities", "editor.nav", ":material/edit_note:", "host"),
    PageDef("pages/screen.py", "screen", "screen.nav", ":material/tv:", "screen"),
)


HOST_SESSION = "host_session"  # the session this tab's host works on, when the URL lost it


def follow_session(code: str) -> None:
    """Make ``code`` the session this host works on: in the URL (a reload or a shared link keeps it)
    and in this tab's state (a page opened without ``?session=`` still finds it), so the menu and every
    host page point at it, not at the demo session."""
    st.query_params["session"] = code
    st.session_state[HOST_SESSION] = code


def carried_params(*names: str) -> dict[str, str]:
    """The query parameters a menu link carries; ``session`` falls back to the one being worked on."""
    params = {n: st.query_params[n] for n in names if st.query_params.get(n)}
    if "session" in names and "session" not in params and st.session_state.get(HOST_SESSION):
        params["session"] = st.session_state[HOST_SESSION]
    return params


def _language_changed() -> None:
    choice = st.session_state.get("lang_switch")
    if choice:
        st.query_params["lang"] = choice


def language_switch(ctx: Context, where: object = st.sidebar) -> None:
    """FR | EN, kept in the URL (``?lang=``) so it survives a reload; the URL is the truth."""
    st.session_state["lang_switch"] = ctx.lang
    where.segmented_control(  # type: ignore[attr-defined]
        ctx.t("nav.language"),
        options=["fr", "en"],
        format_func=LANGUAGE_NAMES.get,
        key="lang_switch",
        on_change=_language_changed,
        label_visibility="collapsed",
    )


def host_menu(ctx: Context) -> None:
    """Sidebar links between host pages, carrying the session and language."""
    with st.sidebar:
        st.markdown(f"### {ctx.t('app.name')}")
        params = carried_params("session", "lang")
        for page in PAGES:
            if page.group == "host":
                st.page_link(page.path, label=ctx.t(page.title_key), icon=page.icon, query_params=params)
        language_switch(ctx)


def host_page(title_key: str, *, menu: bool = True) -> Context:
    """Start a host or organiser page: page config, the passcode gate, then the host menu."""
    ctx = bootstrap(title_key, layout="wide", check_store=False)
    require_host(ctx)
    stop_if_store_unavailable(ctx, host=True)
    if menu:
        host_menu(ctx)
    return ctx
