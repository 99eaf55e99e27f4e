"""The session picker shared by the host, dashboard and export pages."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from partenariat_core import Session, normalize_code
from ui.nav import HOST_SESSION, follow_session
from ui.runtime import Context


def pick_session(
    ctx: Context,
    sessions: Sequence[Session],
    label_key: str,
    *,
    default: str | None = None,
    show: bool = True,
) -> Session:
    """The session named by ``?session=`` (else ``default``, else the newest), changeable in a select box.

    The choice is written back to the URL, so a reload or a shared link opens the same session.
    ``sessions`` must not be empty.
    """
    by_code = {s.code: s for s in sessions}
    codes = list(by_code)
    wanted = normalize_code(st.query_params.get("session")) or st.session_state.get(HOST_SESSION) or default
    code = wanted if wanted in by_code else codes[0]
    if show:
        code = st.selectbox(
            ctx.t(label_key),
            codes,
            index=codes.index(code),
            format_func=lambda c: f"{by_code[c].title} · {c} · {by_code[c].date.isoformat()}",
        )
    if st.query_params.get("session") != code or st.session_state.get(HOST_SESSION) != code:
        follow_session(code)
    return by_code[code]
