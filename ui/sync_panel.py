"""The host's view of the Google Sheets sync: is everything in the sheet, and if not, why.

Drawn only when the store has ``sync_status`` (the Sheets backend); with SQLite there is nothing to
sync and nothing is shown. A fragment refreshes it every few seconds, so the host sees the pending
count drain after an outage without touching the page.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from partenariat_core import PartenariatError, t_count
from ui.runtime import Context

REFRESH_SECONDS = 5


def _clock(when: dt.datetime | None) -> str:
    return when.astimezone().strftime("%H:%M:%S") if when else "—"


def draw_sync_panel(ctx: Context) -> None:
    """Pending writes, last successful sync, current problem in plain words; a button when the
    spreadsheet lacks our worksheets."""
    if not callable(getattr(ctx.rt.store, "sync_status", None)):
        return
    st.divider()
    _panel(ctx)


@st.fragment(run_every=REFRESH_SECONDS)
def _panel(ctx: Context) -> None:
    store = ctx.rt.store
    status = store.sync_status()  # type: ignore[attr-defined]
    st.markdown(f"#### {ctx.t('sheets.panel_title')}")
    if status.error_key:
        message = status.error_message(ctx.lang)
        st.warning(f"{ctx.t('sheets.error_since', time=_clock(status.error_since))} {message}")
    if status.pending:
        st.info(t_count("sheets.pending", status.pending, ctx.lang))
    elif not status.error_key:
        st.success(ctx.t("sheets.all_synced"))
    if status.last_sync:
        st.caption(ctx.t("sheets.last_sync", time=_clock(status.last_sync)))
    else:
        st.caption(ctx.t("sheets.never_synced"))
    st.caption(
        ctx.t(
            "sheets.usage",
            reads=status.reads_last_minute,
            writes=status.writes_last_minute,
            seconds=f"{status.read_seconds:.1f}",
        )
    )
    if status.missing_worksheets:
        names = ", ".join(status.missing_worksheets)
        if st.button(ctx.t("sheets.create_worksheets", names=names), key="sheets_create_worksheets"):
            try:
                created = store.create_missing_worksheets()  # type: ignore[attr-defined]
            except PartenariatError as exc:
                st.error(exc.message(ctx.lang))
            else:
                st.success(ctx.t("sheets.worksheets_created", names=", ".join(created) or names))
