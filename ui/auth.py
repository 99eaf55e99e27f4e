"""The host gate: host and organiser pages ask for the passcode once per browser session.

Wrong guesses are slowed down by ``partenariat_core.throttle.GuessThrottle``, per browser session and
per client address; while a wait runs, no passcode is even checked.
"""

from __future__ import annotations

import secrets

import streamlit as st

from partenariat_core import GuessThrottle, check_passcode, t_count
from ui.runtime import Context

_KEY = "host_ok"
_ATTEMPT_KEY = "host_attempt_session"
LOCAL_ADDRESS = "local"

# One per process, a plain module global rather than ``st.cache_resource``: any browser can ask the
# server to clear that cache, which must not wipe the count of its own failed guesses. On PostgreSQL
# the store's own throttle is used instead (``throttle_of``): every replica counts into one table.
THROTTLE = GuessThrottle()


def throttle_of(store: object) -> GuessThrottle:
    """The deployment's throttle: shared through the store when it can share one (PostgreSQL, where
    N replicas serve one room), else this process's (SQLite and Sheets deployments are one process)."""
    shared = getattr(store, "passcode_throttle", None)
    return shared() if shared is not None else THROTTLE


def client_address() -> str:
    """The address of this browser's connection (``st.context.ip_address``); "local" for the
    loopback, where Streamlit gives none."""
    try:
        address = st.context.ip_address
    except Exception:  # no client context (a bare script run)
        return LOCAL_ADDRESS
    return address if isinstance(address, str) and address else LOCAL_ADDRESS


def _attempt_session() -> str:
    """A random name for this browser session, for its own count of failures."""
    return st.session_state.setdefault(_ATTEMPT_KEY, secrets.token_urlsafe(12))


def require_host(ctx: Context) -> None:
    """Draw the passcode form and stop the page until the right passcode is given."""
    if st.session_state.get(_KEY):
        return
    st.title(ctx.t("auth.title"))
    with st.form("host_passcode"):
        given = st.text_input(ctx.t("auth.passcode"), type="password", key="passcode_input")
        sent = st.form_submit_button(ctx.t("auth.enter"), type="primary")
    if sent:
        session, address = _attempt_session(), client_address()
        throttle = throttle_of(ctx.rt.store)
        wait = throttle.retry_after(session, address)
        if wait:
            st.error(t_count("auth.throttled", wait, ctx.lang))
        elif check_passcode(given, ctx.rt.passcode):
            throttle.succeeded(session, address)
            st.session_state[_KEY] = True
            st.rerun()
        else:
            wait = throttle.failed(session, address)
            st.error(ctx.t("auth.wrong"))
            if wait:
                st.error(t_count("auth.throttled", wait, ctx.lang))
    st.caption(ctx.t("auth.help"))
    st.stop()
