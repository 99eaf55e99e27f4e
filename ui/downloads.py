"""Prepare-then-download: a file is made only when asked (PNG, PDF and HTML take seconds and megabytes),
kept for this browser tab, and offered with a download button."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from partenariat_core import ExportFile, PartenariatError
from ui.literal import markdown_safe
from ui.runtime import Context


def prepare_and_offer(ctx: Context, key: str, what: str, make: Callable[[], ExportFile]) -> None:
    """A "prepare" button that calls ``make`` (a core export) and then a download button for its file.

    ``key`` names what the file depends on (session, format, language…): a prepared file is offered
    only while the same choice is shown.
    """
    slot = f"prepared:{key}"
    if st.button(ctx.t("export.prepare", what=what), key=f"prepare:{key}", type="primary"):
        with st.spinner(ctx.t("export.preparing")):
            try:
                st.session_state[slot] = make()
            except PartenariatError as exc:
                st.session_state.pop(slot, None)
                st.error(markdown_safe(exc.message(ctx.lang)))
    file: ExportFile | None = st.session_state.get(slot)
    if file is not None:
        st.download_button(
            ctx.t("export.download", name=file.name),
            data=file.data,
            file_name=file.name,
            mime=file.mime,
            key=f"download:{key}",
            icon=":material/download:",
        )
