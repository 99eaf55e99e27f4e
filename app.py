"""Partenariat Live: the router. Run with ``streamlit run app.py``.

The participant page is the default (``/``), so a QR code's ``/?session=CODE`` opens straight onto it.
Every page starts itself (``ui.runtime.bootstrap``: page config, runtime, language), because a deep
link on a fresh server can run a page without this file; so this file only routes.

The page list is built once per process (``ui.router``).
"""

import streamlit as st

from partenariat_core import StoreUnavailable
from ui.errors import show_store_problem
from ui.nav import PAGES
from ui.router import router_pages
from ui.runtime import current_language

page = st.navigation(router_pages(current_language()), position="hidden")
try:
    page.run()
except StoreUnavailable as exc:  # a database file removed, damaged or locked: words, not a traceback
    host = any(p.url == page.url_path and p.group == "host" for p in PAGES)
    show_store_problem(exc, current_language(), host=host)
