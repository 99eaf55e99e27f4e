"""What a page shows when the store fails: the catalog's words, never a traceback.

Participants and the projector get "answers cannot be saved right now, try again in a moment"; host
pages also say what is wrong with which file or server (``StoreUnavailable.host_message``). The full
traceback goes to the server log, where the person running the app looks. ``client.showErrorDetails``
is "none" in ``.streamlit/config.toml``, so even an error we did not foresee shows no code or path.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from partenariat_core import StoreUnavailable
from ui.literal import markdown_safe

log = logging.getLogger("partenariat_live")


def show_store_problem(exc: StoreUnavailable, lang: str, *, host: bool) -> None:
    log.error("store unavailable: %s", exc.host_message("en"), exc_info=exc)
    message = exc.host_message(lang) if host else exc.message(lang)
    st.error(markdown_safe(message), icon=":material/cloud_off:")  # paths and causes are literal text


@contextmanager
def store_guard(lang: str, *, host: bool = False) -> Iterator[None]:
    """Around a fragment's body (a fragment reruns without ``app.py``, whose own guard then does not
    apply): a store failure is shown in place and the rest of the page stays as it was."""
    try:
        yield
    except StoreUnavailable as exc:
        show_store_problem(exc, lang, host=host)
