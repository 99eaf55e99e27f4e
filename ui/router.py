"""The router's ``st.Page`` list, built once per process and language (``app.py`` uses it).

Each ``st.Page`` resolves its file's path and checks that the file exists: about 2 ms per page run for
all our pages, paid by every phone's every run. Built once here and copied per run instead (30 µs):
a Page carries one per-run flag (``_can_be_called``, set by ``st.navigation`` on the page it picks and
cleared by ``run()``, streamlit/navigation/page.py in 1.67), so two tabs running at the same time must
not share the same objects. A plain ``functools.cache`` rather than ``st.cache_resource``: that one
hashes the function's source again each run when app.py redefines it (0.9 ms), and any browser can
clear it.
"""

from __future__ import annotations

import copy
import functools

import streamlit as st

from partenariat_core import t
from ui.nav import PAGES


@functools.cache
def _built(lang: str) -> tuple[st.Page, ...]:
    return tuple(
        st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, url_path=p.url, default=(i == 0))
        for i, p in enumerate(PAGES)
    )


def router_pages(lang: str) -> list[st.Page]:
    """Fresh copies of the pages in ``lang`` for one run of the router (call it inside a page run:
    ``st.Page`` needs the run's context to find the files)."""
    return [copy.copy(page) for page in _built(lang)]
