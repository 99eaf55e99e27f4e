"""Rename, duplicate or delete the session the host page shows (drawn under the join panel).

A duplicate has the same settings, a new code and no answers: the next table, or the same workshop
next month. After duplicating, the page follows the new session (``?session=``), as after creating one.
Deleting asks for the session's code typed again and offers the JSON archive first (the Export page
imports it back).
"""

from __future__ import annotations

import streamlit as st

from partenariat_core import (
    PartenariatError,
    Session,
    delete_session,
    duplicate_session,
    export_session,
    load_session_data,
    normalize_code,
    rename_session,
)
from ui.downloads import prepare_and_offer
from ui.nav import HOST_SESSION, follow_session
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


def draw_delete_panel(ctx: Context, session: Session) -> None:
    """Delete with a typed confirmation, the JSON archive offered just above the button."""
    code = session.code
    with st.expander(ctx.t("manage.delete_title"), icon=":material/delete:"):
        st.caption(ctx.t("manage.delete_help"))

        def archive():
            data = load_session_data(
                ctx.rt.store, ctx.rt.instruments, code, ctx.rt.settings.anonymity_threshold
            )
            return export_session(data, "json", ctx.lang)

        prepare_and_offer(ctx, f"{code}:json:delete", ctx.t("manage.delete_archive"), archive)
        typed = st.text_input(ctx.t("manage.delete_confirm", code=code), key=f"delete_code_{code}")
        if not st.button(ctx.t("manage.delete"), icon=":material/delete_forever:", key=f"delete_{code}"):
            return
        if normalize_code(typed) != code:
            st.error(ctx.t("manage.delete_mismatch", code=code))
            return
        try:
            delete_session(ctx.rt.store, code)
        except PartenariatError as exc:
            st.error(exc.message(ctx.lang))
            return
    ctx.rt.live.invalidate(code)
    st.query_params.pop("session", None)  # the page shows the newest session left
    st.session_state.pop(HOST_SESSION, None)
    st.session_state["manage_done"] = ctx.t("manage.deleted", code=code)
    st.rerun()
