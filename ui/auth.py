"""The host gate: host and organiser pages ask for the passcode once per browser session."""

from __future__ import annotations

import streamlit as st

from partenariat_core import check_passcode
from ui.runtime import Context

_KEY = "host_ok"


def require_host(ctx: Context) -> None:
    """Draw the passcode form and stop the page until the right passcode is given."""
    if st.session_state.get(_KEY):
        return
    st.title(ctx.t("auth.title"))
    with st.form("host_passcode"):
        given = st.text_input(ctx.t("auth.passcode"), type="password", key="passcode_input")
        sent = st.form_submit_button(ctx.t("auth.enter"), type="primary")
    if sent:
        if check_passcode(given, ctx.rt.passcode):
            st.session_state[_KEY] = True
            st.rerun()
        st.error(ctx.t("auth.wrong"))
    st.caption(ctx.t("auth.help"))
    st.stop()
