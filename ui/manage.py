"""Rename or duplicate the session the host page shows (the host page draws it under the join panel).

A duplicate has the same settings, a new code and no answers: the next table, or the same workshop
next month. After duplicating, the page follows the new session (``?session=``), as after creating one.
"""

from __future__ import annotations

import streamlit as st

from partenariat_core import PartenariatError, Session, duplicate_session, rename_session
from ui.nav import follow_session
from ui.runtime import Context


def draw_manage_panel(ctx: Context, session: Session) -> None:
    code = session.code
    if message := st.session_state.pop("manage_done", None):
        st.success(message)
    with st.expander(ctx.t("manage.title")):
        title = st.text_input(
            ctx.t("manage.new_title"), value=session.title, max_chars=120, key=f"title_{code}"
        )
        with st.container(horizontal=True):
            rename = st.button(ctx.t("manage.rename"), icon=":material/edit:", key=f"rename_{code}")
            duplicate = st.button(
                ctx.t("manage.duplicate"), icon=":material/content_copy:", key=f"dup_{code}"
            )
        st.caption(ctx.t("manage.duplicate_help"))
    if not (rename or duplicate):
        return
    try:
        if rename:
            rename_session(ctx.rt.store, code, title)
            done = ctx.t("manage.renamed")
        else:
            copy = duplicate_session(ctx.rt.store, ctx.rt.instruments, code, title)
            follow_session(copy.code)  # the menu and every host page follow the copy
            done = ctx.t("manage.duplicated", code=copy.code)
    except PartenariatError as exc:
        st.error(exc.message(ctx.lang))
        return
    ctx.rt.live.invalidate(code)
    st.session_state["manage_done"] = done
    st.rerun()
